"""Store writes as a Qt signal: one path for writes, many listeners (after Anki's OpChanges).

The store calls its listeners on the thread that wrote; ``changed`` is delivered to
widgets on the UI thread (queued when the write came from a worker).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from storage.store import Store


class StoreEvents(QObject):
    changed = Signal(str, object)  # action, article id or None
    _written = Signal(str, object)  # from the writing thread to this object's (the UI) thread

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._attached = True
        self._written.connect(self._deliver)
        store.subscribe(self._on_write)

    def _on_write(self, action: str, article_id: int | None) -> None:
        try:
            self._written.emit(action, article_id)
        except RuntimeError:  # the widget that owned this is gone; stop listening
            self.store.unsubscribe(self._on_write)

    def _deliver(self, action: str, article_id: int | None) -> None:
        # A write from a worker arrives queued; once detached (the store is closing),
        # what was still in the queue is dropped rather than read from a closed store.
        if self._attached:
            self.changed.emit(action, article_id)

    def detach(self) -> None:
        self._attached = False
        self.store.unsubscribe(self._on_write)
