"""The project store: the one narrow interface the rest of Sorot talks to.

A project is one SQLite file. One ``Store`` owns the one writer connection for that
file; every method takes the store's lock, so import workers and the desk may share
it from different threads and SQLite still sees a single writer. Every write goes
through ``_write()``: one transaction that also appends to the ``events`` table.

A team server (PostgreSQL) would be a second class with the same public methods.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.errors import SpanError, SpanGone, StoreError
from annotator.model import (
    ARTICLE_STATUSES,
    HUMAN,
    Article,
    Document,
    Label,
    Relation,
    Span,
    span_from_record,
    span_record,
)
from storage.lock import ProjectLock
from storage.schema import ANY_SPAN_STATUS, migrations

SPAN_COLUMNS = (
    "id, article_id, char_start, char_end, label, text, origin, status, annotator, note, attrs, score, "
    "created_at, updated_at"
)
ARTICLE_COLUMNS = (
    "id, uid, hash, title, source, url, language, text, meta, status, status_reason, created_at, updated_at"
)
ARTICLE_SORT = {
    "id": "a.id",
    "title": "a.title COLLATE NOCASE",
    "status": "a.status",
    "language": "a.language",
    "updated": "a.updated_at",
}
SPAN_FIELDS = (
    "char_start",
    "char_end",
    "label",
    "text",
    "origin",
    "status",
    "annotator",
    "note",
    "attrs",
    "score",
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


def span_from_row(row: Sequence[Any]) -> Span:
    return Span(
        id=row[0],
        article_id=row[1],
        start=row[2],
        end=row[3],
        label=row[4],
        text=row[5],
        origin=row[6],
        status=row[7],
        annotator=row[8],
        note=row[9],
        attrs=json.loads(row[10]) if row[10] and row[10] != "{}" else {},
        score=row[11],
        created_at=row[12],
        updated_at=row[13],
    )


def article_from_row(row: Sequence[Any]) -> Article:
    return Article(
        id=row[0],
        uid=row[1],
        hash=row[2],
        title=row[3],
        source=row[4],
        url=row[5],
        language=row[6],
        text=row[7],
        meta=json.loads(row[8]) if row[8] and row[8] != "{}" else {},
        status=row[9],
        status_reason=row[10],
        created_at=row[11],
        updated_at=row[12],
    )


@dataclass
class ImportReport:
    articles_added: int = 0
    articles_merged: int = 0
    spans_added: int = 0
    spans_skipped: int = 0
    article_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles (and which of their spans) an export, list or count looks at."""

    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    span_statuses: tuple[str, ...] = ("accepted",)
    article_ids: tuple[int, ...] = ()
    search: str = ""


class Store:
    """A Sorot project. Open with ``Store.open(path)``; close when done."""

    def __init__(self, db: Database, path: Path | None, *, read_only: bool, lock: ProjectLock | None) -> None:
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
        self._heard: list[tuple[str, int | None]] = []  # writes to announce after the commit

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = False, wait: float = 0.0) -> Store:
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
            _check_is_sqlite(db, path)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 5000")
            if not read_only:
                # A new project gets 16 KiB pages (an existing one keeps its own): article
                # texts need fewer overflow pages, and bulk imports run about 8% faster.
                db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                db.execute("PRAGMA journal_mode = WAL")
                # FULL: an edit the desk shows as saved survives even a power cut.
                db.execute("PRAGMA synchronous = FULL")
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
        return cls(db, path, read_only=read_only, lock=lock)

    @classmethod
    def memory(cls) -> Store:
        """A throwaway in-memory project, for tests."""
        db = Database(sqlite3.connect(":memory:", check_same_thread=False))
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
        return cls(db, None, read_only=False, lock=None)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            try:
                self.db.close()
                with self._read_lock:
                    if self._read_conn is not None:
                        self._read_conn.close()
                        self._read_conn = None
            finally:
                if self._project_lock:
                    self._project_lock.release()
                    self._project_lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def subscribe(self, listener) -> None:
        """``listener(action: str, article_id: int | None)`` after every committed write."""
        self._listeners.append(listener)

    def unsubscribe(self, listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # -- the one path for writes -----------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of work: everything written inside commits together or not at all.

        Nested calls (a ``Batch`` of commands, each a write of its own) join the outermost
        one through savepoints. Listeners hear about the writes once, after the outermost
        commit, and not at all when it rolls back.
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
                raise StoreError(_explain(exc, self.path)) from exc
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
        for action, article_id in dict.fromkeys(heard):
            for listener in list(self._listeners):
                listener(action, article_id)

    @contextmanager
    def _write(self, action: str, article_id: int | None = None) -> Iterator[Database]:
        """A write inside ``transaction()``, announced to listeners as ``(action, article_id)``."""
        with self.transaction() as db:
            yield db
            self._heard.append((action, article_id))

    def _event(
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

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.reading() as conn:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(_explain(exc, self.path)) from exc

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
    def _fts_spans_add(self, where: str, params: Sequence[Any]) -> None:
        self.db.execute(
            f"INSERT INTO spans_fts (rowid, text) SELECT id, text FROM spans WHERE {where}", params
        )

    def _fts_spans_drop(self, where: str, params: Sequence[Any]) -> None:
        self.db.execute(
            f"INSERT INTO spans_fts (spans_fts, rowid, text) SELECT 'delete', id, text FROM spans WHERE {where}",
            params,
        )

    # -- settings ---------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._q("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        with self._write("settings"):
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
            self._event("settings.set", after={key: value})

    # -- labels -----------------------------------------------------------------------------

    def labels(self) -> list[Label]:
        rows = self._q(
            "SELECT name, kind, colour, shortcut, description, maps_from FROM labels ORDER BY position, name"
        )
        return [Label(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def label(self, name: str) -> Label | None:
        return next((lab for lab in self.labels() if lab.name == name), None)

    def save_label(self, label: Label, *, rename_from: str | None = None) -> None:
        """Add or change a label. Renaming relabels every span that carried the old name."""
        old = self.label(rename_from or label.name)
        with self._write("label"):
            if rename_from and rename_from != label.name:
                if self.label(label.name):
                    raise StoreError(f"a label named {label.name} already exists")
                self.db.execute("UPDATE labels SET name = ? WHERE name = ?", (label.name, rename_from))
                self.db.execute(
                    f"UPDATE spans SET label = ? WHERE {ANY_SPAN_STATUS} AND label = ?",
                    (label.name, rename_from),
                )
            self._insert_label(label, old)

    def _insert_label(self, label: Label, old: Label | None) -> None:
        """Insert or update ``label`` inside the caller's transaction."""
        position = self.db.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
        self.db.execute(
            "INSERT INTO labels (name, kind, colour, shortcut, description, maps_from, position) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET kind=excluded.kind, "
            "colour=excluded.colour, shortcut=excluded.shortcut, description=excluded.description, "
            "maps_from=excluded.maps_from",
            (
                label.name,
                label.kind,
                label.colour,
                label.shortcut,
                label.description,
                json.dumps(label.maps_from),
                position,
            ),
        )
        self._event("label.save", before=None if old is None else _label_dict(old), after=_label_dict(label))

    def _add_labels(self, names: Iterable[str], kinds: dict[str, str] | None) -> list[str]:
        """Create the labels among ``names`` the project lacks, inside the caller's transaction."""
        known = {name for (name,) in self.db.execute("SELECT name FROM labels")}
        added = []
        for name in sorted(set(names) - known):
            try:
                label = Label(name, (kinds or {}).get(name, "entity"), PALETTE[len(known) % len(PALETTE)])
            except ValueError as exc:
                raise StoreError(str(exc)) from exc
            known.add(name)
            self._insert_label(label, None)
            added.append(name)
        return added

    def delete_label(self, name: str) -> None:
        used = self._q(f"SELECT count(*) FROM spans WHERE {ANY_SPAN_STATUS} AND label = ?", (name,))[0][0]
        if used:
            raise StoreError(f"label {name} is used by {used} spans; relabel or delete them first")
        old = self.label(name)
        with self._write("label"):
            self.db.execute("DELETE FROM labels WHERE name = ?", (name,))
            self._event("label.delete", before=None if old is None else _label_dict(old))

    def ensure_labels(self, names: Iterable[str], *, kinds: dict[str, str] | None = None) -> None:
        """Create labels met in imported data with a colour from a fixed palette."""
        names = set(names)
        if names - {lab.name for lab in self.labels()}:
            with self._write("label"):
                self._add_labels(names, kinds)

    def label_map(self) -> dict[str, str]:
        """spaCy label -> project label, from every label's ``maps_from``."""
        out: dict[str, str] = {}
        labels = self.labels()
        for lab in labels:
            # A pipeline trained on this project predicts the project's own labels.
            out[lab.name] = lab.name
        for lab in labels:
            for src in lab.maps_from:
                out.setdefault(src, lab.name)
        return out

    # -- articles ---------------------------------------------------------------------------

    def import_documents(
        self,
        docs: Sequence[Document],
        *,
        annotator: str | None = None,
        source: str = "",
        rows_ready: Callable[[], None] | None = None,
    ) -> ImportReport:
        """Store one file's documents, all or nothing.

        An article already in the project (same text) is not duplicated: its new spans
        are merged in, each keeping the annotator that made it.

        ``rows_ready`` is called once the rows are built, before the statements that insert,
        index and commit them. Those are few, each writing many rows, and SQLite runs them
        without Python's GIL: a caller that runs this in a thread can parse its next file
        meanwhile.
        """
        return self.import_batches([docs], annotator=annotator, source=source, rows_ready=rows_ready)

    def import_batches(
        self,
        batches: Iterable[Sequence[Document]],
        *,
        annotator: str | None = None,
        source: str = "",
        rows_ready: Callable[[], None] | None = None,
        add_labels: bool = False,
        label_kinds: dict[str, str] | None = None,
    ) -> ImportReport:
        """``import_documents`` for a file read a batch at a time: one transaction for all
        the batches, so that an error in any of them (raised by ``batches`` itself too)
        stores none. ``rows_ready`` is called once per batch; with ``add_labels``, labels the
        project lacks are created in the same transaction (``label_kinds``: name -> kind).
        """
        report = ImportReport()
        ts = now()
        event_annotator = self.annotator
        added_labels: list[str] = []
        with self._write("import"):
            cur = self.db.conn.cursor()
            # One statement per table for the whole batch, with ids chosen here (past every id
            # ever given, what AUTOINCREMENT would pick): per-article statements cost more than the rows.
            # The full-text rows go in last, one INSERT ... SELECT per table: FTS5 flushes its
            # pending index data at every multi-row statement, so one per article would write
            # (and later merge) a tiny index segment per article, many times slower.
            articles_before = _last_id(cur, "articles")
            spans_before = _last_id(cur, "spans")
            next_article, next_span = articles_before + 1, spans_before + 1
            for docs in batches:
                # What the project already holds is looked up per batch (earlier batches of
                # this transaction included), so memory stays flat however long the file.
                known: dict[str, int] = {}
                taken: set[str] = set()
                have_of: dict[int, set] = {}
                for doc in docs:
                    doc.validate(source)
                if add_labels:
                    added_labels += self._add_labels(
                        {sp.label for doc in docs for sp in doc.spans}, label_kinds
                    )
                for part in _chunks([doc.article.hash for doc in docs]):
                    marks = ",".join("?" * len(part))
                    known.update(cur.execute(f"SELECT hash, id FROM articles WHERE hash IN ({marks})", part))
                for part in _chunks([doc.article.uid for doc in docs]):
                    marks = ",".join("?" * len(part))
                    taken.update(
                        uid
                        for (uid,) in cur.execute(f"SELECT uid FROM articles WHERE uid IN ({marks})", part)
                    )
                art_rows: list[tuple] = []
                span_rows: list[tuple] = []
                rel_rows: list[tuple] = []
                event_rows: list[tuple] = []
                for doc in docs:
                    art = doc.article
                    article_id = known.get(art.hash)
                    merged = article_id is not None
                    if merged:
                        report.articles_merged += 1
                        have = have_of.get(article_id)
                        if have is None:
                            have = have_of[article_id] = {
                                (s, e, lab, ann)
                                for s, e, lab, ann in cur.execute(
                                    "SELECT char_start, char_end, label, coalesce(annotator, '') FROM spans "
                                    "WHERE article_id = ?",
                                    (article_id,),
                                )
                            }
                    else:
                        article_id = next_article
                        next_article += 1
                        uid = art.uid
                        if uid in taken:
                            uid = f"{uid}-{art.hash[:8]}"
                        taken.add(uid)
                        art_rows.append(
                            (
                                article_id,
                                uid,
                                art.hash,
                                art.title,
                                art.source,
                                art.url,
                                art.language,
                                art.text,
                                json.dumps(art.meta, ensure_ascii=False) if art.meta else "{}",
                                art.status,
                                art.status_reason,
                                art.created_at or ts,
                                art.updated_at or ts,
                            )
                        )
                        known[art.hash] = article_id
                        have = have_of[article_id] = set()
                        report.articles_added += 1
                    art.id = article_id
                    report.article_ids.append(article_id)
                    added = 0
                    stored: dict[int, int] = {}  # span index -> id given by this call
                    for i, sp in enumerate(doc.spans):
                        ann = (
                            sp.annotator
                            if sp.annotator is not None
                            else (annotator if sp.origin == HUMAN else None)
                        )
                        sp.annotator = ann
                        k = (sp.start, sp.end, sp.label, ann or "")
                        if k in have:
                            report.spans_skipped += 1
                            continue
                        have.add(k)
                        sp.id, sp.article_id = next_span, article_id
                        stored[i] = next_span
                        next_span += 1
                        added += 1
                        span_rows.append(
                            _span_row(sp, article_id, ann, sp.created_at or ts, sp.updated_at or ts)
                        )
                    n_rels = 0
                    for rel in doc.relations:
                        head, tail = stored.get(rel.head), stored.get(rel.tail)
                        if head is None or tail is None:
                            continue
                        rel_rows.append((article_id, head, tail, rel.label, rel.annotator or annotator, ts))
                        n_rels += 1
                    report.spans_added += added
                    after = {"source": source, "spans": added, "relations": n_rels, "annotator": annotator}
                    event_rows.append(
                        (
                            ts,
                            event_annotator,
                            "article.merge" if merged else "article.import",
                            article_id,
                            json.dumps(after, ensure_ascii=False),
                        )
                    )
                if rows_ready is not None:
                    rows_ready()
                _insert_rows(
                    cur,
                    "articles (id, uid, hash, title, source, url, language, text, meta, status, status_reason, "
                    "created_at, updated_at)",
                    art_rows,
                )
                _insert_rows(cur, SPAN_INSERT, span_rows)
                _insert_rows(
                    cur,
                    "relations (article_id, head_span_id, tail_span_id, label, annotator, created_at)",
                    rel_rows,
                )
                _insert_rows(cur, "events (ts, annotator, action, article_id, after)", event_rows)
            if report.articles_added:
                cur.execute(
                    "INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id > ?",
                    (articles_before,),
                )
            if report.spans_added:
                self._fts_spans_add("id > ?", (spans_before,))
            if added_labels:
                self._heard.append(("label", None))
        return report

    def article(self, article_id: int) -> Article:
        rows = self._q(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise StoreError(f"no article with id {article_id}")
        return article_from_row(rows[0])

    def article_by_uid(self, uid: str) -> Article | None:
        rows = self._q(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE uid = ?", (uid,))
        return article_from_row(rows[0]) if rows else None

    def count_articles(self, *, statuses: Sequence[str] = (), search: str = "") -> int:
        if search and not statuses:
            # Every row of the full-text index is an article (the store keeps them in step):
            # count the matches without looking each article up.
            return self._q(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (fts_query(search),)
            )[0][0]
        where, params = _article_where(statuses, search)
        return self._q(f"SELECT count(*) FROM articles a {where}", params)[0][0]

    def article_ids(self, *, statuses: Sequence[str] = (), search: str = "") -> list[int]:
        where, params = _article_where(statuses, search)
        return [r[0] for r in self._q(f"SELECT a.id FROM articles a {where} ORDER BY a.id", params)]

    def article_rows(
        self,
        offset: int,
        limit: int,
        *,
        statuses: Sequence[str] = (),
        search: str = "",
        order: str = "id",
        descending: bool = False,
    ) -> list[dict[str, Any]]:
        """A page of the article list: what a table row shows, nothing more."""
        where, params = _article_where(statuses, search)
        key = ARTICLE_SORT.get(order, "a.id")
        direction = "DESC" if descending else "ASC"
        rows = self._q(
            f"SELECT a.id, a.uid, a.title, a.status, a.language, a.updated_at, length(a.text), "
            f"(SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.status = 'accepted'), "
            f"(SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.status = 'suggested') "
            f"FROM articles a {where} ORDER BY {key} {direction}, a.id {direction} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        names = ("id", "uid", "title", "status", "language", "updated_at", "length", "accepted", "suggested")
        return [dict(zip(names, r, strict=True)) for r in rows]

    def neighbour_article(self, article_id: int, step: int, *, skip_done: bool = False) -> int | None:
        """The next (step=1) or previous (step=-1) article id, optionally the next not done."""
        op, direction = (">", "ASC") if step > 0 else ("<", "DESC")
        extra = " AND status NOT IN ('done', 'reviewed', 'skipped')" if skip_done else ""
        rows = self._q(
            f"SELECT id FROM articles WHERE id {op} ?{extra} ORDER BY id {direction} LIMIT 1", (article_id,)
        )
        if not rows and skip_done:
            rows = self._q(f"SELECT id FROM articles WHERE 1=1{extra} ORDER BY id LIMIT 1")
        return rows[0][0] if rows else None

    def set_article_status(self, article_id: int, status: str, reason: str = "") -> None:
        if status not in ARTICLE_STATUSES:
            raise StoreError(f"unknown article status {status!r}")
        before = self._q("SELECT status, status_reason FROM articles WHERE id = ?", (article_id,))
        if not before:
            raise StoreError(f"no article with id {article_id}")
        with self._write("article.status", article_id):
            self.db.execute(
                "UPDATE articles SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
                (status, reason, now(), article_id),
            )
            self._event(
                "article.status",
                article_id=article_id,
                before={"status": before[0][0], "reason": before[0][1]},
                after={"status": status, "reason": reason},
            )

    def set_article_language(self, article_id: int, language: str) -> None:
        with self._write("article.language", article_id):
            self.db.execute("UPDATE articles SET language = ? WHERE id = ?", (language, article_id))
            self._event("article.language", article_id=article_id, after={"language": language})

    def delete_article(self, article_id: int) -> None:
        art = self.article(article_id)
        with self._write("article.delete", article_id):
            self._fts_spans_drop("article_id = ?", (article_id,))
            self.db.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) SELECT 'delete', id, title, text "
                "FROM articles WHERE id = ?",
                (article_id,),
            )
            self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            self._event("article.delete", article_id=article_id, before={"uid": art.uid, "title": art.title})

    # -- spans ------------------------------------------------------------------------------

    def spans(
        self,
        article_id: int,
        *,
        statuses: Sequence[str] = (),
        annotators: Sequence[str | None] = (),
    ) -> list[Span]:
        sql = f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id = ?"
        params: list[Any] = [article_id]
        if statuses:
            sql += f" AND status IN ({','.join('?' * len(statuses))})"
            params += list(statuses)
        if annotators:
            named = [a for a in annotators if a is not None]
            cond = []
            if named:
                cond.append(f"annotator IN ({','.join('?' * len(named))})")
                params += named
            if None in annotators:
                cond.append("annotator IS NULL")
            sql += f" AND ({' OR '.join(cond)})"
        sql += " ORDER BY char_start, char_end DESC, id"
        return [span_from_row(r) for r in self._q(sql, params)]

    def span(self, span_id: int) -> Span:
        return self.spans_by_id([span_id])[span_id]

    def spans_by_id(self, span_ids: Sequence[int]) -> dict[int, Span]:
        """Spans by id, a query per 500 ids (bulk edits touch many). A missing id raises
        ``SpanGone``, saying when and by whom the span was deleted."""
        out: dict[int, Span] = {}
        for chunk in _chunks(list(dict.fromkeys(span_ids))):
            marks = ",".join("?" * len(chunk))
            for row in self._q(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id IN ({marks})", chunk):
                out[row[0]] = span_from_row(row)
        missing = [sid for sid in span_ids if sid not in out]
        if missing:
            raise SpanGone(missing[0], self._gone(missing[0]))
        return out

    def _gone(self, span_id: int) -> str:
        """Why span ``span_id`` is not there, in words."""
        rows = self._q(
            "SELECT action, annotator, ts, before FROM events WHERE span_id = ? AND before IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (span_id,),
        )
        if not rows or rows[0][0] not in ("span.delete", "suggest.drop"):
            return f"span {span_id} is no longer in the project"
        action, who, ts, before = rows[0]
        rec = json.loads(before)
        what = f"{rec.get('label')} “{(rec.get('text') or '')[:40]}”"
        how = "the suggester withdrew it" if action == "suggest.drop" else f"{who or 'someone'} deleted it"
        return f"the span {what} is no longer in the project ({how} at {ts[11:16]} UTC)"

    def add_spans(self, article_id: int, spans: Sequence[Span]) -> list[Span]:
        """Add spans to one article in one transaction; returns them with ids."""
        text = self._q("SELECT text FROM articles WHERE id = ?", (article_id,))
        if not text:
            raise StoreError(f"no article with id {article_id}")
        uid = self._q("SELECT uid FROM articles WHERE id = ?", (article_id,))[0][0]
        for sp in spans:
            sp.check_inside(text[0][0], f"article {uid}")
        ts = now()
        with self._write("span.add", article_id):
            for sp in spans:
                if sp.annotator is None and sp.origin == HUMAN:
                    sp.annotator = self.annotator
                sp.article_id = article_id
                sp.created_at = sp.created_at or ts
                sp.updated_at = ts
                cur = self.db.execute(
                    f"INSERT INTO {SPAN_INSERT} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    _span_row(sp, article_id, sp.annotator, sp.created_at, ts),
                )
                sp.id = cur.lastrowid
                self._fts_spans_add("id = ?", (sp.id,))
                self._event("span.add", article_id=article_id, span_id=sp.id, after=span_record(sp), ts=ts)
            self.db.execute("UPDATE articles SET updated_at = ? WHERE id = ?", (ts, article_id))
        return list(spans)

    def update_spans(
        self,
        changes: Sequence[tuple[int, dict[str, Any]]],
        *,
        action: str = "span.update",
        olds: dict[int, Span] | None = None,
    ) -> list[Span]:
        """Change fields of spans (start, end, label, status, note, attrs, annotator) in one transaction.

        ``olds``: the spans as the caller just read them in this transaction (``spans_by_id``),
        so that a bulk edit reads its rows once."""
        ts = now()
        out: list[Span] = []
        befores = olds if olds is not None else self.spans_by_id([sid for sid, _ in changes])
        texts: dict[int, str] = {}
        afters: list[Span] = []
        for sid, change in changes:
            old = befores[sid]
            rec = span_record(old)
            rec.update({k: v for k, v in change.items() if k in rec})
            new = span_from_record(rec)
            new.id, new.article_id = old.id, old.article_id
            if (new.start, new.end) != (old.start, old.end):
                if old.article_id not in texts:
                    texts[old.article_id] = self._q(
                        "SELECT text FROM articles WHERE id = ?", (old.article_id,)
                    )[0][0]
                new.text = ""
                new.check_inside(texts[old.article_id], f"article {old.article_id}")
            afters.append(new)
        article_ids = {sp.article_id for sp in afters}
        with self._write(action, next(iter(article_ids)) if len(article_ids) == 1 else None):
            for old, new in zip((befores[sid] for sid, _ in changes), afters, strict=True):
                new.updated_at = ts
                if new.text != old.text:
                    self._fts_spans_drop("id = ?", (old.id,))
                self.db.execute(
                    "UPDATE spans SET char_start=?, char_end=?, label=?, text=?, origin=?, status=?, annotator=?, "
                    "note=?, attrs=?, score=?, updated_at=? WHERE id=?",
                    (
                        new.start,
                        new.end,
                        new.label,
                        new.text,
                        new.origin,
                        new.status,
                        new.annotator,
                        new.note,
                        json.dumps(new.attrs, ensure_ascii=False),
                        new.score,
                        ts,
                        new.id,
                    ),
                )
                if new.text != old.text:
                    self._fts_spans_add("id = ?", (new.id,))
                self._event(
                    action,
                    article_id=new.article_id,
                    span_id=new.id,
                    before=span_record(old),
                    after=span_record(new),
                    ts=ts,
                )
                out.append(new)
            for aid in article_ids:
                self.db.execute("UPDATE articles SET updated_at = ? WHERE id = ?", (ts, aid))
        return out

    def delete_spans(self, span_ids: Sequence[int]) -> tuple[list[Span], list[Relation]]:
        """Delete spans (and the relations that use them); returns both so undo can put them back."""
        found = self.spans_by_id(span_ids)
        spans = [found[sid] for sid in span_ids]
        rels = self._relations_of(span_ids)
        article_ids = {sp.article_id for sp in spans}
        ts = now()
        with self._write("span.delete", next(iter(article_ids)) if len(article_ids) == 1 else None):
            for sp in spans:
                self._fts_spans_drop("id = ?", (sp.id,))
                self.db.execute("DELETE FROM spans WHERE id = ?", (sp.id,))
                self._event(
                    "span.delete", article_id=sp.article_id, span_id=sp.id, before=span_record(sp), ts=ts
                )
            for aid in article_ids:
                self.db.execute("UPDATE articles SET updated_at = ? WHERE id = ?", (ts, aid))
        return spans, rels

    def restore_spans(self, spans: Sequence[Span], relations: Sequence[Relation] = ()) -> None:
        """Put deleted spans back with their ids (undo of a delete), with their relations, in
        one transaction. A pending suggestion nobody owns that a suggester made meanwhile at
        the same place with the same label gives way (``suggest.drop``): the span it stood in
        for is back. A relation whose other span is gone since stays out."""
        by_article: dict[int, list[Span]] = {}
        for sp in spans:
            by_article.setdefault(sp.article_id, []).append(sp)
        ts = now()
        with self.transaction():
            for aid, group in by_article.items():
                keys = {sp.key for sp in group}
                stand_ins = [
                    span_from_row(r)
                    for r in self._q(
                        f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id = ? AND status = 'suggested' "
                        f"AND annotator IS NULL",
                        (aid,),
                    )
                    if (r[2], r[3], r[4]) in keys
                ]
                if stand_ins:
                    for sp in stand_ins:
                        self._fts_spans_drop("id = ?", (sp.id,))
                        self.db.execute("DELETE FROM spans WHERE id = ?", (sp.id,))
                    self._events_many("suggest.drop", [(sp, span_record(sp), None) for sp in stand_ins], ts)
                self.add_spans(aid, group)
            for rel in relations:
                ends = {rel.head, rel.tail}
                marks = ",".join("?" * len(ends))
                if self._q(f"SELECT count(*) FROM spans WHERE id IN ({marks})", list(ends))[0][0] == len(ends):
                    self.add_relation(rel.head, rel.tail, rel.label, rel_id=rel.id)

    # -- relations --------------------------------------------------------------------------

    def relations(self, article_id: int) -> list[Relation]:
        rows = self._q(
            "SELECT id, head_span_id, tail_span_id, label, annotator FROM relations WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
        return [Relation(head=r[1], tail=r[2], label=r[3], annotator=r[4], id=r[0]) for r in rows]

    def _relations_of(self, span_ids: Sequence[int]) -> list[Relation]:
        if not span_ids:
            return []
        marks = ",".join("?" * len(span_ids))
        rows = self._q(
            f"SELECT id, head_span_id, tail_span_id, label, annotator FROM relations "
            f"WHERE head_span_id IN ({marks}) OR tail_span_id IN ({marks})",
            (*span_ids, *span_ids),
        )
        return [Relation(head=r[1], tail=r[2], label=r[3], annotator=r[4], id=r[0]) for r in rows]

    def add_relation(
        self, head_span_id: int, tail_span_id: int, label: str = "claimant", *, rel_id: int | None = None
    ) -> Relation:
        head, tail = self.span(head_span_id), self.span(tail_span_id)
        if head.article_id != tail.article_id:
            raise SpanError("a relation links two spans of the same article")
        with self._write("relation.add", head.article_id):
            cur = self.db.execute(
                "INSERT INTO relations (id, article_id, head_span_id, tail_span_id, label, annotator, created_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (rel_id, head.article_id, head_span_id, tail_span_id, label, self.annotator, now()),
            )
            rel = Relation(head_span_id, tail_span_id, label, self.annotator, cur.lastrowid)
            self._event(
                "relation.add",
                article_id=head.article_id,
                span_id=head_span_id,
                after={"id": rel.id, "head": head_span_id, "tail": tail_span_id, "label": label},
            )
        return rel

    def delete_relation(self, rel_id: int) -> Relation | None:
        rows = self._q(
            "SELECT id, head_span_id, tail_span_id, label, annotator, article_id FROM relations WHERE id = ?",
            (rel_id,),
        )
        if not rows:
            return None
        r = rows[0]
        rel = Relation(head=r[1], tail=r[2], label=r[3], annotator=r[4], id=r[0])
        with self._write("relation.delete", r[5]):
            self.db.execute("DELETE FROM relations WHERE id = ?", (rel_id,))
            self._event(
                "relation.delete",
                article_id=r[5],
                span_id=r[1],
                before={"id": rel.id, "head": rel.head, "tail": rel.tail, "label": rel.label},
            )
        return rel

    # -- suggestions ------------------------------------------------------------------------

    def span_keys(self, article_id: int) -> tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]:
        """(keys of spans present and not rejected, keys of rejected spans) for one article."""
        present, rejected = set(), set()
        for s, e, lab, status in self._q(
            "SELECT char_start, char_end, label, status FROM spans WHERE article_id = ?", (article_id,)
        ):
            (rejected if status == "rejected" else present).add((s, e, lab))
        return present, rejected

    def span_keys_many(
        self, article_ids: Sequence[int], *, replacing: Sequence[str] = ()
    ) -> dict[int, tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]]:
        """``span_keys`` for many articles with one query per 500: article id -> (present, rejected).

        Pending suggestions from the suggesters in ``replacing`` are left out of ``present``:
        they are what ``replace_suggestions(..., origins=replacing)`` is about to replace.
        """
        out: dict[int, tuple[set, set]] = {aid: (set(), set()) for aid in article_ids}
        ids = list(out)
        replaced = set(replacing)
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for aid, s, e, lab, status, origin, annotator in self._q(
                f"SELECT article_id, char_start, char_end, label, status, origin, annotator FROM spans "
                f"WHERE article_id IN ({marks})",
                chunk,
            ):
                if status == "suggested" and origin in replaced and annotator is None:
                    continue
                out[aid][1 if status == "rejected" else 0].add((s, e, lab))
        return out

    def replace_suggestions(
        self, article_id: int, suggestions: Sequence[Span], *, origins: Sequence[str] = ()
    ) -> int:
        """Store fresh suggestions for an article, dropping its older pending ones from the same suggesters.

        Suggestions the analyst already rejected, or already has as spans, are not stored again.
        """
        return self.replace_suggestions_many([(article_id, suggestions)], origins=origins)

    def replace_suggestions_many(
        self,
        items: Sequence[tuple[int, Sequence[Span]]],
        *,
        origins: Sequence[str] = (),
        languages: dict[int, str] | None = None,
    ) -> int:
        """``replace_suggestions`` for many articles in one transaction (one commit, one fsync).

        Re-suggesting updates in place, by ``(start, end, label)``: a pending suggestion of
        these ``origins`` that is suggested again keeps its id (and whatever refers to it);
        one not suggested again is dropped; a new one is added. Only suggestions nobody owns
        are touched: a suggestion the analyst edited (it carries their name), or that a
        relation uses, is theirs and stays. Every span added or dropped is an event of its
        own (``suggest.add``, ``suggest.drop``), so the history can rebuild any past state;
        each article also gets one summary ``suggest`` event.

        ``items`` are (article_id, suggestions); an article listed twice keeps its last list.
        ``languages`` (article id -> code) are stored in the same transaction, each with the
        ``article.language`` event ``set_article_language`` writes. Listeners hear
        ``("article.language", id)`` and ``("suggest", id)`` per article after the commit.
        Returns how many pending suggestions of these origins the articles now hold.
        """
        by_article: dict[int, Sequence[Span]] = {}
        for article_id, suggestions in items:
            by_article.pop(article_id, None)  # last one wins, in its position
            by_article[article_id] = suggestions
        languages = dict(languages or {})
        ids = list(by_article)
        if not ids and not languages:
            return 0
        replacing = set(origins)
        origin_list = list(origins)
        ts = now()
        with self.transaction():
            texts: dict[int, str] = {}
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                texts.update(
                    self.db.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk).fetchall()
                )
            missing = [i for i in ids if i not in texts]
            if missing:
                raise StoreError(f"no article with id {missing[0]}")
            for aid, language in languages.items():
                self.db.execute("UPDATE articles SET language = ? WHERE id = ?", (language, aid))
                self._event("article.language", article_id=aid, after={"language": language}, ts=ts)
                self._heard.append(("article.language", aid))
            present: dict[int, set] = {i: set() for i in ids}
            rejected: dict[int, set] = {i: set() for i in ids}
            pending: dict[int, dict[tuple[int, int, str], int]] = {i: {} for i in ids}
            drop: list[int] = []
            edited: list[int] = []
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                for sid, aid, s, e, lab, status, origin, annotator, linked in self.db.execute(
                    f"SELECT id, article_id, char_start, char_end, label, status, origin, annotator, "
                    f"EXISTS (SELECT 1 FROM relations r WHERE r.head_span_id = spans.id "
                    f"OR r.tail_span_id = spans.id) FROM spans WHERE article_id IN ({marks}) ORDER BY id",
                    chunk,
                ):
                    key = (s, e, lab)
                    if status == "suggested" and origin in replacing and annotator is None and not linked:
                        if key in pending[aid]:
                            drop.append(sid)  # a duplicate: keep the oldest
                        else:
                            pending[aid][key] = sid
                    else:
                        (rejected if status == "rejected" else present)[aid].add(key)
                        if origin in replacing:
                            edited.append(sid)
            # A suggestion the analyst edited (resized, relabelled) stands where the suggester's
            # proposal was: that proposal is not made again beside it.
            for chunk in _chunks(edited):
                marks = ",".join("?" * len(chunk))
                for aid, s, e, lab in self.db.execute(
                    f"SELECT article_id, json_extract(after, '$.start'), json_extract(after, '$.end'), "
                    f"json_extract(after, '$.label') FROM events WHERE action = 'suggest.add' "
                    f"AND span_id IN ({marks})",
                    chunk,
                ):
                    present[aid].add((s, e, lab))
            rows = []
            counts: dict[int, tuple[int, int]] = {}
            for aid in ids:
                text, have, turned_down, old = texts[aid], present[aid], rejected[aid], pending[aid]
                fresh: set[tuple[int, int, str]] = set()
                for sp in by_article[aid]:
                    key = sp.key
                    if key in have or key in turned_down or key in fresh or sp.end > len(text):
                        continue
                    fresh.add(key)
                    if key in old:
                        continue
                    rows.append((aid, sp.start, sp.end, sp.label, text[sp.start : sp.end], sp.origin,
                                 "suggested", None, "", "{}", sp.score, ts, ts))  # fmt: skip
                gone = [sid for key, sid in old.items() if key not in fresh]
                drop += gone
                counts[aid] = (len(fresh), len(gone))
            if drop:
                dropped = self.spans_by_id(drop)
                for chunk in _chunks(drop):
                    marks = ",".join("?" * len(chunk))
                    self._fts_spans_drop(f"id IN ({marks})", chunk)
                    self.db.execute(f"DELETE FROM spans WHERE id IN ({marks})", chunk)
                self._events_many("suggest.drop", [(sp, span_record(sp), None) for sp in dropped.values()], ts)
            if rows:
                last = _last_id(self.db.conn, "spans")
                self.db.conn.executemany(
                    "INSERT INTO spans (article_id, char_start, char_end, label, text, origin, status, "
                    "annotator, note, attrs, score, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
                self._fts_spans_add("id > ?", (last,))
                added = [span_from_row(r) for r in self.db.execute(
                    f"SELECT {SPAN_COLUMNS} FROM spans WHERE id > ? ORDER BY id", (last,))]  # fmt: skip
                self._events_many("suggest.add", [(sp, None, span_record(sp)) for sp in added], ts)
            for aid in ids:
                n, gone = counts[aid]
                self._event("suggest", article_id=aid, ts=ts, after={
                    "suggestions": n, "dropped": gone, "origins": origin_list, "per_span": True})  # fmt: skip
                self._heard.append(("suggest", aid))
        return sum(n for n, _ in counts.values())

    def _events_many(self, action: str, items: Sequence[tuple[Span, Any, Any]], ts: str) -> None:
        """One ``action`` event per span, ``items`` being (span, before, after)."""
        self.db.conn.executemany(
            "INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) VALUES (?,?,?,?,?,?,?)",
            [
                (ts, self.annotator, action, sp.article_id, sp.id,
                 None if before is None else json.dumps(before, ensure_ascii=False),
                 None if after is None else json.dumps(after, ensure_ascii=False))  # fmt: skip
                for sp, before, after in items
            ],
        )

    def gazetteer_rows(self) -> list[tuple[str, str, int, int]]:
        """(text, label, times accepted or made by hand, times rejected), for the learned gazetteer."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self._q(
                "SELECT text, label, sum(status = 'accepted'), sum(status = 'rejected') FROM spans "
                "WHERE status != 'suggested' GROUP BY text, label"
            )
        ]

    # -- events and history -----------------------------------------------------------------

    def events(
        self,
        *,
        article_id: int | None = None,
        span_id: int | None = None,
        limit: int = 1000,
        before_id: int | None = None,
    ) -> list[dict[str, Any]]:
        sql = "SELECT id, ts, annotator, action, article_id, span_id, before, after FROM events WHERE 1=1"
        params: list[Any] = []
        if article_id is not None:
            sql += " AND article_id = ?"
            params.append(article_id)
        if span_id is not None:
            sql += " AND span_id = ?"
            params.append(span_id)
        if before_id is not None:
            sql += " AND id < ?"
            params.append(before_id)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        out = []
        for r in self._q(sql, params):
            out.append(
                {
                    "id": r[0],
                    "ts": r[1],
                    "annotator": r[2],
                    "action": r[3],
                    "article_id": r[4],
                    "span_id": r[5],
                    "before": json.loads(r[6]) if r[6] else None,
                    "after": json.loads(r[7]) if r[7] else None,
                }
            )
        return out

    # -- search, export, stats ----------------------------------------------------------------

    def search_articles(self, query: str, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._q(
            "SELECT a.id, a.title, snippet(articles_fts, 1, '[', ']', '…', 12) FROM articles_fts "
            "JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts_query(query), limit),
        )
        return [{"id": r[0], "title": r[1], "snippet": r[2]} for r in rows]

    def iter_documents(self, flt: ArticleFilter = ArticleFilter(), *, batch: int = 500) -> Iterator[Document]:
        """Articles with the spans and relations that pass the filter, in id order, a batch at a time."""
        where, params = _article_where(flt.statuses, flt.search, flt.article_ids)
        last = 0
        while True:
            cond = f"{where} AND a.id > ?" if where else "WHERE a.id > ?"
            rows = self._q(
                f"SELECT {', '.join('a.' + c.strip() for c in ARTICLE_COLUMNS.split(','))} FROM articles a {cond} "
                f"ORDER BY a.id LIMIT ?",
                (*params, last, batch),
            )
            if not rows:
                return
            ids = [r[0] for r in rows]
            last = ids[-1]
            span_sql = f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id BETWEEN ? AND ?"
            span_params: list[Any] = [ids[0], ids[-1]]
            # "+label", "+status": keep SQLite on spans_article (or spans_annotator_article)
            # for this batch's id range. Without statistics it would otherwise pick
            # spans_status_label and read every accepted span of the project for every batch.
            for col, values in (
                ("+label", flt.labels),
                ("annotator", flt.annotators),
                ("+status", flt.span_statuses),
            ):
                if values:
                    span_sql += f" AND {col} IN ({','.join('?' * len(values))})"
                    span_params += list(values)
            by_article: dict[int, list[Span]] = {}
            for r in self._q(span_sql + " ORDER BY article_id, char_start, char_end DESC, id", span_params):
                by_article.setdefault(r[1], []).append(span_from_row(r))
            rels: dict[int, list[tuple]] = {}
            for r in self._q(
                "SELECT article_id, head_span_id, tail_span_id, label, annotator FROM relations "
                "WHERE article_id BETWEEN ? AND ? ORDER BY id",
                (ids[0], ids[-1]),
            ):
                rels.setdefault(r[0], []).append(r[1:])
            for r in rows:
                art = article_from_row(r)
                spans = by_article.get(art.id, [])
                index = {sp.id: i for i, sp in enumerate(spans)}
                relations = [
                    Relation(index[h], index[t], lab, ann)
                    for h, t, lab, ann in rels.get(art.id, [])
                    if h in index and t in index
                ]
                yield Document(art, spans, relations)

    def stats(self) -> dict[str, Any]:
        articles = dict(self._q("SELECT status, count(*) FROM articles GROUP BY status"))
        spans: dict[str, dict[str, int]] = {}
        for label, status, n in self._q("SELECT label, status, count(*) FROM spans GROUP BY label, status"):
            spans.setdefault(label, {})[status] = n
        return {
            "articles": sum(articles.values()),
            "articles_by_status": articles,
            "spans": sum(sum(v.values()) for v in spans.values()),
            "spans_by_label": spans,
        }

    def annotators(self) -> list[str]:
        return [
            r[0]
            for r in self._q("SELECT DISTINCT annotator FROM spans WHERE annotator IS NOT NULL ORDER BY 1")
        ]

    def integrity_check(self) -> str:
        return self._q("PRAGMA integrity_check")[0][0]


PALETTE = ("#4e79a7", "#59a14f", "#e15759", "#f28e2b", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


def default_annotator() -> str:
    import getpass

    try:
        return os.environ.get("SOROT_ANNOTATOR") or getpass.getuser() or "analyst"
    except Exception:  # getuser fails in some containers
        return "analyst"


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word must appear, as a prefix for the last."""
    words = [w.replace('"', '""') for w in text.split() if w.strip()]
    if not words:
        return '""'
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return " ".join(parts)


def _article_where(statuses: Sequence[str], search: str, ids: Sequence[int] = ()) -> tuple[str, list[Any]]:
    cond, params = [], []
    if statuses:
        cond.append(f"a.status IN ({','.join('?' * len(statuses))})")
        params += list(statuses)
    if search:
        cond.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(fts_query(search))
    if ids:
        cond.append(f"a.id IN ({','.join('?' * len(ids))})")
        params += list(ids)
    return ("WHERE " + " AND ".join(cond) if cond else ""), params


def _label_dict(label: Label) -> dict[str, Any]:
    return {
        "name": label.name,
        "kind": label.kind,
        "colour": label.colour,
        "shortcut": label.shortcut,
        "description": label.description,
        "maps_from": label.maps_from,
    }


def _check_is_sqlite(db: Database, path: Path | None) -> None:
    if path is None or not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise StoreError(f"{path}: this file is not a Sorot project (not an SQLite database)")
    tables = set(db.table_names())
    if tables and "articles" not in tables and "_sqlite_migrations" not in tables:
        raise StoreError(f"{path}: this SQLite database is not a Sorot project")


def _explain(exc: sqlite3.OperationalError, path: Path | None) -> str:
    msg = str(exc)
    if "readonly" in msg:
        return f"{path}: the project cannot be written (read-only file or folder); your change was not saved"
    if "locked" in msg or "busy" in msg:
        return f"{path}: the project is busy in another program; try again"
    if "full" in msg:
        return f"{path}: the disk is full; your change was not saved"
    return f"{path}: {msg}"


PAGE_SIZE = 16384

SPAN_INSERT = (
    "spans (id, article_id, char_start, char_end, label, text, origin, status, annotator, note, attrs, score, "
    "created_at, updated_at)"
)


def _span_row(sp: Span, article_id: int, annotator: str | None, created: str | None, updated: str) -> tuple:
    """A span as a row of ``SPAN_INSERT``."""
    attrs = json.dumps(sp.attrs, ensure_ascii=False) if sp.attrs else "{}"
    return (sp.id, article_id, sp.start, sp.end, sp.label, sp.text, sp.origin, sp.status, annotator, sp.note, attrs,
            sp.score, created, updated)  # fmt: skip


#: Rows per multi-row INSERT at most; fewer when SQLite allows fewer bound variables
#: (32,766 since SQLite 3.32, 999 before).
INSERT_CHUNK = 1000


def _insert_rows(cur: sqlite3.Cursor, into: str, rows: Sequence[tuple]) -> None:
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


def _last_id(cur: sqlite3.Cursor | sqlite3.Connection, table: str) -> int:
    """The highest id ``table`` ever gave (its AUTOINCREMENT sequence), deleted rows included."""
    return cur.execute(
        f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
        f"coalesce((SELECT max(id) FROM {table}), 0))",
        (table,),
    ).fetchone()[0]


def _chunks(ids: Sequence[Any], size: int = 500) -> Iterator[list[Any]]:
    """``ids`` in lists short enough for one ``IN (...)`` (SQLite limits bound parameters)."""
    for first in range(0, len(ids), size):
        yield list(ids[first : first + size])
