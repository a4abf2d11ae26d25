"""One long-lived worker thread that owns the suggesters (and any spaCy ``Language``).

spaCy pipelines are not safe to share across threads (spaCy #11904), so a single
``SuggestWorker`` builds them on first use and runs every suggestion job, a queue of
article ids at a time. It writes through the store (thread-safe: one lock, one
connection); the store's listeners then tell the desk to repaint the article.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

DEFAULT_SPEC = "rules,gazetteer"


def build_from_spec(store, spec: str) -> list:
    """The suggesters named by ``spec`` for this project."""
    from annotator.suggest import build_suggesters  # the suggest engineer's factory

    return build_suggesters(spec, label_map=store.label_map(), gazetteer_rows=store.gazetteer_rows())


def _fallback_build(
    store, spec: str
) -> list:  # FALLBACK: only while annotator.suggest lacks build_suggesters
    from annotator.suggest.rules import RulesSuggester

    return [RulesSuggester()]


def was_suggested(store, article_id: int) -> bool:
    """Whether suggesters already ran over the article (its history has a "suggest" event)."""
    return any(e["action"] == "suggest" for e in store.events(article_id=article_id, limit=500))


class SuggestWorker(QObject):
    progress = Signal(int, int, str)  # done, total, message
    article_done = Signal(int, int)  # article id, suggestions stored
    failed = Signal(str)
    idle = Signal()
    _wake = Signal()

    def __init__(self, store, spec: str, factory: Callable[[object, str], list] | None = None) -> None:
        super().__init__()
        self.store = store
        self.spec = spec
        self._factory = factory
        self._suggesters: list | None = None
        self._queue: deque[int] = deque()
        self._queued: set[int] = set()
        self._forced: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = 0
        self.busy = False
        self._wake.connect(self._run)

    def enqueue(self, article_ids: Iterable[int], *, first: bool = False, force: bool = False) -> None:
        """Thread-safe. ``first``: ahead of the queue (the article the analyst just opened).
        Articles already suggested are skipped unless ``force`` (Suggest again)."""
        with self._lock:
            ids = [i for i in article_ids if i not in self._queued]
            if force:
                self._forced.update(article_ids)
            if first:
                self._queue.extendleft(reversed(ids))
            else:
                self._queue.extend(ids)
            self._queued.update(ids)
            self._stop.clear()
        self._wake.emit()

    def set_spec(self, spec: str) -> None:
        with self._lock:
            self.spec = spec
            self._suggesters = None

    def cancel(self) -> None:
        with self._lock:
            self._queue.clear()
            self._queued.clear()
            self._stop.set()

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def _suggesters_now(self) -> list:
        if self._suggesters is None:
            factory = self._factory
            if factory is None:
                try:
                    from annotator.suggest import build_suggesters  # noqa: F401

                    factory = build_from_spec
                except ImportError:
                    factory = _fallback_build
            self._suggesters = factory(self.store, self.spec)
        return self._suggesters

    @Slot()
    def _run(self) -> None:
        from annotator.workflows import suggest_articles

        if self.busy:
            return
        self.busy = True
        try:
            while not self._stop.is_set():
                with self._lock:
                    if not self._queue:
                        break
                    aid = self._queue.popleft()
                    self._queued.discard(aid)
                    forced = aid in self._forced
                    self._forced.discard(aid)
                    total = self._done + len(self._queue) + 1
                if not forced and was_suggested(self.store, aid):
                    self._done += 1
                    continue
                self.progress.emit(self._done, total, f"suggesting article {aid}")
                try:
                    summary = suggest_articles(self.store, [aid], self._suggesters_now())
                    n = summary.suggestions
                except Exception as exc:  # noqa: BLE001 - a failing suggester must not end the worker
                    log.exception("suggesting article %s failed", aid)
                    self.failed.emit(f"article {aid}: {type(exc).__name__}: {exc}")
                    n = 0
                self._done += 1
                self.article_done.emit(aid, n)
        finally:
            self.busy = False
            self._done = 0
            self.progress.emit(0, 0, "")
            self.idle.emit()


class SuggestService(QObject):
    """The thread and its worker; the UI talks to this."""

    def __init__(self, store, spec: str = DEFAULT_SPEC, factory=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("sorot-suggest")
        self.worker = SuggestWorker(store, spec, factory)
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def enqueue(self, article_ids: Iterable[int], *, first: bool = False, force: bool = False) -> None:
        self.worker.enqueue(list(article_ids), first=first, force=force)

    def idle(self) -> bool:
        return not self.worker.busy and self.worker.pending() == 0

    def cancel(self) -> None:
        self.worker.cancel()

    def shutdown(self) -> None:
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait()
