"""Suggester quality and speed, run by hand: ``.venv/bin/python bench/bench_suggest.py``.

Quality: P/R/F1 per suggester on NERGRIT valid.iob, exact span match at entity level,
PERSON + ORGANISATION -> ACTOR, PLACE -> LOCATION, other tags ignored; CLAIM suggestions
are dropped (NERGRIT has none). The gazetteer is learned from train.iob's gold spans.
Speed: words per second of the rules suggester (target >= 50,000) and of the gazetteer.

Throughput (``--parts throughput``): import + suggest + store of 1,000 articles (~3,000
characters of real NERGRIT/NERP sentences each) through ``suggest_articles`` with a
``SpacySuggester`` on en_core_web_sm, against a bare ``nlp.pipe`` over the same texts with
the same components enabled (target: >= 0.9x its words/s), plus the all-components figure.

Memory (``--parts memory``, ``memory-spacy``): VmRSS while suggesting 10,000 articles,
after the first 1,000 and at the end (target: < 10% growth).

    .venv/bin/python bench/bench_suggest.py                    # quality + speed
    .venv/bin/python bench/bench_suggest.py --parts all        # everything
    .venv/bin/python bench/bench_suggest.py --parts throughput --articles 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shared_data import NERGRIT_MAP, SHARED_DATA  # noqa: E402 - bench/ is on sys.path when run

from annotator.formats import conll  # noqa: E402
from annotator.suggest.base import CLAIM, Suggester, Suggestion, merge  # noqa: E402

DATA = SHARED_DATA / "nergrit"
LABEL_MAP = NERGRIT_MAP
LABELS = ("ACTOR", "LOCATION")
SENTENCES_PER_ARTICLE = 20
Gold = set[tuple[int, int, str]]


# --- data ------------------------------------------------------------------------------------


def load(
    path: Path,
    sentences_per_article: int = SENTENCES_PER_ARTICLE,
    *,
    scheme: str = "auto",
    label_map: dict[str, str] = LABEL_MAP,
) -> list[tuple[str, Gold]]:
    """Articles as (text, gold ACTOR and LOCATION spans), read by the project's CoNLL reader."""
    docs = conll.read(
        path, sentences_per_article=sentences_per_article, scheme=scheme, label_map=label_map, lang="id"
    )
    return [(d.article.text, {(s.start, s.end, s.label) for s in d.spans if s.label in LABELS}) for d in docs]


def gold_rows(articles: list[tuple[str, Gold]]) -> list[tuple[str, str, int, int]]:
    """Gold spans as gazetteer count rows (text, label, accepted, rejected)."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, gold in articles:
        for start, end, label in gold:
            counts[(text[start:end], label)] += 1
    return [(t, label, n, 0) for (t, label), n in counts.items()]


# --- scoring --------------------------------------------------------------------------------


def score(predicted: list[list[Suggestion]], gold: list[Gold]) -> dict[str, tuple[float, float, float, int]]:
    """``score_keys`` of what was suggested, CLAIM suggestions left out."""
    return score_keys([{s.key for s in pred if s.label != CLAIM} for pred in predicted], gold)


def score_keys(
    predicted: list[Gold], gold: list[Gold], labels: Iterable[str] | None = None
) -> dict[str, tuple[float, float, float, int]]:
    """(P, R, F1, gold count) of exact matches per label and over ALL.

    ``labels``: the rows, in order (default: every label seen, sorted)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for keys, ref in zip(predicted, gold, strict=True):
        for k in keys:
            (tp if k in ref else fp)[k[2]] += 1
        for k in ref - keys:
            fn[k[2]] += 1
    result = {}
    for label in [*(sorted(set(tp) | set(fp) | set(fn)) if labels is None else labels), "ALL"]:
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


# --- throughput and memory (import + suggest + store) -----------------------------------------

NERP = SHARED_DATA / "nerp"
ARTICLE_CHARS = 3000


def load_avg() -> str:
    try:
        return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load ?"


def rss_mb() -> float:
    """This process's resident set size (VmRSS) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sentence_pool(nergrit: Path = DATA, nerp: Path = NERP) -> list[str]:
    """Every sentence of NERGRIT and NERP (train + valid) as text, via the project's CoNLL reader."""
    from annotator.formats import conll

    pool: list[str] = []
    for folder, scheme in ((nergrit, "auto"), (nerp, "iob1")):
        for name in ("train.iob", "valid.iob"):
            path = folder / name
            if path.exists():
                pool += [d.article.text for d in conll.read(path, sentences_per_article=1, scheme=scheme)]
    if not pool:
        raise SystemExit(f"no sentences found under {nergrit} or {nerp}")
    return pool


def make_articles(pool: list[str], n: int, *, seed: int = 1, chars: int = ARTICLE_CHARS) -> Iterator[str]:
    """``n`` distinct articles of about ``chars`` characters: random real sentences, one per line."""
    import random

    rng = random.Random(seed)
    for _ in range(n):
        parts: list[str] = []
        size = 0
        while size < chars:
            s = pool[rng.randrange(len(pool))]
            parts.append(s)
            size += len(s) + 1
        yield "\n".join(parts)


def _open_project(folder: Path, name: str):
    from storage.store import Store

    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Store.open(path)


def _import(store, texts, chunk: int = 1000) -> list[int]:
    """Import like a file import does: one ``import_documents`` call (one transaction) per chunk."""
    from annotator.model import Article, Document

    ids: list[int] = []
    batch: list = []
    for i, text in enumerate(texts):
        batch.append(Document(Article(text=text, title=f"bench {i}", source="bench")))
        if len(batch) == chunk:
            ids += store.import_documents(batch, source="bench").article_ids
            batch = []
    if batch:
        ids += store.import_documents(batch, source="bench").article_ids
    return ids


def bench_throughput(
    pool: list[str], n_articles: int, repeat: int, folder: Path, model: str | None, slice_size: int = 256
) -> None:
    """import + suggest + store with SpacySuggester vs a bare ``nlp.pipe`` over the same texts.

    The machine is shared, so the two are interleaved slice by slice (``slice_size``
    articles; the order alternates) and each is the sum over the slices; the best of
    ``repeat`` runs is kept. Wall time is the target; CPU time (this process) is printed
    as a steadier second opinion, but it does not see time spent waiting for fsync.
    """
    import spacy

    from annotator.lang import detect_language
    from annotator.suggest.spacy_pipeline import SpacySuggester, installed_pipelines
    from ops.workflows import suggest_articles

    names = [model] if model else [n for n in installed_pipelines() if n.startswith("en_core_web_sm")]
    if not names:
        print("throughput: en_core_web_sm not installed, skipped")
        return
    name = names[0]
    texts = list(make_articles(pool, n_articles))
    n_words = sum(len(t.split()) for t in texts)
    print(
        f"\n== throughput: {n_articles} articles, {n_words:,} words, "
        f"{sum(map(len, texts)) / len(texts):,.0f} chars/article, pipeline {name} ({load_avg()})"
    )

    sp = SpacySuggester(name)
    enabled = list(sp.nlp.pipe_names)  # loads it; pipe_names are the enabled ones after select_pipes
    bare = spacy.load(name)
    bare.select_pipes(enable=enabled)
    full_nlp = spacy.load(name)
    print(f"  SpacySuggester runs: {enabled} (nlp.pipe batch_size {sp.batch_size}, a memory zone per batch)")
    print(
        f"  bare nlp.pipe (same) runs: {bare.pipe_names} (default batch_size {bare.batch_size}, no memory zone)"
    )
    print(f"  bare nlp.pipe (all) runs: {full_nlp.pipe_names}")
    # Warm-up outside the clock, on other articles: model ops for both, py3langid's model
    # (a one-time load like spacy.load's), and the suggester's first (vocab-warming) batch.
    warm = list(make_articles(pool, 64, seed=99))
    for _ in bare.pipe(warm):
        pass
    for _ in full_nlp.pipe(warm[:8]):
        pass
    sp.suggest(warm, ["id"] * len(warm))
    detect_language(warm[0])

    class Timed:
        """The suggester, timed: what of suggest+store is spaCy and what is Sorot around it."""

        def __init__(self, inner) -> None:
            self.inner, self.name, self.seconds = inner, inner.name, 0.0

        def suggest(self, batch, langs=None):
            t0 = time.perf_counter()
            try:
                return self.inner.suggest(batch, langs)
            finally:
                self.seconds += time.perf_counter() - t0

    def clock(fn) -> tuple[float, float]:
        w, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - w, time.process_time() - c

    def consume(nlp, chunk, batch_size=None) -> None:
        for _doc in nlp.pipe(chunk, batch_size=batch_size):
            pass

    slices = [(lo, min(lo + slice_size, len(texts))) for lo in range(0, len(texts), slice_size)]
    best: dict[str, tuple[float, float]] = {}
    for k in range(repeat):
        store = _open_project(folder, f"throughput{k}.sorot")
        timed = Timed(sp)
        suggestions = 0
        ids: list[int] = []
        try:
            imp = clock(lambda ids=ids, store=store: ids.extend(_import(store, texts)))
            bare_t = [0.0, 0.0]
            bare64_t = [0.0, 0.0]
            full_t = [imp[0], imp[1]]
            for j, (lo, hi) in enumerate(slices):
                order = ("bare", "full", "bare64") if (j + k) % 2 == 0 else ("bare64", "full", "bare")
                for what in order:
                    if what.startswith("bare"):
                        size = sp.batch_size if what == "bare64" else None
                        w, c = clock(lambda lo=lo, hi=hi, size=size: consume(bare, texts[lo:hi], size))
                        acc = bare64_t if what == "bare64" else bare_t
                        acc[0] += w
                        acc[1] += c
                    else:
                        box = []
                        w, c = clock(
                            lambda lo=lo, hi=hi, box=box, store=store, ids=ids, timed=timed: box.append(
                                suggest_articles(store, ids[lo:hi], [timed])
                            )
                        )
                        full_t[0] += w
                        full_t[1] += c
                        suggestions += box[0].suggestions
                        if box[0].failures:
                            print(f"  !! {len(box[0].failures)} failures, first: {box[0].failures[0]}")
        finally:
            store.close()
        rest = full_t[0] - imp[0] - timed.seconds
        print(
            f"  run {k + 1}: bare {n_words / bare_t[0]:,.0f} w/s (cpu {n_words / bare_t[1]:,.0f}); "
            f"bare batch_size={sp.batch_size} {n_words / bare64_t[0]:,.0f} w/s (cpu {n_words / bare64_t[1]:,.0f}); "
            f"import+suggest+store {n_words / full_t[0]:,.0f} w/s (cpu {n_words / full_t[1]:,.0f}); "
            f"ratio {bare_t[0] / full_t[0]:.3f} (cpu {bare_t[1] / full_t[1]:.3f}) ({load_avg()})"
        )
        print(
            f"    import {imp[0]:.2f}s + suggest/store {full_t[0] - imp[0]:.2f}s "
            f"[SpacySuggester.suggest {timed.seconds:.2f}s, Sorot around it {rest:.2f}s]; "
            f"bare {bare_t[0]:.2f}s; {suggestions:,} suggestions stored"
        )
        for key, val in (("bare", bare_t), ("bare64", bare64_t), ("full", full_t)):
            if key not in best or val[0] < best[key][0]:
                best[key] = (val[0], val[1])
    full_w, _ = clock(lambda: consume(full_nlp, texts))
    fastest = min(("bare", "bare64"), key=lambda key: best[key][0])
    bare_wps = n_words / best[fastest][0]
    store_wps = n_words / best["full"][0]
    print(
        f"  bare nlp.pipe {enabled}: {n_words / best['bare'][0]:,.0f} words/s at its default batch_size "
        f"{bare.batch_size}, {n_words / best['bare64'][0]:,.0f} words/s at batch_size {sp.batch_size} "
        f"(best of {repeat}; the faster, {bare_wps:,.0f}, is the one compared)"
    )
    print(f"  bare nlp.pipe all {full_nlp.pipe_names}: {n_words / full_w:,.0f} words/s (reference, 1 run)")
    print(
        f"  import + suggest + store (SpacySuggester {enabled}): {store_wps:,.0f} words/s (best of {repeat})"
    )
    verdict = "OK" if store_wps >= 0.9 * bare_wps else "MISS"
    print(
        f"  ratio: {store_wps / bare_wps:.3f} (target >= 0.9: {verdict}; "
        f"cpu-time ratio {best[fastest][1] / best['full'][1]:.3f}) ({load_avg()})"
    )


def bench_memory(pool: list[str], n_articles: int, folder: Path, spec: str, gaz_rows) -> None:
    """RSS while suggesting ``n_articles``: after the first 1,000 and at the end."""
    import gc

    from annotator.progress import Progress
    from annotator.suggest import build_suggesters
    from ops.workflows import suggest_articles

    print(f"\n== memory: {n_articles:,} articles, suggesters {spec} ({load_avg()})")
    suggesters = build_suggesters(spec, gazetteer_rows=gaz_rows)
    store = _open_project(folder, "memory.sorot")
    try:
        t0 = time.perf_counter()
        ids = _import(store, make_articles(pool, n_articles, seed=7))
        gc.collect()
        print(f"  imported in {time.perf_counter() - t0:.1f}s; RSS {rss_mb():.1f} MB before suggesting")
        marks: dict[int, float] = {}
        t0 = time.perf_counter()

        def sizes() -> str:
            """The caches that could grow: what a leak would show up in."""
            from annotator.suggest.tokens import _tokenizers

            out = [
                f"blank tokenizer {lang} strings {len(tok.vocab.strings):,}"
                for lang, tok in _tokenizers.items()
            ]
            for sug in suggesters:
                if hasattr(sug, "_common"):
                    out.append(f"rules vocabulary {len(sug._common):,}")
                if getattr(sug, "_nlp", None) is not None:
                    out.append(f"{sug.name} strings {len(sug._nlp.vocab.strings):,}")
            return "; ".join(out)

        def seen(done: int, total: int, _msg: str) -> None:
            for mark in (1000, 2500, 5000, 7500, total):
                if done >= mark and mark not in marks:
                    marks[mark] = rss_mb()
                    print(
                        f"  after {mark:>6,} articles: RSS {marks[mark]:.1f} MB "
                        f"({time.perf_counter() - t0:.1f}s, {load_avg()}) [{sizes()}]",
                        flush=True,
                    )

        summary = suggest_articles(store, ids, suggesters, progress=Progress(seen))
        secs = time.perf_counter() - t0
    finally:
        store.close()
    first = marks.get(1000) or marks[min(marks)]
    last = marks[max(marks)]
    growth = (last - first) / first
    print(
        f"  {summary.articles:,} articles, {summary.suggestions:,} suggestions in {secs:.1f}s "
        f"({summary.articles / secs:,.0f} articles/s)"
    )
    print(
        f"  RSS after 1,000: {first:.1f} MB; after {n_articles:,}: {last:.1f} MB; growth {growth:+.1%} "
        f"(target < 10%: {'OK' if growth < 0.10 else 'MISS'})"
    )


def bench_store(args: argparse.Namespace, parts: set[str], gaz_rows) -> None:
    import tempfile

    pool = sentence_pool(args.data, args.nerp)
    print(f"\nsentence pool: {len(pool):,} sentences from {args.data} and {args.nerp}")
    with tempfile.TemporaryDirectory(prefix="sorot-bench-") as tmp:
        folder = Path(args.tmp) if args.tmp else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if "throughput" in parts:
            bench_throughput(pool, args.articles, args.repeat, folder, args.model, args.slice)
        if "memory" in parts:
            bench_memory(pool, args.mem_articles, folder, "rules,gazetteer", gaz_rows)
        if "memory-spacy" in parts:
            from annotator.suggest.spacy_pipeline import installed_pipelines

            names = (
                [args.model]
                if args.model
                else [n for n in installed_pipelines() if n.startswith("en_core_web_sm")]
            )
            if names:
                bench_memory(pool, args.mem_articles, folder, f"spacy:{names[0]}", gaz_rows)


# --- main -----------------------------------------------------------------------------------


PARTS = ("quality", "speed", "throughput", "memory", "memory-spacy")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="NERGRIT folder (train.iob, valid.iob)")
    ap.add_argument("--nerp", type=Path, default=NERP, help="NERP folder, for the throughput/memory articles")
    ap.add_argument("--sentences", type=int, default=SENTENCES_PER_ARTICLE)
    ap.add_argument("--no-spacy", action="store_true", help="skip en_core_web_sm in the quality part")
    ap.add_argument(
        "--parts",
        default="quality,speed",
        help=f"comma-separated, any of {', '.join(PARTS)} or 'all' (default: quality,speed)",
    )
    ap.add_argument(
        "--store", action="store_true", help="also run throughput and memory (= --parts all but memory-spacy)"
    )
    ap.add_argument("--articles", type=int, default=1000, help="articles for the throughput part")
    ap.add_argument("--mem-articles", type=int, default=10_000, help="articles for the memory parts")
    ap.add_argument("--repeat", type=int, default=2, help="throughput runs (best of)")
    ap.add_argument("--slice", type=int, default=256, help="throughput: articles per interleaved slice")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: the installed en_core_web_sm*)")
    ap.add_argument("--tmp", default=None, help="folder for the bench projects (default: a temporary one)")
    args = ap.parse_args(argv)
    parts = set(PARTS) if args.parts == "all" else {p.strip() for p in args.parts.split(",") if p.strip()}
    if args.store:
        parts |= {"quality", "speed", "throughput", "memory"}
    unknown = parts - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    print(
        f"bench_suggest: parts {', '.join(p for p in PARTS if p in parts)} ({load_avg()}, {os.cpu_count()} cpus)"
    )

    from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester
    from annotator.suggest.rules import RulesSuggester

    train = load(args.data / "train.iob", args.sentences)
    valid = load(args.data / "valid.iob", args.sentences)
    texts = [t for t, _ in valid]
    gold = [g for _, g in valid]
    langs = ["id"] * len(texts)
    rows = gold_rows(train)

    if "quality" in parts:
        print(
            f"valid: {len(texts)} articles, {sum(len(t.split()) for t in texts)} words, "
            f"{sum(map(len, gold))} gold spans"
        )
        rules = RulesSuggester()
        rules_out, secs = run(rules, texts, langs)
        report("rules", score(rules_out, gold), secs)

        gaz = GazetteerSuggester(Gazetteer.from_counts(rows))
        gaz_out, secs = run(gaz, texts, langs)
        report("gazetteer (learned from train gold)", score(gaz_out, gold), secs)

        for order, name in (
            ((rules_out, gaz_out), "rules,gazetteer"),
            ((gaz_out, rules_out), "gazetteer,rules"),
        ):
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

    if "speed" in parts:
        rules = RulesSuggester()
        gaz = GazetteerSuggester(Gazetteer.from_counts(rows))
        all_texts = texts + [t for t, _ in train]
        wps = words_per_second(lambda ts: rules.suggest(ts, ["id"] * len(ts)), all_texts)
        print(
            f"rules speed: {wps:,.0f} words/s over {sum(len(t.split()) for t in all_texts):,} words (1 process; "
            f"target >= 50,000: {'OK' if wps >= 50_000 else 'MISS'}) ({load_avg()})"
        )
        wps = words_per_second(lambda ts: gaz.suggest(ts, ["id"] * len(ts)), all_texts)
        print(f"gazetteer speed: {wps:,.0f} words/s with {len(gaz.gazetteer)} learned entries ({load_avg()})")

    if parts & {"throughput", "memory", "memory-spacy"}:
        bench_store(args, parts, rows)


if __name__ == "__main__":
    main()
