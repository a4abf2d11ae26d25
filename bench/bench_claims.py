"""Claim suggestions against the hand-labelled claim set, run by hand.

    .venv/bin/python bench/bench_claims.py                  # the held-out part
    .venv/bin/python bench/bench_claims.py --split tune --errors

Sentence level, as issue #16 measures it: a sentence counts as suggested when one CLAIM
suggestion covers at least half of its characters; precision and recall over the gold
claim sentences of ``bench/data/claims/claims.jsonl`` (labelled by
``resources/claims/GUIDELINE.md``). Claimant accuracy: of the gold claims whose source is
named, the share whose covering CLAIM suggestion carries a claimant (``attrs["claimant"]``)
whose text matches the gold one (contains it, or lies inside it and holds its last word).
A missed claim counts as a wrong claimant; the share among found claims is printed too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.suggest.base import CLAIM, Suggestion  # noqa: E402

DATA = ROOT / "bench" / "data" / "claims" / "claims.jsonl"


@dataclass
class Sentence:
    rec: dict
    start: int
    end: int


@dataclass
class Article:
    doc: str
    lang: str
    text: str = ""
    sentences: list[Sentence] = field(default_factory=list)


def load(path: Path, split: str) -> list[Article]:
    articles: dict[str, Article] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if split != "all" and rec["split"] != split:
            continue
        art = articles.setdefault(rec["doc"], Article(rec["doc"], rec["lang"]))
        start = len(art.text)
        art.text += rec["text"]
        art.sentences.append(Sentence(rec, start, len(art.text)))
        art.text += rec["after"]
    return list(articles.values())


def claimant_matches(got: str, rec: dict) -> bool:
    got = " ".join(got.lower().split())
    if not got:
        return False
    for gold in [rec["claimant"], *rec["claimant_alt"]]:
        gold = " ".join(gold.lower().split())
        if gold in got or (got in gold and gold.split()[-1] in got.split()):
            return True
    return False


def _bucket(rec: dict) -> str:
    return rec["source"].split("/")[0].split()[0] + ":" + rec["lang"]


def evaluate(articles: list[Article], claims_of, *, show_errors: bool = False) -> dict[str, dict[str, float]]:
    """``claims_of(texts, langs)`` -> per text, its CLAIM suggestions."""
    t0 = time.perf_counter()
    found = claims_of([a.text for a in articles], [a.lang for a in articles])
    seconds = time.perf_counter() - t0
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for art, claims in zip(articles, found, strict=True):
        for sent in art.sentences:
            rec = sent.rec
            length = sent.end - sent.start
            best: Suggestion | None = None
            best_overlap = 0
            for s in claims:
                overlap = min(s.end, sent.end) - max(s.start, sent.start)
                if overlap > best_overlap:
                    best, best_overlap = s, overlap
            predicted = best is not None and 2 * best_overlap >= length
            for key in ("all", _bucket(rec)):
                c = counts[key]
                c["sentences"] += 1
                c["gold"] += rec["claim"]
                c["predicted"] += predicted
                c["tp"] += predicted and rec["claim"]
                if rec["claim"] and rec["claimant"]:
                    c["named"] += 1
                    if predicted:
                        c["named_found"] += 1
                        span = best.attrs.get("claimant") if hasattr(best, "attrs") else None
                        got = art.text[span[0] : span[1]] if span else ""
                        c["claimant_ok"] += claimant_matches(got, rec)
            if show_errors and predicted != rec["claim"]:
                kind = "FP" if predicted else "FN"
                print(f"{kind} {rec['id']}: {rec['text'][:160]}")
            elif show_errors and predicted and rec["claimant"]:
                span = best.attrs.get("claimant") if hasattr(best, "attrs") else None
                got = art.text[span[0] : span[1]] if span else ""
                if not claimant_matches(got, rec):
                    print(f"CL {rec['id']}: got {got!r}, want {rec['claimant']!r}: {rec['text'][:120]}")
    out: dict[str, dict[str, float]] = {}
    for key, c in counts.items():
        out[key] = {
            "sentences": c["sentences"],
            "claims": c["gold"],
            "precision": c["tp"] / c["predicted"] if c["predicted"] else float("nan"),
            "recall": c["tp"] / c["gold"] if c["gold"] else float("nan"),
            "named": c["named"],
            "claimant": c["claimant_ok"] / c["named"] if c["named"] else float("nan"),
            "claimant_found": c["claimant_ok"] / c["named_found"] if c["named_found"] else float("nan"),
        }
    out["all"]["seconds"] = seconds
    return out


def rules_claims(texts: list[str], langs: list[str]) -> list[list[Suggestion]]:
    from annotator.suggest.rules import RulesSuggester

    return [[s for s in found if s.label == CLAIM] for found in RulesSuggester().suggest(texts, langs)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["heldout", "tune", "all"], default="heldout")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--errors", action="store_true", help="print each wrong sentence")
    args = ap.parse_args(argv)
    articles = load(args.data, args.split)
    result = evaluate(articles, rules_claims, show_errors=args.errors)
    print(f"claims, rules suggester, split={args.split}, {len(articles)} articles")
    print(
        f"{'part':<22}{'sents':>6}{'claims':>7}{'prec':>7}{'recall':>7}{'named':>6}{'claimant':>9}{'(found)':>8}"
    )
    for key in ["all", *sorted(k for k in result if k != "all")]:
        r = result[key]
        print(
            f"{key:<22}{r['sentences']:>6}{r['claims']:>7}{r['precision']:>7.2f}{r['recall']:>7.2f}"
            f"{r['named']:>6}{r['claimant']:>9.2f}{r['claimant_found']:>8.2f}"
        )
    print(f"time: {result['all']['seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
