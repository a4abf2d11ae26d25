"""The long jobs, written once for the command line and the desk alike.

Each takes an open project (``annotator.project.ProjectStore``, which ``storage.store.Store``
implements) and a ``Progress`` it reports to and that may cancel it.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.bulk import batches as in_batches
from annotator.bulk import gc_paused
from annotator.errors import FormatError, SorotError
from annotator.model import Span
from annotator.progress import NULL, Cancelled, Progress
from annotator.project import ArticleSelection, ProjectStore
from annotator.suggest.base import Suggester
from annotator.titles import derived_title

log = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    files_ok: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    articles_added: int = 0
    articles_merged: int = 0
    spans_added: int = 0
    article_ids: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.files_ok} file(s) imported: {self.articles_added} new article(s), "
            f"{self.articles_merged} merged, {self.spans_added} span(s)"
        ]
        out += [f"error: {msg}" for _, msg in self.failures]
        return out


@dataclass
class ExportSummary:
    articles: int = 0
    spans: int = 0
    problems: list[str] = field(default_factory=list)
    #: Token cache rows the export computed and could not keep (the project was open
    #: read-only): ``keep_tokens`` keeps them when the project can be written.
    tokens: list[tuple[int, str, bytes]] = field(default_factory=list)


@dataclass
class SuggestSummary:
    articles: int = 0
    suggestions: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)


def import_paths(
    store: ProjectStore,
    paths: Sequence[str | Path],
    *,
    fmt: str = "auto",
    options: dict[str, Any] | None = None,
    annotator: str | None = None,
    progress: Progress = NULL,
) -> ImportSummary:
    """Import files and folders; one file is one transaction, and one bad file stops nothing else.

    Each file is stored in a helper thread; once its rows are built, SQLite inserts, indexes
    and commits them (work that runs without the GIL) while this thread parses the next
    file. Only one file is ever being stored at a time.
    """
    from annotator.formats import read_any

    if not (options or {}).get("lang"):
        from annotator.lang import prepare_in_background

        prepare_in_background()  # articles without a language get one detected
    files = (
        titled(file, result)
        for path in paths
        for file, result in read_any(Path(path), fmt, stream=True, **dict(options or {}))
    )
    job = _Import(store, annotator, progress)
    # The storing thread takes the GIL back after each SQLite statement; with Python's
    # default 5 ms slices it would wait that long for the parser every time.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, 0.0005))
    try:
        with gc_paused(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="sorot-import") as pool:
            job.run(files, pool)
    finally:
        sys.setswitchinterval(switch)
    return job.summary


def titled(file_path: Path, result: Any) -> tuple[Path, Any]:
    """A file's documents (a list, an iterator, or its FormatError), each article without a
    title given one from its text and the file's name (``annotator.titles``)."""
    if isinstance(result, FormatError):
        return file_path, result
    if isinstance(result, list):
        for doc in result:
            _give_title(doc, file_path.name)
        return file_path, result
    return file_path, (_give_title(doc, file_path.name) for doc in result)


def _give_title(doc: Any, file_name: str) -> Any:
    article = doc.article
    if not article.title.strip():
        article.title = derived_title(article.text, file_name)
    return doc


#: Documents per batch when a big file is read a part at a time (``read_any(stream=True)``).
IMPORT_BATCH = 1000


class _Feed:
    """Batches of one file handed from the reading thread to the storing thread, which
    iterates this inside its one transaction (``store.import_batches``). ``abort`` makes
    that iteration raise, so the whole file is rolled back."""

    _END = object()

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._ready = threading.Event()
        self.open = True

    def __iter__(self) -> Iterator[list]:
        return self

    def __next__(self) -> list:
        item = self._queue.get()
        if item is self._END:
            raise StopIteration
        if isinstance(item, BaseException):
            raise item
        return item

    def rows_ready(self, *_: Any) -> None:
        self._ready.set()

    def give(self, batch: list, future: Future) -> bool:
        """Hand over a batch; return once its rows are built (False: the storing ended)."""
        self._ready.clear()
        self._queue.put(batch)
        self._ready.wait()
        return not future.done()

    def end(self, error: BaseException | None = None) -> None:
        if self.open:
            self.open = False
            self._queue.put(self._END if error is None else error)


class _Import:
    """The bookkeeping of one ``import_paths`` call."""

    def __init__(self, store: ProjectStore, annotator: str | None, progress: Progress) -> None:
        self.store, self.annotator, self.progress = store, annotator, progress
        self.summary = ImportSummary()
        self.label_kinds: dict[str, str] = {}
        self.done = 0

    def failed(self, file_path: Path, message: str) -> None:
        self.summary.failures.append((str(file_path), message))
        self.progress.update(self.done, 0, f"{file_path.name}: error")

    def run(self, files: Iterator[tuple[Path, Any]], pool: ThreadPoolExecutor) -> None:
        storing: tuple[Path, list[int], Future] | None = None
        feed: _Feed | None = None
        try:
            for file_path, result in files:  # a list is read here whole, while the last file is stored
                error = result if isinstance(result, FormatError) else None
                first: list = []
                if error is None:
                    batches = iter([result]) if isinstance(result, list) else in_batches(result, IMPORT_BATCH)
                    try:
                        # a streamed file's first batch too (measured: 2,000 articles in four
                        # files took 2.3 s with each file read only once the last was stored)
                        first = next(batches, [])
                    except FormatError as exc:
                        error = exc
                if storing is not None:
                    self.collect(*storing)
                    storing = None
                self.done += 1
                if error is not None:
                    self.failed(file_path, str(error))
                    continue
                feed = _Feed()
                future = pool.submit(
                    self.store.import_batches,
                    feed,
                    annotator=self.annotator,
                    source=str(file_path),
                    rows_ready=feed.rows_ready,
                    add_labels=True,
                    label_kinds=self.label_kinds,
                )
                future.add_done_callback(feed.rows_ready)
                count = [len(first)]
                storing = (file_path, count, future)
                going = feed.give(first, future)
                try:
                    # the next batch is read while the last one is written
                    for batch in batches if going else ():
                        count[0] += len(batch)
                        if not feed.give(batch, future):
                            break
                        self.progress.update(self.done, 0, f"{file_path.name}: {count[0]:,} article(s)")
                except FormatError as exc:
                    feed.end(exc)  # the store drops the whole file
                feed.end()
            if storing is not None:
                self.collect(*storing)
                storing = None
        finally:
            if feed is not None:
                feed.end(Cancelled())  # cancelled or failed while reading: the file is dropped
            if storing is not None:  # let the storing end before the store is used again
                storing[2].exception()

    def collect(self, file_path: Path, count: list[int], future: Future) -> None:
        try:
            report = future.result()
        except SorotError as exc:
            self.failed(file_path, f"{file_path}: {exc}" if str(file_path) not in str(exc) else str(exc))
            return
        summary = self.summary
        summary.files_ok += 1
        summary.articles_added += report.articles_added
        summary.articles_merged += report.articles_merged
        summary.spans_added += report.spans_added
        summary.article_ids += report.article_ids
        self.progress.update(self.done, 0, f"{file_path.name}: {count[0]:,} article(s)")


def export_project(
    store: ProjectStore,
    out: str | Path,
    *,
    fmt: str,
    flt: ArticleSelection | None = None,
    progress: Progress = NULL,
    workers: int | None = None,
) -> ExportSummary:
    """Write the articles and spans that pass ``flt`` (a ``storage.store.ArticleFilter``) to ``out``.

    Formats that can be written in parts (JSON lines, DocBin) use ``workers`` helper
    processes besides this one (default: one per extra core) when a filter is given, the
    project is a file and there are ``PARTS_FROM`` articles or more; see
    ``annotator.export_parts``.
    """
    from annotator.export_parts import (
        PART_SIZE,
        PARTS_FROM,
        WARM_PARTS_FROM,
        default_workers,
        export_in_parts,
    )
    from annotator.formats import FORMATS, write_any
    from annotator.tokens import TokenCache

    summary = ExportSummary()
    options: dict[str, Any] = {}
    if fmt in ("spacy", "conll"):
        options["entity_labels"] = {lab.name for lab in store.labels() if lab.kind == "entity"}
    workers = default_workers() if workers is None else workers
    spec = FORMATS.get(fmt)
    if flt is not None and workers > 0 and spec is not None and spec.join is not None and store.path:
        part_flt = flt
        ids = store.article_ids(statuses=part_flt.statuses, search=part_flt.search)
        if part_flt.article_ids:
            wanted = set(part_flt.article_ids)
            ids = [i for i in ids if i in wanted]
        enough = len(ids) >= max(PARTS_FROM, 2 * PART_SIZE)
        warm = enough and spec.tokens and _tokens_cached(store, ids, fmt)
        if enough and (not warm or len(ids) >= max(WARM_PARTS_FROM, PARTS_FROM)):
            # a warm cache: the helpers need no tokenizer, so none builds one (seconds)
            languages = None if warm else [store.article(ids[0]).language]
            done = export_in_parts(
                store,
                ids,
                part_flt,
                Path(out),
                fmt,
                options,
                progress,
                workers=workers,
                part_size=PART_SIZE,
                languages=languages,
            )
            summary.articles, summary.spans, summary.problems = done.articles, done.spans, done.problems or []
            _keep_new_tokens(store, done.tokens or [], summary)
            progress.update(summary.articles, len(ids), "done")
            return summary
    total = (
        store.count_articles(statuses=flt.statuses if flt else ())
        if flt is not None
        else store.count_articles()
    )
    docs_iter = store.iter_documents(flt) if flt is not None else store.iter_documents()

    def counted():
        for n, doc in enumerate(docs_iter, 1):
            summary.articles += 1
            summary.spans += len(doc.spans)
            if n % 200 == 0:
                progress.update(n, total, f"{n} of {total} articles")
            yield doc

    cache = TokenCache(store) if spec is not None and spec.tokens else None
    if cache is not None:
        options["tokens"] = cache
    with gc_paused():
        write_any(counted(), Path(out), fmt, problems=summary.problems, **options)
    if cache is not None:
        _keep_new_tokens(store, cache.new, summary)
    progress.update(summary.articles, total, "done")
    return summary


def _tokens_cached(store: ProjectStore, ids: list[int], fmt: str) -> bool:
    """Whether the token cache holds every article of ``ids`` (sampled: the first and last
    few hundred) for the tokenizer ``fmt`` uses: then no helper needs to build one."""
    from annotator.tokens import tokenizer_key

    sample = ids[:200] + ids[-200:] if len(ids) > 400 else ids
    langs = {a.language for a in (store.article(sample[0]), store.article(sample[-1]))}
    if len(langs) != 1 or (fmt == "spacy" and "" in langs):
        return False
    return len(store.cached_tokens(sample, tokenizer_key(langs.pop() or "xx"))) == len(sample)


def _keep_new_tokens(store: ProjectStore, rows: list[tuple[int, str, bytes, str]], summary: ExportSummary) -> None:
    """Keep the token cache rows an export computed: in the project when it is open for
    writing, else in ``summary.tokens`` for ``keep_tokens``. A failure only costs speed."""
    if not rows:
        return
    if getattr(store, "read_only", True):
        summary.tokens = rows
        return
    try:
        store.save_tokens(rows)
    except SorotError as exc:
        log.warning("the token cache was not filled: %s", exc)


def keep_tokens(path: str | Path, summary: ExportSummary) -> int:
    """After an export from a project opened read-only (the command line's): keep the token
    cache rows it computed, if the project can be opened for writing now (not while a desk
    or another writer holds it: then the next export computes them again). Returns rows kept."""
    if not summary.tokens:
        return 0
    from storage.store import Store

    try:
        with Store.open(path, wait=0) as store:
            return store.save_tokens(summary.tokens)
    except (SorotError, OSError) as exc:
        log.info("the token cache was not filled: %s", exc)
        return 0


#: Below this many articles a helper process costs more (loading its own spaCy) than it saves.
PARALLEL_SUGGEST_MIN = 128


def suggest_workers(suggesters: Sequence[Suggester], n_articles: int) -> int:
    """How many helper processes ``suggest_articles`` should use by default: one per spare
    core when a spaCy pipeline is among the suggesters (the rules and the gazetteer are
    faster than a process takes to start) and the articles are many enough."""
    import os

    heavy = any(_heavy(s) for s in suggesters)
    if not heavy or n_articles < PARALLEL_SUGGEST_MIN:
        return 0
    return max(0, min(2, (os.cpu_count() or 1) - 1))


def suggest_articles(
    store: ProjectStore,
    article_ids: Sequence[int],
    suggesters: Sequence[Suggester],
    *,
    progress: Progress = NULL,
    batch_size: int = 64,
    spec: str | None = None,
    workers: int = 0,
) -> SuggestSummary:
    """Run the suggesters over articles and store what they find as ``suggested`` spans.

    A suggester failing on one article marks that article (its id in ``failures``) and
    the rest go on. Each batch of ``batch_size`` articles is stored in one transaction
    (suggestions and detected languages together). Re-suggesting an article replaces its
    pending suggestions from the same suggesters (same ``name``).

    With ``workers`` (and the ``spec`` the suggesters were built from), that many helper
    processes build the same suggesters and take batches from the end of the list while
    this process takes them from the start; every batch is stored here (one writer), so
    the stored result is the same as with none.
    """
    summary = SuggestSummary()
    origins = [s.name for s in suggesters]
    total = len(article_ids)
    starts = list(range(0, total, batch_size))
    if workers > 0 and spec and len(starts) > 1:
        return _suggest_in_parallel(store, article_ids, suggesters, spec, starts, batch_size, workers, progress)
    # One transaction (one commit, one fsync) per batch: per article, the commits cost more
    # than the suggesting for the fast suggesters.
    for first in starts:
        batch = _SuggestBatch.read(store, article_ids[first : first + batch_size], origins)
        results, failed = batch.run(suggesters)
        batch.store(store, results, failed, origins, summary)
        progress.update(min(first + batch_size, total), total, f"{summary.articles} of {total} articles")
    return summary


@dataclass
class _SuggestBatch:
    """One batch of articles to suggest: what the suggesters need, read from the store."""

    ids: list[int]
    texts: list[str]
    langs: list[str]
    detected: dict[int, str]
    existing: list[set]
    rejected: list[set]
    usefulness: dict[int, float] = field(default_factory=dict)  # the queue's, per article

    @classmethod
    def read(cls, store: ProjectStore, ids: Sequence[int], origins: list[str]) -> _SuggestBatch:
        from annotator.lang import detect_languages

        articles = [store.article(i) for i in ids]
        detected: dict[int, str] = {}
        todo = [art for art in articles if not art.language]
        for art, lang in zip(todo, detect_languages([a.text for a in todo]), strict=True):
            art.language = detected[art.id] = lang
        # The pending suggestions of these suggesters are replaced, not kept: they must not
        # hide the same suggestion made again (re-suggesting used to wipe them).
        by_id = store.span_keys_many(list(ids), replacing=origins)
        return cls(
            list(ids), [a.text for a in articles], [a.language for a in articles], detected,
            [by_id[i][0] for i in ids], [by_id[i][1] for i in ids],
        )  # fmt: skip

    def run(self, suggesters: Sequence[Suggester]) -> tuple[list[list], dict[int, str]]:
        from annotator.queue import usefulness
        from annotator.suggest.base import run_suggesters

        failed: dict[int, str] = {}

        def on_error(index: int, exc: Exception) -> None:
            failed[index] = f"{type(exc).__name__}: {exc}"

        # The queue's usefulness (annotator.queue) needs each suggester's own proposals: the
        # merge keeps one per place, which hides where they disagreed.
        unmerged: list[dict[str, list]] = []
        results = run_suggesters(
            suggesters, self.texts, self.langs,
            existing_per_text=self.existing, rejected_per_text=self.rejected, on_error=on_error, unmerged=unmerged,
        )  # fmt: skip
        self.usefulness = {aid: usefulness(by_name) for aid, by_name in zip(self.ids, unmerged, strict=True)}
        return results, failed

    def store(self, store: ProjectStore, results: list[list], failed: dict[int, str], origins: list[str],
              summary: SuggestSummary) -> None:  # fmt: skip
        items: list[tuple[int, list[Span]]] = []
        for index, (aid, text, found) in enumerate(zip(self.ids, self.texts, results, strict=True)):
            if index in failed:
                summary.failures.append((aid, failed[index]))
                log.warning("article %s: suggester failed: %s", aid, failed[index])
            n = len(text)
            items.append((aid, [s.as_span() for s in found if 0 <= s.start < s.end <= n]))
        summary.suggestions += store.replace_suggestions_many(
            items, origins=origins, languages=self.detected, usefulness=self.usefulness
        )
        summary.articles += len(items)


#: The suggesters a helper process built, by what it was asked for (built once per helper).
_HELPER_SUGGESTERS: dict[tuple, list[Suggester]] = {}


def _heavy(suggester: Suggester) -> bool:
    """A suggester worth a helper process: a spaCy pipeline (stateless per text, unlike the
    rules, which learn the common words of what they read)."""
    return suggester.name.startswith("spacy:")


def _suggest_in_helper(key: tuple, texts: list[str], langs: list[str]) -> dict[str, list[list]]:
    """In a helper process: each spaCy pipeline of the spec over one batch, unmerged."""
    suggesters = _HELPER_SUGGESTERS.get(key)
    if suggesters is None:
        from annotator.suggest import build_suggesters

        items, label_map = key
        suggesters = _HELPER_SUGGESTERS[key] = build_suggesters(",".join(items), label_map=dict(label_map))
    return {s.name: s.suggest(texts, langs) for s in suggesters}


@dataclass
class _Given:
    """A suggester whose answers for one batch a helper already gave."""

    name: str
    results: list[list]

    def suggest(self, texts: list[str], langs: list[str] | None = None) -> list[list]:
        return self.results


def _suggest_in_parallel(
    store: ProjectStore,
    article_ids: Sequence[int],
    suggesters: Sequence[Suggester],
    spec: str,
    starts: list[int],
    batch_size: int,
    workers: int,
    progress: Progress,
) -> SuggestSummary:
    """``suggest_articles`` with helper processes running the spaCy pipelines of some
    batches while this process runs them for the others. Every batch is merged and stored
    here, in order, with the other suggesters run here in order too: the stored result is
    the one a single process stores."""
    from collections import deque

    from annotator.helper_pool import HelperPool
    from annotator.project import spec_items

    summary = SuggestSummary()
    origins = [s.name for s in suggesters]
    total = len(article_ids)
    heavy_items = tuple(i for i in spec_items(spec) if i.startswith("spacy:"))
    if not heavy_items:
        return suggest_articles(store, article_ids, suggesters, progress=progress, batch_size=batch_size)
    key = (heavy_items, tuple(sorted(store.label_map().items())))
    # Batches alternate: this process, then each helper, then this process again...
    helped = {n for n in range(len(starts)) if n % (workers + 1)}
    batches: dict[int, _SuggestBatch] = {}
    futures: dict[int, Future] = {}
    waiting = deque(sorted(helped))
    pool = HelperPool(workers)

    def read(n: int) -> _SuggestBatch:
        if n not in batches:
            batches[n] = _SuggestBatch.read(store, article_ids[starts[n] : starts[n] + batch_size], origins)
        return batches[n]

    def feed() -> None:
        # every helper with one batch working and one waiting
        while waiting and len(futures) < 2 * workers:
            n = waiting.popleft()
            batch = read(n)
            futures[n] = pool.submit(_suggest_in_helper, key, batch.texts, batch.langs)

    try:
        for n in range(len(starts)):
            feed()
            batch = read(n)
            used = list(suggesters)
            if n in futures:
                try:
                    given = futures.pop(n).result()
                    used = [_Given(s.name, given[s.name]) if _heavy(s) else s for s in suggesters]
                except Exception as exc:  # noqa: BLE001 - a helper lost: this batch runs here
                    log.warning("a suggest helper failed (%s); suggesting its batch here", exc)
            results, failed = batch.run(used)
            batch.store(store, results, failed, origins, summary)
            del batches[n]
            progress.update(summary.articles, total, f"{summary.articles} of {total} articles")
    finally:
        pool.stop()
    return summary
