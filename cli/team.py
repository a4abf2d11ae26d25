"""``sorot team``: share a project through a PostgreSQL server; ``sorot sync``: send and fetch.

``team init URL`` uploads this project to an empty server database (the caller becomes the
team's lead); ``team join URL --as NAME --db local.sorot`` makes a local copy; ``team
add-member NAME --role annotator|reviewer|lead`` (a lead) gives a member a login;
``team assign`` shares the articles out (``cli/assign.py``); ``team status`` tells what
waits to be sent and what the last syncs noticed. Passwords are libpq's: the password
file (``~/.pgpass`` or ``PGPASSFILE``) or ``PGPASSWORD``; never the project file.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from pathlib import Path

from cli.common import clear, command, open_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("team", help="share the project with a team through a PostgreSQL server")
    team = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    def db_option(q: argparse.ArgumentParser) -> None:
        q.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="project file (as the global --db)")

    q = command(
        team, "init", run_init, help="upload this project to an empty server database; you become its lead"
    )
    q.add_argument("url", help="postgresql://[USER@]HOST[:PORT]/DATABASE (no password: use ~/.pgpass)")
    q.add_argument("--as", dest="member", help="your name on the team (default: the annotator name)")
    db_option(q)

    q = command(team, "join", run_join, help="make a local copy of a team project and link it")
    q.add_argument("url", help="postgresql://HOST[:PORT]/DATABASE (no password: use ~/.pgpass)")
    q.add_argument("--as", dest="member", required=True, help="your member name (and database login)")
    db_option(q)

    q = command(team, "add-member", run_add_member, help="(lead) give a member a login and a role")
    q.add_argument("name")
    q.add_argument("--role", choices=("annotator", "reviewer", "lead"), default="annotator")
    q.add_argument(
        "--save-password",
        action="store_true",
        help="also write the password to your libpq password file (~/.pgpass or PGPASSFILE)",
    )
    db_option(q)

    q = command(team, "members", run_members, help="the team's members and their roles")
    db_option(q)

    q = command(team, "status", run_status, help="the link, the changes waiting to be sent, the last notices")
    db_option(q)

    if importlib.util.find_spec("cli.assign"):  # ``team assign``: cli/assign.py, made alongside
        importlib.import_module("cli.assign").add_assign_parser(team)

    s = command(
        sub, "sync", run_sync, help="send this project's changes to its team server and fetch the others'"
    )
    db_option(s)


def _say(text: str) -> None:
    clear()
    print(text)


def run_init(args: argparse.Namespace) -> int:
    from storage.team import sync

    with open_store(args) as store:
        report = sync.init(store, args.url, member=args.member, progress=lambda m: print(m, file=sys.stderr))
        _say(
            f"team project created at {sync.clean_url(args.url)}: {report}; you ({store.annotator}) are its lead"
        )
    return 0


def run_join(args: argparse.Namespace) -> int:
    from storage.db import default_project_path
    from storage.team import sync

    path = Path(args.db or default_project_path())
    report = sync.join_file(args.url, args.member, path)
    _say(f"joined {sync.clean_url(args.url)} as {args.member}: {report}; local copy {path}")
    return 0


def _lead_connection(args: argparse.Namespace):
    from annotator.errors import TeamError
    from storage.team import local, sync

    with open_store(args, write=False) as store:
        link = local.get_link(store)
    if link is None:
        raise TeamError("this project is not linked to a team server (team init or team join)")
    return sync.connect_link(link)


def _password(name: str) -> str:
    """The new member's password: $SOROT_MEMBER_PASSWORD, a line on stdin, or asked twice."""
    import getpass
    import secrets

    if os.environ.get("SOROT_MEMBER_PASSWORD"):
        return os.environ["SOROT_MEMBER_PASSWORD"]
    if not sys.stdin.isatty():
        line = sys.stdin.readline().strip()
        return line or secrets.token_urlsafe(12)
    first = getpass.getpass(f"password for {name} (empty: make one up): ")
    if not first:
        word = secrets.token_urlsafe(12)
        print(f"password for {name}: {word}  (give it to them; it is not stored anywhere by Sorot)")
        return word
    if getpass.getpass("again: ") != first:
        raise SystemExit("sorot: the two passwords differ")
    return first


def run_add_member(args: argparse.Namespace) -> int:
    from storage.team import sync

    conn = _lead_connection(args)
    with conn:
        sync.add_member(conn, args.name, args.role, password := _password(args.name))
    _say(f"{args.name} is a member ({args.role})")
    if args.save_password:
        from storage.team import local

        with open_store(args, write=False) as store:
            link = local.get_link(store)
        assert link is not None
        where = sync.save_password(link.url, args.name, password)
        print(f"password saved in {where}")
    return 0


def run_members(args: argparse.Namespace) -> int:
    from storage.team import sync

    with _lead_connection(args) as conn:
        for name, role in sync.members(conn):
            print(f"{name}\t{role}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from storage.team import local

    with open_store(args, write=False) as store:
        link = local.get_link(store)
        if link is None:
            print("not linked to a team server")
            return 0
        print(f"server: {link.url}\nmember: {link.member} ({link.role})")
        print(f"changes to send: {local.pending(store):,}")
        offline = local.get_value(store, "offline_since")
        if offline:
            print(f"offline since {offline}")
        synced = local.get_value(store, "synced_at")
        if synced:
            print(f"last synced: {synced}")
        for note in local.notices(store)[-20:]:
            print(f"notice: {note}")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from annotator.errors import TeamOffline
    from storage.team import local, sync

    with open_store(args) as store:
        try:
            result = sync.sync(store)
        except TeamOffline as exc:
            raise TeamOffline(
                f"{exc}; {local.pending(store):,} change(s) kept here, sent at the next sync"
            ) from exc
        notes = local.notices(store, mark_seen=True)
    _say(f"sent {result.pushed:,}, received {result.pulled:,}; {result.pending:,} change(s) to send")
    for note in notes:
        print(f"notice: {note}")
    return 0
