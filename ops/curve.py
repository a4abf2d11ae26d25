"""Is more data still helping? The training curve (as Prodigy's ``train-curve``).

The finished articles are split once (the held-back share, as training splits them); the
model is trained on 25, 50, 75 and 100% of the rest (a seeded shuffle, each share containing
the smaller ones) with the project's usual training, and each model is scored on the *same*
held-back articles, overall and per label. A curve still rising at 100% says more annotated
articles will still help. The result is kept in the project (setting ``loop.train_curve``)
for the review window's Stats.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from annotator.errors import SorotError
from annotator.project import ProjectStore

SETTING = "loop.train_curve"
FRACTIONS = (0.25, 0.5, 0.75, 1.0)


def train_curve(
    store: ProjectStore,
    *,
    fractions: Sequence[float] = FRACTIONS,
    seed: int = 0,
    eval_split: float = 0.2,
    on_point: Callable[[dict[str, Any]], None] | None = None,
    **train_options: Any,
) -> dict[str, Any]:
    """Train on growing shares of the finished articles and score each on the same held-back
    ones; ``train_options`` go to ``annotator.train.train`` (settings, max_epochs...)."""
    from annotator.train import collect, evaluate, holds_back, split_held_back, train

    kinds = {lab.name: lab.kind for lab in store.labels()}
    docs = collect(store).documents
    train_docs, held = split_held_back(docs, eval_split, seed)
    if not holds_back(train_docs, held):
        raise SorotError("a training curve needs at least two finished articles, one to hold back")
    order = list(train_docs)
    random.Random(seed).shuffle(order)
    points: list[dict[str, Any]] = []
    work = Path(tempfile.mkdtemp(prefix="sorot-curve-"))
    try:
        for fraction in sorted(set(fractions)):
            subset = order[: max(1, math.ceil(fraction * len(order)))]
            t0 = time.monotonic()
            out = work / f"{fraction:.2f}"
            train(subset, out, label_kinds=kinds, seed=seed, **train_options)
            scores = evaluate(out, held)
            point = {
                "fraction": fraction,
                "articles": len(subset),
                "f": scores.get("ents_f", scores.get("spans_f")),
                "per_label": {lab: s.get("f") for lab, s in sorted(scores.get("per_label", {}).items())},
                "seconds": round(time.monotonic() - t0, 1),
            }
            points.append(point)
            if on_point is not None:
                on_point(point)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"held_back": len(held), "points": points, "at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def saved_curve(store: ProjectStore) -> dict[str, Any] | None:
    raw = store.setting(SETTING)
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def save_curve(store: ProjectStore, curve: dict[str, Any]) -> None:
    store.set_setting(SETTING, json.dumps(curve, ensure_ascii=False))


def table(curve: dict[str, Any]) -> list[str]:
    """The curve as text lines: one row per share, one column per label."""
    points = curve.get("points") or []
    labels = sorted({lab for p in points for lab in p.get("per_label", {})})
    head = f"{'share':>6} {'articles':>8} {'F':>6} " + " ".join(f"{lab[:12]:>12}" for lab in labels)
    rows = [head]
    for p in points:
        cells = " ".join(f"{_f(p['per_label'].get(lab)):>12}" for lab in labels)
        rows.append(f"{p['fraction']:>6.0%} {p['articles']:>8} {_f(p['f']):>6} {cells}")
    rows.append(f"scored on the same {curve.get('held_back', 0)} held-back articles")
    return rows


def _f(f: float | None) -> str:
    return "–" if f is None else f"{f:.3f}"
