"""Commits made durable off the writer's thread.

A project's writer runs WAL with ``synchronous = NORMAL``: when a commit returns, its pages
are in the operating system's hands, so it survives Sorot crashing or being killed, and
SQLite syncs the log itself before every checkpoint. What NORMAL leaves out is the fsync of
the write-ahead log at each commit, which is what makes a commit survive a power cut.
``WalSync`` does that fsync on its own thread after each commit, then tells its listeners
how many commits are on disk. The desk says "All changes saved" only then: what it shows as
saved is as safe as with ``synchronous = FULL``. Meanwhile the fsync (4-12 ms per commit on
this machine's disk, most of an edit's time) has left the UI thread.

Several commits made while one fsync runs are covered by the next one (group commit).

A failed fsync is final for the session: Linux may drop the pages it could not write and
report the next fsync as a success, so nothing committed from then on is told durable, and
every listener hears the error again (the desk keeps saying the save failed; reopening the
project lets SQLite read back what is really on disk).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

#: ``listener(durable, error)``: commits 1..durable are on disk; ``error`` when an fsync failed.
Listener = Callable[[int, str | None], None]


class WalSync:
    """fsyncs ``<project>-wal`` after commits, on a thread of its own."""

    def __init__(self, project: Path) -> None:
        self.wal = Path(f"{project}-wal")
        self._cond = threading.Condition()
        self._committed = 0
        self._durable = 0
        self._told = 0  # commits whose fsync the listeners have heard of
        self.failed: str | None = None  # the first fsync error: sticky (see the module docstring)
        self._closed = False
        self._listeners: list[Listener] = []
        self._thread = threading.Thread(target=self._run, name="sorot-wal-sync", daemon=True)
        self._thread.start()

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def committed(self) -> int:
        """A commit has returned: sync it. Returns its number."""
        with self._cond:
            self._committed += 1
            self._cond.notify_all()
            return self._committed

    @property
    def pending(self) -> int:
        """Commits not yet known to be on disk."""
        with self._cond:
            return self._committed - self._durable

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every commit made so far is on disk and the listeners were told (or
        ``timeout`` seconds pass, or syncing failed: False)."""
        with self._cond:
            target = self._committed
            self._cond.wait_for(
                lambda: self._told >= target or self.failed is not None or self._closed, timeout
            )
            return self._told >= target and self.failed is None

    def close(self) -> None:
        """Sync what is pending and stop the thread (before the connection closes)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._committed > self._told or self._closed)
                if self._committed == self._told and self._closed:
                    return
                target, closing = self._committed, self._closed
            error = self.failed or sync_file(self.wal)
            with self._cond:
                if error is None:
                    self._durable = target
                else:
                    self.failed = error
                durable = self._durable
            for listener in list(self._listeners):  # they may ask ``pending``: already 0 if synced
                try:
                    listener(durable, error)
                except Exception:  # noqa: BLE001 - a listener's fault must not stop the syncing
                    log.exception("a listener of the project's fsync failed")
            with self._cond:
                self._told = target
                self._cond.notify_all()
            if closing and error is not None:
                log.error("%s: the last changes may not be on disk: %s", self.wal, error)
                return


def sync_file(path: Path) -> str | None:
    """fsync ``path``; None when done (or when there is no such file: SQLite removed the log
    after a checkpoint, which it synced itself), else the error's words."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    try:
        os.fsync(fd)
        return None
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    finally:
        os.close(fd)
