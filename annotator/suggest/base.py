"""What every suggester gives back, and how the suggestions of several are merged.

A *suggester* looks at article texts and proposes spans (``Suggestion``) that the analyst
then accepts or rejects. Several suggesters run in the user's order; ``merge`` keeps one
proposal per place and never offers again what the article already has or what the
analyst already turned down.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from annotator.model import Span

log = logging.getLogger(__name__)

ACTOR = "ACTOR"
LOCATION = "LOCATION"
CLAIM = "CLAIM"

#: Labels whose suggestions may overlap anything else: a claim holds actors and places.
CLAIM_LABELS = frozenset({CLAIM})

SpanKey = tuple[int, int, str]


@dataclass(slots=True)
class Suggestion:
    """A span a suggester proposes: character offsets into the article text.

    ``attrs`` carries what the span would be stored with; a suggested CLAIM may hold
    ``attrs["claimant"] = [start, end]``, the offsets of the ACTOR suggestion (made by
    the same suggester) that is its suggested claimant.
    """

    start: int
    end: int
    label: str
    score: float | None = None
    origin: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)

    def as_span(self, origin: str | None = None) -> Span:
        """The pending span to store for this suggestion (``origin``: the suggester's name)."""
        return Span(self.start, self.end, self.label, origin=origin or self.origin, status="suggested",
                    score=self.score, attrs=dict(self.attrs))  # fmt: skip


@runtime_checkable
class Corrector(Protocol):
    """A suggester that also corrects the others' proposals with what the analyst taught it
    (``GazetteerSuggester``: a text the analyst keeps rejecting, or always labels otherwise).
    ``run_suggesters`` hands it every other suggester's proposals for a text before the merge."""

    name: str

    def correct(self, text: str, found: list[Suggestion]) -> list[Suggestion]: ...


@runtime_checkable
class Suggester(Protocol):
    """Proposes spans for a batch of texts; the result has one list per text, in order."""

    name: str

    def suggest(self, texts: list[str], langs: list[str] | None = None) -> list[list[Suggestion]]: ...


def is_claim(label: str) -> bool:
    return label in CLAIM_LABELS


def merge(
    per_suggester: Sequence[Iterable[Suggestion]],
    *,
    existing: set[SpanKey] | None = None,
    rejected: set[SpanKey] | None = None,
) -> list[Suggestion]:
    """One article's suggestions from several suggesters (in the user's order) made into one list.

    - an identical (start, end, label) from a later suggester is dropped;
    - overlapping entity suggestions: the earlier suggester wins, then the longer one;
    - claims may overlap entities (and are only deduplicated among themselves the same way);
    - anything already a span of the article, or already rejected there, is never offered.
    """
    existing = existing or set()
    rejected = rejected or set()
    seen: set[SpanKey] = set()
    candidates: list[tuple[int, int, int, Suggestion]] = []
    for rank, suggestions in enumerate(per_suggester):
        for s in suggestions:
            key = (s.start, s.end, s.label)
            if s.end <= s.start or key in seen or key in existing or key in rejected:
                continue
            seen.add(key)
            candidates.append((rank, s.start - s.end, s.start, s))

    # Existing entity spans also block overlapping entity suggestions of the same kind:
    # the analyst already decided what that stretch is.
    taken = {True: _Occupied(), False: _Occupied()}
    by_kind: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for start, end, label in existing:
        by_kind[is_claim(label)].append((start, end))
    for kind, intervals in by_kind.items():
        taken[kind].fill(intervals)

    # Earlier suggester first, then longer, then leftmost: greedy keeps the winners.
    # (The sort is stable, so ties keep their order of arrival, as before.)
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    kept: list[Suggestion] = []
    for _rank, _neg_len, _start, s in candidates:
        if taken[s.label in CLAIM_LABELS].claim(s.start, s.end):
            kept.append(s)
    kept.sort(key=lambda s: (s.start, -s.end, s.label))
    return kept


class _Occupied:
    """Stretches of text already taken, as sorted disjoint [start, end) runs: O(log n) tests.

    ``claim(a, b)`` is true, and takes [a, b), exactly when [a, b) overlaps none of the
    intervals given so far (``a < end and start < b``), as the old linear scan decided.
    """

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def fill(self, intervals: list[tuple[int, int]]) -> None:
        # Existing spans may overlap one another: keep their union, which overlaps a
        # query exactly when one of them does.
        starts, ends = self.starts, self.ends
        for b, e in sorted(intervals):
            if ends and b < ends[-1]:
                if e > ends[-1]:
                    ends[-1] = e
            else:
                starts.append(b)
                ends.append(e)

    def claim(self, a: int, b: int) -> bool:
        j = bisect_right(self.ends, a)  # the first run ending after a
        if j < len(self.starts) and self.starts[j] < b:
            return False
        self.starts.insert(j, a)
        self.ends.insert(j, b)
        return True


def run_suggesters(
    suggesters: Sequence[Suggester],
    texts: list[str],
    langs: list[str] | None = None,
    *,
    existing_per_text: Sequence[set[SpanKey]] | None = None,
    rejected_per_text: Sequence[set[SpanKey]] | None = None,
    on_error: Callable[[int, BaseException], None] | None = None,
    unmerged: list[dict[str, list[Suggestion]]] | None = None,
) -> list[list[Suggestion]]:
    """Run every suggester over a batch and merge per text.

    When a suggester fails on the batch it is retried text by text, so one bad article
    costs only its own suggestions from that suggester: ``on_error(index, exc)`` is called
    for each text it failed on and the rest go on. ``unmerged``, if given, gets each text's
    proposals by suggester name, before the merge (which keeps one per place).
    """
    n = len(texts)
    per_text: list[list[list[Suggestion]]] = [[] for _ in range(n)]
    for suggester in suggesters:
        try:
            results = suggester.suggest(texts, langs)
            if len(results) != n:
                raise RuntimeError(
                    f"suggester {suggester.name} returned {len(results)} results for {n} texts"
                )
        except Exception:
            log.warning("suggester %s failed on a batch of %d; retrying one by one", suggester.name, n)
            results = []
            for i, text in enumerate(texts):
                try:
                    one = suggester.suggest([text], [langs[i]] if langs else None)
                    results.append(one[0] if one else [])
                except Exception as exc:  # noqa: BLE001 - a suggester's failure must not stop the rest
                    results.append([])
                    if on_error is not None:
                        on_error(i, exc)
                    else:
                        log.exception("suggester %s failed on text %d", suggester.name, i)
        for i, found in enumerate(results):
            per_text[i].append(found)
    for corrector in suggesters:
        if not isinstance(corrector, Corrector):
            continue
        for i, found in enumerate(per_text):
            per_text[i] = [
                lists if other is corrector else corrector.correct(texts[i], lists)
                for other, lists in zip(suggesters, found, strict=True)
            ]
    if unmerged is not None:
        unmerged[:] = [
            {s.name: found for s, found in zip(suggesters, per_text[i], strict=True)} for i in range(n)
        ]
    return [
        merge(
            per_text[i],
            existing=existing_per_text[i] if existing_per_text else None,
            rejected=rejected_per_text[i] if rejected_per_text else None,
        )
        for i in range(n)
    ]
