"""Progress and cancellation for long work, without Qt.

Long functions (import, export, suggest, train) take a ``Progress`` and call
``progress.update(done, total, message)``; that call raises ``Cancelled`` once the
person pressed Cancel, so the work stops at the next safe point.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The person asked the work to stop."""


class Progress:
    def __init__(self, callback: Callable[[int, int, str], None] | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def update(self, done: int, total: int = 0, message: str = "") -> None:
        if self._callback is not None:
            self._callback(done, total, message)
        self.check()


NULL = Progress()
