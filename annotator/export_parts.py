"""Exports written in parts by several processes, joined in article order.

Turning articles into Prodigy tasks or spaCy Docs is CPU work in Python (spaCy's tokenizer
alone takes about a millisecond an article), so one process uses one core. Here the
articles are cut into parts of ``part_size``; helper processes (spawned, so safe beside Qt
and the desk's threads) each open the project read-only and write parts to a temporary
folder, while this process writes parts too — it starts at once, where a helper first
spends a second or two importing spaCy. The format's ``join`` then makes the file, written
beside ``out`` and renamed over it at the end: a cancelled or failed export leaves no
half-written file behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from annotator.bulk import gc_paused
from annotator.helper_pool import HelperPool, fork_for
from annotator.progress import Progress

log = logging.getLogger(__name__)

#: Articles per part: small enough to balance the processes, large enough that the
#: per-part costs (a read query, a temporary file) stay small.
PART_SIZE = 250


#: Below this many articles an export stays in one process: a helper needs a second (JSON
#: lines) or two (spaCy's Indonesian tokenizer) to start, and starting it slows this
#: process down meanwhile (measured: 800 articles to DocBin 1.1 s alone, 1.5 s with a helper;
#: 2,500 articles 3.5 s alone, 2.85 s with one).
PARTS_FROM = 2000

#: The same when the token cache has every article's tokens: an article then costs ~0.7 ms
#: (Prodigy) or ~1.4 ms (DocBin) of this process, and a helper's start-up (a process, the
#: imports, spaCy for DocBin) no longer pays back on a few thousand articles (measured,
#: bench_core, 2,000 articles on 2 busy cores: Prodigy 859 art/s alone, 642 with a helper;
#: DocBin 655 alone, 288 with one).
WARM_PARTS_FROM = 10_000

#: Tests set this to have parts wait for the helpers to start, so that helpers surely
#: write some parts even of a small export.
HELPERS_FIRST = False

#: Tests set this to fork (True) or spawn (False) the helpers whatever ``helper_pool.fork_for``
#: says (None: it decides).
FORK: bool | None = None


def default_workers() -> int:
    """Helper processes for an export: one per core beyond the first, at most 7."""
    return max(0, min((os.cpu_count() or 1) - 1, 7))


@dataclass
class PartResult:
    articles: int = 0
    spans: int = 0
    problems: list[str] | None = None
    #: Token cache rows this part computed, (article id, tokenizer, data, text hash), for the
    #: project's writer to keep (a helper has the project open read-only).
    tokens: list[tuple[int, str, bytes, str]] | None = None


def write_part(store: Any, flt: Any, fmt: str, options: dict[str, Any], part: Path) -> PartResult:
    """Write the articles of ``flt`` (one part) to ``part``."""
    from annotator.formats import FORMATS
    from annotator.tokens import TokenCache

    result = PartResult(problems=[])
    write = FORMATS[fmt].write_part
    cache = TokenCache(store) if FORMATS[fmt].tokens else None
    extra = {"tokens": cache} if cache is not None else {}

    def docs():
        for doc in store.iter_documents(flt):
            result.articles += 1
            result.spans += len(doc.spans)
            yield doc

    with gc_paused():
        write(docs(), part, problems=result.problems, **options, **extra)
    result.tokens = cache.new if cache is not None else []
    return result


_STORES: dict[str, Any] = {}


def _helper_part(
    store_type: Any, path: str, flt: Any, fmt: str, options: dict[str, Any], part: Path
) -> PartResult:
    """``write_part`` in a helper process, on the project opened read-only once per process."""
    store = _STORES.get(path)
    if store is None:
        store = _STORES[path] = store_type.open(path, read_only=True)
    return write_part(store, flt, fmt, options, part)


def _warm_up(fmt: str, languages: list[str] | None) -> None:
    """Run first in each helper: imports and pipelines, before any part is given to it
    (``languages`` None: no tokenizer, the token cache has every article's tokens)."""
    from annotator.formats import FORMATS

    prepare = FORMATS[fmt].prepare
    if prepare is not None and languages is not None:
        prepare(languages)


class _Parts:
    """The parts of one export, taken in order by this process and by a feeder thread that
    keeps each started helper busy with one part at a time."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.results: dict[int, PartResult] = {}
        self.failed: list[int] = []  # parts a helper could not write: this process redoes them
        self._next = 0
        self._lock = threading.Lock()
        self.stop = threading.Event()

    def take(self) -> int | None:
        with self._lock:
            if self._next >= self.count or self.stop.is_set():
                return None
            self._next += 1
            return self._next - 1

    def exhausted(self) -> bool:
        with self._lock:
            return self._next >= self.count or self.stop.is_set()

    def articles(self) -> int:
        return sum(r.articles for r in list(self.results.values()))


def _feed_helpers(pool: HelperPool, starting: list[Future], parts: _Parts, submit) -> None:
    """Runs in a thread: each helper that has started gets the next part as soon as it
    has finished its last. Any failure ends the helpers' share; this process does the rest."""
    running: dict[Future, int] = {}
    ready = 0
    try:
        while True:
            for future in [f for f in starting if f.done()]:
                starting.remove(future)
                if future.exception() is not None:
                    raise future.exception()
                ready += 1
            while len(running) < ready:
                i = parts.take()
                if i is None:
                    break
                running[submit(i)] = i
            if not running and (not starting or parts.exhausted()):
                return
            wait([*running, *starting], timeout=0.5, return_when=FIRST_COMPLETED)
            for future in [f for f in running if f.done()]:
                i = running.pop(future)
                if future.exception() is not None:
                    parts.failed.append(i)
                    raise future.exception()
                parts.results[i] = future.result()
    except Exception as exc:  # noqa: BLE001 - helpers are an optimisation; this process goes on alone
        parts.failed.extend(running.values())
        if not parts.stop.is_set():
            log.warning("export helpers stopped (%s: %s); going on in this process", type(exc).__name__, exc)


def export_in_parts(
    store: Any,
    ids: list[int],
    flt: Any,
    out: Path,
    fmt: str,
    options: dict[str, Any],
    progress: Progress,
    *,
    workers: int,
    part_size: int = PART_SIZE,
    languages: list[str] | None = None,
) -> PartResult:
    """Export the articles ``ids`` (with ``flt``'s span filters) to ``out`` in parts.

    Helpers get parts only once they have started (``_warm_up``: spaCy's tokenizer for
    ``languages``); until then this process writes parts itself, so a small export is not
    slower than one process. Parts go to whoever is free next, one at a time. Forked
    helpers (``helper_pool``) are forked after this process wrote the first part: they
    inherit what it loaded for it.
    """
    from annotator.formats import FORMATS

    spec = FORMATS[fmt]
    assert spec.join is not None and spec.write_part is not None
    chunks = [ids[i : i + part_size] for i in range(0, len(ids), part_size)]
    total = PartResult(problems=[], tokens=[])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".sorot-export-", dir=out.parent))
    paths = [folder / f"part-{i:05d}{out.suffix}" for i in range(len(chunks))]
    parts = _Parts(len(chunks))

    def part_filter(i: int) -> Any:
        return replace(flt, article_ids=tuple(chunks[i]))

    # Decided once, for the first part and the pool alike (helper_pool.fork_for).
    fork = fork_for(bool(store.read_only)) if FORK is None else FORK
    if len(chunks) > 1 and fork:
        # A forked helper starts with what this process has loaded: this process writes the
        # first part before forking (which loads spaCy, the tokenizers and vocabs as the
        # format needs: seconds), so that no helper loads them again.
        try:
            i = parts.take()
            assert i is not None
            parts.results[i] = write_part(store, part_filter(i), fmt, options, paths[i])
            progress.update(parts.articles(), len(ids), f"{parts.articles()} of {len(ids)} articles")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    pool = HelperPool(workers, fork=fork)
    wanted = None if languages is None else list(languages)
    starting = [pool.submit(_warm_up, fmt, wanted) for _ in range(workers)]

    def submit(i: int) -> Future:
        return pool.submit(_helper_part, type(store), str(store.path), part_filter(i), fmt, options, paths[i])

    feeder = threading.Thread(
        target=_feed_helpers,
        args=(pool, list(starting), parts, submit),
        name="sorot-export-feeder",
        daemon=True,
    )
    feeder.start()
    try:
        if HELPERS_FIRST:
            wait(starting)
        while (i := parts.take()) is not None:
            parts.results[i] = write_part(store, part_filter(i), fmt, options, paths[i])
            done = parts.articles()
            progress.update(done, len(ids), f"{done} of {len(ids)} articles")
        while feeder.is_alive():  # the helpers' last parts
            feeder.join(timeout=0.2)
            done = parts.articles()
            progress.update(done, len(ids), f"{done} of {len(ids)} articles")
        pool.stop()  # before redoing a part a helper may still be writing
        for i in parts.failed:
            parts.results[i] = write_part(store, part_filter(i), fmt, options, paths[i])
        results = parts.results
        for i in range(len(chunks)):
            r = results[i]
            total.articles += r.articles
            total.spans += r.spans
            total.problems += r.problems or []
            total.tokens += r.tokens or []
        progress.update(total.articles, len(ids), "writing the file")
        staged = folder / ("joined" + out.suffix)
        spec.join(paths, staged)
        os.replace(staged, out)
    finally:
        parts.stop.set()
        pool.stop()
        feeder.join()
        shutil.rmtree(folder, ignore_errors=True)
    return total
