"""Per-annotator article state and assignment: each analyst's own new / in progress / done /
skipped for an article (``article_states``), and who is to annotate which article
(``assignments``).

An annotator's state change derives the article's overall status (``articles.status``) in
the same transaction, by ``annotator.model.derived_status``; the reviewer's reviewed and
flagged stay on the article. Every write is in the history: ``article.state`` (before and
after: annotator, status, reason), ``article.assign`` and ``article.unassign`` (one event per
article and annotator)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.errors import StoreError
from annotator.model import ANNOTATOR_STATES, REVIEWER_STATUSES, derived_status
from storage.articles import ArticlesPart
from storage.db import chunks, now

#: A state row: (status, reason).
State = tuple[str, str]
#: An assignment row: (article id, annotator).
Pair = tuple[int, str]


class StatesPart(ArticlesPart):
    """Annotator states and assignments of a project: see the module docstring."""

    # -- reads ----------------------------------------------------------------------------------

    def annotator_state(self, article_id: int, annotator: str) -> State | None:
        """``annotator``'s own (status, reason) of the article; None when they have no row."""
        rows = self.query(
            "SELECT status, reason FROM article_states WHERE article_id = ? AND annotator = ?",
            (article_id, annotator),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def annotator_states(self, article_id: int) -> dict[str, State]:
        """Every annotator's (status, reason) of the article."""
        rows = self.query(
            "SELECT annotator, status, reason FROM article_states WHERE article_id = ? ORDER BY annotator",
            (article_id,),
        )
        return {who: (status, reason) for who, status, reason in rows}

    def states_many(self, article_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """article id -> annotator -> status, for many articles at once (agreement's "both done")."""
        out: dict[int, dict[str, str]] = {}
        for aid, who, status in self.query_ids(
            "SELECT article_id, annotator, status FROM article_states WHERE article_id IN ({ids})", article_ids
        ):
            out.setdefault(aid, {})[who] = status
        return out

    def done_article_ids(self, annotator: str) -> list[int]:
        """The articles ``annotator`` marked done (index-only)."""
        rows = self.query(
            "SELECT article_id FROM article_states WHERE annotator = ? AND status = 'done' ORDER BY article_id",
            (annotator,),
        )
        return [r[0] for r in rows]

    def state_annotators(self) -> list[str]:
        """Everyone with a state row in the project."""
        return [r[0] for r in self.query("SELECT DISTINCT annotator FROM article_states ORDER BY annotator")]

    def assigned_annotators(self) -> list[str]:
        """Everyone with an assignment in the project (skip-scan of ``assignments_annotator``)."""
        return [r[0] for r in self.query("SELECT DISTINCT annotator FROM assignments ORDER BY annotator")]

    def span_annotators(self) -> list[str]:
        """Everyone whose name a span carries (skip-scan of ``spans_annotator_article``)."""
        rows = self.query(
            "WITH RECURSIVE v(x) AS (SELECT min(annotator) FROM spans UNION ALL "
            "SELECT (SELECT min(annotator) FROM spans WHERE annotator > v.x) FROM v WHERE v.x IS NOT NULL) "
            "SELECT x FROM v WHERE x IS NOT NULL"
        )
        return [r[0] for r in rows]

    def assignments(self, article_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
        """article id -> its assigned annotators (sorted); every assigned article without ids."""
        out: dict[int, list[str]] = {}
        if article_ids is None:
            rows = self.query("SELECT article_id, annotator FROM assignments ORDER BY article_id, annotator")
        else:
            rows = []
            for part in chunks(list(article_ids)):
                marks = ",".join("?" * len(part))
                rows += self.query(
                    f"SELECT article_id, annotator FROM assignments WHERE article_id IN ({marks}) "
                    "ORDER BY article_id, annotator",
                    part,
                )
        for aid, who in rows:
            out.setdefault(aid, []).append(who)
        return out

    def assigned_article_ids(self, annotator: str) -> list[int]:
        """The articles assigned to ``annotator``, in id order (index-only)."""
        rows = self.query(
            "SELECT article_id FROM assignments WHERE annotator = ? ORDER BY article_id", (annotator,)
        )
        return [r[0] for r in rows]

    def has_assignments(self, annotator: str | None = None) -> bool:
        if annotator is None:
            return bool(self.query("SELECT 1 FROM assignments LIMIT 1"))
        return bool(self.query("SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1", (annotator,)))

    # -- writes ---------------------------------------------------------------------------------

    def set_annotator_state(
        self,
        article_id: int,
        annotator: str,
        status: str | None,
        reason: str = "",
        *,
        overall: State | None = None,
    ) -> State:
        """Set ``annotator``'s own state of the article (``None``: remove their row, as an undo
        of their first state does), and the article's overall status with it, in one
        transaction, derived (``annotator.model.derived_status``). ``overall`` is what the
        article's status goes back to when nothing else decides it: an undo of a solo
        annotator's first state (without assignments and without their row, "the last
        annotator's state" is not known). Returns the overall (status, reason) after."""
        if status is not None and status not in ANNOTATOR_STATES:
            raise StoreError(f"an annotator's state is one of {', '.join(ANNOTATOR_STATES)}, not {status!r}")
        if not annotator:
            raise StoreError("an annotator's state needs the annotator's name")
        with self.transaction():
            row = self.db.execute(
                "SELECT status, status_reason FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"no article with id {article_id}")
            current: State = (row[0], row[1])
            before = self.db.execute(
                "SELECT status, reason FROM article_states WHERE article_id = ? AND annotator = ?",
                (article_id, annotator),
            ).fetchone()
            if (tuple(before) if before else None) != ((status, reason) if status is not None else None):
                with self.write("article.state", article_id):
                    if status is None:
                        self.db.execute(
                            "DELETE FROM article_states WHERE article_id = ? AND annotator = ?",
                            (article_id, annotator),
                        )
                    else:
                        self.db.execute(
                            "INSERT INTO article_states (article_id, annotator, status, reason, updated_at) "
                            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id, annotator) DO UPDATE SET "
                            "status = excluded.status, reason = excluded.reason, updated_at = excluded.updated_at",
                            (article_id, annotator, status, reason, now()),
                        )
                    self.event(
                        "article.state",
                        article_id=article_id,
                        before={"annotator": annotator, "status": before[0] if before else None,
                                "reason": before[1] if before else ""},
                        after={"annotator": annotator, "status": status, "reason": reason},
                    )  # fmt: skip
            target = self._derived(article_id, annotator, current, overall)
            if target != current:
                self.set_article_status(article_id, target[0], target[1])
            return target

    def rederive_article_status(self, article_ids: Sequence[int]) -> list[int]:
        """Derive the overall status of articles again from their states and assignments, the
        newest state counting as the last change (a sync that brought other desks' states
        calls this: their overall status is derived here, not sent). Returns the articles
        whose status changed; each change is an ``article.status`` event like any other."""
        changed: list[int] = []
        with self.transaction():
            for article_id in article_ids:
                row = self.db.execute(
                    "SELECT status, status_reason FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                newest = self.db.execute(
                    "SELECT annotator FROM article_states WHERE article_id = ? ORDER BY updated_at DESC, annotator "
                    "LIMIT 1",
                    (article_id,),
                ).fetchone()
                if row is None or newest is None:
                    continue
                current: State = (row[0], row[1])
                target = self._derived(article_id, newest[0], current, None)
                if target != current:
                    self.set_article_status(article_id, target[0], target[1])
                    changed.append(article_id)
        return changed

    def _derived(self, article_id: int, changed: str, current: State, fallback: State | None) -> State:
        states = {
            who: (status, reason)
            for who, status, reason in self.db.execute(
                "SELECT annotator, status, reason FROM article_states WHERE article_id = ?", (article_id,)
            )
        }
        assigned = {
            r[0]
            for r in self.db.execute("SELECT annotator FROM assignments WHERE article_id = ?", (article_id,))
        }
        if changed not in states and not assigned and current[0] not in REVIEWER_STATUSES:
            return fallback or current  # a solo annotator's row removed: what was before it
        return derived_status(current, states, assigned, changed)

    def assign(
        self, pairs: Iterable[Pair], *, assigned_by: str = "", created_at: str | None = None
    ) -> list[Pair]:
        """Assign articles to annotators; returns the pairs that were not assigned already.
        Assignment alone does not move an article's overall status (its states do)."""
        wanted = list(dict.fromkeys((int(a), str(w)) for a, w in pairs))
        ts = created_at or now()
        with self.transaction():
            have = self._existing(wanted)
            added = [p for p in wanted if p not in have]
            if not added:
                return []
            missing = self._missing_articles({a for a, _ in added})
            if missing:
                raise StoreError(f"no article with id {min(missing)}")
            with self.write("article.assign", sorted({a for a, _ in added})):
                self.db.conn.executemany(
                    "INSERT INTO assignments (article_id, annotator, assigned_by, created_at) VALUES (?, ?, ?, ?)",
                    [(a, w, assigned_by, ts) for a, w in added],
                )
                self._events(
                    "article.assign", [(a, None, {"annotator": w, "by": assigned_by}) for a, w in added]
                )
        return added

    def unassign(self, pairs: Iterable[Pair]) -> list[tuple[int, str, str, str]]:
        """Take assignments back; returns the rows removed (article id, annotator, by, created at)."""
        wanted = list(dict.fromkeys((int(a), str(w)) for a, w in pairs))
        with self.transaction():
            gone: list[tuple[int, str, str, str]] = [
                tuple(r) for r in self._assignments(wanted, "article_id, annotator, assigned_by, created_at")
            ]
            if not gone:
                return []
            with self.write("article.assign", sorted({g[0] for g in gone})):
                self.db.conn.executemany(
                    "DELETE FROM assignments WHERE article_id = ? AND annotator = ?",
                    [(g[0], g[1]) for g in gone],
                )
                self._events(
                    "article.unassign", [(g[0], {"annotator": g[1], "by": g[2]}, None) for g in gone]
                )
        return gone

    def _existing(self, pairs: Sequence[Pair]) -> set[Pair]:
        return {(a, w) for a, w in self._assignments(pairs, "article_id, annotator")}

    def _assignments(self, pairs: Sequence[Pair], columns: str) -> Iterator[Any]:
        """``columns`` of the assignments of these (article, annotator) pairs, 400 pairs a query
        (two parameters each, under SQLite's limit)."""
        for part in chunks(list(pairs), 400):
            cond = " OR ".join(["(article_id = ? AND annotator = ?)"] * len(part))
            params = [x for p in part for x in p]
            yield from self.db.execute(f"SELECT {columns} FROM assignments WHERE {cond}", params)

    def _missing_articles(self, ids: set[int]) -> set[int]:
        found: set[int] = set()
        for part in chunks(sorted(ids)):
            marks = ",".join("?" * len(part))
            found.update(
                r[0] for r in self.db.execute(f"SELECT id FROM articles WHERE id IN ({marks})", part)
            )
        return ids - found

    def _events(self, action: str, items: Sequence[tuple[int, Any, Any]]) -> None:
        ts = now()
        self.db.conn.executemany(
            "INSERT INTO events (ts, annotator, action, article_id, before, after) VALUES (?,?,?,?,?,?)",
            [
                (ts, self.annotator, action, aid,
                 None if before is None else json.dumps(before, ensure_ascii=False),
                 None if after is None else json.dumps(after, ensure_ascii=False))
                for aid, before, after in items
            ],
        )  # fmt: skip
