"""Faults and concurrency of a team project against a real server: clients killed (SIGKILL)
in the middle of pushes, the server stopped and started during work, and two and five
clients in separate processes editing the same articles at once. Each ends with every copy
identical to the server (full dumps compared) and nothing lost or sent twice.

Clients are forked from the test process (the modules are loaded once, so a client starts
in milliseconds): ``os.fork`` then ``os._exit``, never back into pytest."""

from __future__ import annotations

import functools
import os
import random
import signal
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from annotator.errors import TeamOffline
from annotator.model import Article, Document, Span
from storage.store import Store
from storage.team import local, sync

pytestmark = pytest.mark.slow

TEXT = "Presiden Joko Widodo mengatakan di Jakarta bahwa ekonomi tumbuh."


def member_url(url: str, name: str) -> str:
    return url.replace("postgres@", f"{name}@")


def make_team(tmp_path: Path, url: str, names: list[str], articles: int = 4) -> dict[str, Path]:
    """A lead's project uploaded to ``url``; each of ``names`` (``alice@laptop`` = alice's second
    machine) a joined copy. Returns the copies' paths by name, the lead's too."""
    paths = {"lead": tmp_path / "lead.sorot"}
    with Store.open(paths["lead"]) as lead:
        lead.annotator = "lead"
        lead.import_documents(
            [Document(Article(f"{TEXT} ({i})", title=f"t{i}"), [Span(9, 20, "ACTOR")]) for i in range(articles)],
            annotator="lead",
        )
        sync.init(lead, url, member="lead")
    with psycopg.connect(url, autocommit=True) as conn:
        for member in sorted({n.split("@")[0] for n in names}):
            sync.add_member(conn, member, "annotator", f"pw-{member}")
            sync.save_password(url, member, f"pw-{member}")
    for name in names:
        member = name.split("@")[0]
        paths[name] = tmp_path / f"{name.replace('@', '-')}.sorot"
        with Store.open(paths[name]) as store:
            sync.join(store, member_url(url, member), member)
    return paths


def fork(work) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            work()
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    return pid


def wait_ok(pid: int) -> None:
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def final_sync(paths: dict[str, Path]) -> dict[str, dict]:
    dumps = {}
    for _ in range(2):
        for name, path in paths.items():
            with Store.open(path, wait=10) as store:
                sync.sync(store)
                dumps[name] = local.dump(store)
    return dumps


@pytest.fixture
def pgpass(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)


def test_fifty_kills_during_pushes_lose_and_duplicate_nothing(tmp_path, team_url, pgpass, monkeypatch):
    # Given alice's copy, pushing in batches of 3 changes so that kills land inside pushes
    monkeypatch.setattr(sync, "PUSH_BATCH", 3)
    paths = make_team(tmp_path, team_url, ["alice"])
    path = paths["alice"]

    def client() -> None:
        with Store.open(path, wait=10) as store:
            store.annotator = "alice"
            aid = min(store.article_ids())
            while True:
                store.add_spans(aid, [Span(0, 8, "ACTOR", note=uuid.uuid4().hex) for _ in range(4)])
                sync.sync(store)

    # When the client is killed at a random moment, fifty times, and started again each time
    rng = random.Random(13)
    for _ in range(50):
        pid = fork(client)
        time.sleep(rng.uniform(0.03, 0.25))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    # Then after one more sync the server has every span the copy has, each change once
    with Store.open(path, wait=10) as store:
        made = store.query("SELECT count(*) FROM spans WHERE annotator = 'alice'")[0][0]
        sync.sync(store)
        assert local.pending(store) == 0
        mine = local.dump(store)
        client_id = local.get_link(store).client_id
    with psycopg.connect(team_url, autocommit=True) as conn:
        # (the kills did land inside server transactions: the server rolled some back)
        cut = conn.execute("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()")
        rolled_back = cut.fetchone()[0]
        print(f"{rolled_back} server transactions cut off by the kills")
        assert rolled_back > 0
        assert sync.server_dump(conn) == mine
        assert conn.execute("SELECT count(*) FROM spans WHERE annotator = 'alice'").fetchone()[0] == made
        rows = conn.execute("SELECT client_seq FROM changes WHERE client_id = %s", (client_id,)).fetchall()
        assert len(rows) == len(set(rows)) == made  # one change per span: none twice, none lost
    assert made > 50


def test_server_stopped_during_work_then_everything_arrives(tmp_path, pgpass):
    from tests.team_server import TeamServer

    server = TeamServer()  # its own folder: pytest may prune old tmp_path folders of other sessions
    try:
        url = server.new_database()
        paths = make_team(tmp_path, url, ["alice", "bob"])
        with Store.open(paths["alice"]) as alice:
            alice.annotator = "alice"
            aid = min(alice.article_ids())
            alice.add_spans(aid, [Span(35, 42, "LOCATION")])
            sync.sync(alice)
            # When the server stops, alice keeps working: every edit is saved locally
            server.stop()
            for i in range(5):
                alice.add_spans(aid, [Span(0, 8, "ACTOR", note=f"offline {i}")])
            with pytest.raises(TeamOffline, match="cannot reach"):
                sync.sync(alice)
            assert local.pending(alice) == 5
            # and when it is back, everything arrives
            server.start()
            assert sync.sync(alice).pushed == 5
        dumps = final_sync(paths)
        assert dumps["alice"] == dumps["bob"] == dumps["lead"]
        assert len([s for s in dumps["bob"]["spans"] if s[9].startswith("offline")]) == 5
    finally:
        server.close()


def _edit_and_sync(path: Path, member: str, seed: int, rounds: int) -> None:
    """A client's work: random edits of its own spans and states on shared articles, a sync
    after each round (and now and then none, as with a flaky network)."""
    rng = random.Random(seed)
    with Store.open(path, wait=20) as store:
        store.annotator = member
        ids = sorted(store.article_ids())
        for _ in range(rounds):
            aid = rng.choice(ids)
            mine = [s for s in store.spans(aid) if s.annotator == member]
            roll = rng.random()
            if roll < 0.5 or not mine:
                start = rng.randrange(0, 30)
                store.add_spans(aid, [Span(start, start + rng.randrange(1, 10), rng.choice(["ACTOR", "LOCATION"]))])
            elif roll < 0.7:
                store.update_spans([(rng.choice(mine).id, {"note": f"{member} {rng.random():.4f}"})])
            elif roll < 0.85:
                store.delete_spans([rng.choice(mine).id])
            else:
                store.set_annotator_state(aid, member, rng.choice(["in_progress", "done", "skipped"]))
            if rng.random() < 0.8:
                for _attempt in range(5):
                    try:
                        sync.sync(store)
                        break
                    except TeamOffline:
                        time.sleep(0.1)


@pytest.mark.parametrize(
    "names",
    [["alice", "bob"], ["alice", "bob", "carol", "alice@laptop", "bob@laptop"]],
    ids=["2 clients", "5 clients"],
)
def test_clients_in_separate_processes_end_identical(tmp_path, team_url, pgpass, names):
    paths = make_team(tmp_path, team_url, names, articles=3)
    # When each client edits the same articles in its own process, syncing as it goes
    pids = [fork(functools.partial(_edit_and_sync, paths[n], n.split("@")[0], i, 25)) for i, n in enumerate(names)]
    for pid in pids:
        wait_ok(pid)
    # Then after a last sync everywhere, every copy is the server's, and no edit was lost
    dumps = final_sync(paths)
    with psycopg.connect(team_url, autocommit=True) as conn:
        server = sync.server_dump(conn)
        dup = conn.execute("SELECT count(*) - count(DISTINCT (client_id, client_seq)) FROM changes").fetchone()[0]
    assert dup == 0
    for name, dump in dumps.items():
        assert dump == server, name
    owners = {s[8] for s in server["spans"]}
    assert {n.split("@")[0] for n in names} <= owners
