"""Suggester quality and speed, run by hand: ``.venv/bin/python bench/bench_suggest.py``.

Quality: P/R/F1 per suggester on NERGRIT valid.iob, exact span match at entity level,
PERSON + ORGANISATION -> ACTOR, PLACE -> LOCATION, other tags ignored; CLAIM suggestions
are dropped (NERGRIT has none). The gazetteer is learned from train.iob's gold spans.
Speed: words per second of the rules suggester.

``bench_store`` is the hook for the database throughput part (import + suggest + store
vs bare nlp.pipe, memory over 10k articles); it runs only when storage.store is usable.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.suggest.base import CLAIM, Suggester, Suggestion, merge  # noqa: E402

DATA = Path("/work/shared/data/nergrit")
LABEL_MAP = {"PERSON": "ACTOR", "ORGANISATION": "ACTOR", "PLACE": "LOCATION"}
SENTENCES_PER_ARTICLE = 20
Gold = set[tuple[int, int, str]]


# --- data ------------------------------------------------------------------------------------


def _read_iob_private(path: Path, sentences_per_article: int) -> Iterator[tuple[str, Gold]]:
    """Tokens joined with single spaces, sentences by newline; gold spans as char offsets."""

    def flush(sentences: list[list[tuple[str, str]]]) -> tuple[str, Gold]:
        parts: list[str] = []
        gold: Gold = set()
        offset = 0
        for sent in sentences:
            starts = []
            pos = offset
            for tok, _tag in sent:
                starts.append(pos)
                pos += len(tok) + 1
            i = 0
            while i < len(sent):
                tag = sent[i][1]
                if tag[:2] in ("B-", "I-"):
                    kind = tag[2:]
                    j = i + 1
                    while j < len(sent) and sent[j][1] == "I-" + kind:
                        j += 1
                    if kind in LABEL_MAP:
                        end = starts[j - 1] + len(sent[j - 1][0])
                        gold.add((starts[i], end, LABEL_MAP[kind]))
                    i = j
                else:
                    i += 1
            line = " ".join(tok for tok, _ in sent)
            parts.append(line)
            offset += len(line) + 1
        return "\n".join(parts), gold

    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line.strip():
                if current:
                    sentences.append(current)
                    current = []
                    if len(sentences) == sentences_per_article:
                        yield flush(sentences)
                        sentences = []
                continue
            tok, _, tag = line.partition("\t")
            current.append((tok, tag.strip() or "O"))
    if current:
        sentences.append(current)
    if sentences:
        yield flush(sentences)


def load(path: Path, sentences_per_article: int = SENTENCES_PER_ARTICLE) -> list[tuple[str, Gold]]:
    """Articles as (text, gold spans): the project's CoNLL reader when it exists, else ours."""
    try:
        from annotator.formats import conll  # type: ignore[attr-defined]

        docs = conll.read(path, sentences_per_article=sentences_per_article, label_map=LABEL_MAP)
        out = []
        for doc in docs:
            gold = {(s.start, s.end, s.label) for s in doc.spans if s.label in ("ACTOR", "LOCATION")}
            out.append((doc.article.text, gold))
        return out
    except ImportError:
        return list(_read_iob_private(path, sentences_per_article))
    except TypeError as exc:  # an older/newer signature: fall back rather than fail the bench
        print(f"  (conll.read not usable here: {exc}; using the bench's own reader)")
        return list(_read_iob_private(path, sentences_per_article))


def gold_rows(articles: list[tuple[str, Gold]]) -> list[tuple[str, str, int, int]]:
    """Gold spans as gazetteer count rows (text, label, accepted, rejected)."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, gold in articles:
        for start, end, label in gold:
            counts[(text[start:end], label)] += 1
    return [(t, label, n, 0) for (t, label), n in counts.items()]


# --- scoring --------------------------------------------------------------------------------


def score(predicted: list[list[Suggestion]], gold: list[Gold]) -> dict[str, tuple[float, float, float, int]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for pred, ref in zip(predicted, gold, strict=True):
        keys = {s.key for s in pred if s.label != CLAIM}
        for k in keys:
            (tp if k in ref else fp)[k[2]] += 1
        for k in ref - keys:
            fn[k[2]] += 1
    result = {}
    for label in sorted(set(tp) | set(fp) | set(fn)) + ["ALL"]:
        t = sum(tp.values()) if label == "ALL" else tp[label]
        f_p = sum(fp.values()) if label == "ALL" else fp[label]
        f_n = sum(fn.values()) if label == "ALL" else fn[label]
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[label] = (p, r, f, t + f_n)
    return result


def report(
    name: str, scores: dict[str, tuple[float, float, float, int]], seconds: float | None = None
) -> None:
    extra = f"  ({seconds:.2f}s)" if seconds is not None else ""
    print(f"{name}{extra}")
    for label, (p, r, f, support) in scores.items():
        print(f"  {label:9s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (gold {support})")


def run(suggester: Suggester, texts: list[str], langs: list[str]) -> tuple[list[list[Suggestion]], float]:
    t0 = time.perf_counter()
    out = suggester.suggest(texts, langs)
    return out, time.perf_counter() - t0


def words_per_second(fn: Callable[[list[str]], object], texts: list[str], repeat: int = 3) -> float:
    n_words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - t0)
    return n_words / best


# --- database hook --------------------------------------------------------------------------


def bench_store(texts: list[str], suggesters: list[Suggester]) -> None:
    """Hook: import + suggest + store vs bare nlp.pipe, memory over 10k articles.

    Left for the storage engineer: it needs ``storage.store.Store``'s API for adding
    articles and suggested spans in batches. Measure with ``tracemalloc`` / RSS every
    1,000 articles to show memory stays flat.
    """
    print("bench_store: not written yet (see the docstring)")


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--sentences", type=int, default=SENTENCES_PER_ARTICLE)
    ap.add_argument("--no-spacy", action="store_true", help="skip en_core_web_sm")
    ap.add_argument("--store", action="store_true", help="run the database throughput hook")
    args = ap.parse_args(argv)

    from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester
    from annotator.suggest.rules import RulesSuggester

    train = load(args.data / "train.iob", args.sentences)
    valid = load(args.data / "valid.iob", args.sentences)
    texts = [t for t, _ in valid]
    gold = [g for _, g in valid]
    langs = ["id"] * len(texts)
    print(
        f"valid: {len(texts)} articles, {sum(len(t.split()) for t in texts)} words, {sum(map(len, gold))} gold spans"
    )

    rules = RulesSuggester()
    rules_out, secs = run(rules, texts, langs)
    report("rules", score(rules_out, gold), secs)

    gaz = GazetteerSuggester(Gazetteer.from_counts(gold_rows(train)))
    gaz_out, secs = run(gaz, texts, langs)
    report("gazetteer (learned from train gold)", score(gaz_out, gold), secs)

    for order, name in (((rules_out, gaz_out), "rules,gazetteer"), ((gaz_out, rules_out), "gazetteer,rules")):
        combined = [merge([a, b]) for a, b in zip(*order, strict=True)]
        report(name, score(combined, gold))

    if not args.no_spacy:
        from annotator.suggest.spacy_pipeline import SpacySuggester, installed_pipelines

        names = [n for n in installed_pipelines() if n.startswith("en_core_web_sm")]
        if names:
            sp = SpacySuggester(
                names[0],
                label_map={
                    "PERSON": "ACTOR",
                    "ORG": "ACTOR",
                    "NORP": "ACTOR",
                    "GPE": "LOCATION",
                    "LOC": "LOCATION",
                    "FAC": "LOCATION",
                },
            )
            sp_out, secs = run(sp, texts, langs)
            report(sp.name, score(sp_out, gold), secs)
        else:
            print("en_core_web_sm: not installed, skipped")

    all_texts = texts + [t for t, _ in train]
    wps = words_per_second(lambda ts: rules.suggest(ts, ["id"] * len(ts)), all_texts)
    print(
        f"rules speed: {wps:,.0f} words/s over {sum(len(t.split()) for t in all_texts):,} words (1 process)"
    )
    wps = words_per_second(lambda ts: gaz.suggest(ts, ["id"] * len(ts)), all_texts)
    print(f"gazetteer speed: {wps:,.0f} words/s with {len(gaz.gazetteer)} learned entries")

    if args.store:
        bench_store(texts, [rules, gaz])


if __name__ == "__main__":
    main()
