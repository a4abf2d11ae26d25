"""Rules and gazetteer on text they were not tuned on (issue #14, item 5).

    .venv/bin/python bench/bench_rules_unseen.py               # tuning folds 0-3, the untouched fold 4
    .venv/bin/python bench/bench_rules_unseen.py --valid       # ... and nergrit/valid (once, at the end)
    .venv/bin/python bench/bench_rules_unseen.py --errors 2    # the commonest misses / false alarms of fold 2

Data: nergrit/train (IndoNLU, Apache-2.0) as 10-sentence articles, shuffled with a fixed seed
into 5 folds by article. Folds 0-3 are where the rules and the word lists were
tuned (and where ``resources/gazetteer/names.tsv`` was drawn from, see
``resources/gazetteer/build_names.py``); fold 4 was never looked at while tuning. Labels:
NERGRIT PERSON, ORGANISATION -> ACTOR, PLACE -> LOCATION; NERP PPL, IND -> ACTOR, PLC ->
LOCATION; other labels and CLAIM suggestions are left out. Exact span match. NERP is all
lower case (the rules read capitals), so it is scored on its own line (``--nerp``), a check
that lower-case text gets few false alarms rather than a goal.

What is scored is what a fresh project suggests: the default suggesters (``rules,gazetteer``;
the learned gazetteer is empty in a fresh project). Prints P/R/F1 per label and per fold.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_suggest import LABELS, Gold, load, score_keys  # noqa: E402
from shared_data import NERGRIT_MAP, SHARED_DATA  # noqa: E402 - bench/ is on sys.path when run

from annotator.suggest import build_suggesters  # noqa: E402
from annotator.suggest.base import run_suggesters  # noqa: E402

DATA = SHARED_DATA
MAPS = {
    "nergrit": NERGRIT_MAP,
    "nerp": {"PPL": "ACTOR", "IND": "ACTOR", "PLC": "LOCATION", "EVT": "-", "FNB": "-"},
}
SCHEME = {"nergrit": "iob2", "nerp": "iob1"}
FOLDS = 5
HELD_OUT = 4
SEED = 14


def read(dataset: str, part: str, sentences: int = 10) -> list[tuple[str, Gold]]:
    return load(DATA / dataset / f"{part}.iob", sentences, scheme=SCHEME[dataset], label_map=MAPS[dataset])


def folds() -> list[list[tuple[str, Gold]]]:
    """nergrit/train articles in FOLDS seeded folds (by article)."""
    articles = read("nergrit", "train")
    random.Random(SEED).shuffle(articles)
    return [articles[k::FOLDS] for k in range(FOLDS)]


def suggest(articles: list[tuple[str, Gold]], spec: str = "rules,gazetteer", places=None) -> list[Gold]:
    """What the suggesters offer, merged as the project merges them (``run_suggesters``).

    ``places``: the rules' name list to use instead of the shipped one (cross-validation)."""
    texts = [t for t, _ in articles]
    suggesters = build_suggesters(spec)
    if places is not None:
        from annotator.suggest.rules import RulesSuggester

        suggesters = [RulesSuggester(places=places) if s.name == "rules" else s for s in suggesters]
    merged = run_suggesters(suggesters, texts, ["id"] * len(texts))
    return [{(s.start, s.end, s.label) for s in found if s.label in LABELS} for found in merged]


def cv_places(parts, k: int, nerp) -> dict[str, str]:
    """The rules' names as build_names.py makes them, from the tuning folds other than k."""
    from annotator.suggest.rules import load_places

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "resources" / "gazetteer"))
    from build_names import learn

    others = [a for j in range(FOLDS) if j not in (k, HELD_OUT) for a in parts[j]]
    places = dict(load_places(news_names=False))
    for name, label in learn(others, nerp).items():
        places.setdefault(name, label)
    return places


def score(pred: list[Gold], gold: list[Gold]) -> dict[str, tuple[float, float, float, int]]:
    return score_keys(pred, gold, LABELS)


def line(name: str, sc: dict[str, tuple[float, float, float, int]], seconds: float) -> str:
    parts = [f"{name:<22}"]
    for lab, (p, r, f, n) in sc.items():
        parts.append(f"{lab} P {p:.3f} R {r:.3f} F1 {f:.3f} ({n})")
    return "  ".join(parts) + f"  {seconds:.1f}s"


def errors(articles: list[tuple[str, Gold]], pred: list[Gold], top: int = 40) -> None:
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for (text, g), p in zip(articles, pred, strict=True):
        for s, e, lab in p - g:
            fp[f"{lab} {text[s:e]}"] += 1
        for s, e, lab in g - p:
            fn[f"{lab} {text[s:e]}"] += 1
    print("false alarms:", ", ".join(f"{k} ×{n}" for k, n in fp.most_common(top)))
    print("misses:", ", ".join(f"{k} ×{n}" for k, n in fn.most_common(top)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--final", action="store_true", help=f"also score the untouched fold {HELD_OUT}")
    ap.add_argument("--valid", action="store_true", help="also score nergrit/valid")
    ap.add_argument("--nerp", action="store_true", help="also score nerp/train (lower case)")
    ap.add_argument("--errors", type=int, default=None, metavar="FOLD", help="list errors of a tuning fold")
    ap.add_argument("--spec", default="rules,gazetteer")
    args = ap.parse_args()
    parts = folds()
    tuned = [k for k in range(FOLDS) if k != HELD_OUT]
    nerp = read("nerp", "train")
    if args.errors is not None:
        if args.errors == HELD_OUT:
            raise SystemExit(f"fold {HELD_OUT} is the untouched one: no error listing")
        pred = suggest(parts[args.errors], args.spec, cv_places(parts, args.errors, nerp))
        errors(parts[args.errors], pred)
        return
    print(f"{args.spec} on a fresh project; folds of nergrit/train, seed {SEED}")
    print(
        "tuning folds: the name list is learnt from the other tuning folds (+ NERP), as build_names.py does"
    )
    total_pred: list[Gold] = []
    total_gold: list[Gold] = []
    for k in tuned:
        t0 = time.perf_counter()
        pred = suggest(parts[k], args.spec, cv_places(parts, k, nerp))
        gold = [g for _, g in parts[k]]
        total_pred += pred
        total_gold += gold
        print(
            line(f"fold {k} (tuning, {len(parts[k])})", score(pred, gold), time.perf_counter() - t0),
            flush=True,
        )
    print(line("tuning folds together", score(total_pred, total_gold), 0.0))
    print("shipped names.tsv (learnt from folds 0-3 + NERP):")
    if args.final:
        t0 = time.perf_counter()
        pred = suggest(parts[HELD_OUT], args.spec)
        name = f"fold {HELD_OUT} (untouched, {len(parts[HELD_OUT])})"
        print(line(name, score(pred, [g for _, g in parts[HELD_OUT]]), time.perf_counter() - t0))
    if args.nerp:
        t0 = time.perf_counter()
        pred = suggest(nerp, args.spec)
        print(
            line(
                f"nerp/train ({len(nerp)}, seen)", score(pred, [g for _, g in nerp]), time.perf_counter() - t0
            )
        )
    if args.valid:
        valid = read("nergrit", "valid")
        t0 = time.perf_counter()
        pred = suggest(valid, args.spec)
        print(
            line(
                f"nergrit/valid ({len(valid)})", score(pred, [g for _, g in valid]), time.perf_counter() - t0
            )
        )


if __name__ == "__main__":
    main()
