"""One writer per project file, across processes.

SQLite 3.40 lets two processes write in turn, but two Sorot windows editing the same
project would each hold stale state. The first to open a project takes an exclusive
advisory lock on ``<project>.lock``; the second is told and may open read-only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from annotator.errors import ProjectLocked

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class ProjectLock:
    def __init__(self, db_path: Path) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self, wait: float = 0.0) -> None:
        deadline = time.monotonic() + wait
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        while True:
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:  # pragma: no cover
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    holder = ""
                    try:
                        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    except OSError:
                        pass
                    os.close(fd)
                    raise ProjectLocked(
                        f"The project {self.path.with_suffix('')} is open in another Sorot"
                        + (f" ({holder})" if holder else "")
                        + ". Close it there, or open this project read-only."
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()}".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None
