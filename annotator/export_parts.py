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
import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from annotator.bulk import gc_paused
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

#: Tests set this to have parts wait for the helpers to start, so that helpers surely
#: write some parts even of a small export.
HELPERS_FIRST = False


def default_workers() -> int:
    """Helper processes for an export: one per core beyond the first, at most 7."""
    return max(0, min((os.cpu_count() or 1) - 1, 7))


@dataclass
class PartResult:
    articles: int = 0
    spans: int = 0
    problems: list[str] | None = None


def write_part(store: Any, flt: Any, fmt: str, options: dict[str, Any], part: Path) -> PartResult:
    """Write the articles of ``flt`` (one part) to ``part``."""
    from annotator.formats import FORMATS

    result = PartResult(problems=[])

    def docs():
        for doc in store.iter_documents(flt):
            result.articles += 1
            result.spans += len(doc.spans)
            yield doc

    with gc_paused():
        FORMATS[fmt].write_part(docs(), part, problems=result.problems, **options)
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


def _warm_up(fmt: str, languages: list[str]) -> None:
    """Run first in each helper: imports and pipelines, before any part is given to it."""
    from annotator.formats import FORMATS

    prepare = FORMATS[fmt].prepare
    if prepare is not None:
        prepare(languages)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the helpers now: one may still be starting (spaCy takes seconds) when this
    process has already written every part, and waiting for it would gain nothing."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


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
    ``languages``); until then, and whenever no part of theirs has finished, this process
    writes the next part itself. A small export is thus never slower than one process.
    """
    from annotator.formats import FORMATS

    spec = FORMATS[fmt]
    assert spec.join is not None and spec.write_part is not None
    chunks = [ids[i : i + part_size] for i in range(0, len(ids), part_size)]
    total = PartResult(problems=[])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".sorot-export-", dir=out.parent))
    parts = [folder / f"part-{i:05d}{out.suffix}" for i in range(len(chunks))]
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    starting = {pool.submit(_warm_up, fmt, list(languages or [])) for _ in range(workers)}
    ready = 0
    running: dict[Future, int] = {}
    results: dict[int, PartResult] = {}

    def part_filter(i: int) -> Any:
        return replace(flt, article_ids=tuple(chunks[i]))

    def without_helpers(exc: BaseException) -> None:
        # A helper could not start, died (e.g. a main script without the
        # ``if __name__ == "__main__"`` guard) or could not open the project: this process
        # does the rest, and a real problem with the data shows up here.
        nonlocal workers, starting
        if workers:
            log.warning("export helpers stopped (%s: %s); going on in this process", type(exc).__name__, exc)
        workers, starting = 0, set()

    def in_this_process(i: int) -> None:
        results[i] = write_part(store, part_filter(i), fmt, options, parts[i])

    try:
        next_part = 0
        while len(results) < len(chunks):
            for future in [f for f in starting if f.done()]:
                starting.discard(future)
                if future.exception() is None:
                    ready += 1
                else:
                    without_helpers(future.exception())
            # two parts per started helper (one running, one waiting)
            while workers and next_part < len(chunks) and len(running) < 2 * ready:
                future = pool.submit(
                    _helper_part,
                    type(store),
                    str(store.path),
                    part_filter(next_part),
                    fmt,
                    options,
                    parts[next_part],
                )
                running[future] = next_part
                next_part += 1
            finished = [f for f in running if f.done()]
            if not finished and next_part < len(chunks) and not (HELPERS_FIRST and starting):
                in_this_process(next_part)
                next_part += 1
            elif not finished and (running or starting):
                wait([*running, *starting], timeout=0.2, return_when=FIRST_COMPLETED)
                finished = [f for f in running if f.done()]
            for future in finished:
                i = running.pop(future)
                exc = future.exception()
                if exc is None:
                    results[i] = future.result()
                else:
                    without_helpers(exc)
                    in_this_process(i)
            done = sum(r.articles for r in results.values())
            progress.update(done, len(ids), f"{done} of {len(ids)} articles")
        _stop(pool)
        for i in range(len(chunks)):
            r = results[i]
            total.articles += r.articles
            total.spans += r.spans
            total.problems += r.problems or []
        progress.update(total.articles, len(ids), "writing the file")
        staged = folder / ("joined" + out.suffix)
        spec.join(parts, staged)
        os.replace(staged, out)
    finally:
        _stop(pool)
        shutil.rmtree(folder, ignore_errors=True)
    return total
