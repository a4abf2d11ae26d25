"""One long-lived worker thread that owns the suggesters (and any spaCy ``Language``).

spaCy pipelines are not safe to share across threads (spaCy #11904), so a single
``SuggestWorker`` builds them on first use and runs every suggestion job, a queue of
article ids at a time. It writes through the store (thread-safe: one lock, one
connection); the store's listeners then tell the desk to repaint the article.

The learned gazetteer lives in that thread too. The desk reports what the analyst taught
it (``SuggestService.update_gazetteer``, count changes); those updates are queued and
applied by the worker before its next job, each batch bumping ``gazetteer_version``. A
*gazetteer job* re-runs only the gazetteer over one article when the gazetteer changed
since that article was last gazetteer-suggested (cheap; the other suggesters still run
once per article).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from annotator.suggest import DEFAULT_SPEC, build_suggesters
from ui.i18n import translate

log = logging.getLogger(__name__)


def build_from_spec(store, spec: str) -> list:
    """The suggesters named by ``spec`` for this project."""
    return build_suggesters(spec, label_map=store.label_map(), gazetteer_rows=store.gazetteer_rows())


FULL = "full"
GAZETTEER = "gazetteer"

#: (text, label, change in times accepted or created, change in times rejected)
GazetteerDelta = tuple[str, str, int, int]


def was_suggested(store, article_id: int) -> bool:
    """Whether suggesters already ran over the article (its history has a "suggest" event)."""
    return any(e["action"] == "suggest" for e in store.events(article_id=article_id, limit=500))


class SuggestWorker(QObject):
    progress = Signal(int, int, str)  # done, total, message
    article_done = Signal(int, int)  # article id, suggestions stored
    failed = Signal(str)
    idle = Signal()
    gazetteer_done = Signal(int, int)  # article id, gazetteer suggestions stored afresh
    _wake = Signal()

    def __init__(self, store, spec: str, factory: Callable[[object, str], list] | None = None) -> None:
        super().__init__()
        self.store = store
        self.spec = spec
        self._factory = factory
        self._suggesters: list | None = None
        self._queue: deque[tuple[int, str]] = deque()  # (article id, FULL or GAZETTEER)
        self._queued: set[tuple[int, str]] = set()
        self._forced: set[int] = set()
        self._updates: list[GazetteerDelta] = []  # from the UI thread, applied here
        #: Bumped whenever the gazetteer's contents may have changed (updates, a rebuild).
        self.gazetteer_version = 0
        #: Article id -> the gazetteer_version its gazetteer suggestions were made with.
        self._gazetteer_done: dict[int, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = 0
        self.busy = False
        self._wake.connect(self._run)

    def enqueue(self, article_ids: Iterable[int], *, first: bool = False, force: bool = False) -> None:
        """Thread-safe. ``first``: ahead of the queue (the article the analyst just opened).
        Articles already suggested are skipped unless ``force`` (Suggest again)."""
        self._enqueue(list(article_ids), FULL, first=first, force=force)

    def enqueue_gazetteer(self, article_ids: Iterable[int], *, first: bool = True) -> None:
        """Thread-safe. Re-run only the gazetteer over these articles, if it changed since
        they were last gazetteer-suggested (articles never suggested at all are left to
        their full job)."""
        self._enqueue(list(article_ids), GAZETTEER, first=first, force=False)

    def _enqueue(self, article_ids: list[int], kind: str, *, first: bool, force: bool) -> None:
        with self._lock:
            jobs = [(i, kind) for i in dict.fromkeys(article_ids) if (i, kind) not in self._queued]
            if force:
                self._forced.update(article_ids)
            if first:
                self._queue.extendleft(reversed(jobs))
            else:
                self._queue.extend(jobs)
            self._queued.update(jobs)
            self._stop.clear()
        self._wake.emit()

    def update_gazetteer(self, deltas: Iterable[GazetteerDelta]) -> None:
        """Thread-safe: queue (text, label, accepted change, rejected change) updates; the
        worker applies them before its next job."""
        deltas = [(t, lab, int(a), int(r)) for t, lab, a, r in deltas if a or r]
        if deltas:
            with self._lock:
                self._updates.extend(deltas)

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
            factory = self._factory or build_from_spec
            with self._lock:
                # The store already holds every edit reported so far: the rebuilt gazetteer
                # counts them, so the queued updates must not be applied on top.
                self._updates.clear()
            self._suggesters = factory(self.store, self.spec)
            self.gazetteer_version += 1
        return self._suggesters

    def gazetteer_suggester(self):
        """The gazetteer suggester in use, or None (not built yet, or none in the spec).
        Worker thread only (tests may look when the worker is idle)."""
        for s in self._suggesters or ():
            if getattr(s, "name", "") == "gazetteer" and getattr(s, "gazetteer", None) is not None:
                return s
        return None

    def gazetteer(self):
        """The learned ``Gazetteer`` in use, or None. Same caveats as ``gazetteer_suggester``."""
        suggester = self.gazetteer_suggester()
        return suggester.gazetteer if suggester is not None else None

    def _apply_updates(self) -> None:
        with self._lock:
            updates, self._updates = self._updates, []
        if not updates or self._suggesters is None:
            return  # not built yet: it will be built from the store, which has them all
        gaz = self.gazetteer()
        if gaz is None:
            return
        before = gaz.version
        for text, label, accepted, rejected in updates:
            gaz.adjust(text, label, accepted, rejected)
        if gaz.version != before:
            self.gazetteer_version += 1

    def _run_gazetteer(self, aid: int) -> int | None:
        """Re-run only the gazetteer over one article; None when there was nothing to do."""
        from annotator.suggest.base import run_suggesters

        suggester = self.gazetteer_suggester()
        if suggester is None or self._gazetteer_done.get(aid) == self.gazetteer_version:
            return None
        if not was_suggested(self.store, aid):
            return None  # its full job (all suggesters, the gazetteer among them) comes first
        version = self.gazetteer_version
        art = self.store.article(aid)
        spans = self.store.spans(aid)
        mine = {sp.key for sp in spans if sp.status == "suggested" and sp.origin == suggester.name}
        present = {sp.key for sp in spans if sp.status != "rejected"} - mine
        rejected = {sp.key for sp in spans if sp.status == "rejected"}
        found = run_suggesters(
            [suggester],
            [art.text],
            [art.language or "xx"],
            existing_per_text=[present],
            rejected_per_text=[rejected],
        )[0]
        fresh = [s.as_span(suggester.name) for s in found if 0 <= s.start < s.end <= len(art.text)]
        self._gazetteer_done[aid] = version
        if {sp.key for sp in fresh} == mine:
            return None  # the same suggestions: keep them (and their ids, the selection)
        return self.store.replace_suggestions(aid, fresh, origins=[suggester.name])

    @Slot()
    def _run(self) -> None:
        from ops.workflows import suggest_articles

        if self.busy:
            return
        self.busy = True
        try:
            while not self._stop.is_set():
                with self._lock:
                    if not self._queue:
                        break
                    aid, kind = job = self._queue.popleft()
                    self._queued.discard(job)
                    forced = kind == FULL and aid in self._forced
                    if kind == FULL:
                        self._forced.discard(aid)
                    total = self._done + len(self._queue) + 1
                if kind == GAZETTEER:
                    self._gazetteer_job(aid)
                    self._done += 1
                    continue
                if not forced and was_suggested(self.store, aid):
                    self._done += 1
                    continue
                self.progress.emit(self._done, total, translate("suggest", "suggesting article {id}").format(id=aid))
                try:
                    suggesters = self._suggesters_now()
                    self._apply_updates()
                    version = self.gazetteer_version
                    summary = suggest_articles(self.store, [aid], suggesters)
                    n = summary.suggestions
                    for _failed_id, message in summary.failures:
                        self.failed.emit(message)
                    self._gazetteer_done[aid] = version
                except Exception as exc:  # noqa: BLE001 - a failing suggester must not end the worker
                    log.exception("suggesting article %s failed", aid)
                    self.failed.emit(translate("suggest", "article {id}: {error}").format(id=aid, error=f"{type(exc).__name__}: {exc}"))
                    n = 0
                self._done += 1
                self.article_done.emit(aid, n)
        finally:
            self.busy = False
            self._done = 0
            self.progress.emit(0, 0, "")
            self.idle.emit()

    def _gazetteer_job(self, aid: int) -> None:
        try:
            self._suggesters_now()
            self._apply_updates()
            n = self._run_gazetteer(aid)
        except Exception as exc:  # noqa: BLE001 - a failing suggester must not end the worker
            log.exception("gazetteer suggestions for article %s failed", aid)
            self.failed.emit(translate("suggest", "article {id}: {error}").format(id=aid, error=f"{type(exc).__name__}: {exc}"))
            return
        if n is not None:
            self.gazetteer_done.emit(aid, n)


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

    # -- the learned gazetteer (thread-safe: queued, applied by the worker before its next job)

    def update_gazetteer(self, deltas: Iterable[GazetteerDelta]) -> None:
        """Several (text, label, accepted change, rejected change) at once."""
        self.worker.update_gazetteer(deltas)

    def refresh_gazetteer(self, article_id: int) -> None:
        """Re-run the gazetteer over this article (first in the queue) if it learned
        anything since the article was last gazetteer-suggested."""
        self.worker.enqueue_gazetteer([article_id], first=True)

    def idle(self) -> bool:
        return not self.worker.busy and self.worker.pending() == 0

    def cancel(self) -> None:
        self.worker.cancel()

    def shutdown(self) -> None:
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait()
