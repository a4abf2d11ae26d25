"""annotator.helper_pool: a stock ProcessPoolExecutor whose helpers stop ends, busy or not."""

from __future__ import annotations

import os
import time
from concurrent.futures import wait

from annotator.helper_pool import HelperPool


def _pid() -> int:
    return os.getpid()


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_helpers_work_as_a_process_pool():
    pool = HelperPool(2)
    try:
        # When work is submitted; Then it runs in other processes, as in ProcessPoolExecutor
        pids = {pool.submit(_pid).result(timeout=60) for _ in range(4)}
        assert os.getpid() not in pids
        assert pids <= {p.pid for p in pool.processes()}
    finally:
        pool.stop()


def test_stop_ends_busy_helpers_at_once():
    # Given helpers busy with work that would take a minute
    pool = HelperPool(2)
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
