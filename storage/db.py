"""The project's database core: opening and locking the one SQLite file, the one
public ``transaction()`` every write goes through (nested steps join it; listeners hear
after the commit), query helpers and the row shapes every other part shares.

One ``ProjectDb`` owns the one writer connection for its file; every method takes its
lock, so import workers and the desk may share it from different threads and SQLite still
sees a single writer. Each concern of the store (labels, articles, spans, import,
suggestions, history, documents) is a part built on this core's public methods only."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any, Self

from annotator.changes import Changes
from annotator.errors import StoreError
from annotator.fast_json import loads
from annotator.model import Article, Span
from storage.durable import WalSync
from storage.lean_sqlite_utils import Database
from storage.lock import ProjectLock
from storage.schema import migrations

SPAN_COLUMNS = (
    "id, article_id, char_start, char_end, label, text, origin, status, annotator, note, attrs, score, "
    "created_at, updated_at"
)
ARTICLE_COLUMNS = (
    "id, uid, hash, title, source, url, language, text, meta, status, status_reason, created_at, updated_at"
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def default_project_path() -> Path:
    """``SOROT_DB`` if set, else ``project.sorot`` in the user data dir."""
    env = os.environ.get("SOROT_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("sorot", appauthor=False)) / "project.sorot"


def default_annotator() -> str:
    import getpass

    try:
        return os.environ.get("SOROT_ANNOTATOR") or getpass.getuser() or "analyst"
    except Exception:  # getuser fails in some containers
        return "analyst"


def _json(value: str | None) -> dict[str, Any]:
    # orjson (fast_json.loads: the value json.loads gives): an imported Prodigy task's record
    # makes an article's meta ~1 KB, 50 µs by json, read for every article an export writes
    return loads(value) if value and value != "{}" else {}


def span_from_row(row: Sequence[Any]) -> Span:
    """A span from a row of ``SPAN_COLUMNS``."""
    sid, aid, start, end, label, text, origin, status, annotator, note, attrs, score, created, updated = row
    return Span(start=start, end=end, label=label, text=text, origin=origin, status=status, annotator=annotator,
                note=note, attrs=_json(attrs), score=score, id=sid, article_id=aid, created_at=created,
                updated_at=updated)  # fmt: skip


def article_from_row(row: Sequence[Any]) -> Article:
    """An article from a row of ``ARTICLE_COLUMNS``."""
    aid, uid, digest, title, source, url, language, text, meta, status, reason, created, updated = row
    return Article(id=aid, uid=uid, hash=digest, title=title, source=source, url=url, language=language,
                   text=text, meta=_json(meta), status=status, status_reason=reason, created_at=created,
                   updated_at=updated)  # fmt: skip


class ProjectDb:
    """ProjectDb of a project: see the module docstring."""

    def __init__(
        self,
        db: Database,
        path: Path | None,
        *,
        read_only: bool,
        lock: ProjectLock | None,
        sync_behind: bool = False,
    ) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self._lock = threading.RLock()
        self._read_lock = threading.Lock()
        self._read_conn: sqlite3.Connection | None = None
        self._closed = False
        self._project_lock = lock
        self.annotator: str = default_annotator()
        # Listeners get (action, article_id) after every committed write: the desk and
        # review screens refresh from this instead of polling.
        self._listeners: list = []
        self._depth = 0  # nesting of transaction() in the thread holding the lock
        self._heard: list[tuple] = []  # what this transaction's steps announced, for after the commit
        #: The writer's commits made durable off its thread (None: read-only or in memory).
        self.wal_sync: WalSync | None = WalSync(path) if sync_behind else None
        #: The writer's ``PRAGMA synchronous`` (see ``open``).
        self.synchronous = synchronous_for(sync_behind)
        #: Per-project caches of the query modules (e.g. the review table's plans), by name.
        self.caches: dict[str, Any] = {}

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        wait: float = 0.0,
        sync_behind: bool = True,
    ) -> Self:
        """Open (creating if needed) the project at ``path``.

        Raises ``ProjectLocked`` when another Sorot holds it for writing (after waiting
        up to ``wait`` seconds), ``StoreError`` when the file is not a Sorot project,
        is read-only, or cannot be created.
        """
        path = Path(path).expanduser() if path is not None else default_project_path()
        lock = None
        if read_only:
            if not path.exists():
                raise StoreError(f"{path}: no such project")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path}: cannot create the project folder: {exc.strerror}") from exc
            if path.exists() and not os.access(path, os.W_OK):
                raise StoreError(
                    f"{path}: the project file is read-only. Open it read-only, or copy it somewhere writable."
                )
            lock = ProjectLock(path)
            try:
                lock.acquire(wait)
            except OSError as exc:
                raise StoreError(f"{path}: cannot lock the project: {exc.strerror}") from exc
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=5.0)
        try:
            db = Database(conn)
            check_is_sqlite(db, path)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 5000")
            if not read_only:
                # A new project gets 16 KiB pages (an existing one keeps its own): article
                # texts need fewer overflow pages, and bulk imports run about 8% faster.
                db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                db.execute("PRAGMA journal_mode = WAL")
                # ``sync_behind`` (the desk): NORMAL, with the log's fsync after each commit on
                # a thread of its own (storage.durable), so the UI thread does not wait for the
                # disk and says "saved" after. Else (the command line) FULL: each commit is on
                # disk when it returns. Either way what is told saved survives a power cut.
                db.execute(f"PRAGMA synchronous = {synchronous_for(sync_behind)}")
                migrations.apply(db)
            elif migrations.pending(db):
                raise StoreError(f"{path}: this project needs an upgrade; open it once for writing first")
        except sqlite3.DatabaseError as exc:
            conn.close()
            if lock:
                lock.release()
            raise StoreError(f"{path}: not a Sorot project or not an SQLite database ({exc})") from exc
        except BaseException:
            conn.close()
            if lock:
                lock.release()
            raise
        return cls(db, path, read_only=read_only, lock=lock, sync_behind=sync_behind and not read_only)

    @classmethod
    def memory(cls) -> Self:
        """A throwaway in-memory project, for tests."""
        db = Database(sqlite3.connect(":memory:", check_same_thread=False))
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
        return cls(db, None, read_only=False, lock=None)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            try:
                if self.wal_sync is not None:
                    self.wal_sync.close()  # what is pending reaches the disk before the log goes
                with self._read_lock:  # the reader first: the writer's close, the last, checkpoints
                    if self._read_conn is not None:
                        self._read_conn.close()
                        self._read_conn = None
                self.db.close()
            finally:
                if self._project_lock:
                    self._project_lock.release()
                    self._project_lock = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def subscribe(self, listener) -> None:
        """``listener(action: str, article_id: int | None)`` after every committed write."""
        self._listeners.append(listener)

    def unsubscribe(self, listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of work: everything written inside commits together or not at all.

        Nested calls (a ``Batch`` of commands, each a write of its own) join the outermost
        one through savepoints. Listeners get one ``Changes`` for all of it, after the
        outermost commit, and nothing when it rolls back.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: this project is open read-only; the change was not saved")
        with self._lock:
            outer = self._depth == 0
            self._depth += 1
            try:
                with self.db.atomic():
                    yield self.db
            except sqlite3.OperationalError as exc:
                if outer:
                    self._heard.clear()
                raise StoreError(explain(exc, self.path)) from exc
            except sqlite3.IntegrityError as exc:
                if outer:
                    self._heard.clear()
                raise StoreError(f"{self.path}: refused by the database: {exc}") from exc
            except BaseException:
                if outer:
                    self._heard.clear()
                raise
            finally:
                self._depth -= 1
            heard, self._heard = (self._heard, []) if outer else ([], self._heard)
            if outer and self.wal_sync is not None:
                self.wal_sync.committed()
        if heard:
            changes = _summarise(heard, self.annotator)
            for listener in list(self._listeners):
                listener(changes)

    def announce(
        self,
        action: str,
        article_ids: Iterable[int] | int | None = None,
        span_ids: Iterable[int] = (),
        *,
        all_spans: bool = False,
    ) -> None:
        """Inside ``transaction()``: what this step changed, told to listeners once it commits.
        No ``article_ids`` means the change concerns the project as a whole."""
        if isinstance(article_ids, int):
            article_ids = (article_ids,)
        self._heard.append(
            (action, tuple(article_ids or ()), tuple(span_ids), all_spans or article_ids is None)
        )

    @contextmanager
    def write(
        self, action: str, article_ids: Iterable[int] | int | None = None, span_ids: Iterable[int] = ()
    ) -> Iterator[Database]:
        """A write inside ``transaction()``, announced as ``action`` on ``article_ids`` (None: the
        project) and ``span_ids``."""
        with self.transaction() as db:
            yield db
            self.announce(action, article_ids, span_ids)

    def event(
        self,
        action: str,
        *,
        article_id: int | None = None,
        span_id: int | None = None,
        before: Any = None,
        after: Any = None,
        ts: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) VALUES (?,?,?,?,?,?,?)",
            (
                ts or now(),
                self.annotator,
                action,
                article_id,
                span_id,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            ),
        )

    def events_many(self, action: str, items: Sequence[tuple[Span, Any, Any]], ts: str) -> None:
        """One ``action`` event per span, ``items`` being (span, before, after)."""
        self.db.conn.executemany(
            "INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) VALUES (?,?,?,?,?,?,?)",
            [
                (
                    ts,
                    self.annotator,
                    action,
                    sp.article_id,
                    sp.id,
                    None if before is None else json.dumps(before, ensure_ascii=False),
                    None if after is None else json.dumps(after, ensure_ascii=False),
                )  # fmt: skip
                for sp, before, after in items
            ],
        )

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.reading() as conn:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(explain(exc, self.path)) from exc

    def query_ids(self, sql: str, ids: Sequence[Any], params: Sequence[Any] = ()) -> Iterator[tuple]:
        """The rows of ``sql`` for many ``ids``, a chunk at a time (``chunks``): ``{ids}`` in
        ``sql`` stands for the chunk's ``?,?,…``, bound after ``params``."""
        for part in chunks(list(ids)):
            yield from self.query(sql.format(ids=",".join("?" * len(part))), (*params, *part))

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for a read. While another thread is inside a write (a long import,
        say), that is a second, read-only connection, which sees the last committed state at
        once instead of waiting for the write to end: the desk stays usable meanwhile."""
        if self._lock.acquire(blocking=False):  # free, or this thread's own write
            try:
                yield self.db.conn
            finally:
                self._lock.release()
            return
        reader = self._reader()
        if reader is None:
            with self._lock:
                yield self.db.conn
            return
        with self._read_lock:
            yield reader

    def _reader(self) -> sqlite3.Connection | None:
        """The read-only connection for reads during another thread's write (None: in memory)."""
        if self.path is None or self.read_only or self._closed:
            return None
        with self._read_lock:
            if self._read_conn is None:
                self._read_conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, check_same_thread=False
                )
                self._read_conn.execute("PRAGMA busy_timeout = 5000")
            return self._read_conn

    # Full-text indexes: kept by the store, not by triggers (see schema.py).

    def fts_spans_add(self, where: str, params: Sequence[Any]) -> None:
        self.db.execute(
            f"INSERT INTO spans_fts (rowid, text) SELECT id, text FROM spans WHERE {where}", params
        )

    def fts_spans_drop(self, where: str, params: Sequence[Any]) -> None:
        self.db.execute(
            f"INSERT INTO spans_fts (spans_fts, rowid, text) SELECT 'delete', id, text FROM spans WHERE {where}",
            params,
        )

    def integrity_check(self) -> str:
        return self.query("PRAGMA integrity_check")[0][0]


def check_is_sqlite(db: Database, path: Path | None) -> None:
    if path is None or not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise StoreError(f"{path}: this file is not a Sorot project (not an SQLite database)")
    tables = set(db.table_names())
    if tables and "articles" not in tables and "_sqlite_migrations" not in tables:
        raise StoreError(f"{path}: this SQLite database is not a Sorot project")


def explain(exc: sqlite3.OperationalError, path: Path | None) -> str:
    msg = str(exc)
    if "readonly" in msg:
        return f"{path}: the project cannot be written (read-only file or folder); your change was not saved"
    if "locked" in msg or "busy" in msg:
        return f"{path}: the project is busy in another program; try again"
    if "full" in msg:
        return f"{path}: the disk is full; your change was not saved"
    return f"{path}: {msg}"


PAGE_SIZE = 16384
#: The writer's sync level: the log's fsync after each commit is storage.durable's.
SYNCHRONOUS = "NORMAL"


def synchronous_for(sync_behind: bool) -> str:
    """The writer's ``PRAGMA synchronous``: NORMAL with the log synced behind (the desk),
    FULL else (see ``ProjectDb.open``)."""
    return SYNCHRONOUS if sync_behind else "FULL"


SPAN_INSERT = (
    "spans (id, article_id, char_start, char_end, label, text, origin, status, annotator, note, attrs, score, "
    "created_at, updated_at)"
)


def span_row(sp: Span, article_id: int, annotator: str | None, created: str | None, updated: str) -> tuple:
    """A span as a row of ``SPAN_INSERT``."""
    attrs = json.dumps(sp.attrs, ensure_ascii=False) if sp.attrs else "{}"
    return (sp.id, article_id, sp.start, sp.end, sp.label, sp.text, sp.origin, sp.status, annotator, sp.note, attrs,
            sp.score, created, updated)  # fmt: skip


INSERT_CHUNK = 1000


def insert_rows(cur: sqlite3.Cursor, into: str, rows: Sequence[tuple]) -> None:
    """Insert ``rows`` with multi-row ``INSERT ... VALUES (...), (...)`` statements.

    SQLite releases the GIL for a whole statement, not between the rows of an
    ``executemany``: many rows per statement let other Python threads run while they are
    written, and spare a round trip into Python per row.
    """
    if not rows:
        return
    width = len(rows[0])
    one = "(" + ",".join("?" * width) + ")"
    size = max(1, min(INSERT_CHUNK, cur.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    for first in range(0, len(rows), size):
        chunk = rows[first : first + size]
        cur.execute(
            f"INSERT INTO {into} VALUES " + ",".join([one] * len(chunk)), list(chain.from_iterable(chunk))
        )


def last_id(cur: sqlite3.Cursor | sqlite3.Connection, table: str) -> int:
    """The highest id ``table`` ever gave (its AUTOINCREMENT sequence), deleted rows included."""
    return cur.execute(
        f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
        f"coalesce((SELECT max(id) FROM {table}), 0))",
        (table,),
    ).fetchone()[0]


def chunks(ids: Sequence[Any], size: int = 500) -> Iterator[list[Any]]:
    """``ids`` in lists short enough for one ``IN (...)`` (SQLite limits bound parameters)."""
    for first in range(0, len(ids), size):
        yield list(ids[first : first + size])


def _summarise(heard: Sequence[tuple], annotator: str) -> Changes:
    """One ``Changes`` from the steps a transaction announced."""
    actions: set[str] = set()
    articles: set[int] = set()
    spans: set[int] = set()
    all_spans = project = False
    for action, article_ids, span_ids, whole in heard:
        actions.add(action)
        articles.update(article_ids)
        spans.update(span_ids)
        if not article_ids:
            project = True
        all_spans = all_spans or (whole and action not in NO_SPANS)
    return Changes(
        actions=frozenset(actions),
        article_ids=frozenset(articles),
        span_ids=frozenset(spans),
        all_spans=all_spans,
        relations=any(
            a.startswith("relation.") or a in ("import", "span.delete", "span.add") for a in actions
        ),
        project=project,
        labels=any(a.startswith("label") for a in actions),
        settings="settings" in actions,
        annotator=annotator,
    )


#: Writes that change no span (a project-wide one of these needs no re-read of spans).
NO_SPANS = frozenset({"settings", "article.status", "article.language", "article.state", "article.assign"})
