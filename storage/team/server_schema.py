"""The team server's schema, as numbered PostgreSQL migrations (``sorot_schema`` records them).

Rows are keyed by global ids (article and span uids, label names), never by a copy's local
integer ids. ``changes`` is the pull cursor: one row per row a push wrote, numbered by an
identity the server gives; pushes take one advisory lock, so numbers commit in order and
a reader who has seen change N has seen every change before it. ``client_progress`` holds
the last change number of each client the server applied: a push re-sent after a cut is
recognised and skipped (exactly once). ``UNIQUE (client_id, client_seq)`` makes a
duplicate impossible even by mistake.

Roles, per database (names prefixed with the database's): ``<db>_annotator``,
``<db>_reviewer``, ``<db>_lead``; every member is a LOGIN role granted one of them. Table
privileges: everyone reads everything; spans, relations and per-annotator states are
written by everyone, under row-level security: a row's ``annotator`` must be the member
(``gold`` too for a reviewer; anything for a lead). Labels, settings, articles,
assignments and members are written by leads only. A trigger gives the refusal its words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from psycopg import Connection, sql

ROLES = ("annotator", "reviewer", "lead")
GOLD = "gold"


def group_roles(dbname: str) -> dict[str, str]:
    base = re.sub(r"[^a-z0-9_]", "_", dbname.lower())[:40]
    return {role: f"{base}_{role}" for role in ROLES}


def _s001_tables(conn: Connection, roles: dict[str, str]) -> None:
    conn.execute(
        """
        CREATE TABLE team (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE members (name text PRIMARY KEY, role text NOT NULL CHECK (role IN ('annotator','reviewer','lead')),
            db_user text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE articles (uid text PRIMARY KEY, hash text NOT NULL, title text NOT NULL DEFAULT '',
            source text NOT NULL DEFAULT '', url text NOT NULL DEFAULT '', language text NOT NULL DEFAULT '',
            text text NOT NULL, meta text NOT NULL DEFAULT '{}', created_at text NOT NULL, updated_at text NOT NULL);
        CREATE TABLE spans (uid text PRIMARY KEY, article_uid text NOT NULL, char_start integer NOT NULL,
            char_end integer NOT NULL, label text NOT NULL, text text NOT NULL, origin text NOT NULL,
            status text NOT NULL CHECK (status IN ('accepted','rejected')), annotator text,
            note text NOT NULL DEFAULT '', attrs text NOT NULL DEFAULT '{}', score double precision,
            created_at text NOT NULL, updated_at text NOT NULL);
        CREATE INDEX spans_article ON spans (article_uid);
        CREATE TABLE relations (uid text PRIMARY KEY, article_uid text NOT NULL, head_uid text NOT NULL,
            tail_uid text NOT NULL, label text NOT NULL, annotator text, created_at text NOT NULL);
        CREATE TABLE labels (name text PRIMARY KEY, kind text NOT NULL, colour text NOT NULL, shortcut text NOT NULL,
            description text NOT NULL, maps_from text NOT NULL, position integer NOT NULL);
        CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE article_states (article_uid text NOT NULL, annotator text NOT NULL, status text NOT NULL
            CHECK (status IN ('new','in_progress','done','skipped')), reason text NOT NULL DEFAULT '',
            updated_at text NOT NULL, PRIMARY KEY (article_uid, annotator));
        CREATE TABLE assignments (article_uid text NOT NULL, annotator text NOT NULL,
            assigned_by text NOT NULL DEFAULT '', created_at text NOT NULL, PRIMARY KEY (article_uid, annotator));
        CREATE TABLE changes (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tbl text NOT NULL,
            key text NOT NULL, client_id text NOT NULL, client_seq bigint NOT NULL,
            member text NOT NULL DEFAULT current_user, at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (client_id, client_seq));
        CREATE INDEX changes_key ON changes (tbl, key);
        CREATE TABLE client_progress (client_id text PRIMARY KEY, member text NOT NULL DEFAULT current_user,
            last_seq bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());
        """
    )


def _s002_roles(conn: Connection, roles: dict[str, str]) -> None:
    for name in roles.values():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
    everyone = sql.SQL(", ").join(sql.Identifier(r) for r in roles.values())
    lead = sql.Identifier(roles["lead"])
    conn.execute(
        sql.SQL(
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone};"
            "GRANT INSERT, UPDATE, DELETE ON spans, relations, article_states TO {everyone};"
            "GRANT INSERT ON changes TO {everyone};"
            "GRANT INSERT, UPDATE ON client_progress TO {everyone};"
            "GRANT INSERT, UPDATE, DELETE ON articles, labels, settings, assignments, members, team TO {lead};"
        ).format(everyone=everyone, lead=lead)
    )
    # Who may write a row owned by ``owner``: the owner, a reviewer for the gold version, a lead.
    conn.execute(
        sql.SQL(
            """
            CREATE FUNCTION sorot_may_write(owner text) RETURNS boolean LANGUAGE sql STABLE AS $$
                SELECT pg_has_role(current_user, {lead}, 'MEMBER')
                    OR (owner IS NOT NULL AND owner = current_user)
                    OR (owner = {gold} AND pg_has_role(current_user, {reviewer}, 'MEMBER'))
            $$;
            CREATE FUNCTION sorot_check_owner() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' AND NOT sorot_may_write(OLD.annotator) THEN
                    RAISE EXCEPTION 'refused: % may not change % of %: only its annotator or a lead may',
                        current_user, TG_TABLE_NAME, coalesce(OLD.annotator, 'the project')
                        USING ERRCODE = '42501';
                END IF;
                IF TG_OP <> 'DELETE' AND NOT sorot_may_write(NEW.annotator) THEN
                    RAISE EXCEPTION 'refused: % may not write % of %',
                        current_user, TG_TABLE_NAME, coalesce(NEW.annotator, 'the project')
                        USING ERRCODE = '42501';
                END IF;
                RETURN coalesce(NEW, OLD);
            END $$;
            """
        ).format(
            lead=sql.Literal(roles["lead"]), reviewer=sql.Literal(roles["reviewer"]), gold=sql.Literal(GOLD)
        )
    )
    for table in ("spans", "relations", "article_states"):
        conn.execute(
            sql.SQL(
                """
                ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;
                CREATE POLICY read_all ON {t} FOR SELECT USING (true);
                CREATE POLICY write_own ON {t} FOR INSERT WITH CHECK (sorot_may_write(annotator));
                CREATE POLICY change_own ON {t} FOR UPDATE USING (true) WITH CHECK (sorot_may_write(annotator));
                CREATE POLICY delete_own ON {t} FOR DELETE USING (true);
                CREATE TRIGGER owner_only BEFORE INSERT OR UPDATE OR DELETE ON {t}
                    FOR EACH ROW EXECUTE FUNCTION sorot_check_owner();
                """
            ).format(t=sql.Identifier(table))
        )
    # A member records only their own clients' progress and changes.
    conn.execute(
        """
        ALTER TABLE client_progress ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own_progress ON client_progress USING (true) WITH CHECK (member = current_user);
        ALTER TABLE changes ENABLE ROW LEVEL SECURITY;
        CREATE POLICY read_changes ON changes FOR SELECT USING (true);
        CREATE POLICY own_changes ON changes FOR INSERT WITH CHECK (member = current_user);
        """
    )


#: (number, name, step): applied in order, each in its own transaction.
MIGRATIONS: list[tuple[int, str, Callable[[Connection, dict[str, str]], None]]] = [
    (1, "tables", _s001_tables),
    (2, "roles_and_row_security", _s002_roles),
]


def migrate(conn: Connection) -> int:
    """Bring the server's schema up to date; the version it is at."""
    dbname = conn.execute("SELECT current_database()").fetchone()[0]
    roles = group_roles(dbname)
    with conn.transaction():
        conn.execute("CREATE TABLE IF NOT EXISTS sorot_schema (version integer PRIMARY KEY, name text NOT NULL, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")  # fmt: skip
        conn.execute("SELECT pg_advisory_xact_lock(41)")
        done = {r[0] for r in conn.execute("SELECT version FROM sorot_schema")}
    version = max(done, default=0)
    for number, name, step in MIGRATIONS:
        if number in done:
            continue
        with conn.transaction():
            step(conn, roles)
            conn.execute("INSERT INTO sorot_schema (version, name) VALUES (%s, %s)", (number, name))
        version = number
    return version
