"""Edits as plain data, Qt-free, each with its inverse (after Orange's paint-data commands).

``apply(store, command)`` performs a command against the store and returns the command
that undoes it. The desk wraps these in ``QUndoCommand``s; the review screen's bulk
actions are single commands over many spans, so they undo as one step.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.model import Relation, Span, is_unowned_suggestion

#: Editing any of these on a pending suggestion makes it the analyst's: no suggester re-run
#: replaces it any more (a status change already names the analyst who made it).
OWNING_FIELDS = ("start", "end", "label", "note", "attrs")


class SpanStore(Protocol):
    annotator: str

    def transaction(self) -> AbstractContextManager[Any]: ...
    def spans_by_id(self, span_ids: list[int]) -> dict[int, Span]: ...
    def add_spans(self, article_id: int, spans: list[Span]) -> list[Span]: ...
    def update_spans(
        self, changes: list[tuple[int, dict[str, Any]]], *, action: str = ..., olds: dict[int, Span] | None = ...
    ) -> list[Span]: ...
    def delete_spans(self, span_ids: list[int]) -> tuple[list[Span], list[Relation]]: ...
    def restore_spans(self, spans: list[Span], relations: list[Relation] = ...) -> None: ...
    def span(self, span_id: int) -> Span: ...
    def add_relation(
        self, head_span_id: int, tail_span_id: int, label: str = ..., *, rel_id: int | None = ...
    ) -> Relation: ...
    def delete_relation(self, rel_id: int) -> Relation | None: ...
    def set_article_status(self, article_id: int, status: str, reason: str = "") -> None: ...
    def set_article_title(self, article_id: int, title: str) -> None: ...
    def annotator_state(self, article_id: int, annotator: str) -> tuple[str, str] | None: ...
    def set_annotator_state(
        self, article_id: int, annotator: str, status: str | None, reason: str = "", *,
        overall: tuple[str, str] | None = None,
    ) -> tuple[str, str]: ...  # fmt: skip
    def assign(
        self, pairs: list[tuple[int, str]], *, assigned_by: str = "", created_at: str | None = None
    ) -> list[tuple[int, str]]: ...
    def unassign(self, pairs: list[tuple[int, str]]) -> list[tuple[int, str, str, str]]: ...
    def article(self, article_id: int): ...


@dataclass
class AddSpans:
    article_id: int
    spans: list[Span]
    text: str = "Add span"


@dataclass
class DeleteSpans:
    span_ids: list[int]
    text: str = "Delete span"


@dataclass
class RestoreSpans:
    spans: list[Span]
    relations: list[Relation] = field(default_factory=list)
    text: str = "Restore span"


@dataclass
class UpdateSpans:
    """``changes``: span id -> the fields to set (label, start, end, status, note, annotator...)."""

    changes: list[tuple[int, dict[str, Any]]]
    text: str = "Change span"


@dataclass
class AddRelation:
    head: int
    tail: int
    label: str = "claimant"
    rel_id: int | None = None
    text: str = "Link spans"


@dataclass
class DeleteRelation:
    rel_id: int
    text: str = "Unlink spans"


@dataclass
class SetArticleStatus:
    article_id: int
    status: str
    reason: str = ""
    text: str = "Set article status"


@dataclass
class SetAnnotatorState:
    """One annotator's own state of an article (new, in_progress, done, skipped), with the
    article's overall status derived from it in the same transaction. ``status`` None
    removes the annotator's row (the undo of their first state); ``overall`` is the status
    the article goes back to when nothing else decides it (that undo, in a solo project).
    Undo re-derives rather than restores: another annotator's state may have moved since."""

    article_id: int
    annotator: str
    status: str | None
    reason: str = ""
    text: str = "Set my article state"
    overall: tuple[str, str] | None = None


@dataclass
class SetAssignments:
    """Assign articles to annotators (``add``) and take assignments back (``remove``), as
    (article id, annotator) pairs; ``assigned_by`` names the lead."""

    add: list[tuple[int, str]] = field(default_factory=list)
    remove: list[tuple[int, str]] = field(default_factory=list)
    assigned_by: str = ""
    text: str = "Assign articles"


@dataclass
class SetArticleTitle:
    article_id: int
    title: str
    text: str = "Rename article"


@dataclass
class Batch:
    """Several commands as one undo step (e.g. accept every suggestion, restore a version)."""

    commands: list[Any]
    text: str = "Edit"


Command = (
    AddSpans
    | DeleteSpans
    | RestoreSpans
    | UpdateSpans
    | AddRelation
    | DeleteRelation
    | SetArticleStatus
    | SetAnnotatorState
    | SetAssignments
    | SetArticleTitle
    | Batch
)

SPAN_EDITABLE = ("start", "end", "label", "status", "note", "annotator", "attrs", "origin")


def apply(store: SpanStore, command: Command) -> Command:
    """Perform ``command`` as one transaction, however many steps it has; return its inverse.

    A step that fails (a span deleted since: ``SpanGone``) rolls the whole command back.
    """
    with store.transaction():
        return _apply(store, command)


def _apply(store: SpanStore, command: Command) -> Command:
    match command:
        case AddSpans(article_id, spans, text):
            added = store.add_spans(article_id, [_copy(sp) for sp in spans])
            # Remember the ids so redo after undo puts back the very same spans.
            for original, stored in zip(spans, added, strict=True):
                original.id = stored.id
            return DeleteSpans([sp.id for sp in added], text)
        case DeleteSpans(span_ids, text):
            spans, relations = store.delete_spans(span_ids)
            return RestoreSpans(spans, relations, text)
        case RestoreSpans(spans, relations, text):
            store.restore_spans([_copy(sp) for sp in spans], relations)
            return DeleteSpans([sp.id for sp in spans], text)
        case UpdateSpans(changes, text):
            # One read for all the old rows: the inverse of a bulk edit costs no per-span query.
            olds = store.spans_by_id([sid for sid, _ in changes])
            owned = [(sid, _owning(olds[sid], change, store.annotator)) for sid, change in changes]
            inverse = [
                (sid, {k: getattr(olds[sid], k) for k in change if k in SPAN_EDITABLE})
                for sid, change in owned
            ]
            store.update_spans(owned, olds=olds)
            return UpdateSpans(inverse, text)
        case AddRelation(head, tail, label, rel_id, text):
            ends = store.spans_by_id([head, tail])
            claim = [(sid, {"annotator": store.annotator}) for sid in dict.fromkeys((head, tail))
                     if is_unowned_suggestion(ends[sid])]  # fmt: skip
            if claim:  # linking a suggestion makes it the analyst's, as an edit does
                store.update_spans(claim)
            rel = store.add_relation(head, tail, label, rel_id=rel_id)
            if claim:
                return Batch(
                    [
                        DeleteRelation(rel.id, text),
                        UpdateSpans([(sid, {"annotator": None}) for sid, _ in claim], text),
                    ],
                    text,
                )
            return DeleteRelation(rel.id, text)
        case DeleteRelation(rel_id, text):
            rel = store.delete_relation(rel_id)
            if rel is None:
                return Batch([], text)
            return AddRelation(rel.head, rel.tail, rel.label, rel.id, text)
        case SetArticleStatus(article_id, status, reason, text):
            old = store.article(article_id)
            store.set_article_status(article_id, status, reason)
            return SetArticleStatus(article_id, old.status, old.status_reason, text)
        case SetAnnotatorState(article_id, annotator, status, reason, text, overall):
            was = store.annotator_state(article_id, annotator)
            old = store.article(article_id)
            store.set_annotator_state(article_id, annotator, status, reason, overall=overall)
            return SetAnnotatorState(
                article_id, annotator, was[0] if was else None, was[1] if was else "", text,
                overall=(old.status, old.status_reason),
            )  # fmt: skip
        case SetAssignments(add, remove, assigned_by, text):
            # Only what changed is undone: an assignment that was there already stays.
            removed = store.unassign(list(remove)) if remove else []
            added = store.assign(list(add), assigned_by=assigned_by) if add else []
            by_lead: dict[str, list[tuple[int, str]]] = {}
            for aid, who, lead, _at in removed:
                by_lead.setdefault(lead, []).append((aid, who))
            if len(by_lead) <= 1:  # the usual case: one command back
                lead, back = next(iter(by_lead.items()), (assigned_by, []))
                return SetAssignments(back, list(added), lead, text)
            # assignments of several leads taken back: each comes back under its own lead
            return Batch(
                [SetAssignments([], list(added), assigned_by, text)]
                + [SetAssignments(back, [], lead, text) for lead, back in by_lead.items()],
                text,
            )
        case SetArticleTitle(article_id, title, text):
            old = store.article(article_id)
            store.set_article_title(article_id, title)
            return SetArticleTitle(article_id, old.title, text)
        case Batch(commands, text):
            inverses = [_apply(store, c) for c in commands]
            return Batch(list(reversed(inverses)), text)
    raise TypeError(f"not a command: {command!r}")


def _owning(old: Span, change: dict[str, Any], annotator: str) -> dict[str, Any]:
    """``change``, plus the analyst's name when it edits a suggestion nobody owns yet."""
    if "annotator" in change or not is_unowned_suggestion(old):
        return change
    if any(k in change and change[k] != getattr(old, k) for k in OWNING_FIELDS):
        return {**change, "annotator": annotator}
    return change


def _copy(span: Span) -> Span:
    return Span(
        start=span.start,
        end=span.end,
        label=span.label,
        text=span.text,
        origin=span.origin,
        status=span.status,
        annotator=span.annotator,
        note=span.note,
        attrs=dict(span.attrs),
        score=span.score,
        id=span.id,
        article_id=span.article_id,
        created_at=span.created_at,
    )
