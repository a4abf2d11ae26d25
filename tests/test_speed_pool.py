"""annotator.helper_pool: a stock ProcessPoolExecutor whose helpers stop ends, busy or not."""

from __future__ import annotations

import os
import time
from concurrent.futures import wait

import pytest

from annotator.helper_pool import HelperPool


def _pid() -> int:
    return os.getpid()


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


@pytest.mark.parametrize("fork", [False, True], ids=["spawned", "forked"])
def test_helpers_work_as_a_process_pool(fork):
    pool = HelperPool(2, fork=fork)
    assert pool.forked is fork
    try:
        # When work is submitted; Then it runs in other processes, as in ProcessPoolExecutor
        pids = {pool.submit(_pid).result(timeout=60) for _ in range(4)}
        assert os.getpid() not in pids
        assert pids <= {p.pid for p in pool.processes()}
    finally:
        pool.stop()


@pytest.mark.parametrize("fork", [False, True], ids=["spawned", "forked"])
def test_stop_ends_busy_helpers_at_once(fork):
    # Given helpers busy with work that would take a minute
    pool = HelperPool(2, fork=fork)
    for _ in range(2):
        pool.submit(_sleep, 60)
    waiting = pool.submit(_sleep, 60)
    deadline = time.monotonic() + 60
    while len([p for p in pool.processes() if p.is_alive()]) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.processes()) == 2
    # When the pool is stopped
    t0 = time.monotonic()
    pool.stop()
    pool.stop()  # twice is fine
    # Then no helper is left alive, nothing waited for the work, and the queued work is cancelled
    assert not any(p.is_alive() for p in pool.processes())
    assert time.monotonic() - t0 < 20
    # the queued work is cancelled, or failed once the executor saw its helpers gone
    wait([waiting], timeout=30)
    assert waiting.cancelled() or waiting.done()


def test_helpers_are_forked_only_where_it_is_safe(monkeypatch):
    import sys
    import threading

    from annotator import helper_pool

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.delitem(sys.modules, "PySide6", raising=False)
    for name in [n for n in sys.modules if n.startswith("PySide6")]:
        monkeypatch.delitem(sys.modules, name)
    assert helper_pool.fork_is_safe()
    # another thread (the desk's, a writable project's sync thread), Qt, or not Linux: spawned
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not helper_pool.fork_is_safe()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setitem(sys.modules, "PySide6.QtCore", object())
    assert not helper_pool.fork_is_safe()
    monkeypatch.delitem(sys.modules, "PySide6.QtCore")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not helper_pool.fork_is_safe()
