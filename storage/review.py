"""Review queries over every span of a project: the review table, bulk edits, workflow, stats.

Functions take a ``Store`` and return plain rows; nothing here imports Qt.

The review table must open in well under 100 ms on millions of spans, whatever the
filter. SQLite's planner cannot know that a filter is rare, so ``_plan`` asks first:
each indexed condition is counted up to ``DRIVER_CAP`` rows (an index-only count that
stops early). When one condition is that rare, its few ids drive the query; otherwise
the spans are walked newest first (rowid order, no sort) and the first page fills fast
because every condition is common. Pages continue by keyset (``after_id``), never by
a growing OFFSET.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import StoreError
from annotator.model import ARTICLE_STATUSES, SPAN_STATUSES, Span
from annotator.project import gold_annotator
from storage.schema import ANY_SPAN_STATUS
from storage.store import SPAN_COLUMNS, Store, fts_query, span_from_row

CONTEXT_CHARS = 40
DRIVER_CAP = 20_000  # a condition this rare drives the query by its ids
NARROW_CAP = 100_000  # a condition up to this size drives when a walk in id order finds too little
WALK_BUDGET_S = 0.02  # how long a walk in id order may look for a page before narrowing


@dataclass(frozen=True)
class SpanFilter:
    """Which spans the review table, its count and its bulk actions look at.

    Empty tuples mean "any". ``text`` is a full-text search on the span's text.
    ``since`` is inclusive and ``until`` inclusive for a bare date (``YYYY-MM-DD``),
    both compared with the span's ``updated_at``.
    """

    labels: tuple[str, ...] = ()
    text: str = ""
    annotators: tuple[str | None, ...] = ()
    origins: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    article_statuses: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    article_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for status in self.statuses:
            if status not in SPAN_STATUSES:
                raise StoreError(f"unknown span status {status!r}")
        for status in self.article_statuses:
            if status not in ARTICLE_STATUSES:
                raise StoreError(f"unknown article status {status!r}")

    @property
    def is_empty(self) -> bool:
        return self == SpanFilter()


@dataclass
class _Cond:
    sql: str  # a condition on alias ``s``
    params: list[Any]
    driver: str | None = None  # a query returning the matching span ids, if it has an index
    driver_params: list[Any] = field(default_factory=list)


def _conditions(flt: SpanFilter) -> list[_Cond]:
    conds: list[_Cond] = []

    def in_list(col: str, values: Sequence[Any]) -> None:
        marks = ",".join("?" * len(values))
        # labels are looked up through the (status, label) index
        driver = f"{ANY_SPAN_STATUS} AND label" if col == "label" else col
        conds.append(
            _Cond(
                f"s.{col} IN ({marks})",
                list(values),
                f"SELECT id FROM spans WHERE {driver} IN ({marks})",
                list(values),
            )
        )

    if flt.labels:
        in_list("label", flt.labels)
    if flt.statuses:
        in_list("status", flt.statuses)
    if flt.origins:
        in_list("origin", flt.origins)
    if flt.annotators:
        named = [a for a in flt.annotators if a is not None]
        parts, driver_parts = [], []
        if named:
            marks = ",".join("?" * len(named))
            parts.append(f"s.annotator IN ({marks})")
            driver_parts.append(f"SELECT id FROM spans WHERE annotator IN ({marks})")
        if None in flt.annotators:
            parts.append("s.annotator IS NULL")
            driver_parts.append("SELECT id FROM spans WHERE annotator IS NULL")
        conds.append(
            _Cond("(" + " OR ".join(parts) + ")", list(named), " UNION ALL ".join(driver_parts), list(named))
        )
    if flt.article_statuses:
        marks = ",".join("?" * len(flt.article_statuses))
        sub = f"SELECT id FROM articles WHERE status IN ({marks})"
        conds.append(
            _Cond(
                f"s.article_id IN ({sub})",
                list(flt.article_statuses),
                f"SELECT sp.id FROM articles ar JOIN spans sp ON sp.article_id = ar.id WHERE ar.status IN ({marks})",
                list(flt.article_statuses),
            )
        )
    if flt.article_ids:
        marks = ",".join("?" * len(flt.article_ids))
        conds.append(
            _Cond(
                f"s.article_id IN ({marks})",
                list(flt.article_ids),
                f"SELECT id FROM spans WHERE article_id IN ({marks})",
                list(flt.article_ids),
            )
        )
    if flt.since or flt.until:
        parts, params = [], []
        if flt.since:
            parts.append("updated_at >= ?")
            params.append(flt.since)
        if flt.until:
            parts.append("updated_at <= ?")
            # A bare date means the whole of that day.
            params.append(flt.until + "\uffff" if len(flt.until) == 10 else flt.until)
        where = " AND ".join(parts)
        conds.append(
            _Cond(
                " AND ".join("s." + p for p in parts), params, f"SELECT id FROM spans WHERE {where}", params
            )
        )
    if flt.text.strip():
        q = fts_query(flt.text)
        conds.append(
            _Cond(
                "s.id IN (SELECT rowid FROM spans_fts WHERE spans_fts MATCH ?)",
                [q],
                "SELECT rowid FROM spans_fts WHERE spans_fts MATCH ?",
                [q],
            )
        )
    return conds


@dataclass
class _Plan:
    """How to find the rows: "ids" (rare conditions' ids drive, intersected), "fts" (the
    search drives, in rowid order) or "scan" (the table in rowid order)."""

    mode: str
    conds: list[_Cond]
    drivers: list[_Cond] = field(default_factory=list)
    narrow: list[_Cond] | None = None  # the drivers to fall back on when a walk is slow (None: not yet known)


def _count_driver(store: Store, cond: _Cond, cap: int) -> int:
    assert cond.driver is not None
    return store.query(f"SELECT count(*) FROM ({cond.driver} LIMIT {cap + 1})", cond.driver_params)[0][0]


PLAN_TTL_S = 30.0


def _plan(store: Store, flt: SpanFilter) -> _Plan:
    """The plan for a filter, kept a while on the store (its ``caches``): the next pages of
    the same table reuse it; it goes with the store when the project closes."""
    _plans: OrderedDict[SpanFilter, tuple[float, _Plan]] = store.caches.setdefault(
        "review.plans", OrderedDict()
    )
    key = flt
    hit = _plans.get(key)
    if hit and time.monotonic() - hit[0] < PLAN_TTL_S:
        _plans.move_to_end(key)
        return hit[1]
    plan = _make_plan(store, flt)
    _plans[key] = (time.monotonic(), plan)
    while len(_plans) > 64:
        _plans.popitem(last=False)
    return plan


def _make_plan(store: Store, flt: SpanFilter) -> _Plan:
    conds = _conditions(flt)
    best: tuple[int, _Cond] | None = None
    for cond in conds:
        if cond.driver is None:
            continue
        n = _count_driver(store, cond, DRIVER_CAP)
        if best is None or n < best[0]:
            best = (n, cond)
        if n == 0:
            break
    if best is not None and best[0] <= DRIVER_CAP:
        return _Plan("ids", conds, [best[1]])
    fts = [c for c in conds if "spans_fts" in c.sql]
    return _Plan("fts", conds, fts) if fts else _Plan("scan", conds)


def _narrow(store: Store, plan: _Plan) -> _Plan:
    """When every condition is common but together they are rare, a walk in id order finds
    little: let the ids of the rarest condition (up to ``NARROW_CAP``) drive instead."""
    if plan.mode == "ids":
        return plan
    if plan.narrow is None:
        best: tuple[int, _Cond] | None = None
        for cond in plan.conds:
            if cond.driver is None:
                continue
            cap = best[0] if best else NARROW_CAP
            n = _count_driver(store, cond, cap)
            if n <= cap and (best is None or n < best[0]):
                best = (n, cond)
        plan.narrow = [best[1]] if best else []
    if not plan.narrow:
        return plan
    return _Plan("ids", plan.conds, plan.narrow, plan.narrow)


def _from_where(plan: _Plan, *, after_id: int | None, join_articles: bool) -> tuple[str, list[Any]]:
    """FROM and WHERE for a plan; rows come newest (highest id) first."""
    join = " CROSS JOIN articles a ON a.id = s.article_id" if join_articles else ""
    where: list[str] = []
    params: list[Any] = []
    rest = [c for c in plan.conds if c not in plan.drivers]
    if plan.mode == "fts":
        frm = f"spans_fts f CROSS JOIN spans s ON s.id = f.rowid{join}"
        where.append("f.spans_fts MATCH ?")
        params += plan.drivers[0].driver_params
        rest = [c for c in plan.conds if c is not plan.drivers[0]]
        if after_id is not None:
            where.append("f.rowid < ?")
            params.append(after_id)
    else:
        # NOT INDEXED: walk the table in rowid order (or look ids up), never let the
        # planner pick an index that would need a sort of millions of rows.
        frm = f"spans s NOT INDEXED{join}"
        if plan.mode == "ids":
            where.append(f"s.id IN ({' INTERSECT '.join(str(d.driver) for d in plan.drivers)})")
            for d in plan.drivers:
                params += d.driver_params
        if after_id is not None:
            where.append("s.id < ?")
            params.append(after_id)
    for cond in rest:
        where.append(cond.sql)
        params += cond.params
    return frm + (" WHERE " + " AND ".join(where) if where else ""), params


def _order(plan: _Plan) -> str:
    return "f.rowid DESC" if plan.mode == "fts" else "s.id DESC"


def _budgeted(store: Store, sql: str, params: Sequence[Any], seconds: float) -> list[tuple] | None:
    """Run a query, giving up (None) after ``seconds``."""
    deadline = time.perf_counter() + seconds
    with store.reading() as conn:
        conn.set_progress_handler(lambda: time.perf_counter() > deadline, 5000)
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                return None
            raise StoreError(str(exc)) from exc
        finally:
            conn.set_progress_handler(None, 0)


def _first_rows(
    store: Store, flt: SpanFilter, build: Callable[[_Plan], tuple[str, list[Any]]]
) -> list[tuple]:
    """Rows for a page: the quick plan if it answers within the budget, else the narrowed one."""
    plan = _plan(store, flt)
    if plan.mode != "ids" and plan.narrow != [] and any(c.driver for c in plan.conds):
        if plan.narrow is None:  # not yet known to be slow: try the walk
            rows = _budgeted(store, *build(plan), WALK_BUDGET_S)
            if rows is not None:
                return rows
        narrowed = _narrow(store, plan)
        if narrowed.mode == "ids":
            return store.query(*build(narrowed))
    return store.query(*build(plan))


ROW_FIELDS = (
    "id", "article_id", "title", "label", "text", "left", "right", "status", "origin", "annotator",
    "updated_at", "char_start", "char_end",
)  # fmt: skip


def span_rows(
    store: Store,
    flt: SpanFilter = SpanFilter(),
    offset: int = 0,
    limit: int = 200,
    *,
    after_id: int | None = None,
) -> list[dict[str, Any]]:
    """A page of the review table, newest span first.

    Continue with ``after_id`` = the last row's id (keyset, constant time);
    ``offset`` works too but costs as many rows as it skips.
    """
    c = CONTEXT_CHARS

    def build(plan: _Plan) -> tuple[str, list[Any]]:
        frm, params = _from_where(plan, after_id=after_id, join_articles=True)
        sql = (
            "SELECT s.id, s.article_id, a.title, s.label, s.text, "
            f"substr(a.text, max(1, s.char_start - {c - 1}), min({c}, s.char_start)), "
            f"substr(a.text, s.char_end + 1, {c}), "
            "s.status, s.origin, s.annotator, s.updated_at, s.char_start, s.char_end "
            f"FROM {frm} ORDER BY {_order(plan)} LIMIT ? OFFSET ?"
        )
        return sql, [*params, limit, offset]

    rows = _first_rows(store, flt, build)
    return [dict(zip(ROW_FIELDS, r, strict=True)) for r in rows]


def count_spans(store: Store, flt: SpanFilter = SpanFilter(), *, cap: int | None = None) -> int:
    """How many spans pass the filter; with ``cap``, stops counting at ``cap + 1`` ("1,000+")."""
    if flt.is_empty and cap is None:
        return store.query("SELECT count(*) FROM spans")[0][0]
    if cap is not None:

        def build(plan: _Plan) -> tuple[str, list[Any]]:
            frm, params = _from_where(plan, after_id=None, join_articles=False)
            return f"SELECT count(*) FROM (SELECT 1 FROM {frm} LIMIT ?)", [*params, cap + 1]

        return _first_rows(store, flt, build)[0][0]
    plan = _narrow(store, _plan(store, flt))
    frm, params = _from_where(plan, after_id=None, join_articles=False)
    return store.query(f"SELECT count(*) FROM {frm}", params)[0][0]


def span_ids(store: Store, flt: SpanFilter = SpanFilter()) -> list[int]:
    """Every span id that passes the filter (for bulk actions), newest first."""
    plan = _narrow(store, _plan(store, flt))
    frm, params = _from_where(plan, after_id=None, join_articles=False)
    return [r[0] for r in store.query(f"SELECT s.id FROM {frm} ORDER BY {_order(plan)}", params)]


# -- article workflow -----------------------------------------------------------------------


def article_status_counts(store: Store) -> dict[str, int]:
    counts = dict.fromkeys(ARTICLE_STATUSES, 0)
    counts.update(dict(store.query("SELECT status, count(*) FROM articles GROUP BY status")))
    return counts


# -- several annotators ---------------------------------------------------------------------


@dataclass
class AnnotatedArticle:
    """One article with each annotator's spans: what comparison and agreement read."""

    article_id: int
    title: str
    text: str
    status: str
    spans: dict[str, list[Span]]


def multi_annotated_ids(
    store: Store, *, annotators: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[int]:
    """Articles that two or more of the given annotators (default: all but ``exclude``) annotated:
    each has spans in it or marked it done (done with no span is "found nothing", not "never saw it").

    Read from the (annotator, article_id) indexes alone, whatever the spans' status.
    """
    names = list(annotators) or [
        a for a in dict.fromkeys([*distinct_values(store, "annotator"), *store.state_annotators()])
        if a not in exclude
    ]  # fmt: skip
    seen: dict[int, int] = {}
    for name in names:
        ids = {aid for (aid,) in store.query("SELECT DISTINCT article_id FROM spans WHERE annotator = ?", (name,))}
        ids.update(store.done_article_ids(name))
        for aid in ids:
            seen[aid] = seen.get(aid, 0) + 1
    return sorted(aid for aid, n in seen.items() if n >= 2)


def annotated_articles(
    store: Store,
    article_ids: Sequence[int] | None = None,
    *,
    annotators: Sequence[str] = (),
    labels: Sequence[str] = (),
    exclude: Sequence[str] = (),
    statuses: Sequence[str] = ("accepted",),
    batch: int = 500,
    finished_only: bool = False,
) -> Iterator[AnnotatedArticle]:
    """Each article with its spans grouped by annotator (default: articles with 2+ annotators).

    An annotator who marked the article done is in it even without a span (an empty list:
    they found nothing). With ``finished_only`` (agreement), an annotator whose own state of
    the article is anything but done is left out of it: half-done work is not compared. An
    annotator with spans and no state row at all (a project from before per-annotator states)
    is in, as before. The gold annotator is left out unless named in ``annotators``.
    """
    if not annotators and not exclude:
        exclude = (gold_annotator(store),)
    if article_ids is None:
        article_ids = multi_annotated_ids(store, annotators=annotators, exclude=exclude)
    ids = list(article_ids)
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        marks = ",".join("?" * len(chunk))
        arts = {
            r[0]: r[1:]
            for r in store.query(f"SELECT id, title, text, status FROM articles WHERE id IN ({marks})", chunk)
        }
        sql = f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id IN ({marks}) AND annotator IS NOT NULL"
        params: list[Any] = list(chunk)
        for col, values in (("annotator", annotators), ("label", labels), ("status", statuses)):
            if values:
                sql += f" AND {col} IN ({','.join('?' * len(values))})"
                params += list(values)
        if exclude:
            sql += f" AND annotator NOT IN ({','.join('?' * len(exclude))})"
            params += list(exclude)
        by_article: dict[int, dict[str, list[Span]]] = {}
        for r in store.query(sql + " ORDER BY article_id, char_start, char_end DESC, id", params):
            sp = span_from_row(r)
            by_article.setdefault(sp.article_id, {}).setdefault(sp.annotator or "", []).append(sp)
        states = store.states_many(chunk)
        for aid in chunk:
            if aid not in arts:
                continue
            title, text, status = arts[aid]
            # Only annotators who annotated this article: someone who never saw it did not
            # "find nothing"; someone who marked it done with no span did.
            spans = by_article.get(aid, {})
            for who, state in states.get(aid, {}).items():
                wanted = (who in annotators) if annotators else (who not in exclude)
                if state == "done" and wanted:
                    spans.setdefault(who, [])
                elif finished_only and who in spans:
                    del spans[who]
            yield AnnotatedArticle(aid, title, text, status, spans)


# -- stats ------------------------------------------------------------------------------------


def spans_per_label(store: Store) -> list[dict[str, Any]]:
    rows = store.query("SELECT label, status, count(*) FROM spans GROUP BY label, status")
    out: dict[str, dict[str, Any]] = {}
    for label, status, n in rows:
        row = out.setdefault(
            label, {"label": label, "accepted": 0, "suggested": 0, "rejected": 0, "total": 0}
        )
        row[status] = n
        row["total"] += n
    return sorted(out.values(), key=lambda r: -r["total"])


def articles_done_per_day(store: Store) -> list[dict[str, Any]]:
    """Articles that reached done or reviewed, per UTC day (from the history)."""
    rows = store.query(
        "SELECT substr(ts, 1, 10) AS day, "
        "count(DISTINCT CASE WHEN json_extract(after, '$.status') = 'done' THEN article_id END), "
        "count(DISTINCT CASE WHEN json_extract(after, '$.status') = 'reviewed' THEN article_id END) "
        "FROM events WHERE action = 'article.status' "
        "AND json_extract(after, '$.status') IN ('done', 'reviewed') GROUP BY day ORDER BY day"
    )
    return [{"day": d, "done": n, "reviewed": r} for d, n, r in rows]


def per_annotator(store: Store) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT annotator, count(*), sum(status = 'accepted'), sum(status = 'rejected'), count(DISTINCT article_id) "
        "FROM spans WHERE annotator IS NOT NULL GROUP BY annotator ORDER BY count(*) DESC"
    )
    return [
        {"annotator": a, "spans": n, "accepted": acc, "rejected": rej, "articles": arts}
        for a, n, acc, rej, arts in rows
    ]


def _span_counts(store: Store) -> list[tuple[str, str, str, int]]:
    """(origin, label, status, count): one pass over the covering (origin, label, status) index."""
    return store.query("SELECT origin, label, status, count(*) FROM spans GROUP BY origin, label, status")


def _tables_from_counts(counts: list[tuple[str, str, str, int]]) -> dict[str, Any]:
    per_label: dict[str, dict[str, Any]] = {}
    use: dict[tuple, dict[str, Any]] = {}
    for origin, label, status, n in counts:
        row = per_label.setdefault(
            label, {"label": label, "accepted": 0, "suggested": 0, "rejected": 0, "total": 0}
        )
        row[status] += n
        row["total"] += n
        if origin == "human":
            continue
        for key in ((origin,), (origin, label)):
            u = use.setdefault(key, {"accepted": 0, "rejected": 0, "pending": 0})
            u["pending" if status == "suggested" else status] += n

    def rows(width: int) -> list[dict[str, Any]]:
        out = []
        for key in sorted(k for k in use if len(k) == width):
            u = use[key]
            decided = u["accepted"] + u["rejected"]
            named = {"origin": key[0], "label": key[1]} if width == 2 else {"origin": key[0]}
            out.append({**named, **u, "rate": u["accepted"] / decided if decided else None})
        return out

    return {
        "spans_per_label": sorted(per_label.values(), key=lambda r: -r["total"]),
        "usefulness": rows(1),
        "usefulness_by_label": rows(2),
    }


def acceptance_by_day(store: Store) -> list[dict[str, Any]]:
    """Each suggester's decided suggestions per UTC day of the decision: accepted, rejected
    and the acceptance rate (accepted / decided), oldest day first. Kept out of
    ``stats_tables`` (the command line's ``stats`` stays on the covering index): it reads
    each decided suggestion's row for its date."""
    rows = store.query(
        "SELECT substr(updated_at, 1, 10) AS day, origin, sum(status = 'accepted'), sum(status = 'rejected') "
        "FROM spans WHERE origin != 'human' AND status IN ('accepted', 'rejected') "
        "GROUP BY day, origin ORDER BY day, origin"
    )
    return [
        {"day": d, "origin": o, "accepted": a, "rejected": r, "rate": a / (a + r) if a + r else None}
        for d, o, a, r in rows
    ]


def stats_tables(store: Store) -> dict[str, Any]:
    """Every number the stats view charts, as plain rows (the CLI ``stats`` prints the same).

    Spans per label and both usefulness tables come from one grouped pass over the spans.
    """
    return {
        "articles_by_status": article_status_counts(store),
        **_tables_from_counts(_span_counts(store)),
        "articles_done_per_day": articles_done_per_day(store),
        "per_annotator": per_annotator(store),
    }


def dumps(tables: dict[str, Any]) -> str:
    return json.dumps(tables, ensure_ascii=False, indent=2)


def distinct_values(store: Store, column: str) -> list[str]:
    """The distinct values of an indexed span column (label, origin, annotator, status), by skip-scan."""
    if column not in ("label", "origin", "annotator", "status"):
        raise StoreError(f"no distinct values for column {column!r}")
    rows = store.query(
        f"WITH RECURSIVE v(x) AS (SELECT min({column}) FROM spans UNION ALL "
        f"SELECT (SELECT min({column}) FROM spans WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL) "
        "SELECT x FROM v WHERE x IS NOT NULL"
    )
    return [r[0] for r in rows]
