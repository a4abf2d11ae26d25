"""Documents for export and training, and the project's totals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from annotator.fast_json import loads
from annotator.model import (
    HUMAN,
    Document,
    Relation,
    Span,
)
from storage.articles import article_where
from storage.db import (
    ARTICLE_COLUMNS,
    SPAN_COLUMNS,
    ProjectDb,
    article_from_row,
)

#: ``SPAN_COLUMNS`` with the columns' defaults read as NULL (what most spans hold: a Python
#: object fewer each, ~15% of reading a batch's spans).
_SPAN_READ = (
    "id, article_id, char_start, char_end, label, text, NULLIF(origin, 'human'), NULLIF(status, 'accepted'), "
    "annotator, NULLIF(note, ''), NULLIF(attrs, '{}'), score, created_at, updated_at"
)
assert SPAN_COLUMNS.replace(" ", "").split(",")[6:11] == ["origin", "status", "annotator", "note", "attrs"]


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles (and which of their spans) an export, list or count looks at."""

    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    span_statuses: tuple[str, ...] = ("accepted",)
    article_ids: tuple[int, ...] = ()
    search: str = ""


class DocumentsPart(ProjectDb):
    """Documents of a project: see the module docstring."""

    def iter_documents(self, flt: ArticleFilter = ArticleFilter(), *, batch: int = 500) -> Iterator[Document]:
        """Articles with the spans and relations that pass the filter, in id order, a batch at a time."""
        where, params = article_where(flt.statuses, flt.search, flt.article_ids)
        last = 0
        while True:
            cond = f"{where} AND a.id > ?" if where else "WHERE a.id > ?"
            rows = self.query(
                f"SELECT {', '.join('a.' + c.strip() for c in ARTICLE_COLUMNS.split(','))} FROM articles a {cond} "
                f"ORDER BY a.id LIMIT ?",
                (*params, last, batch),
            )
            if not rows:
                return
            ids = [r[0] for r in rows]
            last = ids[-1]
            span_sql = f"SELECT {_SPAN_READ} FROM spans WHERE article_id BETWEEN ? AND ?"
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
            spans_of = by_article.setdefault
            for sid, aid, start, end, label, text, origin, status, annotator, note, attrs, score, created, updated in (
                self.query(span_sql + " ORDER BY article_id, char_start, char_end DESC, id", span_params)
            ):
                # a default column reads as NULL (one object fewer each): see _SPAN_READ
                spans_of(aid, []).append(
                    Span(start, end, label, text, HUMAN if origin is None else origin,
                         "accepted" if status is None else status, annotator, "" if note is None else note,
                         loads(attrs) if attrs else {}, score, sid, aid, created, updated)
                )  # fmt: skip
            rels: dict[int, list[tuple]] = {}
            for r in self.query(
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
        articles = dict(self.query("SELECT status, count(*) FROM articles GROUP BY status"))
        spans: dict[str, dict[str, int]] = {}
        for label, status, n in self.query(
            "SELECT label, status, count(*) FROM spans GROUP BY label, status"
        ):
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
            for r in self.query("SELECT DISTINCT annotator FROM spans WHERE annotator IS NOT NULL ORDER BY 1")
        ]
