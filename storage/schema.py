"""The project schema, as sqlite-utils migrations from the first version on.

Column names avoid SQL keywords (``char_start``/``char_end``, not start/end).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib import resources

from storage.lean_sqlite_utils import Database, Migrations

migrations = Migrations("sorot")


def default_labels() -> list[dict]:
    """The label set a new project starts with (resources/labels.json)."""
    text = resources.files("resources").joinpath("labels.json").read_text(encoding="utf-8")
    return json.loads(text)


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            hash TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new','in_progress','done','reviewed','skipped','flagged')),
            status_reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX articles_status ON articles(status, id)")
    db.execute("CREATE INDEX articles_updated ON articles(updated_at)")
    db.execute(
        """
        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            char_start INTEGER NOT NULL CHECK (char_start >= 0),
            char_end INTEGER NOT NULL CHECK (char_end > char_start),
            label TEXT NOT NULL,
            text TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'human',
            status TEXT NOT NULL DEFAULT 'accepted' CHECK (status IN ('suggested','accepted','rejected')),
            annotator TEXT,
            note TEXT NOT NULL DEFAULT '',
            attrs TEXT NOT NULL DEFAULT '{}',
            score REAL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX spans_article ON spans(article_id, char_start)")
    db.execute("CREATE INDEX spans_label_status ON spans(label, status)")
    # (origin, label, status) covers the usefulness tables: acceptance per suggester and label.
    db.execute("CREATE INDEX spans_origin_status ON spans(origin, label, status)")
    db.execute(
        """
        CREATE TABLE labels (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'entity' CHECK (kind IN ('entity','claim')),
            colour TEXT NOT NULL DEFAULT '#888888',
            shortcut TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            maps_from TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            head_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            tail_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            label TEXT NOT NULL DEFAULT 'claimant',
            annotator TEXT,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX relations_article ON relations(article_id)")
    db.execute("CREATE INDEX relations_head ON relations(head_span_id)")
    db.execute("CREATE INDEX relations_tail ON relations(tail_span_id)")
    # Append-only: triggers refuse UPDATE and DELETE, so history can only grow.
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            annotator TEXT,
            action TEXT NOT NULL,
            article_id INTEGER,
            span_id INTEGER,
            before TEXT,
            after TEXT
        )"""
    )
    db.execute("CREATE INDEX events_article ON events(article_id, id)")
    db.execute("CREATE INDEX events_span ON events(span_id, id)")
    db.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )
    # Full-text indexes are kept up to date by the store itself, not by triggers: a bulk
    # import fills them with one INSERT ... SELECT per batch, several times faster.
    db["articles"].enable_fts(
        ["title", "text"], create_triggers=False, tokenize="unicode61 remove_diacritics 2"
    )
    db["spans"].enable_fts(["text"], create_triggers=False, tokenize="unicode61 remove_diacritics 2")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for position, label in enumerate(default_labels()):
        db["labels"].insert(
            {
                "name": label["name"],
                "kind": label["kind"],
                "colour": label["colour"],
                "shortcut": label.get("shortcut", ""),
                "description": label.get("description", ""),
                "maps_from": json.dumps(label.get("maps_from", [])),
                "position": position,
            }
        )


@migrations()
def m002_review_indexes(db: Database) -> None:
    """Indexes the review table, history and stats need to stay quick on millions of spans."""
    db.execute("CREATE INDEX IF NOT EXISTS spans_status ON spans(status)")
    db.execute("CREATE INDEX IF NOT EXISTS spans_updated ON spans(updated_at)")
    db.execute("CREATE INDEX IF NOT EXISTS events_action ON events(action, ts)")
    # Which articles each annotator touched, without reading the spans (agreement, compare).
    db.execute("CREATE INDEX IF NOT EXISTS spans_annotator_article ON spans(annotator, article_id, status)")


#: Every span status, in SQL: lets a lookup by label use the (status, label) index.
ANY_SPAN_STATUS = "status IN ('suggested','accepted','rejected')"


@migrations()
def m003_status_label_index(db: Database) -> None:
    """One (status, label) index instead of (label, status) and (status): every span write
    maintains one index fewer. Lookups by label name all three statuses (``ANY_SPAN_STATUS``)."""
    db.execute("DROP INDEX IF EXISTS spans_label_status")
    db.execute("DROP INDEX IF EXISTS spans_status")
    db.execute("CREATE INDEX IF NOT EXISTS spans_status_label ON spans(status, label)")


#: Tables whose ids are never given twice (SQLite ``AUTOINCREMENT``), with the highest id
#: the history shows was ever given (a deleted row's id appears only there).
_NEVER_REUSED = {
    "articles": "SELECT max(article_id) FROM events",
    "spans": "SELECT max(span_id) FROM events",
    "relations": (
        "SELECT max(coalesce(json_extract(after, '$.id'), json_extract(before, '$.id'))) "
        "FROM events WHERE action LIKE 'relation.%'"
    ),
}


@migrations(transactional=False)
def m004_ids_never_reused(db: Database) -> None:
    """Articles, spans and relations get ``AUTOINCREMENT``: an id once given is never given
    again, even after its row is deleted (undo puts a span back under its own id, and the
    history of one id is the history of one span). SQLite cannot add it to a table in place,
    so each table is rebuilt (its rows, ids and indexes kept), with foreign keys off so that
    dropping the old table cascades nothing; the sequence starts past every id the table or
    its history has seen. Idempotent: a crash before the record of this step re-runs it."""
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN")
        try:
            for table, seen_sql in _NEVER_REUSED.items():
                _rebuild_with_autoincrement(conn, table)
                seen = conn.execute(seen_sql).fetchone()[0] or 0
                have = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
                conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
                conn.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, max(seen, have))
                )
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign keys broken by the id migration: {problems[:3]}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _rebuild_with_autoincrement(conn, table: str) -> None:
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if "AUTOINCREMENT" in sql.upper():
        return
    new_sql = sql.replace("id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,", 1)
    if new_sql == sql:
        raise RuntimeError(f"unexpected schema for {table}: {sql}")
    indexes = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
    ]
    conn.execute(new_sql.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_rebuilt", 1))
    conn.execute(f"INSERT INTO {table}_rebuilt SELECT * FROM {table}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {table}_rebuilt RENAME TO {table}")
    for index_sql in indexes:
        conn.execute(index_sql)


@migrations()
def m005_derived_titles(db: Database) -> None:
    """Articles imported without a title get one, as imports now give it
    (``annotator.titles``): the first sentence and the name of the file they came from (the
    first import event's source). Each renaming is in the history (``article.title``, by
    no annotator), and the full-text index follows."""
    from annotator.titles import derived_title

    conn = db.conn
    sources = {
        article_id: source
        for article_id, source in conn.execute(
            "SELECT article_id, json_extract(after, '$.source') FROM events "
            "WHERE action = 'article.import' AND article_id IN (SELECT id FROM articles WHERE title = '') "
            "ORDER BY id DESC"
        )
    }  # newest first, so the dict keeps each article's first import
    ts = datetime.now(UTC).isoformat(timespec="milliseconds")
    renamed: list[tuple[str, int]] = []
    for article_id, text in conn.execute("SELECT id, text FROM articles WHERE title = ''"):
        source = sources.get(article_id) or ""
        title = derived_title(text, re.split(r"[\\/]", source)[-1])  # a Windows path too
        if title:
            renamed.append((title, article_id))
    for title, article_id in renamed:
        conn.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, text) SELECT 'delete', id, title, text "
            "FROM articles WHERE id = ?",
            (article_id,),
        )
        conn.execute("UPDATE articles SET title = ? WHERE id = ?", (title, article_id))
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id = ?",
            (article_id,),
        )
        conn.execute(
            "INSERT INTO events (ts, annotator, action, article_id, before, after) VALUES (?, NULL, ?, ?, ?, ?)",
            (ts, "article.title", article_id, json.dumps({"title": ""}),
             json.dumps({"title": title, "by": "m005_derived_titles"}, ensure_ascii=False)),
        )  # fmt: skip


@migrations()
def m006_annotator_states(db: Database) -> None:
    """Per-annotator article state and assignment (a team shares a project).

    ``article_states``: each annotator's own state of an article (new, in progress, done,
    skipped); ``articles.status`` stays the article's overall state, derived from these
    (``annotator.model.derived_status``), and keeps the reviewer's reviewed/flagged.
    ``assignments``: who is to annotate which article.

    Back-fill: an article already in progress, done or skipped gets a state row for the one
    annotator it can be pinned on: the only annotator with spans in it (the gold annotator
    aside), or, with no annotator's spans, the one who last set its status (the history), else
    the annotator its import named, else the project's ``annotator`` setting. An article
    with spans by two or more annotators gets none: who finished it is not known. Each row
    is in the history (``article.state``, by ``m006_annotator_states``)."""
    db.execute(
        """
        CREATE TABLE article_states (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('new','in_progress','done','skipped')),
            reason TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (article_id, annotator)
        )"""
    )
    db.execute(
        """
        CREATE TABLE assignments (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            assigned_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (article_id, annotator)
        )"""
    )
    # An analyst's own articles and states without reading the others' (the desk's list,
    # "my articles" first; agreement's "both done").
    db.execute("CREATE INDEX article_states_annotator ON article_states(annotator, status, article_id)")
    db.execute("CREATE INDEX assignments_annotator ON assignments(annotator, article_id)")
    conn = db.conn
    gold_row = conn.execute("SELECT value FROM settings WHERE key = 'review.gold_annotator'").fetchone()
    gold = (gold_row[0] if gold_row else "") or "gold"
    setting = conn.execute("SELECT value FROM settings WHERE key = 'annotator'").fetchone()
    fallback = setting[0] if setting and setting[0] else None
    started = "SELECT id FROM articles WHERE status IN ('in_progress','done','skipped')"
    span_annotators: dict[int, set[str]] = {}
    for article_id, annotator in conn.execute(
        f"SELECT DISTINCT article_id, annotator FROM spans WHERE annotator IS NOT NULL AND annotator != ? "
        f"AND article_id IN ({started})",
        (gold,),
    ):
        span_annotators.setdefault(article_id, set()).add(annotator)
    last_status_by: dict[int, str] = {}
    for article_id, annotator in conn.execute(
        f"SELECT article_id, annotator FROM events WHERE action = 'article.status' AND annotator IS NOT NULL "
        f"AND article_id IN ({started}) ORDER BY id"
    ):
        last_status_by[article_id] = annotator  # the newest wins
    imported_by: dict[int, str] = {}
    for article_id, annotator in conn.execute(
        f"SELECT article_id, json_extract(after, '$.annotator') FROM events "
        f"WHERE action IN ('article.import', 'article.merge') AND article_id IN ({started}) ORDER BY id"
    ):
        if annotator:
            imported_by.setdefault(article_id, annotator)  # the first import set the status
    ts = datetime.now(UTC).isoformat(timespec="milliseconds")
    rows: list[tuple] = []
    for article_id, status, reason in conn.execute(
        "SELECT id, status, status_reason FROM articles WHERE status IN ('in_progress','done','skipped')"
    ).fetchall():
        names = span_annotators.get(article_id, set())
        if len(names) > 1:
            continue
        who = next(iter(names)) if names else (
            last_status_by.get(article_id) or imported_by.get(article_id) or fallback
        )  # fmt: skip
        if who:
            rows.append((article_id, who, status, reason, ts))
    conn.executemany(
        "INSERT INTO article_states (article_id, annotator, status, reason, updated_at) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO events (ts, annotator, action, article_id, before, after) VALUES (?, NULL, 'article.state', ?, ?, ?)",
        [
            (ts, article_id, json.dumps({"annotator": who, "status": None}),
             json.dumps({"annotator": who, "status": status, "reason": reason, "by": "m006_annotator_states"},
                        ensure_ascii=False))
            for article_id, who, status, reason, _ts in rows
        ],
    )  # fmt: skip


@migrations()
def m007_team_sync(db: Database) -> None:
    """What a team project needs locally (``storage.team``), unused until the project joins one:
    a global ``uid`` for spans and relations (local ids are per file; the server keys rows by
    uid; given by the capture triggers once the project is linked, so a project that never
    joins pays nothing), the ``outbox`` of changes to send (numbered: the client's change
    sequence), the ``sync_state`` flag that silences capture while pulled changes are applied,
    the link to the server (``team_link``) and the notices a sync left (``sync_notices``)."""
    db.execute("ALTER TABLE spans ADD COLUMN uid TEXT")
    db.execute("ALTER TABLE relations ADD COLUMN uid TEXT")
    db.execute("CREATE UNIQUE INDEX spans_uid ON spans(uid) WHERE uid IS NOT NULL")
    db.execute("CREATE UNIQUE INDEX relations_uid ON relations(uid) WHERE uid IS NOT NULL")
    db.execute(
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, key TEXT NOT NULL, "
        "op TEXT NOT NULL, at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE sync_state (id INTEGER PRIMARY KEY CHECK (id = 1), capture INTEGER NOT NULL DEFAULT 0, "
        "applying INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("INSERT INTO sync_state (id, capture, applying) VALUES (1, 0, 0)")
    db.execute("CREATE TABLE team_link (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE sync_notices (id INTEGER PRIMARY KEY, at TEXT NOT NULL, message TEXT NOT NULL, "
        "seen INTEGER NOT NULL DEFAULT 0)"
    )


@migrations()
def m010_model_versions(db: Database) -> None:
    """Versions of the project's own trained model (``storage.models``): one row per finished
    training, kept for rollback; at most one is in use (``active``). Ids are never reused."""
    db.execute(
        """
        CREATE TABLE model_versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT NOT NULL,
            path TEXT NOT NULL,
            cause TEXT NOT NULL DEFAULT 'manual',
            articles INTEGER NOT NULL DEFAULT 0,
            spans INTEGER NOT NULL DEFAULT 0,
            f REAL,
            scores TEXT NOT NULL DEFAULT '{}',
            seconds REAL,
            active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
            note TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE UNIQUE INDEX model_versions_active ON model_versions(active) WHERE active = 1")


@migrations()
def m011_article_queue(db: Database) -> None:
    """What to annotate next (``annotator.queue``): each article's ``usefulness`` and
    ``effort``, the keys of the "most useful first" and "quickest first" orders, one row per
    article in a narrow table of its own (indexed in each order's direction; a column on
    ``articles`` would rewrite every article's text to fill it).

    A new article gets its row from a trigger, its effort estimated from its length alone;
    storing an article's suggestions sets both numbers (``storage.suggestions``). Back-fill,
    from what is stored: the effort from the length and the pending suggestions, and the
    usefulness from the stored scores of the spaCy pipelines' pending suggestions (their
    uncertainty: which suggesters disagreed, the merge did not keep) — one pass over the
    articles and two index-driven reads of the spans."""
    from annotator.queue import effort, effort_sql, uncertainty

    db.execute(
        """
        CREATE TABLE article_queue (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            usefulness REAL NOT NULL DEFAULT 0,
            effort REAL NOT NULL DEFAULT 0
        )"""
    )
    conn = db.conn
    # Each read walks the one index that holds what it needs (the planner's choice, the
    # (status, label) index, looked every suggestion's row up: 2M reads).
    pending = dict(
        conn.execute(
            "SELECT article_id, count(*) FROM spans INDEXED BY spans_annotator_article "
            "WHERE annotator IS NULL AND status = 'suggested' GROUP BY article_id"
        )
    )  # the suggestions nobody touched: one range, in article order
    for article_id, n in conn.execute(
        "SELECT article_id, count(*) FROM spans INDEXED BY spans_annotator_article "
        "WHERE annotator IS NOT NULL AND status = 'suggested' GROUP BY article_id"
    ):
        pending[article_id] = pending.get(article_id, 0) + n
    scores: dict[int, list[float]] = {}
    for article_id, score in conn.execute(
        "SELECT article_id, score FROM spans INDEXED BY spans_origin_status WHERE origin >= 'spacy:' "
        "AND origin < 'spacy;' AND status = 'suggested' AND score IS NOT NULL"
    ):
        scores.setdefault(article_id, []).append(score)
    conn.executemany(
        "INSERT INTO article_queue (article_id, usefulness, effort) VALUES (?, ?, ?)",
        (
            (aid, round(uncertainty(scores.get(aid, ())), 3), effort(chars, pending.get(aid, 0)))
            for aid, chars in conn.execute("SELECT id, length(text) FROM articles").fetchall()
        ),
    )
    db.execute("CREATE INDEX article_queue_useful ON article_queue(usefulness DESC, article_id)")
    db.execute("CREATE INDEX article_queue_effort ON article_queue(effort, article_id)")
    db.execute(
        "CREATE TRIGGER article_queue_new AFTER INSERT ON articles BEGIN "
        "INSERT OR IGNORE INTO article_queue (article_id, effort) "
        f"VALUES (NEW.id, {effort_sql('length(NEW.text)')}); END"
    )


@migrations()
def m012_token_cache(db: Database) -> None:
    """The token cache (``storage.tokens``): each article's tokens per tokenizer, for exports.

    Rows go with their article (cascade) and with its text (the trigger: a team sync may
    replace an article's text); another spaCy version or language is another key. Nothing
    to back-fill: exports fill it as they meet articles."""
    db.execute(
        """
        CREATE TABLE token_cache (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            tokenizer TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (article_id, tokenizer)
        ) WITHOUT ROWID"""
    )
    db.execute(
        "CREATE TRIGGER token_cache_text AFTER UPDATE OF text ON articles WHEN NEW.text IS NOT OLD.text "
        "BEGIN DELETE FROM token_cache WHERE article_id = NEW.id; END"
    )


@migrations()
def m013_model_place(db: Database) -> None:
    """Where a model version's suggestions go among the suggesters (``annotator.loop``):
    ``first`` (they win where they overlap the others') or ``last`` (they fill what the others
    left). Versions made before were put first."""
    db.execute("ALTER TABLE model_versions ADD COLUMN place TEXT NOT NULL DEFAULT 'first'")
