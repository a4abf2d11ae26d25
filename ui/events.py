"""Store writes as a Qt signal: one path for writes, many listeners (after Anki's OpChanges).

The store calls its listeners with one ``Changes`` per committed transaction, on the thread
that wrote; ``changed`` delivers it to widgets on the UI thread (at once for a write made on
the UI thread, queued when the write came from a worker).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.changes import Changes
from storage.store import Store


class StoreEvents(QObject):
    changed = Signal(object)  # Changes
    #: The commits made so far are on disk (None), or syncing them failed (the error's words):
    #: from storage.durable's thread, delivered on the UI thread.
    synced = Signal(object)
    _written = Signal(object)  # from the writing thread to this object's (the UI) thread
    _synced = Signal(object)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._attached = True
        self._written.connect(self._deliver)
        self._synced.connect(self._deliver_synced)
        store.subscribe(self._on_write)
        if store.wal_sync is not None:
            store.wal_sync.subscribe(self._on_synced)

    def _on_write(self, changes: Changes) -> None:
        try:
            self._written.emit(changes)
        except RuntimeError:  # the widget that owned this is gone; stop listening
            self.store.unsubscribe(self._on_write)

    def _deliver(self, changes: Changes) -> None:
        # A write from a worker arrives queued; once detached (the store is closing),
        # what was still in the queue is dropped rather than read from a closed store.
        if self._attached:
            self.changed.emit(changes)

    def _on_synced(self, _durable: int, error: str | None) -> None:
        try:
            self._synced.emit(error)
        except RuntimeError:
            if self.store.wal_sync is not None:
                self.store.wal_sync.unsubscribe(self._on_synced)

    def _deliver_synced(self, error: str | None) -> None:
        if self._attached:
            self.synced.emit(error)

    def detach(self) -> None:
        self._attached = False
        self.store.unsubscribe(self._on_write)
        if self.store.wal_sync is not None:
            self.store.wal_sync.unsubscribe(self._on_synced)
