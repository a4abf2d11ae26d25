"""Articles: lookups, the article list's pages, neighbours, status and language, deletion
and full-text search over titles and texts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.errors import StoreError
from annotator.model import ARTICLE_STATUSES, Article, span_record
from storage.db import ARTICLE_COLUMNS, SPAN_COLUMNS, ProjectDb, article_from_row, now, span_from_row

ARTICLE_SORT = {
    "id": "a.id",
    "title": "a.title COLLATE NOCASE",
    "status": "a.status",
    "language": "a.language",
    "updated": "a.updated_at",
}

#: The queue orders (``annotator.queue``) by their keys in ``article_queue q``: the key and
#: its direction, ties in import order. Each walks its own index (m011).
QUEUE_SORT = {
    "useful": ("q.usefulness", "DESC"),
    "quick": ("q.effort", "ASC"),
}
QUEUE_JOIN = "CROSS JOIN article_queue q ON q.article_id = a.id"
#: The other direction of an ORDER BY term.
FLIP = {"ASC": "DESC", "DESC": "ASC"}


def order_clause(order: str, descending: bool, ids: str = "a.id") -> str:
    """ORDER BY terms for a list order (``ARTICLE_SORT`` or ``QUEUE_SORT``), ties by id."""
    if order in QUEUE_SORT:
        key, first = QUEUE_SORT[order]
        return f"{key} {FLIP[first] if descending else first}, {ids} {'DESC' if descending else 'ASC'}"
    direction = "DESC" if descending else "ASC"
    key = ARTICLE_SORT.get(order, "a.id")
    if key == "a.id":
        return f"{ids} {direction}"
    return f"{key} {direction}, {ids} {direction}"


class ArticlesPart(ProjectDb):
    """Articles of a project: see the module docstring."""

    def article(self, article_id: int) -> Article:
        rows = self.query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        if not rows:
            raise StoreError(f"no article with id {article_id}")
        return article_from_row(rows[0])

    def article_by_uid(self, uid: str) -> Article | None:
        rows = self.query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE uid = ?", (uid,))
        return article_from_row(rows[0]) if rows else None

    def count_articles(
        self, *, statuses: Sequence[str] = (), search: str = "", annotator: str | None = None
    ) -> int:
        """How many articles pass the filter; with ``annotator``, ``statuses`` are matched
        against their own state where they have one (what their list shows)."""
        own = bool(statuses) and self._has_states(annotator)
        if search and not statuses:
            # Every row of the full-text index is an article (the store keeps them in step):
            # count the matches without looking each article up.
            return self.query(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (fts_query(search),)
            )[0][0]
        if own and not search:
            # Two index-driven counts, not a probe per article: their own states in ``statuses``
            # (index-only), and the articles in ``statuses`` they have no state of.
            marks = ",".join("?" * len(statuses))
            theirs = self.query(
                f"SELECT count(*) FROM article_states WHERE annotator = ? AND status IN ({marks})",
                (annotator, *statuses),
            )[0][0]
            in_statuses = self.query(f"SELECT count(*) FROM articles WHERE status IN ({marks})", statuses)[0][
                0
            ]
            overridden = self.query(
                f"SELECT count(*) FROM article_states st CROSS JOIN articles a ON a.id = st.article_id "
                f"WHERE st.annotator = ? AND a.status IN ({marks})",
                (annotator, *statuses),
            )[0][0]
            return theirs + in_statuses - overridden
        where, params = article_where(statuses, search, annotator=annotator if own else None)
        return self.query(f"SELECT count(*) FROM articles a {where}", params)[0][0]

    def _rare(self, statuses: Sequence[str], annotator: str | None) -> bool:
        """Whether the articles with ``statuses`` (theirs or the article's) are few enough to
        drive a page by their ids: two index-only counts that stop at the cap."""
        marks = ",".join("?" * len(statuses))
        n = self.query(
            f"SELECT (SELECT count(*) FROM (SELECT 1 FROM articles WHERE status IN ({marks}) LIMIT ?)) + "
            f"(SELECT count(*) FROM (SELECT 1 FROM article_states WHERE annotator = ? AND status IN ({marks}) LIMIT ?))",
            (*statuses, STATUS_DRIVER_CAP + 1, annotator, *statuses, STATUS_DRIVER_CAP + 1),
        )[0][0]
        return n <= STATUS_DRIVER_CAP

    def _has_states(self, annotator: str | None) -> bool:
        return bool(annotator) and bool(
            self.query("SELECT 1 FROM article_states WHERE annotator = ? LIMIT 1", (annotator,))
        )

    def span_counts(self, article_id: int) -> dict[str, int]:
        """How many spans of each status the article has (one grouped count, not the spans)."""
        return dict(
            self.query(
                "SELECT status, count(*) FROM spans WHERE article_id = ? GROUP BY status", (article_id,)
            )
        )

    def article_ids(self, *, statuses: Sequence[str] = (), search: str = "") -> list[int]:
        where, params = article_where(statuses, search)
        return [r[0] for r in self.query(f"SELECT a.id FROM articles a {where} ORDER BY a.id", params)]

    def article_rows(
        self,
        offset: int,
        limit: int,
        *,
        statuses: Sequence[str] = (),
        search: str = "",
        order: str = "id",
        descending: bool = False,
        annotator: str | None = None,
        part: str | None = None,
        after: tuple[float, int] | None = None,
    ) -> list[dict[str, Any]]:
        """A page of the article list: what a table row shows, nothing more.

        With ``annotator`` (the desk's analyst), their own articles (assigned to them) come
        first, then the rest, each part in the asked order; ``status`` is their own state
        where they have one (``overall`` is the article's), ``mine`` says whether the
        article is theirs. The parts are two queries, each walking an index in the asked
        order and probing the other table per row (no list of their articles built, no sort
        of the table): a page of 100k articles stays as quick as without them.

        ``part`` "mine" or "rest" pages through one part alone (``offset`` within it): the
        list does, so it never counts its analyst's articles under a filter to know where
        the parts meet.

        In a queue order (``QUEUE_SORT``) each row also has its ``queue_key``, and ``after``
        (a row's ``(queue_key, id)``) pages on from that row rather than from ``offset``
        (keyset paging: a page costs the same deep in the list as at its top).
        """
        key = ARTICLE_SORT.get(order, "a.id") if order not in QUEUE_SORT else QUEUE_SORT[order][0]
        direction = "DESC" if descending else "ASC"
        queued = order in QUEUE_SORT
        source = "articles a"  # (a queue order's pages: queue_walk below)
        order_by = order_clause(order, descending, "q.article_id" if queued else "a.id")
        own_filter = bool(statuses) and self._has_states(annotator)
        where, params = article_where(
            statuses, search, annotator=annotator if own_filter else None,
            narrow=own_filter and self._rare(statuses, annotator),
        )  # fmt: skip
        conds = where.removeprefix("WHERE ")
        own = (
            "coalesce((SELECT st.status FROM article_states st WHERE st.article_id = a.id AND st.annotator = ?), "
            "a.status)"
            if annotator
            else "a.status"
        )
        cols = (
            f"a.id, a.uid, a.title, {own}, a.status, a.language, a.updated_at, length(a.text), "
            "(SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.status = 'accepted'), "
            "(SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.status = 'suggested')"
        )
        head = [annotator] if annotator else []
        names = ("id", "uid", "title", "status", "overall", "language", "updated_at", "length", "accepted",
                 "suggested")  # fmt: skip

        def rows(sql: str, sql_params: list[Any], mine: bool) -> list[dict[str, Any]]:
            return [dict(zip(names, r, strict=True), mine=mine) for r in self.query(sql, head + sql_params)]

        def also(extra: str) -> str:
            return f"WHERE {extra} AND {conds}" if conds else f"WHERE {extra}"

        # Keyset paging in a queue order: the rows past ``after`` (in the order's direction).
        seek, seek_params = "", []
        if queued and after is not None:
            primary = (
                QUEUE_SORT[order][1]
                if not descending
                else FLIP[QUEUE_SORT[order][1]]
            )
            le, lt = ("<=", "<") if primary == "DESC" else (">=", ">")
            seek = f"{key} {le} ? AND ({key} {lt} ? OR q.article_id {'<' if descending else '>'} ?)"
            seek_params = [after[0], after[0], after[1]]
        queue_names = (*names, "queue_key")

        def queue_rows(sql: str, sql_params: list[Any], mine: bool) -> list[dict[str, Any]]:
            return [
                dict(zip(queue_names, r, strict=True), mine=mine) for r in self.query(sql, head + sql_params)
            ]

        def queue_walk(
            scope: str, scope_params: list[Any], first: int, size: int, mine: bool
        ) -> list[dict[str, Any]]:
            # A queue order: the page is found walking the order's index (probing their
            # assignments for a part; without a filter, in the index alone), and only its rows
            # have their columns computed. Skipping 50,000 rows through the articles themselves
            # took 100-230 ms, 2-3 ms this way.
            where_q = " AND ".join(c for c in (scope, conds, seek) if c)
            inner = (
                f"SELECT q.article_id, {key} FROM article_queue q "
                f"{'CROSS JOIN articles a ON a.id = q.article_id' if conds else ''} "
                f"{'WHERE ' + where_q if where_q else ''} ORDER BY {order_by} LIMIT ? OFFSET ?"
            )
            outer = order_clause(order, descending, "p.article_id").replace("q.", "p.")
            return queue_rows(
                f"SELECT {cols}, {key.replace('q.', 'p.')} FROM ({inner}) p CROSS JOIN articles a "
                f"ON a.id = p.article_id ORDER BY {outer}",
                [*scope_params, *params, *seek_params, size, first],
                mine,
            )

        if not annotator or not self.query(
            "SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1", (annotator,)
        ):
            if part == "mine":
                return []
            if queued:
                return queue_walk("", [], offset, limit, False)
            return rows(
                f"SELECT {cols} FROM {source} {where} ORDER BY {order_by} LIMIT ? OFFSET ?",
                [*params, limit, offset],
                False,
            )
        not_mine = "NOT EXISTS (SELECT 1 FROM assignments m WHERE m.annotator = ? AND m.article_id = a.id)"

        def mine_page(first: int, size: int) -> list[dict[str, Any]]:
            if key == "a.id" and not conds:
                # Skipping through their assignments' index alone, then a look-up per row shown.
                return rows(
                    f"SELECT {cols} FROM articles a WHERE a.id IN (SELECT article_id FROM assignments "
                    f"WHERE annotator = ? ORDER BY article_id {direction} LIMIT ? OFFSET ?) ORDER BY a.id {direction}",
                    [annotator, size, first],
                    True,
                )
            if (
                queued
                and self.query(  # more than MINE_SORTED, found without counting them all
                    "SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1 OFFSET ?", (annotator, MINE_SORTED)
                )
            ):
                return queue_walk(
                    "EXISTS (SELECT 1 FROM assignments m WHERE m.article_id = q.article_id AND m.annotator = ?)",
                    [annotator], first, size, True,
                )  # fmt: skip
            if queued:  # few: sorted for each page
                return queue_rows(
                    f"SELECT {cols}, {key} FROM assignments m CROSS JOIN articles a ON a.id = m.article_id "
                    f"{QUEUE_JOIN} {also(' AND '.join(c for c in ('m.annotator = ?', seek) if c))} "
                    f"ORDER BY {order_clause(order, descending)} LIMIT ? OFFSET ?",
                    [annotator, *seek_params, *params, size, first],
                    True,
                )
            # In id order their assignments' index is already the order: walk it, look articles up.
            mine_order = f"m.article_id {direction}" if key == "a.id" else order_clause(order, descending)
            return rows(
                f"SELECT {cols} FROM assignments m CROSS JOIN articles a ON a.id = m.article_id "
                f"{also('m.annotator = ?')} ORDER BY {mine_order} LIMIT ? OFFSET ?",
                [annotator, *params, size, first],
                True,
            )

        def rest_page(first: int, size: int) -> list[dict[str, Any]]:
            if queued:
                return queue_walk(
                    "NOT EXISTS (SELECT 1 FROM assignments m WHERE m.article_id = q.article_id AND m.annotator = ?)",
                    [annotator], first, size, False,
                )  # fmt: skip
            return rows(
                f"SELECT {cols} FROM {source} {also(not_mine)} ORDER BY {order_by} LIMIT ? OFFSET ?",
                [annotator, *params, size, first],
                False,
            )

        if part == "mine":
            return mine_page(offset, limit)
        if part == "rest":
            return rest_page(offset, limit)
        if conds:
            n_mine = self.query(
                f"SELECT count(*) FROM assignments m CROSS JOIN articles a ON a.id = m.article_id "
                f"{also('m.annotator = ?')}",
                [annotator, *params],
            )[0][0]
        else:
            n_mine = self.query("SELECT count(*) FROM assignments WHERE annotator = ?", (annotator,))[0][0]
        out = mine_page(offset, limit) if offset < n_mine else []
        if len(out) < limit:
            out += rest_page(max(0, offset - n_mine), limit - len(out))
        return out

    def neighbour_article(
        self,
        article_id: int,
        step: int,
        *,
        skip_done: bool = False,
        annotator: str | None = None,
        order: str = "id",
    ) -> int | None:
        """The next (step=1) or previous (step=-1) article id in ``order`` (import order, or
        a queue order of ``QUEUE_SORT``), optionally the next not done; past the last not
        done, the first not done in that order.

        With ``annotator`` and ``skip_done``: the next not done *by them* (their own state
        where they have one, else the article's), among the articles assigned to them first
        when they have any, then among all."""
        forward = step > 0
        params: list[Any] = []
        if skip_done and annotator:
            # Probes per article walked (EXISTS), not lists built: the walk stops at the first hit.
            own = "(SELECT st.status FROM article_states st WHERE st.article_id = a.id AND st.annotator = ?)"
            extra = (
                f" AND CASE WHEN {own} IS NULL THEN a.status NOT IN ('done', 'reviewed', 'skipped') "
                f"ELSE {own} NOT IN ('done', 'skipped') END"
            )
            params = [annotator, annotator]
        else:
            extra = " AND a.status NOT IN ('done', 'reviewed', 'skipped')" if skip_done else ""
        scopes = [""]
        if (
            skip_done
            and annotator
            and self.query("SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1", (annotator,))
        ):
            scopes.insert(
                0, " AND EXISTS (SELECT 1 FROM assignments m WHERE m.article_id = a.id AND m.annotator = ?)"
            )
        if order in QUEUE_SORT:
            key, first = QUEUE_SORT[order]
            walk = first if forward else FLIP[first]
            beyond = "<" if walk == "DESC" else ">"
            op, ids = (">", "ASC") if forward else ("<", "DESC")
            source = "article_queue q CROSS JOIN articles a ON a.id = q.article_id"
            here = self.query(
                f"SELECT {key.removeprefix('q.')} FROM article_queue WHERE article_id = ?", (article_id,)
            )
            # Two index ranges, each stopping at its first hit: the same key after this
            # article (ties in import order), then the keys beyond it.
            steps = [
                (f"SELECT a.id FROM {source} WHERE {key} = ? AND q.article_id {op} ?{{}} ORDER BY q.article_id {ids} "
                 "LIMIT 1", [here[0][0], article_id] if here else None),
                (f"SELECT a.id FROM {source} WHERE {key} {beyond} ?{{}} ORDER BY {key} {walk}, q.article_id {ids} "
                 "LIMIT 1", [here[0][0]] if here else None),
            ]  # fmt: skip
            restart = (
                f"SELECT a.id FROM {source} WHERE 1=1{{}} ORDER BY {key} {first}, q.article_id ASC LIMIT 1"
            )
        else:
            op, direction = (">", "ASC") if forward else ("<", "DESC")
            source = "articles a"
            steps = [
                (
                    f"SELECT a.id FROM {source} WHERE a.id {op} ?{{}} ORDER BY a.id {direction} LIMIT 1",
                    [article_id],
                )
            ]
            restart = f"SELECT a.id FROM {source} WHERE 1=1{{}} ORDER BY a.id LIMIT 1"
        for scope in scopes:
            scope_params = [annotator] if scope else []
            for sql, head in steps:
                if head is None:
                    continue
                rows = self.query(sql.format(extra + scope), (*head, *params, *scope_params))
                if rows:
                    return rows[0][0]
            if skip_done or all(head is None for _sql, head in steps):
                rows = self.query(restart.format(extra + scope), (*params, *scope_params))
                if rows:
                    return rows[0][0]
        return None

    def queue_keys(self, article_ids: Sequence[int]) -> dict[int, tuple[float, float]]:
        """Article id -> (usefulness, effort): the queue orders' keys (``annotator.queue``)."""
        rows = self.query_ids(
            "SELECT article_id, usefulness, effort FROM article_queue WHERE article_id IN ({ids})", article_ids
        )
        return {aid: (useful, effort) for aid, useful, effort in rows}

    def set_article_status(self, article_id: int, status: str, reason: str = "") -> None:
        if status not in ARTICLE_STATUSES:
            raise StoreError(f"unknown article status {status!r}")
        before = self.query("SELECT status, status_reason FROM articles WHERE id = ?", (article_id,))
        if not before:
            raise StoreError(f"no article with id {article_id}")
        with self.write("article.status", article_id):
            self.db.execute(
                "UPDATE articles SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?",
                (status, reason, now(), article_id),
            )
            self.event(
                "article.status",
                article_id=article_id,
                before={"status": before[0][0], "reason": before[0][1]},
                after={"status": status, "reason": reason},
            )

    def set_article_title(self, article_id: int, title: str) -> None:
        """Rename an article (its full-text row follows). Spaces are tidied; an empty title is
        allowed (the list then shows the article's id) so that undo can restore one."""
        title = " ".join(title.split())
        before = self.query("SELECT title FROM articles WHERE id = ?", (article_id,))
        if not before:
            raise StoreError(f"no article with id {article_id}")
        with self.write("article.title", article_id):
            self.db.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) SELECT 'delete', id, title, text "
                "FROM articles WHERE id = ?",
                (article_id,),
            )
            self.db.execute(
                "UPDATE articles SET title = ?, updated_at = ? WHERE id = ?", (title, now(), article_id)
            )
            self.db.execute(
                "INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id = ?",
                (article_id,),
            )
            self.event(
                "article.title", article_id=article_id, before={"title": before[0][0]}, after={"title": title}
            )

    def set_article_language(self, article_id: int, language: str) -> None:
        with self.write("article.language", article_id):
            self.db.execute("UPDATE articles SET language = ? WHERE id = ?", (language, article_id))
            self.event("article.language", article_id=article_id, after={"language": language})

    def delete_article(self, article_id: int) -> None:
        art = self.article(article_id)
        with self.write("article.delete", article_id):
            # Its spans go with it; each removal is in the history, like any other.
            gone = [span_from_row(r) for r in self.query(f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id = ?",
                                                         (article_id,))]  # fmt: skip
            self.events_many("span.delete", [(sp, span_record(sp), None) for sp in gone], now())
            self.fts_spans_drop("article_id = ?", (article_id,))
            self.db.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) SELECT 'delete', id, title, text "
                "FROM articles WHERE id = ?",
                (article_id,),
            )
            self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            self.event("article.delete", article_id=article_id, before={"uid": art.uid, "title": art.title})

    def search_articles(self, query: str, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.query(
            "SELECT a.id, a.title, snippet(articles_fts, 1, '[', ']', '…', 12) FROM articles_fts "
            "JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts_query(query), limit),
        )
        return [{"id": r[0], "title": r[1], "snippet": r[2]} for r in rows]


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word must appear, as a prefix for the last."""
    words = [w.replace('"', '""') for w in text.split() if w.strip()]
    if not words:
        return '""'
    parts = [f'"{w}"' for w in words]
    parts[-1] += "*"
    return " ".join(parts)


#: In a queue order, an analyst with at most this many articles has them sorted for each page
#: (a few ms); with more, the page is found walking the order's index (bench_desk.py list, their
#: 40,000 of 100,000: sorting them took 190 ms a page; walking from the row at the offset, 31 ms
#: median; from the last row shown, ``after``, 4 ms, 9 ms at the 95th percentile).
MINE_SORTED = 5_000

#: A status filter matching at most this many articles (by their own or the article's status)
#: drives the list's query by its ids; a commoner one is checked on each article walked.
STATUS_DRIVER_CAP = 20_000


def article_where(
    statuses: Sequence[str],
    search: str,
    ids: Sequence[int] = (),
    *,
    annotator: str | None = None,
    narrow: bool = False,
) -> tuple[str, list[Any]]:
    """WHERE for articles ``a``. With ``annotator``, ``statuses`` match their own state where
    they have a row, else the article's (one primary-key probe per article looked at); with
    ``narrow`` too, the candidates come from the two status indexes first (a rare status)."""
    cond: list[str] = []
    params: list[Any] = []
    if statuses and annotator:
        marks = ",".join("?" * len(statuses))
        if narrow:
            cond.append(
                f"a.id IN (SELECT article_id FROM article_states WHERE annotator = ? AND status IN ({marks}) "
                f"UNION ALL SELECT id FROM articles WHERE status IN ({marks}))"
            )
            params += [annotator, *statuses, *statuses]
        cond.append(
            "coalesce((SELECT st.status FROM article_states st WHERE st.article_id = a.id AND st.annotator = ?), "
            f"a.status) IN ({marks})"
        )
        params += [annotator, *statuses]
    elif statuses:
        cond.append(f"a.status IN ({','.join('?' * len(statuses))})")
        params += list(statuses)
    if search:
        cond.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(fts_query(search))
    if ids:
        cond.append(f"a.id IN ({','.join('?' * len(ids))})")
        params += list(ids)
    return ("WHERE " + " AND ".join(cond) if cond else ""), params
