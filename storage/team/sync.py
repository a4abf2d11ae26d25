"""Init, join, push and pull between a local project and its team server (psycopg 3).

Push (exactly once): the outbox rows past what the server acknowledged, a batch at a time,
each batch one server transaction that writes the rows' current local state (upsert or
delete by global key), one ``changes`` row per key numbered by this client's outbox seq,
and ``client_progress.last_seq``. A batch cut off before the commit left nothing; one cut
off after it is recognised on retry (its numbers are at or below ``last_seq``) and skipped.
The server's ``last_seq`` is the truth: the local ``pushed`` mark only saves a round trip.

Pull: the ``changes`` past the local cursor, in chunks; for each key its current server row
is applied (or its absence: a delete), in one local transaction with capture silenced and
the cursor moved in the same commit. A key whose last change is this client's own is
skipped (the local row is that state); a key with a local change not yet sent is skipped
too (it will be sent and win: last writer wins, per row), with a notice.

Refused rows: a member's local change to a row that is not theirs (someone else's span, a
label for a non-lead) is not sent; the server's version is put back locally, with a notice.
The server would refuse it anyway (row-level security): the client only keeps one refused
row from blocking the rest of the queue.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from annotator.errors import TeamError, TeamOffline

try:
    import psycopg
    from psycopg import sql
except ImportError as exc:  # a desk installed without the team extra: one clear sentence
    raise TeamError(
        'team projects need psycopg 3, which this installation lacks: pip install -e ".[team]"'
    ) from exc

from storage.db import ProjectDb, chunks, insert_rows, now
from storage.team import local
from storage.team.local import Link, split_state_key
from storage.team.server_schema import GOLD, group_roles, migrate

NOTIFY_CHANNEL = "sorot_changes"
PUSH_LOCK = 8_675_309  # the advisory lock every push takes: change numbers commit in order
PUSH_BATCH = int(os.environ.get("SOROT_SYNC_BATCH", "2000"))
PULL_CHUNK = 20_000
MAX_NOTICES = 20  # per pulled chunk; the rest are counted in one more

#: Server columns per table; the first one (two for per-annotator rows) is the key.
COLUMNS: dict[str, tuple[str, ...]] = {
    "labels": ("name", "kind", "colour", "shortcut", "description", "maps_from", "position"),
    "settings": ("key", "value"),
    "articles": ("uid", "hash", "title", "source", "url", "language", "text", "meta", "created_at", "updated_at"),
    "spans": ("uid", "article_uid", "char_start", "char_end", "label", "text", "origin", "status", "annotator",
              "note", "attrs", "score", "created_at", "updated_at"),
    "relations": ("uid", "article_uid", "head_uid", "tail_uid", "label", "annotator", "created_at"),
    "article_states": ("article_uid", "annotator", "status", "reason", "updated_at"),
    "assignments": ("article_uid", "annotator", "assigned_by", "created_at"),
}  # fmt: skip
PAIR_KEYED = ("article_states", "assignments")
#: Tables whose rows belong to an annotator (``annotator`` column); the rest are the lead's.
OWNED = ("spans", "relations", "article_states")

#: The local rows of a table in server shape; ``{where}`` filters by key.
LOCAL_READ: dict[str, str] = {
    "labels": "SELECT name, kind, colour, shortcut, description, maps_from, position FROM labels WHERE name IN ({m})",
    "settings": "SELECT key, value FROM settings WHERE key IN ({m})",
    "articles": "SELECT uid, hash, title, source, url, language, text, meta, created_at, updated_at FROM articles "
                "WHERE uid IN ({m})",
    "spans": "SELECT s.uid, a.uid, s.char_start, s.char_end, s.label, s.text, s.origin, s.status, s.annotator, "
             "s.note, s.attrs, s.score, s.created_at, s.updated_at FROM spans s JOIN articles a ON a.id = s.article_id "
             "WHERE s.uid IN ({m}) AND s.status != 'suggested'",
    "relations": "SELECT r.uid, a.uid, h.uid, t.uid, r.label, r.annotator, r.created_at FROM relations r "
                 "JOIN articles a ON a.id = r.article_id JOIN spans h ON h.id = r.head_span_id "
                 "JOIN spans t ON t.id = r.tail_span_id WHERE r.uid IN ({m}) AND h.status != 'suggested' "
                 "AND t.status != 'suggested'",
    "article_states": "SELECT a.uid, s.annotator, s.status, s.reason, s.updated_at FROM article_states s "
                      "JOIN articles a ON a.id = s.article_id WHERE a.uid IN ({m})",
    "assignments": "SELECT a.uid, s.annotator, s.assigned_by, s.created_at FROM assignments s "
                   "JOIN articles a ON a.id = s.article_id WHERE a.uid IN ({m})",
}  # fmt: skip


def row_key(table: str, row: Sequence[Any]) -> str:
    return f"{row[0]}\t{row[1]}" if table in PAIR_KEYED else str(row[0])


# ---------------------------------------------------------------------------- connecting


def clean_url(url: str) -> str:
    """``url`` without a password: passwords live in libpq's password file, never in the project."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = (
        (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def url_user(url: str) -> str | None:
    user = urlsplit(url).username
    return unquote(user) if user else None


def connect(url: str, *, user: str | None = None, timeout: float = 5.0, password: str | None = None
            ) -> psycopg.Connection:  # fmt: skip
    """A connection (autocommit; transactions are explicit). The password comes from libpq:
    the password file (``~/.pgpass`` or ``PGPASSFILE``), ``PGPASSWORD``, or the URL; or
    ``password``, used for this connection only (the Join dialog's)."""
    kwargs: dict[str, Any] = {"connect_timeout": max(1, int(timeout)), "application_name": "sorot"}
    if password:
        kwargs["password"] = password
    if user and not url_user(url):
        kwargs["user"] = user
    try:
        return psycopg.connect(url, autocommit=True, **kwargs)
    except psycopg.OperationalError as exc:
        raise explain_connect(exc, clean_url(url), user or url_user(url)) from exc


def explain_connect(exc: Exception, url: str, user: str | None) -> TeamError:
    msg = str(exc)
    who = user or "you"
    if "password authentication failed" in msg or "no password supplied" in msg:
        return TeamError(
            f"the team server {url} refused the password of {who}. Put the right one in your libpq password "
            f"file (~/.pgpass, or the file PGPASSFILE names), a line host:port:database:{who}:password"
        )
    if "does not exist" in msg and "role" in msg:
        return TeamError(f"the team server {url} has no member {who}: ask the team lead to add you")
    if "does not exist" in msg and "database" in msg:
        return TeamError(f"the team server has no database {url}")
    if "pg_hba.conf" in msg or "not permitted" in msg:
        return TeamError(f"the team server {url} does not let {who} in from here: {msg.splitlines()[-1]}")
    return TeamOffline(
        f"cannot reach the team server {url}: {msg.strip().splitlines()[-1] if msg.strip() else msg}"
    )


def connect_link(link: Link, timeout: float = 5.0) -> psycopg.Connection:
    return connect(link.url, user=link.user, timeout=timeout)


def _refused(exc: psycopg.Error) -> TeamError:
    diag = getattr(exc, "diag", None)
    text = (diag.message_primary if diag and diag.message_primary else str(exc)).strip()
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return TeamOffline(f"the team server went away: {text}")
    return TeamError(f"the team server refused the change: {text}")


# ---------------------------------------------------------------------------- init and join


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        parts = ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in self.counts.items() if n)
        return f"{parts or 'nothing'} in {self.seconds:.1f} s"


def _local_tables(store: ProjectDb) -> set[str]:
    return {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


_UPLOAD: dict[str, str] = {
    "labels": "SELECT name, kind, colour, shortcut, description, maps_from, position FROM labels",
    "settings": "SELECT key, value FROM settings WHERE key NOT IN ({})".format(
        ",".join(f"'{k}'" for k in local.LOCAL_SETTINGS)
    ),
    "articles": "SELECT uid, hash, title, source, url, language, text, meta, created_at, updated_at FROM articles",
    "spans": LOCAL_READ["spans"].replace("s.uid IN ({m}) AND ", ""),
    "relations": LOCAL_READ["relations"].replace("r.uid IN ({m}) AND ", ""),
    "article_states": LOCAL_READ["article_states"].replace(" WHERE a.uid IN ({m})", ""),
    "assignments": LOCAL_READ["assignments"].replace(" WHERE a.uid IN ({m})", ""),
}


def init(store: ProjectDb, url: str, *, member: str | None = None, progress: Callable[[str], None] | None = None
         ) -> Report:  # fmt: skip
    """Upload ``store`` to the empty server database at ``url`` and link it: its caller is the
    team's first lead (the database role of the URL)."""
    if local.get_link(store):
        raise TeamError(f"{store.path}: this project is already linked to {local.get_link(store).url}")  # type: ignore[union-attr]
    started = time.perf_counter()
    member = member or store.annotator
    conn = connect(url)
    with conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        # A Sorot schema without members is an init cut off before its upload committed: go on.
        unfinished = "members" in tables and not conn.execute("SELECT 1 FROM members LIMIT 1").fetchone()
        if tables and not unfinished:
            raise TeamError(f"{clean_url(url)}: the database is not empty; team init needs an empty one "
                            "(to work with a team project that exists, use team join)")  # fmt: skip
        migrate(conn)
        db_user = conn.execute("SELECT current_user").fetchone()[0]
        with store.transaction() as db:  # every span and relation gets its global id first
            db.execute("UPDATE spans SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
            db.execute("UPDATE relations SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
        have = _local_tables(store)
        report = Report()
        client_id = uuid.uuid4().hex
        with conn.transaction(), conn.cursor() as cur:
            for table, select in _UPLOAD.items():
                if table not in have:
                    continue
                if progress:
                    progress(f"uploading {table}")
                cols = sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))
                n = 0
                with (
                    store.reading() as lconn,
                    cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), cols)) as copy,
                ):
                    for row in lconn.execute(select):
                        copy.write_row(row)
                        n += 1
                report.counts[table] = n
            cur.execute("INSERT INTO team (key, value) VALUES ('created_by', %s), ('created_at', %s)",
                        (member, now()))  # fmt: skip
            cur.execute(
                "INSERT INTO members (name, role, db_user) VALUES (%s, 'lead', %s)", (member, db_user)
            )
            cur.execute("INSERT INTO client_progress (client_id, last_seq) VALUES (%s, 0)", (client_id,))
        local.link(store, Link(clean_url(url), db_user, member, "lead", client_id), 0)
    store.annotator = member
    report.seconds = time.perf_counter() - started
    return report


def join(store: ProjectDb, url: str, member: str, *, progress: Callable[[str], None] | None = None,
         password: str | None = None) -> Report:  # fmt: skip
    """Fill the new, empty local project ``store`` with the team project at ``url``, as ``member``."""
    if local.get_link(store):
        raise TeamError(f"{store.path}: this project is already linked to a team server")
    if store.query("SELECT count(*) FROM articles")[0][0]:
        raise TeamError(f"{store.path}: this project holds articles already; join into a new file (--db)")
    started = time.perf_counter()
    conn = connect(url, user=member, password=password)
    with conn:
        if not conn.execute("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'members'"
                            ).fetchone():  # fmt: skip
            raise TeamError(f"{clean_url(url)}: not a Sorot team project (run team init first)")
        found = conn.execute("SELECT role, db_user FROM members WHERE name = %s", (member,)).fetchone()
        if not found:
            raise TeamError(f"{member} is not a member of the team project at {clean_url(url)}: "
                            f"ask the lead to run `team add-member {member}`")  # fmt: skip
        role = found[0]
        db_user = conn.execute("SELECT current_user").fetchone()[0]
        have = _local_tables(store)
        report = Report()
        # A new file, filled in one transaction: no journal meanwhile (``join_file`` builds it
        # beside its name and renames it once whole), WAL and full sync again after.
        store.db.execute("PRAGMA journal_mode = OFF")
        store.db.execute("PRAGMA synchronous = OFF")
        try:
            cursor = _copy_project(store, conn, have, report, progress)
        finally:
            store.db.execute("PRAGMA journal_mode = WAL")
            store.db.execute(f"PRAGMA synchronous = {store.synchronous}")
        client_id = uuid.uuid4().hex
        local.link(store, Link(clean_url(url), db_user, member, role, client_id), cursor)
    store.annotator = member
    report.seconds = time.perf_counter() - started
    return report


def join_file(url: str, member: str, path: Path, *, password: str | None = None,
              progress: Callable[[str], None] | None = None) -> Report:  # fmt: skip
    """``join`` into a new local project file at ``path``: built beside it (``<path>.joining``)
    and renamed onto ``path`` only once it is whole and linked, so a join that is cut off (a
    kill, a lost connection, a full disk) leaves no project that looks whole, and the next
    join simply starts again."""
    from storage.store import Store

    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        probe = Store.open(path)
        try:
            if probe.count_articles() > 0:
                raise TeamError(f"{path} holds a project already; join into a new file")
        finally:
            probe.close()
    building = path.with_name(path.name + ".joining")
    beside = [building.with_name(building.name + s) for s in ("-wal", "-shm", ".lock")]
    for leftover in (building, *beside):
        leftover.unlink(missing_ok=True)
    store = Store.open(building)
    try:
        report = join(store, url, member, password=password, progress=progress)
    except BaseException:
        store.close()
        for leftover in (building, *beside):
            leftover.unlink(missing_ok=True)
        raise
    store.close()
    os.replace(building, path)
    for leftover in beside:
        leftover.unlink(missing_ok=True)
    return report


def _copy_project(store: ProjectDb, conn: psycopg.Connection, have: set[str], report: Report,
                  progress: Callable[[str], None] | None) -> int:  # fmt: skip
    """Every table of the server into the empty local project, from one snapshot; the
    server's change number the snapshot holds (the pull cursor)."""
    with conn.transaction(), conn.cursor() as cur, store.transaction() as db:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor = cur.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        lcur = db.conn.cursor()
        lcur.execute("PRAGMA cache_size = -262144")  # 256 MB while the indexes are built
        dropped = _drop_indexes(lcur, "spans")
        article_ids: dict[str, int] = {}
        for table in local.TABLES:
            if table not in have:
                continue
            if progress:
                progress(f"copying {table}")
            if table == "labels":
                db.execute("DELETE FROM labels")
            if table == "spans":
                article_ids = dict(lcur.execute("SELECT uid, id FROM articles"))
            cols = sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))
            n = 0
            # A server-side cursor: rows come typed and in batches (faster than COPY's text here)
            with conn.cursor(name=f"join_{table}") as rows:
                rows.itersize = 20_000
                rows.execute(sql.SQL("SELECT {} FROM {}").format(cols, sql.Identifier(table)))
                while batch := rows.fetchmany(20_000):
                    _load(lcur, table, batch, article_ids)
                    n += len(batch)
            report.counts[table] = n
        for index_sql in dropped:
            lcur.execute(index_sql)
        _finish_load(lcur)
        lcur.execute("PRAGMA cache_size = -2000")
    return cursor


_STAGE = {
    "relations": "CREATE TEMP TABLE IF NOT EXISTS stage_relations (uid, article_uid, head_uid, tail_uid, label, "
                 "annotator, created_at)",
}  # fmt: skip


def _drop_indexes(cur: Any, table: str) -> list[str]:
    """Drop ``table``'s indexes for a bulk load into an empty table; their SQL, to make them
    again once it is filled (one sort per index instead of 2,000,000 inserts into each)."""
    found = cur.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    if cur.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
        return []
    for name, _sql in found:
        cur.execute(f'DROP INDEX "{name}"')
    return [index_sql for _name, index_sql in found]


def _load(cur: Any, table: str, rows: list[tuple], article_ids: dict[str, int]) -> None:
    """Bulk-load server rows into the local tables, during a join."""
    if not rows:
        return
    if table == "labels":
        insert_rows(cur, "labels (name, kind, colour, shortcut, description, maps_from, position)", rows)
    elif table == "settings":
        cur.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", rows)
    elif table == "articles":
        insert_rows(cur, "articles (uid, hash, title, source, url, language, text, meta, created_at, updated_at)",
                    rows)  # fmt: skip
    elif table == "spans":
        insert_rows(
            cur,
            "spans (uid, article_id, char_start, char_end, label, text, origin, status, annotator, note, attrs, "
            "score, created_at, updated_at)",
            [(r[0], article_ids[r[1]], *r[2:]) for r in rows if r[1] in article_ids],
        )
    elif table in _STAGE:
        cur.execute(_STAGE[table])
        insert_rows(cur, f"temp.stage_{table}", rows)
    elif table in PAIR_KEYED:
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS stage_{table} ({', '.join(COLUMNS[table])})")
        insert_rows(cur, f"temp.stage_{table}", rows)


def _finish_load(cur: Any) -> None:
    """Move the staged rows in, ids mapped by global keys; fill the full-text indexes."""
    temps = {r[0] for r in cur.execute("SELECT name FROM temp.sqlite_master WHERE type = 'table'")}
    cur.execute("INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles")
    cur.execute("INSERT INTO spans_fts (rowid, text) SELECT id, text FROM spans")
    if "stage_relations" in temps:
        cur.execute(
            "INSERT INTO relations (uid, article_id, head_span_id, tail_span_id, label, annotator, created_at) "
            "SELECT st.uid, a.id, h.id, t.id, st.label, st.annotator, st.created_at FROM temp.stage_relations st "
            "JOIN articles a ON a.uid = st.article_uid JOIN spans h ON h.uid = st.head_uid "
            "JOIN spans t ON t.uid = st.tail_uid"
        )
    if "stage_article_states" in temps:
        cur.execute(
            "INSERT OR REPLACE INTO article_states (article_id, annotator, status, reason, updated_at) "
            "SELECT a.id, st.annotator, st.status, st.reason, st.updated_at FROM temp.stage_article_states st "
            "JOIN articles a ON a.uid = st.article_uid"
        )
    if "stage_assignments" in temps:
        cur.execute(
            "INSERT OR REPLACE INTO assignments (article_id, annotator, assigned_by, created_at) "
            "SELECT a.id, st.annotator, st.assigned_by, st.created_at FROM temp.stage_assignments st "
            "JOIN articles a ON a.uid = st.article_uid"
        )
    for name in temps:
        if name.startswith("stage_"):
            cur.execute(f"DROP TABLE temp.{name}")


# ---------------------------------------------------------------------------- members


def password_file() -> Path:
    """libpq's password file: ``PGPASSFILE``, else ``~/.pgpass``."""
    return Path(os.environ.get("PGPASSFILE") or Path.home() / ".pgpass")


def save_password(url: str, user: str, password: str) -> Path:
    """Put ``user``'s password for ``url`` in libpq's password file (mode 0600), replacing
    the line it had: the one place a password is kept, never the project or the settings."""
    parts = urlsplit(url)
    path = password_file()

    def esc(v: str) -> str:
        return v.replace("\\", "\\\\").replace(":", "\\:")

    where = (parts.hostname or "localhost", str(parts.port or 5432), parts.path.lstrip("/") or "*", user)
    line = ":".join(esc(v) for v in where)
    kept = [
        x for x in (path.read_text().splitlines() if path.exists() else []) if not x.startswith(line + ":")
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text("\n".join([*kept, f"{line}:{esc(password)}"]) + "\n")
    return path


def add_member(conn: psycopg.Connection, name: str, role: str, password: str) -> None:
    """A LOGIN role ``name`` with ``password``, in the team's ``role`` group (the lead's connection)."""
    if role not in ("annotator", "reviewer", "lead"):
        raise TeamError(f"no role {role}: annotator, reviewer or lead")
    if name == GOLD:
        raise TeamError(f"{GOLD} is the adjudicated version, not a member")
    dbname = conn.execute("SELECT current_database()").fetchone()[0]
    groups = group_roles(dbname)
    try:
        with conn.transaction():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(
                sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(password)
                )
            )
            for other in groups.values():
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(name)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(groups[role]), sql.Identifier(name)))
            if role == "lead":  # a lead adds members too: makes logins, hands out the groups
                conn.execute(sql.SQL("ALTER ROLE {} CREATEROLE").format(sql.Identifier(name)))
                for group in groups.values():
                    conn.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
                        sql.Identifier(group), sql.Identifier(name)))  # fmt: skip
            conn.execute(
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(dbname), sql.Identifier(name)
                )
            )
            conn.execute(
                "INSERT INTO members (name, role, db_user) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role",
                (name, role, name),
            )
    except psycopg.Error as exc:
        raise _refused(exc) from exc


def members(conn: psycopg.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, role FROM members ORDER BY name").fetchall()


# ---------------------------------------------------------------------------- push


@dataclass
class SyncResult:
    pushed: int = 0  # rows sent
    pulled: int = 0  # rows applied from the server
    refused: int = 0  # local changes the member may not make, put back
    notices: list[str] = field(default_factory=list)
    pending: int = 0  # changes still to send


def may_write(link: Link, owner: str | None) -> bool:
    if link.role == "lead":
        return True
    return owner is not None and (owner == link.member or (owner == GOLD and link.role == "reviewer"))


def _read_local(store: ProjectDb, table: str, keys: Sequence[str]) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    if table in PAIR_KEYED:
        if table not in _local_tables(store):
            return out
        wanted = set(keys)
        article_uids = list({split_state_key(k)[0] for k in keys})
        for part in chunks(article_uids):
            for row in store.query(LOCAL_READ[table].format(m=",".join("?" * len(part))), part):
                if row_key(table, row) in wanted:
                    out[row_key(table, row)] = tuple(row)
        return out
    for part in chunks(list(keys)):
        for row in store.query(LOCAL_READ[table].format(m=",".join("?" * len(part))), part):
            out[row_key(table, row)] = tuple(row)
    return out


def _server_owners(cur: psycopg.Cursor, table: str, keys: Sequence[str]) -> dict[str, str | None]:
    if table in PAIR_KEYED:
        pairs = [split_state_key(k) for k in keys]
        rows = cur.execute(
            f"SELECT article_uid, annotator FROM {table} WHERE (article_uid, annotator) IN "
            "(SELECT * FROM unnest(%s::text[], %s::text[]))",
            ([p[0] for p in pairs], [p[1] for p in pairs]),
        ).fetchall()
        return {f"{a}\t{b}": b for a, b in rows}
    return dict(
        cur.execute(f"SELECT uid, annotator FROM {table} WHERE uid = ANY(%s)", (list(keys),)).fetchall()
    )


def _upsert_sql(table: str) -> sql.Composed:
    cols = COLUMNS[table]
    key = cols[:2] if table in PAIR_KEYED else cols[:1]
    rest = [c for c in cols if c not in key]
    return sql.SQL("INSERT INTO {t} ({c}) VALUES ({v}) ON CONFLICT ({k}) DO UPDATE SET {s}").format(
        t=sql.Identifier(table),
        c=sql.SQL(", ").join(map(sql.Identifier, cols)),
        v=sql.SQL(", ").join(sql.Placeholder() * len(cols)),
        k=sql.SQL(", ").join(map(sql.Identifier, key)),
        s=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in rest),
    )


def _delete(cur: psycopg.Cursor, table: str, keys: Sequence[str]) -> None:
    if not keys:
        return
    if table in PAIR_KEYED:
        pairs = [split_state_key(k) for k in keys]
        cur.execute(
            f"DELETE FROM {table} WHERE (article_uid, annotator) IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
            ([p[0] for p in pairs], [p[1] for p in pairs]),
        )
    elif table == "labels":
        cur.execute("DELETE FROM labels WHERE name = ANY(%s)", (list(keys),))
    elif table == "settings":
        cur.execute("DELETE FROM settings WHERE key = ANY(%s)", (list(keys),))
    else:
        if table == "articles":  # what hangs on the articles goes with them, as locally
            for dependent in ("relations", "spans", "article_states", "assignments"):
                cur.execute(f"DELETE FROM {dependent} WHERE article_uid = ANY(%s)", (list(keys),))
        cur.execute(f"DELETE FROM {table} WHERE uid = ANY(%s)", (list(keys),))


def push(store: ProjectDb, conn: psycopg.Connection, link: Link, result: SyncResult) -> dict[str, set[str]]:
    """Send every change in the outbox; the keys refused (to be put back from the server)."""
    refused: dict[str, set[str]] = defaultdict(set)
    server_done = conn.execute(
        "SELECT last_seq FROM client_progress WHERE client_id = %s", (link.client_id,)
    ).fetchone()
    acked = server_done[0] if server_done else 0
    _acknowledge(store, acked)
    while True:
        rows = store.query(
            "SELECT seq, tbl, key FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?", (acked, PUSH_BATCH)
        )
        if not rows:
            break
        last = rows[-1][0]
        latest: dict[tuple[str, str], int] = {}
        for seq, tbl, key in rows:
            if key is not None:
                latest[(tbl, key)] = seq
        span_uids = [k for (t, k) in latest if t == "spans"]
        if span_uids:
            _queue_relations_of_spans(store, link, span_uids, last)
        by_table: dict[str, list[str]] = defaultdict(list)
        for tbl, key in latest:
            by_table[tbl].append(key)
        state = {tbl: _read_local(store, tbl, keys) for tbl, keys in by_table.items()}
        try:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK,))
                done = cur.execute(
                    "SELECT last_seq FROM client_progress WHERE client_id = %s FOR UPDATE", (link.client_id,)
                ).fetchone()
                done_seq = done[0] if done else 0
                if done_seq < last:
                    sent = _write_batch(cur, link, by_table, state, latest, done_seq, refused)
                    cur.execute(
                        "INSERT INTO client_progress (client_id, last_seq) VALUES (%s, %s) ON CONFLICT (client_id) "
                        "DO UPDATE SET last_seq = EXCLUDED.last_seq, updated_at = now()",
                        (link.client_id, last),
                    )
                    cur.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, link.client_id))
                    result.pushed += sent
        except psycopg.Error as exc:
            raise _refused(exc) from exc
        acked = last
        _acknowledge(store, acked)
    return refused


def _queue_relations_of_spans(store: ProjectDb, link: Link, span_uids: Sequence[str], after: int) -> None:
    """A relation travels only when both its spans do (a suggestion stays local): when a span
    is sent (a suggestion accepted, say), the member's relations on it are queued after it,
    each as a change of its own number."""
    mine = "" if link.role == "lead" else " AND r.annotator = ?"
    with store.transaction() as db:
        for part in chunks(list(span_uids)):
            marks = ",".join("?" * len(part))
            db.execute(
                # from the sent spans to their relations, through the head and tail indexes
                # (an OR across two joined spans' uids walked every relation, per batch)
                "INSERT INTO outbox (tbl, key, op, at) SELECT DISTINCT 'relations', r.uid, 'put', ? FROM relations r "
                f"WHERE r.uid IS NOT NULL AND (r.head_span_id IN (SELECT id FROM spans WHERE uid IN ({marks})) "
                f"OR r.tail_span_id IN (SELECT id FROM spans WHERE uid IN ({marks}))){mine} AND NOT EXISTS "
                "(SELECT 1 FROM outbox o WHERE o.tbl = 'relations' AND o.key = r.uid AND o.seq > ?)",
                [now(), *part, *part, *([] if link.role == "lead" else [link.member]), after],
            )


def _write_batch(cur: psycopg.Cursor, link: Link, by_table: dict[str, list[str]], state: dict[str, dict[str, tuple]],
                 latest: dict[tuple[str, str], int], done_seq: int, refused: dict[str, set[str]]) -> int:  # fmt: skip
    """Inside the push transaction: the rows of one batch, puts in table order, deletes in reverse."""
    changes: list[tuple] = []
    puts: dict[str, list[tuple]] = {}
    deletes: dict[str, list[str]] = {}
    for table in local.TABLES:
        keys = [k for k in by_table.get(table, ()) if latest[(table, k)] > done_seq]
        if not keys:
            continue
        rows = state[table]
        if link.role != "lead":
            if table not in OWNED:
                refused[table].update(keys)
                continue
            owners = _server_owners(cur, table, keys)
            allowed = []
            for key in keys:
                new_owner = rows[key][COLUMNS[table].index("annotator")] if key in rows else None
                if (key in owners and not may_write(link, owners[key])) or (
                    key in rows and not may_write(link, new_owner)
                ):
                    refused[table].add(key)
                else:
                    allowed.append(key)
            keys = allowed
        puts[table] = [rows[k] for k in keys if k in rows]
        deletes[table] = [k for k in keys if k not in rows]
        changes += [(table, k, link.client_id, latest[(table, k)]) for k in keys]
    for table in reversed(local.TABLES):
        _delete(cur, table, deletes.get(table, []))
    for table in local.TABLES:
        if puts.get(table):
            cur.executemany(_upsert_sql(table), puts[table])
    if changes:
        cur.executemany(
            "INSERT INTO changes (tbl, key, client_id, client_seq) VALUES (%s, %s, %s, %s)", changes
        )
    return len(changes)


def _acknowledge(store: ProjectDb, acked: int) -> None:
    """The server has every change up to ``acked``: forget them locally."""
    if int(local.get_value(store, "pushed", "0") or 0) >= acked and not store.query(
        "SELECT 1 FROM outbox WHERE seq <= ? LIMIT 1", (acked,)
    ):
        return
    with store.transaction() as db:
        local.set_values(db, {"pushed": acked})
        db.execute("DELETE FROM outbox WHERE seq <= ?", (acked,))


# ---------------------------------------------------------------------------- pull


def _describe(table: str, key: str) -> str:
    if table == "spans":
        return f"span {key[:8]}"
    if table in PAIR_KEYED:
        article, annotator = split_state_key(key)
        return f"{table.replace('_', ' ')[:-1]} of {annotator} on article {article[:8]}"
    return f"{table[:-1]} {key}"


def pull(store: ProjectDb, conn: psycopg.Connection, link: Link, result: SyncResult,
         refresh: dict[str, set[str]] | None = None) -> None:  # fmt: skip
    """Apply the server's changes past the local cursor (and the ``refresh`` keys: put back)."""
    if refresh and any(refresh.values()):
        with store.transaction():
            told = 0
            for table, keys in refresh.items():
                for key in sorted(keys)[: max(0, MAX_NOTICES - told)]:
                    local.add_notice(store.db, f"your change to {_describe(table, key)} was not sent: it is not "
                                               f"yours to change ({link.member} is {link.role}); put back as on the server")  # fmt: skip
                    told += 1
                result.refused += len(keys)
            if result.refused > told:
                local.add_notice(
                    store.db, f"… and {result.refused - told:,} more changes not yours, put back"
                )
        _apply(store, conn, link, {t: set(k) for t, k in refresh.items()}, None, result)
    cursor = int(local.get_value(store, "cursor", "0") or 0)
    top = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
    names = dict(conn.execute("SELECT db_user, name FROM members").fetchall())
    while cursor < top:
        upper = min(top, cursor + PULL_CHUNK)
        rows = conn.execute(
            "SELECT tbl, key, seq, client_id, member FROM changes WHERE seq > %s AND seq <= %s ORDER BY seq",
            (cursor, upper),
        ).fetchall()
        history: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for tbl, key, _seq, client, member in rows:
            history[(tbl, key)].append((client, names.get(member, member)))
        pending = _pending_keys(store, history.keys())
        before = _last_writers(
            conn, cursor, [k for k, who in history.items() if who[-1][0] != link.client_id]
        )
        wanted: dict[str, set[str]] = defaultdict(set)
        notes: list[str] = []
        for (tbl, key), who in history.items():
            last_client, last_member = who[-1]
            mine = [c for c, _ in who if c == link.client_id]
            if last_client == link.client_id:
                if len(mine) < len(who) and (tbl not in OWNED or last_member == link.member):
                    notes.append(
                        f"{_describe(tbl, key)}: your change replaced one by {who[0][1]} (last writer wins)"
                    )
                continue
            if (tbl, key) in pending:
                notes.append(f"{_describe(tbl, key)} was changed by {last_member}; your change, not sent yet, "
                             "will replace it (last writer wins)")  # fmt: skip
                continue
            if mine or before.get((tbl, key)) == link.client_id:
                notes.append(f"{_describe(tbl, key)}: your change was replaced by {last_member}'s later one "
                             "(last writer wins)")  # fmt: skip
            wanted[tbl].add(key)
        if len(notes) > MAX_NOTICES:  # a lead's label rename may touch a million of your spans
            notes = [
                *notes[:MAX_NOTICES],
                f"… and {len(notes) - MAX_NOTICES:,} more rows changed the same way",
            ]
        _apply(store, conn, link, wanted, upper, result, notes)
        cursor = upper


def _last_writers(
    conn: psycopg.Connection, cursor: int, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Which client wrote each key last up to ``cursor``: a pulled change over a row this
    client wrote is a conflict to tell about."""
    if not keys or cursor == 0:
        return {}
    rows = conn.execute(
        "SELECT DISTINCT ON (c.tbl, c.key) c.tbl, c.key, c.client_id FROM changes c "
        "JOIN unnest(%s::text[], %s::text[]) AS k(tbl, key) ON c.tbl = k.tbl AND c.key = k.key "
        "WHERE c.seq <= %s ORDER BY c.tbl, c.key, c.seq DESC",
        ([t for t, _ in keys], [k for _, k in keys], cursor),
    ).fetchall()
    return {(t, k): client for t, k, client in rows}


def _pending_keys(store: ProjectDb, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    pushed = int(local.get_value(store, "pushed", "0") or 0)
    have = {(t, k) for t, k in store.query("SELECT DISTINCT tbl, key FROM outbox WHERE seq > ?", (pushed,))}
    return have & set(keys)


def _fetch(conn: psycopg.Connection, table: str, keys: Sequence[str]) -> list[tuple]:
    cols = sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))
    if table in PAIR_KEYED:
        pairs = [split_state_key(k) for k in keys]
        q = sql.SQL("SELECT {} FROM {} WHERE (article_uid, annotator) IN "
                    "(SELECT * FROM unnest(%s::text[], %s::text[]))").format(cols, sql.Identifier(table))  # fmt: skip
        return conn.execute(q, ([p[0] for p in pairs], [p[1] for p in pairs])).fetchall()
    key = COLUMNS[table][0]
    q = sql.SQL("SELECT {} FROM {} WHERE {} = ANY(%s)").format(
        cols, sql.Identifier(table), sql.Identifier(key)
    )
    return conn.execute(q, (list(keys),)).fetchall()


def _apply(store: ProjectDb, conn: psycopg.Connection, link: Link, wanted: dict[str, set[str]], cursor: int | None,
           result: SyncResult, notes: Sequence[str] = ()) -> None:  # fmt: skip
    """Make the local rows of ``wanted`` what the server holds, in one local transaction that
    also moves the cursor; capture is off meanwhile, so nothing pulled is sent back."""
    have = _local_tables(store)
    fetched = {t: _fetch(conn, t, sorted(keys)) for t, keys in wanted.items() if keys and t in have}
    # Articles a pulled row hangs on, which this copy lacks (a lead's import since the join).
    needed = {r[1] for t in ("spans", "relations", "article_states", "assignments") for r in fetched.get(t, [])
              if t in ("spans", "relations")} | {r[0] for t in PAIR_KEYED for r in fetched.get(t, [])}  # fmt: skip
    if needed:
        known = set()
        for part in chunks(list(needed)):
            known |= {
                r[0]
                for r in store.query(
                    f"SELECT uid FROM articles WHERE uid IN ({','.join('?' * len(part))})", part
                )
            }
        missing = needed - known - {row_key("articles", r) for r in fetched.get("articles", [])}
        if missing:
            fetched.setdefault("articles", []).extend(_fetch(conn, "articles", sorted(missing)))
    with store.transaction() as db:
        db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1")
        try:
            applied = _apply_local(store, db.conn, wanted, fetched)
            for note in notes:
                local.add_notice(db, note)
            if cursor is not None:
                local.set_values(db, {"cursor": cursor})
        finally:
            db.execute("UPDATE sync_state SET applying = 0 WHERE id = 1")
        result.pulled += applied
        result.notices.extend(notes)


def _ids(c: Any, table: str, column: str, values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in chunks(list(values)):
        out.update(
            c.execute(
                f"SELECT {column}, id FROM {table} WHERE {column} IN ({','.join('?' * len(part))})", part
            )
        )
    return out


def _apply_local(
    store: ProjectDb, c: Any, wanted: dict[str, set[str]], fetched: dict[str, list[tuple]]
) -> int:
    applied = 0
    touched_articles: set[int] = set()
    touched_spans: set[int] = set()
    ts = now()
    gone = {t: wanted.get(t, set()) - {row_key(t, r) for r in fetched.get(t, [])} for t in wanted}
    # deletes, dependents first
    for key in gone.get("relations", ()):
        row = c.execute("SELECT id, article_id FROM relations WHERE uid = ?", (key,)).fetchone()
        if row:
            c.execute("DELETE FROM relations WHERE id = ?", (row[0],))
            touched_articles.add(row[1])
            applied += 1
    for key in gone.get("spans", ()):
        row = c.execute("SELECT id, article_id FROM spans WHERE uid = ?", (key,)).fetchone()
        if row:
            store.fts_spans_drop("id = ?", (row[0],))
            c.execute("DELETE FROM spans WHERE id = ?", (row[0],))
            c.execute("INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) "
                      "VALUES (?, ?, 'sync.span', ?, ?, ?, NULL)", (ts, store.annotator, row[1], row[0],
                                                                   json.dumps({"uid": key})))  # fmt: skip
            touched_articles.add(row[1])
            touched_spans.add(row[0])
            applied += 1
    for table in PAIR_KEYED:
        for key in gone.get(table, ()):
            article_uid, annotator = split_state_key(key)
            cur = c.execute(f"DELETE FROM {table} WHERE annotator = ? AND article_id = (SELECT id FROM articles "
                            "WHERE uid = ?)", (annotator, article_uid))  # fmt: skip
            applied += cur.rowcount
    for key in gone.get("articles", ()):
        row = c.execute("SELECT id FROM articles WHERE uid = ?", (key,)).fetchone()
        if row:
            store.fts_spans_drop("article_id = ?", (row[0],))
            c.execute("INSERT INTO articles_fts (articles_fts, rowid, title, text) SELECT 'delete', id, title, text "
                      "FROM articles WHERE id = ?", (row[0],))  # fmt: skip
            c.execute("DELETE FROM articles WHERE id = ?", (row[0],))
            applied += 1
    if gone.get("labels"):
        c.executemany("DELETE FROM labels WHERE name = ?", [(k,) for k in gone["labels"]])
        applied += len(gone["labels"])
    if gone.get("settings"):
        c.executemany("DELETE FROM settings WHERE key = ?", [(k,) for k in gone["settings"]])
        applied += len(gone["settings"])
    # puts, in table order
    labels = fetched.get("labels", [])
    c.executemany("INSERT OR REPLACE INTO labels (name, kind, colour, shortcut, description, maps_from, position) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)", labels)  # fmt: skip
    settings = fetched.get("settings", [])
    c.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", settings)
    applied += len(labels) + len(settings)
    for row in fetched.get("articles", []):
        found = c.execute("SELECT id FROM articles WHERE uid = ?", (row[0],)).fetchone()
        if found:
            c.execute("INSERT INTO articles_fts (articles_fts, rowid, title, text) SELECT 'delete', id, title, text "
                      "FROM articles WHERE id = ?", (found[0],))  # fmt: skip
            c.execute("UPDATE articles SET hash = ?, title = ?, source = ?, url = ?, language = ?, text = ?, meta = ?, "
                      "created_at = ?, updated_at = ? WHERE id = ?", (*row[1:], found[0]))  # fmt: skip
            article_id = found[0]
        else:
            article_id = c.execute(
                "INSERT INTO articles (uid, hash, title, source, url, language, text, meta, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row).lastrowid  # fmt: skip
        c.execute("INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id = ?",
                  (article_id,))  # fmt: skip
        touched_articles.add(article_id)
        applied += 1
    spans = fetched.get("spans", [])
    if spans:
        article_ids = _ids(c, "articles", "uid", {r[1] for r in spans})
        span_ids = _ids(c, "spans", "uid", {r[0] for r in spans})
        for row in spans:
            uid, article_uid, *rest = row
            article_id = article_ids.get(article_uid)
            if article_id is None:
                continue
            values = (article_id, *rest)
            if uid in span_ids:
                store.fts_spans_drop("id = ?", (span_ids[uid],))
                c.execute("UPDATE spans SET article_id = ?, char_start = ?, char_end = ?, label = ?, text = ?, origin = ?, "
                          "status = ?, annotator = ?, note = ?, attrs = ?, score = ?, created_at = ?, updated_at = ? "
                          "WHERE id = ?", (*values, span_ids[uid]))  # fmt: skip
                span_id = span_ids[uid]
            else:
                span_id = c.execute(
                    "INSERT INTO spans (uid, article_id, char_start, char_end, label, text, origin, status, annotator, "
                    "note, attrs, score, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (uid, *values)).lastrowid  # fmt: skip
            store.fts_spans_add("id = ?", (span_id,))
            c.execute("INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) "
                      "VALUES (?, ?, 'sync.span', ?, ?, NULL, ?)",
                      (ts, store.annotator, article_id, span_id, json.dumps({"uid": uid, "by": row[8]})))  # fmt: skip
            touched_articles.add(article_id)
            touched_spans.add(span_id)
            applied += 1
    relations = fetched.get("relations", [])
    if relations:
        article_ids = _ids(c, "articles", "uid", {r[1] for r in relations})
        span_ids = _ids(c, "spans", "uid", {u for r in relations for u in (r[2], r[3])})
        for uid, article_uid, head, tail, label, annotator, created in relations:
            if article_uid not in article_ids or head not in span_ids or tail not in span_ids:
                continue
            c.execute("DELETE FROM relations WHERE uid = ?", (uid,))
            c.execute("INSERT INTO relations (uid, article_id, head_span_id, tail_span_id, label, annotator, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)", (uid, article_ids[article_uid], span_ids[head], span_ids[tail],
                                                       label, annotator, created))  # fmt: skip
            touched_articles.add(article_ids[article_uid])
            applied += 1
    state_articles: set[int] = set()
    changed_by: dict[int, str] = {}
    for table in PAIR_KEYED:
        rows = fetched.get(table, [])
        if not rows:
            continue
        article_ids = _ids(c, "articles", "uid", {r[0] for r in rows})
        marks = ",".join("?" * len(COLUMNS[table]))
        kept = [(article_ids[row[0]], *row[1:]) for row in rows if row[0] in article_ids]
        c.executemany(f"INSERT OR REPLACE INTO {table} (article_id, {', '.join(COLUMNS[table][1:])}) VALUES ({marks})",
                      kept)  # fmt: skip
        state_articles.update(row[0] for row in kept)
        if table == "article_states":
            changed_by.update((row[0], row[1]) for row in kept)  # the last state of an article counts
        applied += len(kept)
    for article_id, who in changed_by.items():
        _derive_overall(c, article_id, who)
    if wanted.get("labels"):
        store.announce("label")
    if wanted.get("settings"):
        store.announce("settings")
    if wanted.get("articles") or fetched.get("articles"):
        store.announce("import", sorted(touched_articles))
    if touched_spans or touched_articles:
        store.announce("sync.pull", sorted(touched_articles), sorted(touched_spans))
    if relations or gone.get("relations"):
        store.announce("relation.sync", sorted(touched_articles))
    if state_articles:
        store.announce("article.status", sorted(state_articles))
    return applied


def _derive_overall(c: Any, article_id: int, who: str) -> None:
    """The article's overall status follows the pulled per-annotator state, as a local edit's would."""
    from annotator.model import derived_status  # with the per-annotator states (m006)

    row = c.execute("SELECT status, status_reason FROM articles WHERE id = ?", (article_id,)).fetchone()
    states = {w: (s, r) for w, s, r in c.execute(
        "SELECT annotator, status, reason FROM article_states WHERE article_id = ?", (article_id,))}  # fmt: skip
    assigned = {
        r[0] for r in c.execute("SELECT annotator FROM assignments WHERE article_id = ?", (article_id,))
    }
    if row is None or (who not in states and not assigned):
        return
    target = derived_status((row[0], row[1]), states, assigned, who)
    if target != (row[0], row[1]):
        c.execute("UPDATE articles SET status = ?, status_reason = ? WHERE id = ?", (*target, article_id))


# ---------------------------------------------------------------------------- one sync


def sync(store: ProjectDb, conn: psycopg.Connection | None = None, *, link: Link | None = None) -> SyncResult:
    """Push, then pull. Raises ``TeamOffline`` when the server cannot be reached (nothing is
    lost: the outbox keeps every change), ``TeamError`` when it refuses."""
    link = link or local.get_link(store)
    if link is None:
        raise TeamError(f"{store.path}: this project is not linked to a team server (team init or team join)")
    if local.missing_triggers(store):
        with store.transaction() as db:
            local.install_capture(db)
    own = conn is None
    if conn is None:
        conn = connect_link(link)
    result = SyncResult()
    try:
        refused = push(store, conn, link, result)
        pull(store, conn, link, result, refused)
    except psycopg.Error as exc:
        raise _refused(exc) from exc
    finally:
        if own:
            conn.close()
    result.pending = local.pending(store)
    with store.transaction() as db:
        local.set_values(db, {"synced_at": now()})
    return result


def server_dump(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    """The server's copy in the shape of ``local.dump`` (for comparing copies)."""

    def q(s: str) -> list[tuple]:
        return local.canonical(conn.execute(s).fetchall())

    return {
        "articles": q("SELECT uid, hash, title, source, url, language, text, meta FROM articles ORDER BY uid"),
        "spans": q("SELECT uid, article_uid, char_start, char_end, label, text, origin, status, annotator, note, "
                   "attrs, score FROM spans ORDER BY uid"),
        "relations": q("SELECT uid, article_uid, head_uid, tail_uid, label, annotator FROM relations ORDER BY uid"),
        "labels": q("SELECT name, kind, colour, shortcut, description, maps_from, position FROM labels ORDER BY name"),
        "settings": q("SELECT key, value FROM settings ORDER BY key"),
        "article_states": q("SELECT article_uid, annotator, status, reason FROM article_states ORDER BY 1, 2"),
        "assignments": q("SELECT article_uid, annotator, assigned_by FROM assignments ORDER BY 1, 2"),
    }  # fmt: skip
