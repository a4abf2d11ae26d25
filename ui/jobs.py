"""Run long work off the UI thread, with progress and cancel (after Orange's concurrent utils).

``start_job(fn)`` runs ``fn(progress)`` in a ``QThread``; ``progress`` is an
``annotator.progress.Progress`` whose updates arrive on the UI thread as the
``progress`` signal. Every job is kept until its thread has finished: destroying a
running ``QThread`` aborts the process, so ``wait_all`` is called on shutdown.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from annotator.errors import SorotError
from annotator.progress import Cancelled, Progress


class Job(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    def __init__(self, fn: Callable[[Progress], Any], name: str = "") -> None:
        super().__init__()
        self.name = name
        self._fn = fn
        self.state = Progress(self.progress.emit)
        self.result: Any = None
        self.error: str | None = None
        self.was_cancelled = False

    def cancel(self) -> None:
        self.state.cancel()

    def run(self) -> None:
        try:
            self.result = self._fn(self.state)
        except Cancelled:
            self.was_cancelled = True
            self.cancelled.emit()
        except SorotError as exc:
            self.error = str(exc)
            self.failed.emit(self.error)
        except Exception as exc:  # a bug: show it, keep the app alive
            self.error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)
        self.finished.emit()


_running: list[tuple[QThread, Job]] = []


def start_job(fn: Callable[[Progress], Any], name: str = "") -> Job:
    thread = QThread()
    job = Job(fn, name)
    job.moveToThread(thread)
    thread.started.connect(job.run)
    job.finished.connect(thread.quit)
    pair = (thread, job)
    _running.append(pair)

    def forget() -> None:
        if pair in _running:
            _running.remove(pair)

    thread.finished.connect(forget)
    thread.start()
    return job


def wait_all(cancel: bool = True, timeout_ms: int = 30000) -> None:
    for thread, job in list(_running):
        if cancel:
            job.cancel()
        thread.quit()
        thread.wait(timeout_ms)
    _running.clear()
