"""The model in the loop: versions of the project's own model, when to train the next one,
and whether it replaces the one in use.

A *version* is one finished training of the project's model (``storage.models`` keeps them;
``ops.retrain`` runs them). At most one version is *active*: its folder is the project's
``spacy:`` suggester. The rules, stated once here:

* **When.** After every ``retrain_every`` newly done articles (a project setting, default 20)
  counted against the data the newest version was trained on, and whenever the analyst asks.
* **Swap only when it saves work.** On the training's own held-back articles (so a version
  is never judged on articles it was trained on), the analyst's key presses per gold span
  (``review_cost``: accept or reject 1, fix 2, draw 3) are counted for the suggesters in use
  without the model (rules and other chosen pipelines; not the learned gazetteer, which has
  seen those articles), and with the model's suggestions *first* (winning where they overlap
  the others') or *last* (filling what the others left). The version takes the cheaper
  place (``best_place``) and becomes active only if there it costs fewer key presses than no
  model, and, with a version active, fewer than that version in its place on the held-back
  articles that version never trained on either (its ``meta.json`` lists what it learnt from;
  at least ``ops.retrain.MIN_UNSEEN`` of them). Without those counts, F-scores decide. A model weaker than the rules by F is often worth having last: every
  name it adds that they missed saves two key presses, a wrong one costs one. A version
  that is not put in use is kept, and the analyst can still choose it.
* **Rollback.** Any version, or none, can be made active again; the suggesters spec is
  rewritten in the same transaction (``spec_with_model``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.project import spec_items

#: Where the project's model can go among the suggesters (``ModelVersion.place``).
PLACES = ("first", "last")
#: Project setting: retrain after this many newly done articles (0 turns the loop off).
RETRAIN_EVERY_SETTING = "loop.retrain_every"
DEFAULT_RETRAIN_EVERY = 20
#: Project setting: how long one background training may run, in minutes.
RETRAIN_MINUTES_SETTING = "loop.max_minutes"
DEFAULT_RETRAIN_MINUTES = 10.0
#: Project setting: at most this many passes over the data per training.
RETRAIN_EPOCHS_SETTING = "loop.max_epochs"
DEFAULT_RETRAIN_EPOCHS = 30


@dataclass(slots=True)
class ModelVersion:
    """One trained version of the project's model."""

    path: str
    created_at: str = ""
    cause: str = "manual"  # "manual" (asked for) or "auto" (after N done articles)
    articles: int = 0  # finished articles it learnt from (training + held back)
    spans: int = 0  # accepted spans in them
    f: float | None = None  # held-out F-score (entities, else claims)
    scores: dict[str, Any] = field(default_factory=dict)  # per label: p, r, f
    seconds: float | None = None
    active: bool = False
    note: str = ""
    place: str = "first"  # its suggestions before the others' ("first") or after them ("last")
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.path:
            raise ValueError("a model version needs the folder it lives in")
        if self.place not in PLACES:
            raise ValueError(f"place must be one of {', '.join(PLACES)}, not {self.place!r}")
        if self.cause not in ("manual", "auto"):
            raise ValueError(f"cause must be manual or auto, not {self.cause!r}")

    @classmethod
    def from_meta(cls, path: str, meta: dict[str, Any], *, cause: str = "manual") -> ModelVersion:
        """A version from a trained pipeline's ``meta.json["sorot"]`` (``annotator.train``)."""
        counts = meta.get("counts") or {}
        scores = meta.get("scores") or {}
        per_label = {
            lab: {k: s.get(k) for k in ("p", "r", "f") if k in s}
            for lab, s in (scores.get("per_label") or {}).items()
            if isinstance(s, dict)
        }
        # The shipped model learnt from every article when training retrained on all of them
        # after choosing the epochs (train_articles then counts them all); otherwise from the
        # training side only, the held-back ones scoring it.
        trained = int(counts.get("train_articles", 0))
        held = int(counts.get("eval_articles", 0))
        on_all = trained >= int(counts.get("selection_train_articles", trained)) + held
        spans = sum((counts.get("train_spans") or {}).values())
        if not on_all:
            spans += sum((counts.get("eval_spans") or {}).values())
        f = scores.get("ents_f", scores.get("spans_sc_f"))
        return cls(
            path=path,
            cause=cause,
            articles=trained if on_all else trained + held,
            spans=int(spans),
            f=float(f) if f is not None else None,
            scores=per_label,
            seconds=meta.get("seconds"),
        )


def is_better(
    new: ModelVersion,
    active: ModelVersion | None,
    baseline: float | None = None,
    effort: dict[str, float] | None = None,
) -> bool:
    """Whether ``new`` should replace ``active`` (see the module docstring). ``baseline`` is
    the F of the suggesters without any own model on the same held-back articles; ``effort``
    the analyst's key presses per gold span there without it and with it in each place, and
    (``"vs_active"``) on those of the articles the active version never trained on, with it in
    its place or the new one in each (``ops.retrain.placement_effort``): when known, they
    decide, on the same articles; else the F-scores do."""
    if new.f is None:
        return False
    if effort and effort.get("without") is not None:
        if effort[new.place] >= effort["without"]:
            return False
        vs = effort.get("vs_active")
        if active is not None and vs and vs.get("id") == active.id:  # not one chosen since
            return vs[new.place] < vs["active"]
    elif active is None and baseline is not None and new.f <= baseline:
        return False
    return active is None or active.f is None or new.f > active.f


def best_place(effort: dict[str, float]) -> str:
    """The place where the model's suggestions cost the analyst least (``first`` on a tie)."""
    return min(PLACES, key=lambda place: (effort.get(place, float("inf")), PLACES.index(place)))


def due(done_articles: int, newest: ModelVersion | None, every: int) -> bool:
    """Whether ``every`` articles have been finished since the newest version's data."""
    if every <= 0 or done_articles <= 0:
        return False
    trained_on = newest.articles if newest is not None else 0
    return done_articles - trained_on >= every


def spec_with_model(spec: str, path: str | None, version_paths: Iterable[str], place: str = "first") -> str:
    """``spec`` with the project's own model swapped: every ``spacy:`` item naming a version's
    folder is dropped and ``path`` (when given) put first, so the model's suggestions win where
    they overlap the others', or last, so they fill what the others left. Other pipelines the
    analyst chose stay where they were."""
    own = set(version_paths) | ({path} if path else set())
    items = [i for i in spec_items(spec) if not (i.startswith("spacy:") and i[len("spacy:") :] in own)]
    if path:
        items.insert(0 if place == "first" else len(items), f"spacy:{path}")
    return ",".join(items)


#: What the analyst pays for each kind of decision on a suggestion (key presses): accepting
#: or rejecting one is a key, fixing one (resize and/or relabel) two, drawing a span nobody
#: offered three (select, then label). bench/bench_loop.py counts its simulated analyst
#: with it.
ACTION_COST = {"accept": 1, "fix": 2, "reject": 1, "draw": 3}

Key = tuple[int, int, str]


def review_actions(
    gold: set[Key], offered: Sequence[Key]
) -> tuple[list[tuple[str, Key, Key | None]], list[Key]]:
    """How an analyst who knows ``gold`` handles ``offered`` suggestions of one article:
    ``(decisions, drawn)``, decisions as ``(action, suggestion, target)`` in the order made
    (every exact one accepted first; then each other one fixed into the first gold span it
    overlaps that nothing else took, else rejected), drawn the gold spans left over."""
    left = set(gold)
    decisions: list[tuple[str, Key, Key | None]] = []
    exact = [k for k in offered if k in left]
    for k in exact:
        left.discard(k)
        decisions.append(("accept", k, k))
    taken = set(exact)
    for k in offered:
        if k in taken:
            continue
        target = next((g for g in sorted(left) if g[0] < k[1] and k[0] < g[1]), None)
        if target is not None:
            left.discard(target)
            decisions.append(("fix", k, target))
        else:
            decisions.append(("reject", k, None))
    return decisions, sorted(left)


def review_cost(golds: Sequence[set[Key]], offers: Sequence[Sequence[Key]]) -> float:
    """Key presses per gold span an analyst spends on these articles' suggestions
    (``review_actions`` priced by ``ACTION_COST``); 0 when there is no gold span."""
    total = spans = 0
    for gold, offered in zip(golds, offers, strict=True):
        acts = action_counts(*review_actions(gold, offered))
        total += sum(ACTION_COST[a] * n for a, n in acts.items())
        spans += len(gold)
    return total / spans if spans else 0.0


def action_counts(decisions: Iterable[tuple[str, Key, Key | None]], drawn: Sequence[Key]) -> Counter[str]:
    acts = Counter(a for a, _k, _t in decisions)
    acts["draw"] += len(drawn)
    return acts
