"""Import from prepared rows: a file's documents turned into plain tuples (``prepare``)
wherever they were read, and stored by the project's writer (``store_prepared``).

The speed trick (``ops.import_helper``): a helper process reads and parses the files and
hands over these tuples (strings, numbers), which pickle and unpickle in a fraction of what
Documents and Spans cost; the project's process only gives ids, looks up what the project
already holds and runs the statements (half of them SQLite's time, without the GIL). Parsing
then runs on the second core while the first one writes.

What is stored is what ``storage.importing.ImportPart.import_batches`` stores for the same
documents — the same rows, ids, history events, states, full-text rows and report, one
transaction per file (tests/test_speed_prepared_import.py compares the two). ``prepare``
does what needs no project: the checks of ``Document.validate``, each human span without an
annotator given the importing one, a span met twice in one document kept once, the JSON
texts of meta and attrs. ``store_prepared`` does the rest as ``import_batches`` does: an
article the project holds (same text) gets only the spans it lacks, a uid already taken is
made unique, ids come past every id ever given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from annotator.model import HUMAN, Document
from storage.db import SPAN_INSERT, chunks, insert_rows, last_id, now
from storage.importing import _JSON, STARTED, ImportReport, insert_shared

ARTICLE_INSERT = (
    "articles (id, uid, hash, title, source, url, language, text, meta, status, status_reason, "
    "created_at, updated_at)"
)


@dataclass
class PreparedBatch:
    """A batch of documents as tuples, before ids are given (see the module docstring).

    ``articles``: (uid, hash, title, source, url, language, text, meta JSON, status,
    status_reason, created_at, updated_at), one a document; ``spans``: (document index,
    start, end, label, text, origin, status, annotator, note, attrs JSON, score, created_at,
    updated_at), documents in order, each document's spans in its order; ``relations``:
    (document index, head, tail, label, annotator), head and tail being indexes into
    ``spans``."""

    articles: list[tuple] = field(default_factory=list)
    spans: list[tuple] = field(default_factory=list)
    relations: list[tuple] = field(default_factory=list)
    #: where each document's spans start in ``spans`` (one more entry: the end)
    span_starts: list[int] = field(default_factory=lambda: [0])
    #: spans dropped for being in their document twice
    skipped: int = 0
    labels: set[str] = field(default_factory=set)
    #: per document, where each of its spans went in ``spans`` (-1: dropped); kept only
    #: for documents the caller holds (``keep_positions``), to give them their ids back
    positions: list[list[int]] | None = None


def prepare(
    docs: Iterable[Document], *, annotator: str | None, source: str, keep_positions: bool = False
) -> PreparedBatch:
    """The rows of ``docs`` (checked as ``Document.validate`` checks them: SpanError)."""
    docs = list(docs)
    for doc in docs:
        doc.validate(source)
    batch = PreparedBatch(positions=[] if keep_positions else None)
    arts, spans, rels, starts = batch.articles, batch.spans, batch.relations, batch.span_starts
    add_span = spans.append
    labels = batch.labels
    for k, doc in enumerate(docs):
        art = doc.article
        arts.append(
            (art.uid, art.hash, art.title, art.source, art.url, art.language, art.text,
             _JSON.encode(art.meta) if art.meta else "{}", art.status, art.status_reason, art.created_at,
             art.updated_at)
        )  # fmt: skip
        seen: set[tuple] = set()
        where: list[int] = []
        for sp in doc.spans:
            labels.add(sp.label)
            ann = sp.annotator
            if ann is None and sp.origin == HUMAN:
                ann = sp.annotator = annotator
            key = (sp.start, sp.end, sp.label, ann or "")
            if key in seen:
                batch.skipped += 1
                where.append(-1)
                continue
            seen.add(key)
            where.append(len(spans))
            add_span(
                (k, sp.start, sp.end, sp.label, sp.text, sp.origin, sp.status, ann, sp.note,
                 _JSON.encode(sp.attrs) if sp.attrs else "{}", sp.score, sp.created_at, sp.updated_at)
            )  # fmt: skip
        for rel in doc.relations:
            head, tail = where[rel.head], where[rel.tail]
            if head >= 0 and tail >= 0:
                rels.append((k, head, tail, rel.label, rel.annotator or annotator))
        starts.append(len(spans))
        if batch.positions is not None:
            batch.positions.append(where)
    return batch


def give_ids(
    docs: list[Document], batch: PreparedBatch, article_ids: list[int], span_ids: list[int | None]
) -> None:
    """Give ``docs`` the ids their rows were stored under, as ``import_batches`` does."""
    assert batch.positions is not None
    for doc, aid, where in zip(docs, article_ids, batch.positions, strict=True):
        doc.article.id = aid
        for sp, pos in zip(doc.spans, where, strict=True):
            sid = span_ids[pos] if pos >= 0 else None
            if sid is not None:
                sp.id, sp.article_id = sid, aid


def store_prepared(
    store: Any,
    batches: Iterable[PreparedBatch],
    *,
    annotator: str | None = None,
    source: str = "",
    add_labels: bool = False,
    label_kinds: dict[str, str] | None = None,
    stored: Any = None,
    rows_ready: Callable[[], None] | None = None,
) -> ImportReport:
    """``import_batches`` for prepared batches: one transaction for them all (an error in
    ``batches`` stores none). ``stored(batch, article_ids, span_ids)``, if given, hears the
    ids each batch got (a span id None: the project had it already); ``rows_ready``, as
    ``import_batches`` calls it: once a batch's rows are built, before its statements."""
    report = ImportReport()
    ts = now()
    event_annotator = store.annotator
    added_labels: list[str] = []
    after_head = '{"source": ' + _JSON.encode(source) + ', "spans": '
    after_tail = ', "annotator": ' + _JSON.encode(annotator) + "}"
    with store.transaction():
        cur = store.db.conn.cursor()
        next_article, next_span = last_id(cur, "articles") + 1, last_id(cur, "spans") + 1
        for batch in batches:
            articles_before, spans_before = next_article - 1, next_span - 1
            if add_labels:
                added_labels += store.add_missing_labels(batch.labels, label_kinds)
            arts = batch.articles
            known: dict[str, int] = {}
            taken: set[str] = set()
            for part in chunks([a[1] for a in arts]):
                marks = ",".join("?" * len(part))
                known.update(cur.execute(f"SELECT hash, id FROM articles WHERE hash IN ({marks})", part))
            for part in chunks([a[0] for a in arts]):
                marks = ",".join("?" * len(part))
                taken.update(
                    uid for (uid,) in cur.execute(f"SELECT uid FROM articles WHERE uid IN ({marks})", part)
                )
            spans, starts = batch.spans, batch.span_starts
            span_ids: list[int | None] = [None] * len(spans)
            article_ids: list[int] = []
            have_of: dict[int, set] = {}
            fresh: dict[
                int, tuple[int, int]
            ] = {}  # article id -> its spans, for an article new in this batch
            art_rows: list[tuple] = []
            span_rows: list[tuple] = []
            event_rows: list[tuple] = []
            state_rows: list[tuple[int, str, str, str, bool]] = []
            for k, art in enumerate(arts):
                uid, digest = art[0], art[1]
                article_id = known.get(digest)
                merged = article_id is not None
                first, end = starts[k], starts[k + 1]
                if merged:
                    report.articles_merged += 1
                    have = have_of.get(article_id)
                    if have is None and article_id in fresh:  # new in this batch: not in the table yet
                        a, b = fresh[article_id]
                        have = have_of[article_id] = {(sp[1], sp[2], sp[3], sp[7] or "") for sp in spans[a:b]}
                    if have is None:
                        have = have_of[article_id] = {
                            (s, e, lab, ann)
                            for s, e, lab, ann in cur.execute(
                                "SELECT char_start, char_end, label, coalesce(annotator, '') FROM spans "
                                "WHERE article_id = ?",
                                (article_id,),
                            )
                        }
                    added = 0
                    for pos in range(first, end):
                        sp = spans[pos]
                        key = (sp[1], sp[2], sp[3], sp[7] or "")
                        if key in have:
                            report.spans_skipped += 1
                            continue
                        have.add(key)
                        span_ids[pos] = next_span
                        span_rows.append((next_span, article_id, *sp[1:11], sp[11] or ts, sp[12] or ts))
                        next_span += 1
                        added += 1
                else:
                    article_id = next_article
                    next_article += 1
                    if uid in taken:
                        uid = f"{uid}-{digest[:8]}"
                    taken.add(uid)
                    art_rows.append((article_id, uid, *art[1:10], art[10] or ts, art[11] or ts))
                    known[digest] = article_id
                    report.articles_added += 1
                    # a new article: its spans are all stored (the ones met twice are gone)
                    span_ids[first:end] = range(next_span, next_span + end - first)
                    span_rows += [
                        (sid, article_id, *sp[1:11], sp[11] or ts, sp[12] or ts)
                        for sid, sp in zip(
                            range(next_span, next_span + end - first), spans[first:end], strict=True
                        )
                    ]
                    next_span += end - first
                    added = end - first
                    fresh[article_id] = (first, end)
                article_ids.append(article_id)
                report.article_ids.append(article_id)
                status = art[8]
                if annotator and status in STARTED:
                    state_rows.append((article_id, annotator, status, art[9], merged))
                event_rows.append([ts, event_annotator, "article.merge" if merged else "article.import",
                                   article_id, added])  # fmt: skip
            report.spans_skipped += batch.skipped
            rel_rows: list[tuple] = []
            n_rels = [0] * len(arts)
            for k, head, tail, label, who in batch.relations:
                head_id, tail_id = span_ids[head], span_ids[tail]
                if head_id is None or tail_id is None:
                    continue
                rel_rows.append((article_ids[k], head_id, tail_id, label, who, ts))
                n_rels[k] += 1
            for row, rels in zip(event_rows, n_rels, strict=True):
                added = row[4]
                report.spans_added += added
                row[4] = f'{after_head}{added}, "relations": {rels}{after_tail}'
            if rows_ready is not None:
                rows_ready()
            insert_shared(cur, ARTICLE_INSERT, art_rows)
            insert_shared(cur, SPAN_INSERT, span_rows)
            insert_rows(
                cur,
                "relations (article_id, head_span_id, tail_span_id, label, annotator, created_at)",
                rel_rows,
            )
            insert_rows(
                cur, "events (ts, annotator, action, article_id, after)", [tuple(r) for r in event_rows]
            )
            store._import_states(cur, state_rows, ts)
            if art_rows:
                cur.execute(
                    "INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles "
                    "WHERE id > ?",
                    (articles_before,),
                )
            if span_rows:
                store.fts_spans_add("id > ?", (spans_before,))
            if stored is not None:
                stored(batch, article_ids, span_ids)
        if added_labels:
            store.announce("label", None)
        store.announce("import", sorted(set(report.article_ids)), all_spans=True)
    return report
