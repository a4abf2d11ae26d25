"""History: the append-only events table, newest first (the domain's ``annotator.history``
turns it into words and past states)."""

from __future__ import annotations

import json
from typing import Any

from storage.db import ProjectDb


class HistoryPart(ProjectDb):
    """History of a project: see the module docstring."""

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
        for r in self.query(sql, params):
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
