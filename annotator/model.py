"""Domain types: plain dataclasses that validate themselves.

Offsets are character offsets (Python code points) into the article's stored text,
which always has ``\\n`` line endings.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import SpanError

# The article workflow: the usual path, and the side doors that need a reason.
WORKFLOW = ("new", "in_progress", "done", "reviewed")
NEEDS_REASON = ("skipped", "flagged")
ARTICLE_STATUSES = WORKFLOW + NEEDS_REASON


def next_status(status: str) -> str | None:
    """The next step on the usual path, or None at its end (or off it); a side door leads back in."""
    if status in WORKFLOW and status != WORKFLOW[-1]:
        return WORKFLOW[WORKFLOW.index(status) + 1]
    if status in NEEDS_REASON:
        return "in_progress"
    return None


#: One annotator's state of an article (``article_states``): reviewed and flagged are the
#: reviewer's, kept on the article itself.
ANNOTATOR_STATES = ("new", "in_progress", "done", "skipped")
#: Set by a reviewer: an annotator's state change never moves an article out of these.
REVIEWER_STATUSES = ("reviewed", "flagged")


def derived_status(
    current: tuple[str, str],
    states: dict[str, tuple[str, str]],
    assigned: set[str] | frozenset[str],
    changed: str,
) -> tuple[str, str]:
    """The article's overall (status, reason) after ``changed``'s state became ``states[changed]``.

    * without assignments (a solo project): the overall state follows the annotator who
      changed last, exactly as one status per article always did (marking a flagged article
      done clears the flag, as it did);
    * with assignments: reviewed/flagged (a reviewer's) stay as they are; every assigned
      annotator finished (done or skipped) -> done, or skipped when none of them is done;
      anyone started (any state but new) -> in_progress; else new.

    ``states`` maps annotator -> (status, reason); an annotator without a row is new.
    """
    if not assigned:
        return states.get(changed, ("new", ""))
    if current[0] in REVIEWER_STATUSES:
        return current
    mine = [states.get(who, ("new", ""))[0] for who in sorted(assigned)]
    if all(s in ("done", "skipped") for s in mine):
        if "done" in mine:
            return ("done", "")
        reasons = [states[who][1] for who in sorted(assigned) if states[who][1]]
        return ("skipped", "; ".join(dict.fromkeys(reasons)))
    if any(s != "new" for s, _ in states.values()):
        return ("in_progress", "")
    return ("new", "")


#: Finished articles: what training learns from (every unlabelled token a true negative).
FINISHED = ("done", "reviewed")
SPAN_STATUSES = ("suggested", "accepted", "rejected")
LABEL_KINDS = ("entity", "claim")
HUMAN = "human"


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF: every offset in Sorot counts against this form."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    """The identity of an article's text: same text, same article, whatever the file."""
    return hashlib.sha1(normalise_newlines(text).encode("utf-8")).hexdigest()


#: A label name: any letters of any script, digits, inner spaces and punctuation ("Restaurant
#: Name", "地名", "B-PER"), but no space at either end, no control character, and no "," or "="
#: (the command line's ``--label-map A=B`` and comma lists).
_LABEL_NAME = re.compile(r"[^\s,=\x00-\x1f\x7f](?:[^\t\n\r,=\x00-\x1f\x7f]*[^\s,=\x00-\x1f\x7f])?")


@dataclass(slots=True)
class Label:
    name: str
    kind: str = "entity"
    colour: str = "#888888"
    shortcut: str = ""
    description: str = ""
    maps_from: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not _LABEL_NAME.fullmatch(self.name or ""):
            raise ValueError(
                f"label name {self.name!r}: needs a visible character, no space at either end, "
                "no tab or line break, and no , or = (they separate labels on the command line)"
            )
        if self.kind not in LABEL_KINDS:
            raise ValueError(
                f"label {self.name}: kind must be one of {', '.join(LABEL_KINDS)}, not {self.kind!r}"
            )
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", self.colour):
            raise ValueError(f"label {self.name}: colour must look like #rrggbb, not {self.colour!r}")


@dataclass(slots=True)
class Span:
    """A labelled stretch of an article's text. ``id`` is None until stored."""

    start: int
    end: int
    label: str
    text: str = ""
    origin: str = HUMAN
    status: str = "accepted"
    annotator: str | None = None
    note: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    score: float | None = None
    id: int | None = None
    article_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise SpanError(f"span [{self.start}, {self.end}) is empty or negative")
        if self.status not in SPAN_STATUSES:
            raise SpanError(f"span status must be one of {', '.join(SPAN_STATUSES)}, not {self.status!r}")
        if not self.label:
            raise SpanError(f"span [{self.start}, {self.end}) has no label")

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def check_inside(self, text: str, where: str = "") -> None:
        """Refuse a span that does not lie inside ``text``; fill in its text."""
        if self.end > len(text):
            raise SpanError(
                f"{where or 'article'}: span [{self.start}, {self.end}) {self.label} lies outside the text "
                f"({len(text)} characters)"
            )
        piece = text[self.start : self.end]
        if self.text and self.text != piece:
            raise SpanError(
                f"{where or 'article'}: span [{self.start}, {self.end}) {self.label} says {self.text!r} "
                f"but the text there is {piece!r}"
            )
        self.text = piece


@dataclass(slots=True)
class Relation:
    """A directed link between two spans of one article, e.g. claim -> its claimant actor.

    While a document is being imported or exported, ``head``/``tail`` are indexes into
    the document's span list; once stored they are span ids.
    """

    head: int
    tail: int
    label: str = "claimant"
    annotator: str | None = None
    id: int | None = None


@dataclass(slots=True)
class Article:
    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    language: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = "new"
    status_reason: str = ""
    uid: str = ""
    id: int | None = None
    hash: str = ""
    created_at: str | None = None
    updated_at: str | None = None

    def __post_init__(self) -> None:
        self.text = normalise_newlines(self.text)
        if self.status not in ARTICLE_STATUSES:
            raise ValueError(
                f"article status must be one of {', '.join(ARTICLE_STATUSES)}, not {self.status!r}"
            )
        if not self.hash:
            self.hash = content_hash(self.text)
        if not self.uid:
            self.uid = self.hash[:16]


@dataclass(slots=True)
class Document:
    """What formats read and write: an article with its spans and relations."""

    article: Article
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def validate(self, where: str = "") -> None:
        for span in self.spans:
            span.check_inside(self.article.text, where or self.article.title or self.article.uid)
        for rel in self.relations:
            if not (0 <= rel.head < len(self.spans) and 0 <= rel.tail < len(self.spans)):
                raise SpanError(f"{where}: relation {rel.label} points at a span that is not there")


def span_order(span: Span) -> tuple[int, int, int]:
    """Text order: by start, the longer of two spans first, then by id (the store's
    ``ORDER BY char_start, char_end DESC, id``)."""
    return (span.start, -span.end, span.id or 0)


def position_in(spans: list[Span], span: Span) -> int | None:
    """Where ``span`` (by id) is in ``spans``, which are in text order (``span_order``):
    found by bisection; None when it is not there."""
    i = bisect_left(spans, span_order(span), key=span_order)
    return i if i < len(spans) and spans[i].id == span.id else None


def is_unowned_suggestion(span: Span) -> bool:
    """A pending suggestion no analyst has touched: its suggester may replace or withdraw it.
    Anything the analyst did to it (a note, a resize, a relabel, a link) put their name on it."""
    return span.status == "suggested" and span.annotator is None


def span_record(span: Span) -> dict[str, Any]:
    """What an event remembers of a span: enough to put it back exactly."""
    return {
        "id": span.id,
        "article_id": span.article_id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "origin": span.origin,
        "status": span.status,
        "annotator": span.annotator,
        "note": span.note,
        "attrs": span.attrs,
        "score": span.score,
        "created_at": span.created_at,
    }


def span_from_record(rec: dict[str, Any]) -> Span:
    return Span(
        id=rec.get("id"),
        article_id=rec.get("article_id"),
        start=rec["start"],
        end=rec["end"],
        label=rec["label"],
        text=rec.get("text", ""),
        origin=rec.get("origin", HUMAN),
        status=rec.get("status", "accepted"),
        annotator=rec.get("annotator"),
        note=rec.get("note", ""),
        attrs=rec.get("attrs") or {},
        score=rec.get("score"),
        created_at=rec.get("created_at"),
    )
