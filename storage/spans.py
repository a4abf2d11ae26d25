"""Spans and relations: reads, and the edits the command layer makes (add, update,
delete, restore under the same ids, link and unlink). An id missing from the project is
reported as ``SpanGone``, in words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from annotator.errors import SpanError, SpanGone, StoreError
from annotator.model import (
    HUMAN,
    Relation,
    Span,
    span_from_record,
    span_record,
)
from storage.db import (
    SPAN_COLUMNS,
    SPAN_INSERT,
    ProjectDb,
    chunks,
    now,
    span_from_row,
    span_row,
)


class SpansPart(ProjectDb):
    """Spans of a project: see the module docstring."""

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
        return [span_from_row(r) for r in self.query(sql, params)]

    def span(self, span_id: int) -> Span:
        return self.spans_by_id([span_id])[span_id]

    def spans_by_id(self, span_ids: Sequence[int], *, missing_ok: bool = False) -> dict[int, Span]:
        """Spans by id, a query per 500 ids (bulk edits touch many). A missing id raises
        ``SpanGone``, saying when and by whom the span was deleted (``missing_ok``: left out)."""
        out: dict[int, Span] = {}
        for chunk in chunks(list(dict.fromkeys(span_ids))):
            marks = ",".join("?" * len(chunk))
            for row in self.query(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id IN ({marks})", chunk):
                out[row[0]] = span_from_row(row)
        missing = [sid for sid in span_ids if sid not in out]
        if missing and not missing_ok:
            raise SpanGone(missing[0], self._gone(missing[0]))
        return out

    def _gone(self, span_id: int) -> str:
        """Why span ``span_id`` is not there, in words."""
        rows = self.query(
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
        text = self.query("SELECT text FROM articles WHERE id = ?", (article_id,))
        if not text:
            raise StoreError(f"no article with id {article_id}")
        uid = self.query("SELECT uid FROM articles WHERE id = ?", (article_id,))[0][0]
        for sp in spans:
            sp.check_inside(text[0][0], f"article {uid}")
        ts = now()
        with self.transaction():
            for sp in spans:
                if sp.annotator is None and sp.origin == HUMAN:
                    sp.annotator = self.annotator
                sp.article_id = article_id
                sp.created_at = sp.created_at or ts
                sp.updated_at = ts
                cur = self.db.execute(
                    f"INSERT INTO {SPAN_INSERT} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    span_row(sp, article_id, sp.annotator, sp.created_at, ts),
                )
                sp.id = cur.lastrowid
                self.fts_spans_add("id = ?", (sp.id,))
                self.event("span.add", article_id=article_id, span_id=sp.id, after=span_record(sp), ts=ts)
            self.db.execute("UPDATE articles SET updated_at = ? WHERE id = ?", (ts, article_id))
            self.announce("span.add", article_id, [sp.id for sp in spans])
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
                    texts[old.article_id] = self.query(
                        "SELECT text FROM articles WHERE id = ?", (old.article_id,)
                    )[0][0]
                new.text = ""
                new.check_inside(texts[old.article_id], f"article {old.article_id}")
            afters.append(new)
        article_ids = {sp.article_id for sp in afters}
        with self.write(action, article_ids, befores.keys() & {sid for sid, _ in changes}):
            for old, new in zip((befores[sid] for sid, _ in changes), afters, strict=True):
                new.updated_at = ts
                if new.text != old.text:
                    self.fts_spans_drop("id = ?", (old.id,))
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
                    self.fts_spans_add("id = ?", (new.id,))
                self.event(
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
        with self.write("span.delete", article_ids, span_ids):
            for sp in spans:
                self.fts_spans_drop("id = ?", (sp.id,))
                self.db.execute("DELETE FROM spans WHERE id = ?", (sp.id,))
                self.event(
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
                    for r in self.query(
                        f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id = ? AND status = 'suggested' "
                        f"AND annotator IS NULL",
                        (aid,),
                    )
                    if (r[2], r[3], r[4]) in keys
                ]
                if stand_ins:
                    for sp in stand_ins:
                        self.fts_spans_drop("id = ?", (sp.id,))
                        self.db.execute("DELETE FROM spans WHERE id = ?", (sp.id,))
                    self.events_many("suggest.drop", [(sp, span_record(sp), None) for sp in stand_ins], ts)
                    self.announce("suggest.drop", aid, [sp.id for sp in stand_ins])
                self.add_spans(aid, group)
            for rel in relations:
                ends = {rel.head, rel.tail}
                marks = ",".join("?" * len(ends))
                if self.query(f"SELECT count(*) FROM spans WHERE id IN ({marks})", list(ends))[0][0] == len(
                    ends
                ):
                    self.add_relation(rel.head, rel.tail, rel.label, rel_id=rel.id)

    def relations(self, article_id: int) -> list[Relation]:
        rows = self.query(
            "SELECT id, head_span_id, tail_span_id, label, annotator FROM relations WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
        return [Relation(head=r[1], tail=r[2], label=r[3], annotator=r[4], id=r[0]) for r in rows]

    def _relations_of(self, span_ids: Sequence[int]) -> list[Relation]:
        if not span_ids:
            return []
        marks = ",".join("?" * len(span_ids))
        rows = self.query(
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
        with self.write("relation.add", head.article_id):
            cur = self.db.execute(
                "INSERT INTO relations (id, article_id, head_span_id, tail_span_id, label, annotator, created_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (rel_id, head.article_id, head_span_id, tail_span_id, label, self.annotator, now()),
            )
            rel = Relation(head_span_id, tail_span_id, label, self.annotator, cur.lastrowid)
            self.event(
                "relation.add",
                article_id=head.article_id,
                span_id=head_span_id,
                after={"id": rel.id, "head": head_span_id, "tail": tail_span_id, "label": label},
            )
        return rel

    def delete_relation(self, rel_id: int) -> Relation | None:
        rows = self.query(
            "SELECT id, head_span_id, tail_span_id, label, annotator, article_id FROM relations WHERE id = ?",
            (rel_id,),
        )
        if not rows:
            return None
        r = rows[0]
        rel = Relation(head=r[1], tail=r[2], label=r[3], annotator=r[4], id=r[0])
        with self.write("relation.delete", r[5]):
            self.db.execute("DELETE FROM relations WHERE id = ?", (rel_id,))
            self.event(
                "relation.delete",
                article_id=r[5],
                span_id=r[1],
                before={"id": rel.id, "head": rel.head, "tail": rel.tail, "label": rel.label},
            )
        return rel
