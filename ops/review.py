"""Review jobs the review window and the command line share: agreement, the bulk actions
of the span table, the article workflow's status changes, and adjudication. Each job that
changes the project returns one command (one undo step) for ``annotator.commands.apply``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.agreement import Report, agreement
from annotator.commands import AddSpans, Batch, Command, DeleteSpans, SetArticleStatus, UpdateSpans
from annotator.errors import StoreError
from annotator.model import ARTICLE_STATUSES, NEEDS_REASON, Span
from annotator.project import gold_annotator
from storage.review import SpanFilter, annotated_articles, span_ids
from storage.store import Store


def agreement_report(store: Store, *, annotators: Sequence[str] = (), labels: Sequence[str] = ()) -> Report:
    """Agreement over the articles two or more of ``annotators`` (default: all but gold) annotated.

    An annotator counts in an article once they marked it done, whatever they labelled (no
    span: they found nothing there, which agrees or disagrees with the others' spans); one
    whose own state is new, in progress or skipped does not. Articles from before
    per-annotator states (no state row) count as they always did: by their spans."""
    annotators, labels = tuple(annotators), tuple(labels)
    articles = annotated_articles(store, annotators=annotators, labels=labels, finished_only=True)
    return agreement(articles, annotators=annotators, labels=labels)


BULK_ACTIONS = ("accept", "reject", "relabel", "delete")


def bulk_command(
    store: Store, flt: SpanFilter, action: str, *, label: str = "", ids: Sequence[int] | None = None
) -> Command:
    """One command (one undo step) doing ``action`` to every span the filter selects.

    Pass it to ``annotator.commands.apply``; the store writes one event per span.
    """
    ids = list(ids) if ids is not None else span_ids(store, flt)
    n = len(ids)
    if action == "accept":
        return UpdateSpans([(i, {"status": "accepted"}) for i in ids], f"Accept {n:,} spans")
    if action == "reject":
        return UpdateSpans([(i, {"status": "rejected"}) for i in ids], f"Reject {n:,} spans")
    if action == "relabel":
        if not label:
            raise StoreError("relabel needs the new label")
        return UpdateSpans([(i, {"label": label}) for i in ids], f"Relabel {n:,} spans as {label}")
    if action == "delete":
        return DeleteSpans(ids, f"Delete {n:,} spans")
    raise StoreError(f"unknown bulk action {action!r}; use one of {', '.join(BULK_ACTIONS)}")


def status_command(store: Store, article_id: int, status: str, reason: str = "") -> SetArticleStatus:
    """An undoable status change; skipping or flagging needs a reason."""
    if status not in ARTICLE_STATUSES:
        raise StoreError(f"unknown article status {status!r}")
    if status in NEEDS_REASON and not reason.strip():
        raise StoreError(f"say why the article is {status}")
    store.article(article_id)  # raises for an unknown id
    return SetArticleStatus(article_id, status, reason.strip(), f"Mark article {status.replace('_', ' ')}")


def adjudicate_command(
    store: Store,
    article_id: int,
    chosen: Sequence[Span],
    *,
    gold: str | None = None,
    reviewer: str | None = None,
) -> Batch:
    """Store the reviewer's chosen spans as the article's reviewed version, as one undo step.

    The chosen spans are copied (the annotators' own spans stay as they were) under the
    gold annotator with status accepted, any earlier gold version is replaced, and the
    article becomes "reviewed".
    """
    gold = gold or gold_annotator(store)
    reviewer = reviewer or store.annotator
    text = store.article(article_id).text
    old_gold = [sp.id for sp in store.spans(article_id, annotators=[gold]) if sp.id is not None]
    seen: set[tuple[int, int, str]] = set()
    copies: list[Span] = []
    for sp in sorted(chosen, key=lambda s: (s.start, -s.end, s.label)):
        if sp.key in seen:
            continue
        seen.add(sp.key)
        attrs = dict(sp.attrs)
        attrs["adjudicated_by"] = reviewer
        if sp.annotator and sp.annotator != gold:
            attrs["from_annotator"] = sp.annotator
        copies.append(
            Span(
                sp.start,
                sp.end,
                sp.label,
                text[sp.start : sp.end],
                origin=sp.origin,
                status="accepted",
                annotator=gold,
                note=sp.note,
                attrs=attrs,
            )  # fmt: skip
        )
    commands: list[Any] = []
    if old_gold:
        commands.append(DeleteSpans(old_gold, "Replace reviewed version"))
    if copies:
        commands.append(AddSpans(article_id, copies, "Reviewed version"))
    commands.append(SetArticleStatus(article_id, "reviewed", "", "Mark article reviewed"))
    return Batch(commands, "Adjudicate article")
