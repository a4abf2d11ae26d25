"""The local side of a team project: the link, change capture, notices and full dumps.

Change capture is SQLite triggers, installed when the project is linked (``link``): every
write path (commands, imports, suggestions accepted, label renames, another engineer's new
code) lands in the ``outbox`` inside the transaction of the edit itself, so an edit is
saved locally first and queued for the server at once, or not at all. Suggestions
(status ``suggested``) are not captured: they are derived data each desk derives again; a
suggestion the analyst accepts or rejects becomes a row the server gets. The triggers are
silent while ``sync_state.applying`` is set: rows pulled from the server are not sent back.
Machine-local settings (trained model paths, the desk's language) are not captured either.

Keys, global across copies: spans and relations by ``uid`` (given by the insert trigger),
articles by their ``uid``, labels by name, settings by key, per-annotator article states
and assignments by ``<article uid>\\t<annotator>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storage.db import ProjectDb, now

#: Settings that belong to one machine, never sent: trained model paths, the desk's language.
LOCAL_SETTINGS = ("models", "language")

#: Tables with per-annotator rows (``<article uid>\t<annotator>`` keys), made by another part
#: of Sorot (m006); captured once they exist.
STATE_TABLES = ("article_states", "assignments")

#: The synced tables, in the order a pull applies puts (deletes go in reverse).
TABLES = ("labels", "settings", "articles", "spans", "relations", "article_states", "assignments")

_CAPTURING = "(SELECT capture AND NOT applying FROM sync_state WHERE id = 1)"
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
_UID = "lower(hex(randomblob(16)))"


def _outbox(tbl: str, key: str, op: str) -> str:
    return f"INSERT INTO outbox (tbl, key, op, at) VALUES ('{tbl}', {key}, '{op}', {_NOW});"


def _state_key(alias: str) -> str:
    return f"(SELECT uid FROM articles WHERE id = {alias}.article_id) || char(9) || {alias}.annotator"


def _triggers(tables: set[str]) -> list[str]:
    local = ",".join(f"'{k}'" for k in LOCAL_SETTINGS)
    out = [
        # spans: a uid for every new span (suggestions too: one may be accepted later)
        f"""CREATE TRIGGER IF NOT EXISTS team_spans_ins AFTER INSERT ON spans WHEN {_CAPTURING} BEGIN
            UPDATE spans SET uid = {_UID} WHERE id = NEW.id AND uid IS NULL;
            INSERT INTO outbox (tbl, key, op, at)
                SELECT 'spans', uid, 'put', {_NOW} FROM spans WHERE id = NEW.id AND status != 'suggested';
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_spans_upd AFTER UPDATE ON spans WHEN {_CAPTURING}
            AND OLD.uid IS NOT NULL AND (OLD.status != 'suggested' OR NEW.status != 'suggested') BEGIN
            {_outbox("spans", "NEW.uid", "put")}
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_spans_del AFTER DELETE ON spans WHEN {_CAPTURING}
            AND OLD.uid IS NOT NULL AND OLD.status != 'suggested' BEGIN
            {_outbox("spans", "OLD.uid", "del")}
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_relations_ins AFTER INSERT ON relations WHEN {_CAPTURING} BEGIN
            UPDATE relations SET uid = {_UID} WHERE id = NEW.id AND uid IS NULL;
            INSERT INTO outbox (tbl, key, op, at) SELECT 'relations', uid, 'put', {_NOW} FROM relations WHERE id = NEW.id;
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_relations_upd AFTER UPDATE ON relations WHEN {_CAPTURING}
            AND OLD.uid IS NOT NULL BEGIN {_outbox("relations", "NEW.uid", "put")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_relations_del AFTER DELETE ON relations WHEN {_CAPTURING}
            AND OLD.uid IS NOT NULL BEGIN {_outbox("relations", "OLD.uid", "del")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_articles_ins AFTER INSERT ON articles WHEN {_CAPTURING} BEGIN
            {_outbox("articles", "NEW.uid", "put")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_articles_upd AFTER UPDATE OF title, source, url, language, meta, text
            ON articles WHEN {_CAPTURING} BEGIN {_outbox("articles", "NEW.uid", "put")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_articles_del AFTER DELETE ON articles WHEN {_CAPTURING} BEGIN
            {_outbox("articles", "OLD.uid", "del")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_labels_ins AFTER INSERT ON labels WHEN {_CAPTURING} BEGIN
            {_outbox("labels", "NEW.name", "put")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_labels_upd AFTER UPDATE ON labels WHEN {_CAPTURING} BEGIN
            {_outbox("labels", "OLD.name", "del")} {_outbox("labels", "NEW.name", "put")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_labels_del AFTER DELETE ON labels WHEN {_CAPTURING} BEGIN
            {_outbox("labels", "OLD.name", "del")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_settings_ins AFTER INSERT ON settings WHEN {_CAPTURING}
            AND NEW.key NOT IN ({local}) BEGIN {_outbox("settings", "NEW.key", "put")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_settings_upd AFTER UPDATE ON settings WHEN {_CAPTURING}
            AND NEW.key NOT IN ({local}) BEGIN {_outbox("settings", "NEW.key", "put")} END""",
        f"""CREATE TRIGGER IF NOT EXISTS team_settings_del AFTER DELETE ON settings WHEN {_CAPTURING}
            AND OLD.key NOT IN ({local}) BEGIN {_outbox("settings", "OLD.key", "del")} END""",
    ]
    for table in STATE_TABLES:
        if table not in tables:
            continue
        out += [
            f"""CREATE TRIGGER IF NOT EXISTS team_{table}_ins AFTER INSERT ON {table} WHEN {_CAPTURING} BEGIN
                {_outbox(table, _state_key("NEW"), "put")} END""",
            f"""CREATE TRIGGER IF NOT EXISTS team_{table}_upd AFTER UPDATE ON {table} WHEN {_CAPTURING} BEGIN
                {_outbox(table, _state_key("OLD"), "del")} {_outbox(table, _state_key("NEW"), "put")} END""",
            f"""CREATE TRIGGER IF NOT EXISTS team_{table}_del AFTER DELETE ON {table} WHEN {_CAPTURING} BEGIN
                {_outbox(table, _state_key("OLD"), "del")} END""",
        ]
    return out


@dataclass(frozen=True, slots=True)
class Link:
    """What a linked project remembers of its server (never a password)."""

    url: str  # without a password
    user: str  # the database role it connects as
    member: str  # the annotator name on the team
    role: str  # annotator | reviewer | lead
    client_id: str  # this copy's name on the server; its changes are numbered by the outbox

    def as_dict(self) -> dict[str, str]:
        return {"url": self.url, "user": self.user, "member": self.member, "role": self.role,
                "client_id": self.client_id}  # fmt: skip


def get_link(store: ProjectDb) -> Link | None:
    values = dict(store.query("SELECT key, value FROM team_link"))
    if "url" not in values:
        return None
    return Link(values["url"], values["user"], values["member"], values["role"], values["client_id"])


def get_value(store: ProjectDb, key: str, default: str = "") -> str:
    rows = store.query("SELECT value FROM team_link WHERE key = ?", (key,))
    return rows[0][0] if rows else default


def set_values(db: Any, values: dict[str, Any]) -> None:
    """Inside the caller's transaction."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO team_link (key, value) VALUES (?, ?)", [(k, str(v)) for k, v in values.items()]
    )


def install_capture(db: Any) -> None:
    """Create the capture triggers for every synced table that exists (inside a transaction).
    Idempotent: called at link time and before each sync, so tables made by a later
    migration (m006's per-annotator states) are captured as soon as they exist."""
    tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for sql in _triggers(tables):
        db.conn.execute(sql)


def missing_triggers(store: ProjectDb) -> bool:
    tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    have = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return any(t not in have for t in (f"team_{tab}_ins" for tab in STATE_TABLES if tab in tables))


def link(store: ProjectDb, link: Link, cursor: int) -> None:
    """Remember the server, give every span and relation a uid, start capturing."""
    with store.transaction() as db:
        db.execute(f"UPDATE spans SET uid = {_UID} WHERE uid IS NULL")
        db.execute(f"UPDATE relations SET uid = {_UID} WHERE uid IS NULL")
        set_values(db, {**link.as_dict(), "cursor": cursor, "pushed": 0})
        db.execute("DELETE FROM outbox")
        install_capture(db)
        db.execute("UPDATE sync_state SET capture = 1, applying = 0 WHERE id = 1")
        store.event("team.link", after={"url": link.url, "member": link.member, "role": link.role})
        store.announce("settings")


def pending(store: ProjectDb) -> int:
    """Changes waiting to be sent (distinct rows)."""
    pushed = int(get_value(store, "pushed", "0") or 0)
    return store.query("SELECT count(DISTINCT tbl || char(9) || key) FROM outbox WHERE seq > ?", (pushed,))[0][0]


def add_notice(db: Any, message: str) -> None:
    db.execute("INSERT INTO sync_notices (at, message) VALUES (?, ?)", (now(), message))


def notices(store: ProjectDb, *, unseen_only: bool = True, mark_seen: bool = False) -> list[str]:
    sql = "SELECT id, message FROM sync_notices" + (" WHERE seen = 0" if unseen_only else "") + " ORDER BY id"
    rows = store.query(sql)
    if mark_seen and rows:
        with store.transaction() as db:
            db.execute("UPDATE sync_notices SET seen = 1 WHERE id <= ?", (rows[-1][0],))
    return [r[1] for r in rows]


def _has(store: ProjectDb, table: str) -> bool:
    return bool(store.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)))


def dump(store: ProjectDb) -> dict[str, list[tuple]]:
    """Everything a team shares, keyed by global ids and sorted: two copies that synced
    fully have equal dumps (the server's own is ``storage.team.sync.server_dump``)."""
    local = ",".join(f"'{k}'" for k in LOCAL_SETTINGS)
    out: dict[str, list[tuple]] = {
        "articles": store.query(
            "SELECT uid, hash, title, source, url, language, text, meta FROM articles ORDER BY uid"
        ),
        "spans": store.query(
            "SELECT s.uid, a.uid, char_start, char_end, label, s.text, origin, s.status, annotator, note, attrs, "
            "score FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.status != 'suggested' ORDER BY s.uid"
        ),
        "relations": store.query(
            "SELECT r.uid, a.uid, h.uid, t.uid, r.label, r.annotator FROM relations r "
            "JOIN articles a ON a.id = r.article_id JOIN spans h ON h.id = r.head_span_id "
            "JOIN spans t ON t.id = r.tail_span_id "
            "WHERE h.status != 'suggested' AND t.status != 'suggested' ORDER BY r.uid"
        ),
        "labels": store.query(
            "SELECT name, kind, colour, shortcut, description, maps_from, position FROM labels ORDER BY name"
        ),
        "settings": store.query(f"SELECT key, value FROM settings WHERE key NOT IN ({local}) ORDER BY key"),
    }
    if _has(store, "article_states"):
        out["article_states"] = store.query(
            "SELECT a.uid, s.annotator, s.status, s.reason FROM article_states s "
            "JOIN articles a ON a.id = s.article_id ORDER BY 1, 2"
        )
    if _has(store, "assignments"):
        out["assignments"] = store.query(
            "SELECT a.uid, s.annotator, s.assigned_by FROM assignments s "
            "JOIN articles a ON a.id = s.article_id ORDER BY 1, 2"
        )
    return {k: canonical(v) for k, v in out.items()}


def canonical(rows: Iterable[Sequence[Any]]) -> list[tuple]:
    """Rows sorted the same way whichever database gave them (collations differ)."""
    return sorted((tuple(r) for r in rows), key=lambda r: tuple("" if v is None else str(v) for v in r))


def json_attrs(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def split_state_key(key: str) -> tuple[str, str]:
    article_uid, _, annotator = key.partition("\t")
    return article_uid, annotator


def uids(values: Iterable[Any]) -> list[str]:
    return [str(v) for v in values if v is not None]
