"""The helper processes of a parallel export: a stock ``ProcessPoolExecutor`` (spawn) that
can be ended at once.

``ProcessPoolExecutor.shutdown(cancel_futures=True)`` cancels what has not started but waits
for, or leaves running, a helper still busy — and one may still be importing spaCy (seconds)
when this process has written every part. Python 3.14 adds ``terminate_workers()``; before
it the pool's processes are a private attribute. Here the pool gets its processes from a
spawn context of ours (``mp_context``, public API), which remembers every process it made,
so ``stop`` can end them. tests/test_speed_pool.py checks that ``stop`` leaves no helper
alive; tests/test_export_parts.py that parts written by helpers give the bytes one process
writes.

Helpers are forked instead of spawned when that is safe: on Linux, in a process with no
thread but this one and without Qt (the command line's export: its project is opened
read-only, so no sync thread runs). A forked helper has every module this process imported
and starts in milliseconds, where a spawned one imports Sorot, numpy and SQLite's wrapper
again (~0.5 s; with a warm token cache that was most of a helper's share of a
2,000-article export). It touches nothing of this process's but the functions it is given:
a part opens the project anew (``export_parts._helper_part``), never the connection it
inherited (SQLite's rule for fork), while this process, idle between its queries when it
forks, keeps its own open until every helper has ended (``stop``). Anywhere else (the desk, a
project open for writing, macOS and Windows), helpers are spawned, as before.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import ForkContext, ForkProcess, SpawnContext, SpawnProcess
from typing import Any


def _remembering(context: type, process: type) -> type:
    """A multiprocessing context (spawn or fork) that remembers the processes it makes."""

    class Remembering(context):
        def __init__(self) -> None:
            super().__init__()
            self.processes: list[Any] = []

        def Process(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - multiprocessing's name
            made = process(*args, **kwargs)
            self.processes.append(made)
            return made

    return Remembering


_RememberingSpawnContext = _remembering(SpawnContext, SpawnProcess)
_RememberingForkContext = _remembering(ForkContext, ForkProcess)


def fork_is_safe() -> bool:
    """Whether helpers may be forked: Linux, no other thread (a fork copies only this one,
    and whatever lock another holds stays held in the child), no Qt."""
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not any(name.startswith("PySide6") for name in list(sys.modules))
    )


def fork_for(read_only: bool) -> bool:
    """Whether helpers working for a project opened ``read_only`` (or not) may be forked:
    only from a read-only project (a writer's connection, WAL state and lock must not be
    copied into a child that may outlive this process), and only when ``fork_is_safe``."""
    return read_only and fork_is_safe()


class HelperPool:
    """``workers`` helper processes: ``submit`` as a ProcessPoolExecutor, ``stop`` ends them.
    ``fork``: fork them, or not; by default as ``fork_for(read_only)`` says (the project the
    helpers work for is taken as writable unless said)."""

    def __init__(self, workers: int, *, fork: bool | None = None, read_only: bool = False) -> None:
        self.forked = fork_for(read_only) if fork is None else fork
        self._context = _RememberingForkContext() if self.forked else _RememberingSpawnContext()
        self._executor = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=self._context)

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def processes(self) -> list[multiprocessing.process.BaseProcess]:
        return list(self._context.processes)

    def stop(self) -> None:
        """End the helpers now, busy or not; what was not started is cancelled. Safe to call twice."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        # look again each round: the executor's manager thread may start a helper meanwhile
        # (seen in CI: one left alive)
        end_processes(self.processes)


def end_processes(alive_now: Callable[[], Iterable[multiprocessing.process.BaseProcess]], seconds: float = 15) -> None:
    """Terminate the processes ``alive_now()`` gives, then kill what is still there, asking it
    again each round, for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    attempt = 0
    while time.monotonic() < deadline:
        alive = [p for p in alive_now() if p.is_alive()]
        if not alive:
            return
        for process in alive:
            process.terminate() if attempt == 0 else process.kill()
        for process in alive:
            process.join(timeout=2)
        attempt += 1
