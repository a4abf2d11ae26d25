"""Core throughput benchmarks: import, export (JSONL, DocBin), stats and search on a big project.

    .venv/bin/python bench/bench_core.py [--articles 5000] [--repeats 3] [--rebuild] [--skip-big]
                                         [--big-file 20000]

Articles are built from the IndoNLU NER data in /work/shared/data (nergrit + nerp IOB
sentences and their real entity spans), sentences combined at random until an article
holds ~3,000 characters (~30 spans). Targets (from the issue):

* import without suggestions, through the real path     >= 2,000 articles/s
* export JSONL: Prodigy tasks (with their per-token lists) and doccano   >= 5,000 articles/s
* export DocBin                                           >= 1,000 articles/s (cold from the command line)

Exports are measured twice: on a "cold cache" (the project's token cache empty, as after an
import: spaCy's tokenizer runs) and on a "warm cache" (filled by an earlier export).
* 100,000 articles / 2,000,000 spans: ``main.py stats``   <= 1 s wall, ``store.stats()`` <= 1 s
* full-text search for one name (count and list)          <= 50 ms
* peak RSS of the CLI stats process                       <= 300 MB

The big project is built once (real import of the base articles, then bulk SQL copies with
the text changed so hashes differ; spans, FTS tables and events filled accordingly) and
cached at /tmp/sorot-bench-100k.sorot. Exports run as the command line runs them: in parts,
with one helper process per extra core (spawned afresh each time, so its start-up counts). No ANALYZE is run: a user's project has none either.
Timings are medians; the load average is printed because the machine is shared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared_data import SHARED_DATA  # noqa: E402 - bench/ is on sys.path when run

from annotator.formats import read_any  # noqa: E402
from ops.workflows import export_project, import_paths  # noqa: E402
from storage.store import ArticleFilter, Store  # noqa: E402

DATA = SHARED_DATA
BIG_PATH = Path("/tmp/sorot-bench-100k.sorot")
BIG_ARTICLES = 100_000
BIG_SPANS = 2_000_000
PER_FILE = 500
ARTICLE_CHARS = 3_000
SPANS_PER_ARTICLE = 30
LABELS = {"PERSON": "ACTOR", "PPL": "ACTOR", "ORGANISATION": "ACTOR", "IND": "ACTOR",
          "PLACE": "LOCATION", "PLC": "LOCATION", "EVT": "EVENT", "FNB": "PRODUCT"}  # fmt: skip
PY = str(ROOT / ".venv" / "bin" / "python")
if not Path(PY).exists():
    PY = sys.executable


def load() -> str:
    return os.getloadavg().__repr__()


# --------------------------------------------------------------------------- data


def sentences() -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Every IOB sentence as (text joined with spaces, [(start, end, label)])."""
    out = []
    for path in sorted(DATA.glob("*/*.iob")):
        words: list[str] = []
        tags: list[str] = []
        for line in path.read_text(encoding="utf-8").split("\n") + [""]:
            line = line.rstrip("\r")
            if not line.strip():
                if words:
                    out.append(_sentence(words, tags))
                words, tags = [], []
                continue
            word, _, tag = line.rpartition("\t")
            if not word:
                word, tag = line, "O"
            words.append(word)
            tags.append(tag.strip() or "O")
    return out


def _sentence(words: list[str], tags: list[str]) -> tuple[str, list[tuple[int, int, str]]]:
    spans: list[tuple[int, int, str]] = []
    pos = 0
    cur: list | None = None
    for word, tag in zip(words, tags, strict=True):
        start, end = pos, pos + len(word)
        pos = end + 1
        kind, _, label = tag.partition("-")
        label = LABELS.get(label, label)
        if kind in ("B", "I") and label:
            if kind == "I" and cur is not None and cur[2] == label:
                cur[1] = end
                continue
            if cur is not None:
                spans.append(tuple(cur))
            cur = [start, end, label]
        else:
            if cur is not None:
                spans.append(tuple(cur))
            cur = None
    if cur is not None:
        spans.append(tuple(cur))
    return " ".join(words), spans


def make_articles(n: int, seed: int = 42) -> list[dict]:
    """``n`` distinct Prodigy-style tasks of ~3,000 characters built from random sentences."""
    sents = sentences()
    rng = random.Random(seed)
    # The data holds ~45 entities per 3,000 characters; keep a random share of them so an
    # article carries ~30 spans, as the projects do.
    density = sum(len(sp) for _, sp in sents) / sum(len(t) + 1 for t, _ in sents)
    keep = min(1.0, SPANS_PER_ARTICLE / (density * ARTICLE_CHARS))
    seen: set[str] = set()
    out = []
    while len(out) < n:
        parts: list[str] = []
        spans: list[dict] = []
        pos = 0
        k = 0
        while pos < ARTICLE_CHARS:
            text, sspans = sents[rng.randrange(len(sents))]
            if parts:
                sep = "\n\n" if k % 5 == 0 else " "
                parts.append(sep)
                pos += len(sep)
            for s, e, lab in sspans:
                if rng.random() < keep:
                    spans.append({"start": pos + s, "end": pos + e, "label": lab})
            parts.append(text)
            pos += len(text)
            k += 1
        text = "".join(parts)
        digest = hashlib.sha1(text.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        i = len(out) + 1
        title = f"Berita {i}: " + " ".join(text.split()[:6])
        out.append({"text": text, "spans": spans, "meta": {"title": title, "source": "indonlu-bench"}})
    return out


def write_files(tasks: list[dict], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n, first in enumerate(range(0, len(tasks), PER_FILE)):
        path = folder / f"part-{n:03d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for task in tasks[first : first + PER_FILE]:
                fh.write(json.dumps(task, ensure_ascii=False) + "\n")
        files.append(path)
    return files


# --------------------------------------------------------------------------- helpers


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


CPU: dict[str, float] = {}


def median_time(fn, repeat: int, cpu_key: str = "") -> tuple[float, object]:
    """Median wall seconds; with ``cpu_key``, the median CPU seconds of this process go to CPU[cpu_key]
    (a number the machine's load barely moves)."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    if cpu_key:
        CPU[cpu_key] = statistics.median(cpus)
    return statistics.median(times), result


def rate(n: int, wall: float, cpu_key: str) -> str:
    cpu = CPU.get(cpu_key)
    return f"{n / wall:,.0f} art/s" + (f" (cpu {n / cpu:,.0f})" if cpu else "")


ROWS: list[tuple[str, str, str, bool | None]] = []


def row(what: str, measured: str, target: str, ok: bool | None) -> None:
    ROWS.append((what, measured, target, ok))
    flag = "" if ok is None else ("ok" if ok else "MISS")
    print(f"  {what:<58} {measured:>26}  {target:>12}  {flag}", flush=True)


# --------------------------------------------------------------------------- 1 + 2: import, export


def bench_import_export(
    tmp: Path, n: int, repeats: int, tasks: list[dict], skip_export: bool = False
) -> Path:
    files = write_files(tasks, tmp / "in")
    one = tmp / "all.jsonl"
    with one.open("w", encoding="utf-8") as fh:
        for f in files:
            fh.write(f.read_text(encoding="utf-8"))
    n_spans = sum(len(t["spans"]) for t in tasks)
    chars = sum(len(t["text"]) for t in tasks)
    print(f"{n} articles, {n_spans} spans ({n_spans / n:.1f}/article, {chars / n:.0f} chars/article), "
          f"{len(files)} files of {PER_FILE}")  # fmt: skip

    # parse only (read_any per file, as import_paths does)
    def parse():
        return [docs for _, docs in read_any(tmp / "in", "auto")]

    t_parse, _ = median_time(parse, repeats, "parse")
    row("parse JSONL (read_any, all files)", rate(n, t_parse, "parse"), "", None)

    # Store.import_documents per file, documents already parsed
    def store_only() -> float:
        per_file = parse()
        store = Store.open(fresh(tmp / "imp.sorot"))
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            known = {lab.name for lab in store.labels()}
            for docs in per_file:
                new = {sp.label for d in docs for sp in d.spans} - known
                if new:
                    store.ensure_labels(new)
                    known |= new
                store.import_documents(docs, annotator="bench", source="bench")
            return time.perf_counter() - t0, time.process_time() - c0
        finally:
            store.close()

    runs = [store_only() for _ in range(repeats)]
    t_store = statistics.median(w for w, _ in runs)
    CPU["store"] = statistics.median(c for _, c in runs)
    row("import: Store.import_documents, per-file batches", rate(n, t_store, "store"), ">= 2,000", n / t_store >= 2000)

    # import_paths end to end (parse + store), as the desk's import does
    def end_to_end():
        store = Store.open(fresh(tmp / "e2e.sorot"))
        try:
            return import_paths(store, [tmp / "in"], annotator="bench")
        finally:
            store.close()

    t_e2e, summary = median_time(end_to_end, repeats, "e2e")
    assert summary.articles_added == n and not summary.failures, summary.lines()
    row("import: workflows.import_paths (parse + store)", rate(n, t_e2e, "e2e"), ">= 2,000", n / t_e2e >= 2000)

    # the CLI, one JSONL file (includes interpreter start-up and imports)
    def cli():
        db = fresh(tmp / "cli.sorot")
        subprocess.run([PY, str(ROOT / "main.py"), "--db", str(db), "import", str(one)], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip

    t_cli, _ = median_time(cli, repeats)
    row("import: main.py import all.jsonl (wall, incl. start-up)", f"{n / t_cli:,.0f} art/s", ">= 2,000",
        n / t_cli >= 2000)  # fmt: skip

    project = tmp / "e2e.sorot"
    if skip_export:
        return project
    # The token cache (storage/tokens.py): an import leaves it empty, so these exports of the
    # project opened read-only are each a first export ("cold cache": spaCy's tokenizer runs,
    # and what it finds cannot be kept). Then one export of the project open for writing fills
    # the cache, and the same exports run again on a warm cache.
    targets = {"prodigy": 5000, "doccano": 5000, "spacy": 1000}
    names = {"prodigy": "out.jsonl", "doccano": "out-doccano.jsonl", "spacy": "out.spacy"}
    cached = ("prodigy", "spacy")  # the formats that use the cache
    store = Store.open(project, read_only=True)
    try:
        for fmt in ("prodigy", "doccano", "spacy"):
            out, target = tmp / names[fmt], targets[fmt]
            when = ", cold cache" if fmt in cached else ""

            def run(fmt=fmt, out=out):
                return export_project(store, out, fmt=fmt, flt=ArticleFilter())

            t, summary = median_time(run, repeats, fmt)
            assert summary.articles == n, summary
            row(f"export {fmt}{when}: workflows.export_project", rate(n, t, fmt), f">= {target:,}", n / t >= target)
            print(f"    ({out.stat().st_size / 1e6:.1f} MB, {len(summary.problems)} problems)")
            if fmt in cached:  # what the helper processes (annotator.helper_pool) buy

                def alone(fmt=fmt, out=out):
                    return export_project(store, out, fmt=fmt, flt=ArticleFilter(), workers=0)

                t1, _ = median_time(alone, repeats, fmt + "-alone")
                row(f"  export {fmt}{when}, one process (workers=0)", rate(n, t1, fmt + "-alone"), "", None)
    finally:
        store.close()
    cold = {fmt: (tmp / names[fmt]).read_bytes() for fmt in cached}
    with Store.open(project) as writer:  # the desk's case: the export keeps what it computed
        t0 = time.perf_counter()
        export_project(writer, tmp / "fill.jsonl", fmt="prodigy", flt=ArticleFilter())
        fill = time.perf_counter() - t0
        rows_kept = writer.query("SELECT count(*), sum(length(data)) FROM token_cache")[0]
    row("export prodigy, first, project writable: fills the cache", f"{n / fill:,.0f} art/s", "", None)
    print(f"    ({rows_kept[0]:,} rows, {rows_kept[1] / max(1, rows_kept[0]):.0f} bytes a row)")
    store = Store.open(project, read_only=True)
    try:
        for fmt in cached:
            out, target = tmp / names[fmt], targets[fmt]

            def warm(fmt=fmt, out=out):
                return export_project(store, out, fmt=fmt, flt=ArticleFilter())

            def warm_alone(fmt=fmt, out=out):
                return export_project(store, out, fmt=fmt, flt=ArticleFilter(), workers=0)

            t, summary = median_time(warm, repeats, fmt + "-warm")
            assert summary.articles == n and not summary.tokens, summary
            assert out.read_bytes() == cold[fmt], f"{fmt}: the warm export differs from the cold one"
            # default workers: a warm cache keeps fewer than WARM_PARTS_FROM articles in this process
            row(f"export {fmt}, warm cache: workflows.export_project", rate(n, t, fmt + "-warm"),
                f">= {target:,}", n / t >= target)  # fmt: skip
            t1, _ = median_time(warm_alone, repeats, fmt + "-warm-alone")
            row(f"  export {fmt}, warm cache, one process (workers=0)", rate(n, t1, fmt + "-warm-alone"), "", None)
            # in parts with the default helpers even below WARM_PARTS_FROM: whether they pay here
            from annotator import export_parts, helper_pool

            if n < export_parts.PARTS_FROM:
                continue
            how = "forked" if helper_pool.fork_is_safe() else "spawned"
            kept, export_parts.WARM_PARTS_FROM = export_parts.WARM_PARTS_FROM, 0
            try:
                t2, summary = median_time(warm, repeats, fmt + "-warm-parts")
            finally:
                export_parts.WARM_PARTS_FROM = kept
            assert out.read_bytes() == cold[fmt], f"{fmt}: the export in parts differs"
            row(f"  export {fmt}, warm cache, in parts, {export_parts.default_workers()} {how} helper(s)",
                rate(n, t2, fmt + "-warm-parts"), "", None)  # fmt: skip
    finally:
        store.close()
    return project


# --------------------------------------------------------------------------- the speed layer


def bench_speed_layer(project: Path, repeats: int, sample: int = 500) -> None:
    """What each fenced speed trick buys over the stock path it is tested against, in this
    process on ``sample`` articles of the project (the tests check both give the same result)."""
    import zlib

    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from annotator import fast_json
    from annotator.formats import jsonl
    from annotator.formats.fast_docbin import EXPORT_ATTRS, DocBinWriter, fast_msgpack
    from annotator.formats.prodigy_tokens import language_of, tokens_json_many
    from annotator.spacy_docs import blank, to_doc

    store = Store.open(project, read_only=True)
    try:
        docs = list(store.iter_documents(ArticleFilter(article_ids=tuple(store.article_ids()[:sample]))))
    finally:
        store.close()
    n = len(docs)
    texts = [d.article.text for d in docs]
    langs = [d.article.language for d in docs]
    print(f"speed layer, {n} articles in this process (stock path -> fenced trick):")

    def versus(what: str, stock, fast) -> None:
        t_stock, _ = median_time(stock, repeats)
        t_fast, _ = median_time(fast, repeats)
        row(f"  {what}", f"{n / t_stock:,.0f} -> {n / t_fast:,.0f} art/s", f"x{t_stock / t_fast:.1f}", None)

    tokenizers = {lang: blank(language_of(lang)).tokenizer for lang in set(langs)}

    def tokens_stock():  # the tokenizer, then every token read from the Doc and json.dumps
        for text, lang in zip(texts, langs, strict=True):
            doc = tokenizers[lang](text)
            fast_json.dumps_stdlib(
                [{"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i, "ws": bool(t.whitespace_)}
                 for t in doc]
            )  # fmt: skip

    versus("Prodigy tokens: spaCy tokenizer + json  ->  pipe, to_array, orjson", tokens_stock,
           lambda: tokens_json_many(texts, langs))  # fmt: skip
    found = tokens_json_many(texts, langs)
    lines = [jsonl.prodigy_line(d, tokens=t) for d, t in zip(docs, found, strict=True)]
    objs = [json.loads(line.split("\n")[0]) for line in lines]
    versus("Prodigy lines as JSON: json.dumps  ->  orjson (fast_json)",
           lambda: [fast_json.dumps_stdlib(o) for o in objs], lambda: [fast_json.dumps(o) for o in objs])  # fmt: skip
    from annotator.formats.fast_docbin import tokenized_docs
    from annotator.formats.prodigy_tokens import json_of, offsets_for
    from annotator.tokens import TokenCache

    with Store.open(project, read_only=True) as cached:  # filled by the exports above

        def from_cache():
            return [json_of(d.article.text, o) for d, o in zip(docs, offsets_for(docs, TokenCache(cached)), strict=True)]

        assert [j for j, _ in from_cache()] == [j for j, _ in found]
        versus("Prodigy tokens: pipe, to_array, JSON  ->  token cache (read, decode, JSON)",
               lambda: tokens_json_many(texts, langs), from_cache)  # fmt: skip
        from annotator.formats.prodigy_tokens import json_of_stock

        offsets = offsets_for(docs, TokenCache(cached))
        pairs = list(zip(texts, offsets, strict=True))
        assert [json_of(t, o)[0] for t, o in pairs] == [json_of_stock(t, o)[0] for t, o in pairs]
        versus("Prodigy token list JSON: a dict per token, orjson  ->  str.join of pieces (fast_prodigy)",
               lambda: [json_of_stock(t, o) for t, o in pairs], lambda: [json_of(t, o) for t, o in pairs])  # fmt: skip
        versus("DocBin Docs: tokenizer  ->  token cache (read, decode, Doc(words, spaces))",
               lambda: [blank(lang).make_doc(text) for text, lang in zip(texts, langs, strict=True)],
               lambda: tokenized_docs(docs, TokenCache(cached)))  # fmt: skip
    spacy_docs = [to_doc(None, d)[0] for d in docs]

    def docbin_stock():
        bin_ = DocBin(attrs=EXPORT_ATTRS, store_user_data=True)
        for doc in spacy_docs:
            bin_.add(doc)
        return bin_.to_bytes()

    def docbin_fast():
        with fast_msgpack():
            bin_ = DocBinWriter(EXPORT_ATTRS, store_user_data=True)
            for doc in spacy_docs:
                bin_.add(doc)
            return bin_.to_bytes()

    versus("DocBin write: DocBin.add/to_bytes  ->  DocBinWriter, fast_msgpack", docbin_stock, docbin_fast)
    data = docbin_fast()
    assert zlib.decompress(data) == zlib.decompress(docbin_stock())

    def read():
        return list(DocBin().from_bytes(data).get_docs(Vocab()))

    def read_fast():
        with fast_msgpack():
            return read()

    versus("DocBin read: DocBin.from_bytes  ->  inside fast_msgpack", read, read_fast)



# --------------------------------------------------------------------------- 3: big project


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def build_big(path: Path, tasks: list[dict], tmp: Path) -> None:
    t0 = time.perf_counter()
    work = fresh(Path(str(path) + ".building"))
    files = write_files(tasks, tmp / "big-in")
    store = Store.open(work)
    store.annotator = "alice"
    try:
        import_paths(store, files, annotator="alice")
    finally:
        store.close()
    conn = sqlite3.connect(work)
    conn.create_function("sha1", 1, sha1, deterministic=True)
    conn.execute("PRAGMA synchronous = OFF")
    base_n = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    base_m = conn.execute("SELECT max(id) FROM spans").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == base_n
    copies = -(-BIG_ARTICLES // base_n) - 1
    # a realistic mix: statuses, suggesters, a second annotator
    conn.execute(
        "UPDATE articles SET status = CASE id % 10 WHEN 0 THEN 'done' WHEN 1 THEN 'done' WHEN 2 THEN 'in_progress' "
        "WHEN 3 THEN 'reviewed' WHEN 4 THEN 'skipped' ELSE 'new' END"
    )
    conn.execute(
        "UPDATE spans SET origin = CASE WHEN id % 10 < 3 THEN (CASE id % 2 WHEN 0 THEN 'rules' ELSE 'gazetteer' END) "
        "ELSE 'human' END, "
        "status = CASE id % 10 WHEN 0 THEN 'suggested' WHEN 1 THEN 'rejected' WHEN 2 THEN 'accepted' "
        "WHEN 3 THEN 'rejected' ELSE 'accepted' END, "
        "annotator = CASE WHEN id % 10 < 3 THEN NULL WHEN id % 7 = 0 THEN 'bob' ELSE 'alice' END"
    )
    # which base spans every copy carries, so the total lands on BIG_SPANS
    per_copy = (BIG_SPANS - base_m) // copies
    extra = BIG_SPANS - base_m - per_copy * copies
    conn.execute("CREATE TEMP TABLE keep (id INTEGER PRIMARY KEY)")
    conn.execute(
        "INSERT INTO keep SELECT id FROM spans ORDER BY (id * 2654435761) % 1000003 LIMIT ?", (per_copy + extra,)
    )
    conn.commit()
    cols = "uid, hash, title, source, url, language, text, meta, status, status_reason, created_at, updated_at"
    for k in range(1, copies + 1):
        limit = per_copy + (extra if k == copies else 0)
        suffix = f"\n\n(salinan {k})"
        conn.execute(
            f"INSERT INTO articles (id, {cols}) SELECT id + :off, substr(sha1(text || :sfx), 1, 16), "
            "sha1(text || :sfx), title || :tsfx, source, url, language, text || :sfx, meta, status, status_reason, "
            "created_at, updated_at FROM articles WHERE id <= :n AND id + :off <= :max",
            {"off": k * base_n, "sfx": suffix, "tsfx": f" ({k})", "n": base_n, "max": BIG_ARTICLES},
        )
        conn.execute(
            "INSERT INTO spans (id, article_id, char_start, char_end, label, text, origin, status, annotator, note, "
            "attrs, score, created_at, updated_at) SELECT s.id + :soff, s.article_id + :off, char_start, char_end, "
            "label, text, origin, status, annotator, note, attrs, score, created_at, updated_at FROM spans s "
            "WHERE s.id IN (SELECT id FROM keep ORDER BY id LIMIT :lim) AND s.article_id + :off <= :max",
            {"soff": k * base_m, "off": k * base_n, "lim": limit, "max": BIG_ARTICLES},
        )
        conn.commit()
        print(f"    copy {k}/{copies} ({time.perf_counter() - t0:.0f} s)", flush=True)
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id > ?", (base_n,)
    )
    conn.execute("INSERT INTO spans_fts (rowid, text) SELECT id, text FROM spans WHERE id > ?", (base_m,))
    ts = "2025-06-01T10:00:00.000+00:00"
    conn.execute(
        "INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) "
        "SELECT ?, 'alice', 'article.import', id, NULL, NULL, '{\"source\":\"bench\"}' FROM articles WHERE id > ?",
        (ts, base_n),
    )
    conn.execute(
        "INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) "
        "SELECT printf('2025-%02d-%02dT10:00:00.000+00:00', 1 + id % 12, 1 + id % 28), 'alice', 'article.status', "
        "id, NULL, '{\"status\":\"in_progress\",\"reason\":\"\"}', json_object('status', status, 'reason', '') "
        "FROM articles WHERE status IN ('done', 'reviewed')"
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm", ".lock"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    fresh(path)
    work.rename(path)
    print(f"  built {path} in {time.perf_counter() - t0:.0f} s")


RSS_HELPER = (
    "import resource, subprocess, sys, time\n"
    "t0 = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run_measured(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of a command, measured from a small helper process."""
    out = subprocess.run([PY, "-c", RSS_HELPER, *argv], check=True, capture_output=True, text=True, cwd=ROOT)
    wall, rss_kb = out.stdout.split()
    return float(wall), int(rss_kb) / 1024


def bench_cli_cold(tmp: Path, project: Path, big_file_articles: int) -> None:
    """What one ``main.py`` run costs from a cold start: exports of the 5,000-article project,
    and the import of one big JSON-lines file (its memory stays flat: the file is read a
    line at a time)."""
    n = sum(1 for _ in open(tmp / "all.jsonl", encoding="utf-8"))
    for fmt, name in (("prodigy", "cold.jsonl"), ("doccano", "cold-doccano.jsonl"), ("spacy", "cold.spacy")):
        if fmt == "doccano":
            runs = [("", project)]
        else:
            # a copy without token cache rows: the first export computes them (and keeps them
            # after, the project being free), the second reads them
            copy = tmp / f"cli-{fmt}.sorot"
            shutil.copyfile(project, copy)
            with sqlite3.connect(copy) as conn:
                conn.execute("DELETE FROM token_cache")
            runs = [(", cache empty (1st run)", copy), (", warm cache (2nd run)", copy)]
        target = ">= 1,000" if fmt == "spacy" else ""
        for when, db in runs:
            wall, rss = run_measured([PY, str(ROOT / "main.py"), "--db", str(db), "export", str(tmp / name),
                                      "--format", fmt])  # fmt: skip
            row(f"main.py export --format {fmt}, cold start{when} (wall)", f"{n / wall:,.0f} art/s, {rss:.0f} MB",
                target, (n / wall >= 1000) if target else None)  # fmt: skip
    big = tmp / "big.jsonl"
    tasks = make_articles(big_file_articles, seed=7)
    with big.open("w", encoding="utf-8") as fh:
        for task in tasks:
            fh.write(json.dumps(task, ensure_ascii=False) + "\n")
    size = big.stat().st_size / 1e6
    wall, rss = run_measured([PY, str(ROOT / "main.py"), "--db", str(fresh(tmp / "big.sorot")), "import", str(big)])
    row(f"main.py import one {size:.0f} MB file of {big_file_articles:,} articles", f"{big_file_articles / wall:,.0f} "
        f"art/s, {rss:.0f} MB", "", None)  # fmt: skip


def bench_big(path: Path, repeats: int) -> None:
    from storage import review

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    n_art, n_spans = conn.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM spans)").fetchone()
    # a name to look for: the most common ACTOR text that is one word of 5+ letters
    names = Counter(
        t for (t,) in conn.execute("SELECT text FROM spans WHERE label = 'ACTOR' AND id < 100000")
        if " " not in t and len(t) >= 5 and t.isalpha()
    )  # fmt: skip
    conn.close()
    common = names.most_common(1)[0][0]
    rare = next(t for t, c in names.most_common() if c <= 3)
    print(f"{path}: {n_art:,} articles, {n_spans:,} spans, {path.stat().st_size / 1e6:.0f} MB")

    walls, rss = [], []
    for _ in range(max(3, repeats)):
        out = subprocess.run(
            [PY, "-c", RSS_HELPER, PY, str(ROOT / "main.py"), "--db", str(path), "stats"],
            check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        wall, kb = out.stdout.split()
        walls.append(float(wall))
        rss.append(int(kb) / 1024)
    wall = statistics.median(walls)
    row("main.py --db BIG stats: wall time", f"{wall:.2f} s", "<= 1 s", wall <= 1.0)
    row("main.py --db BIG stats: peak RSS (ru_maxrss)", f"{max(rss):.0f} MB", "<= 300 MB", max(rss) <= 300)
    t_imp = subprocess.run([PY, "-c", "import time; t=time.perf_counter(); import main, storage.store, "
                            "storage.review, ops.workflows; print(time.perf_counter()-t)"],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()  # fmt: skip
    print(f"    (of which interpreter start-up + imports ~{float(t_imp):.2f} s)")

    store = Store.open(path, read_only=True)
    try:
        store.stats()  # warm the OS cache
        t, stats = median_time(store.stats, max(5, repeats))
        assert stats["articles"] == n_art and stats["spans"] == n_spans
        row("store.stats() in process", f"{t * 1000:.0f} ms", "<= 1,000 ms", t <= 1.0)
        t, _ = median_time(lambda: review.stats_tables(store), max(3, repeats))
        row("  review.stats_tables() (also run by CLI stats)", f"{t * 1000:.0f} ms", "", None)
        for name in (common, rare):
            t, count = median_time(lambda name=name: store.count_articles(search=name), max(7, repeats))
            row(f"count_articles(search={name!r}) -> {count:,}", f"{t * 1000:.1f} ms", "<= 50 ms", t <= 0.05)
            t, hits = median_time(lambda name=name: store.search_articles(name), max(7, repeats))
            row(f"search_articles({name!r}) -> {len(hits)} rows", f"{t * 1000:.1f} ms", "<= 50 ms", t <= 0.05)
    finally:
        store.close()


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (command-line runs)."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def bench_import_tricks(tmp: Path, repeats: int) -> None:
    """What the import's fenced speed tricks buy over the stock paths they are tested against
    (tests/test_speed_import.py), on the articles of the import rows, with the cycle collector
    paused as the import pauses it."""
    from annotator import fast_json, lang
    from annotator.bulk import gc_paused

    files = sorted((tmp / "in").glob("*.jsonl"))
    lines = [line for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    texts = [json.loads(line)["text"][:600] for line in lines]
    n = len(lines)
    stock_ident, ident = lang.stock_identifier(), lang._get_identifier()
    rank_many = getattr(ident, "rank_many", None) or (lambda batch: [ident.rank(t) for t in batch])
    batch = 256  # as read_any detects them (annotator.formats.LANGUAGE_BATCH)
    for what, stock, fast in (
        ("JSON lines read: json.loads  ->  orjson (fast_json.loads)",
         lambda: [json.loads(line) for line in lines], lambda: [fast_json.loads(line) for line in lines]),
        ("language (600 chars): py3langid  ->  256 at a time (annotator.fast_langid)",
         lambda: [stock_ident.rank(t) for t in texts],
         lambda: [r for i in range(0, n, batch) for r in rank_many(texts[i : i + batch])]),
    ):  # fmt: skip
        with gc_paused():
            t_stock, _ = median_time(stock, repeats)
            t_fast, _ = median_time(fast, repeats)
        row(f"  {what}", f"{n / t_stock:,.0f} -> {n / t_fast:,.0f} art/s", f"x{t_stock / t_fast:.1f}", None)
    # the model, as a new process gets it: py3langid's xz file decoded, or the cached arrays
    code = (
        "import time; t = time.perf_counter(); from annotator import fast_langid, lang; {}; "
        "print(time.perf_counter() - t)"
    )
    cold = code.format("lang.stock_identifier()")
    warm = code.format("fast_langid.load(lang.LANGUAGES)")
    t_cold, t_warm = (
        statistics.median(
            float(subprocess.run([PY, "-c", c], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
            for _ in range(repeats)
        )
        for c in (cold, warm)
    )
    row("  language model in a new process: xz decoded  ->  cached arrays", f"{t_cold:.2f} -> {t_warm:.2f} s",
        f"x{t_cold / t_warm:.0f}", None)  # fmt: skip
    # the modules main.py import loads before reading (storage.lean_sqlite_utils: sqlite_utils without numpy)
    load = "import storage.store, cli, cli.imports, ops.workflows"
    cpus: dict[str, list[float]] = {"stock": [], "lean": []}
    for _ in range(max(3, repeats)):
        for what, code in (("stock", "import numpy; " + load), ("lean", load)):
            before = _children_cpu()
            subprocess.run([PY, "-c", code], cwd=ROOT, check=True)
            cpus[what].append(_children_cpu() - before)
    stock, lean = statistics.median(cpus["stock"]), statistics.median(cpus["lean"])
    row("  modules main.py import loads (cpu): sqlite_utils with numpy  ->  without", f"{stock:.2f} -> {lean:.2f} s",
        f"x{stock / lean:.1f}", None)  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached 100k project")
    ap.add_argument("--big-path", type=Path, default=BIG_PATH)
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--only-big", action="store_true")
    ap.add_argument("--skip-export", action="store_true", help="import rows only (no export, no speed layer)")
    ap.add_argument("--big-file", type=int, default=20_000, metavar="N",
                    help="articles in the one big file imported from a cold start (0: skip)")  # fmt: skip
    args = ap.parse_args()
    os.environ.setdefault("SOROT_ANNOTATOR", "bench")
    print(f"load average at start: {load()}  (cores: {os.cpu_count()})")
    tmp = Path(tempfile.mkdtemp(prefix="sorot-bench-core-"))
    try:
        t0 = time.perf_counter()
        tasks = make_articles(args.articles)
        print(f"made {len(tasks)} articles in {time.perf_counter() - t0:.1f} s")
        if not args.only_big:
            project = bench_import_export(tmp, args.articles, args.repeats, tasks, args.skip_export)
            bench_import_tricks(tmp, args.repeats)
            if not args.skip_export:
                bench_speed_layer(project, args.repeats)
            if args.big_file:
                bench_cli_cold(tmp, project, args.big_file)
        if not args.skip_big:
            if args.rebuild or not args.big_path.exists():
                big_tasks = tasks if len(tasks) == 5000 else make_articles(5000)
                build_big(args.big_path, big_tasks, tmp)
            bench_big(args.big_path, args.repeats)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nload average at end: {load()}")
    print(f"\n{'measured (medians; cpu = this process only)':<60} {'value':>26}  {'target':>12}")
    for what, measured, target, ok in ROWS:
        flag = "" if ok is None else ("ok" if ok else "MISS")
        print(f"{what:<60} {measured:>26}  {target:>12}  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
