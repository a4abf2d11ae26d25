"""What to annotate next: the queue orders, and the two numbers they sort by.

An *order* is how the desk's list and its "done, next" (Ctrl+Enter) walk the articles:

* ``import`` — as imported (article id);
* ``useful`` — most useful first: where the suggesters disagree most, and where the
  project's model is least sure of what it suggests;
* ``quick`` — quickest first: least work for the analyst.

The chosen order is a project setting (``QUEUE_ORDER_SETTING``), so the list and the next
article agree, and the choice survives a restart. Ties (and articles never suggested, in
the useful order) go by import order.

**Usefulness** of an article, computed from one suggest run's proposals *before* they are
merged (``ops.workflows.suggest_articles``; the merge keeps one proposal per place and would
hide the disagreement), is ``disagreement + uncertainty``, both counted in spans in doubt:

* ``disagreement``: entity proposals ``(start, end, label)`` made by some but not all of the
  suggesters that proposed any entity in the article. Claims are left out (long stretches
  whose exact ends suggesters seldom share; not every suggester makes them). A suggester
  that proposed no entity there has no view; neither has the learned gazetteer (it only
  knows the names it was taught: its silence says nothing). So one voting suggester gives 0.
* ``uncertainty``: over the proposals of spaCy pipelines (the project's model) that carry a
  probability ``p`` (a span categorizer's score; entity-recognizer spans have none), the sum
  of ``1 - |2p - 1|``: 1 for a coin toss, 0 for a sure answer.

A project migrated from before these numbers has only the stored model scores to go on: its
articles get the uncertainty part until they are suggested again (``m011_article_queue``).

**Effort** (quickest first sorts by it, smallest first) estimates the analyst's seconds on
the article as of its last suggest run: reading its characters (``READ_CHARS_PER_SECOND``),
deciding each pending suggestion (``DECIDE_SECONDS``), and drawing the spans the
suggestions are expected to miss — ``SPANS_PER_CHAR`` of the text, less the pending
suggestions, at ``DRAW_SECONDS`` each. An article never suggested is estimated the same way
with no suggestions, from its length alone (the store does it as the article arrives).
The weights follow the simulated analyst's costs (``bench/bench_loop.py``: accept or reject
1, draw 3) at about three seconds an action. ``bench_loop.py`` prints how well the estimate
follows the actions each article then took: Pearson r 0.60-0.66 over 168 NERGRIT articles
(rules and the learned gazetteer; the order as imported or quickest first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

#: Project setting: the queue order's name (``QUEUE_ORDERS``).
QUEUE_ORDER_SETTING = "queue.order"


@dataclass(frozen=True, slots=True)
class QueueOrder:
    """One way through the articles: ``name`` is stored, ``label`` and ``help`` are shown."""

    name: str
    label: str
    help: str


QUEUE_ORDERS: dict[str, QueueOrder] = {
    o.name: o
    for o in (
        QueueOrder("import", "Import order", "The articles as they were imported."),
        QueueOrder(
            "useful",
            "Most useful first",
            "Where the suggesters disagree, or the project's model is least sure, first.",
        ),
        QueueOrder(
            "quick",
            "Quickest first",
            "Short articles with few suggestions to decide and few spans to draw first.",
        ),
    )
}
DEFAULT_ORDER = "import"

READ_CHARS_PER_SECOND = 25.0  # about 250 words a minute
DECIDE_SECONDS = 3.0  # accept or reject one suggestion
DRAW_SECONDS = 9.0  # find and draw a span nobody suggested
SPANS_PER_CHAR = 1 / 120  # news text: about one actor or place per 120 characters

#: The suggester whose silence is no view (it only knows what it learned).
MEMORY_SUGGESTERS = frozenset({"gazetteer"})
#: Labels left out of the disagreement: ``annotator.suggest.base.CLAIM_LABELS`` (a test holds
#: them equal), not imported, since the store uses this module and never loads the suggesters.
CLAIM_LABELS = frozenset({"CLAIM"})


class Proposal(Protocol):
    """What a suggester proposes (``annotator.suggest.Suggestion``) or a stored span."""

    start: int
    end: int
    label: str
    score: float | None


def order_name(value: str | None) -> str:
    """A stored setting as a known order's name (an unknown one reads as import order)."""
    return value if value in QUEUE_ORDERS else DEFAULT_ORDER


def disagreement(per_suggester: Mapping[str, Iterable[Proposal]]) -> int:
    """Entity proposals made by some but not all of the suggesters with a view (see the
    module docstring)."""
    voters: list[set[tuple[int, int, str]]] = []
    for name, proposals in per_suggester.items():
        if name in MEMORY_SUGGESTERS:
            continue
        keys = {(p.start, p.end, p.label) for p in proposals if p.label not in CLAIM_LABELS}
        if keys:
            voters.append(keys)
    if len(voters) < 2:
        return 0
    return len(set.union(*voters) - set.intersection(*voters))


def is_model(name: str) -> bool:
    """A spaCy pipeline suggester (the project's model among them), by its name."""
    return name.startswith("spacy:")


def uncertainty(scores: Iterable[float | None]) -> float:
    """Sum of ``1 - |2p - 1|`` over the probabilities given (None and out-of-range skipped)."""
    return sum(1.0 - abs(2.0 * p - 1.0) for p in scores if p is not None and 0.0 <= p <= 1.0)


def usefulness(per_suggester: Mapping[str, Sequence[Proposal]]) -> float:
    """How much the analyst's answer on this article would teach: ``disagreement`` of the
    suggesters plus the ``uncertainty`` of the spaCy pipelines' proposals."""
    doubt = uncertainty(p.score for name, ps in per_suggester.items() if is_model(name) for p in ps)
    return float(disagreement(per_suggester)) + round(doubt, 3)


def effort(chars: int, pending: int) -> float:
    """Estimated seconds of the analyst's work on an article of ``chars`` characters with
    ``pending`` suggestions to decide."""
    # The same operations in the same order as ``effort_sql``: the same double.
    return (
        chars / READ_CHARS_PER_SECOND
        + pending * DECIDE_SECONDS
        + max(0.0, chars * SPANS_PER_CHAR - pending) * DRAW_SECONDS
    )


def effort_sql(chars: str, pending: str = "0") -> str:
    """``effort`` as an SQL expression over two SQL expressions (the store computes it for
    new articles in a trigger, and for the old ones in the migration): the same numbers."""
    return (
        f"({chars}) / {READ_CHARS_PER_SECOND!r} + ({pending}) * {DECIDE_SECONDS!r} + "
        f"max(0.0, ({chars}) * {SPANS_PER_CHAR!r} - ({pending})) * {DRAW_SECONDS!r}"
    )


class _Settings(Protocol):
    def setting(self, key: str, default: str | None = None) -> str | None: ...


def chosen_order(store: _Settings) -> str:
    """The project's queue order (``QUEUE_ORDER_SETTING``), import order if none was chosen."""
    return order_name(store.setting(QUEUE_ORDER_SETTING))
