"""The import's helper process: files read, parsed and turned into rows on the second core
while this process stores the rows of the files before (``storage.prepared_import``).

Reading a file of news (JSON lines, ~3,000 characters and ~30 spans an article) costs
~0.25 ms of CPU an article with its rows prepared, storing it ~0.45 ms, two thirds of that
in SQLite (the spans and their five indexes, the full-text rows). In one process a storing
thread overlaps little with the reading (both want the GIL); the helper takes the reading
off this process altogether. What it
hands over is tuples of strings and numbers (~6 KB an article pickled, ~0.02 ms each way),
not Documents and Spans; this process gives the ids and runs the statements, one
transaction per file as before. It pays only with a core to spare: the helper's CPU
(a second interpreter's imports, the language model, pickling) comes on top.

The helper is forked where ``annotator.helper_pool.fork_is_safe`` (the command line: it
then has every module this process loaded, and starts in milliseconds), else spawned, and
only for imports big enough to pay for it, on a machine with a core to spare
(``worth_a_helper``). It sends, in order, per file: ``("file", path)``, ``("batch", PreparedBatch, n_documents)`` per batch, then
``("end",)``, or ``("error", path, message)`` when the file cannot be read at all and
``("fail", message)`` when it fails part way (the file is then dropped whole); log records
as ``("log", name, level, message)``, re-logged here; ``("done",)`` at the end; and
``("crash", traceback)`` if something unexpected broke it. Its queue holds at most a few
batches, so a file bigger than memory stays streamed.
tests/test_speed_import_helper.py checks that an import through the helper stores what
the stock import stores.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.errors import FormatError, SorotError

#: Inputs smaller than this are read here: a forked helper costs ~20 ms, a spawned one ~0.5 s.
FORK_FROM = 1 << 20
SPAWN_FROM = 32 << 20
#: Batches the helper may have ready before this process took them.
AHEAD = 4
#: Documents per batch handed over: small enough that this process starts storing soon
#: after the helper started reading, big enough that each batch's full-text statements
#: stay few (a batch of a file read whole is a part of its list; the file stays one transaction).
HELPER_BATCH = 250


def input_bytes(paths: Sequence[str | Path]) -> int:
    """The size of the files under ``paths`` (what an import would read, roughly)."""
    total = 0
    for path in paths:
        path = Path(path)
        try:
            if path.is_dir():
                total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            else:
                total += path.stat().st_size
        except OSError:
            continue
    return total


def worth_a_helper(paths: Sequence[str | Path]) -> bool | None:
    """Whether to parse in a helper: None (no), or whether to fork it (True) or spawn it.
    ``SOROT_IMPORT_HELPER=0``: never; ``=1``: always, whatever the size and the load."""
    from annotator.helper_pool import fork_is_safe

    wanted = os.environ.get("SOROT_IMPORT_HELPER")
    if wanted == "1":  # always (measurements, tests)
        return fork_is_safe()
    if wanted == "0" or not core_to_spare():
        return None
    size = input_bytes(paths)
    if size >= FORK_FROM and fork_is_safe():
        return True
    if size >= SPAWN_FROM:
        return False
    return None


def core_to_spare() -> bool:
    """Whether another core is likely idle (the last minute's load average below the cores
    less one). On a busy machine a helper only adds its own costs (pickling, a second
    interpreter): with a load of 1.7-2.4 on 2 cores (others' trainings), 2,000 articles in
    four files, medians of 6 alternated runs: 1,188 art/s in one process, 1,075 with a helper,
    though this process then spent 0.44-0.70 ms of CPU an article instead of 0.71-1.0."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # not on this system
        load = 0.0
    return cores >= 2 and load < cores - 1


class HelperFailed(SorotError):
    """What stopped the helper on a file (its message as the helper wrote it)."""


class HelperCrashed(RuntimeError):
    """The helper broke on something other than a file it could not read."""


#: The importing annotator is told later (``ImportHelper.set_annotator``).
LATER = "\x00later"


class ImportHelper:
    """One helper process reading ``paths``; iterate ``messages()`` for what it sends.

    ``annotator=LATER``: the helper starts reading at once and waits for
    ``set_annotator`` before it prepares the first rows (the command line starts it before
    it opens the project, which names the annotator: ``start_early``)."""

    def __init__(
        self,
        paths: Sequence[str | Path],
        fmt: str,
        options: dict[str, Any],
        annotator: str | None,
        *,
        fork: bool,
    ) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork" if fork else "spawn")
        self._queue = context.Queue(maxsize=AHEAD)
        self._inbox = context.Queue() if annotator == LATER else None
        self._process = context.Process(
            target=_helper_main,
            args=(self._queue, self._inbox, [str(p) for p in paths], fmt, dict(options), annotator),
            name="sorot-import-helper",
            daemon=True,
        )
        self._process.start()

    def set_annotator(self, annotator: str | None) -> None:
        """The importing annotator, for a helper started with ``LATER`` (else nothing)."""
        if self._inbox is not None:
            self._inbox.put(annotator)
            self._inbox.close()
            self._inbox = None

    def messages(self) -> Iterator[tuple]:
        """What the helper sends, up to ``("done",)``; log records are re-logged here."""
        while True:
            try:
                message = self._queue.get(timeout=1.0)
            except queue.Empty:
                if not self._process.is_alive():
                    raise HelperCrashed(
                        f"the import helper ended (exit code {self._process.exitcode})"
                    ) from None
                continue
            kind = message[0]
            if kind == "log":
                logging.getLogger(message[1]).log(message[2], "%s", message[3])
                continue
            if kind == "raise":  # what the one-process import would have raised (a bad option, say)
                raise message[1]
            if kind == "crash":
                raise HelperCrashed(f"the import helper failed:\n{message[1]}")
            yield message
            if kind == "done":
                return

    def stop(self) -> None:
        """End the helper (done, cancelled or failed here). Safe to call twice."""
        process = self._process
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        self._queue.close()
        self._queue.cancel_join_thread()


class _Relay(logging.Handler):
    """Log records of the helper, sent to the importing process."""

    def __init__(self, out: Any) -> None:
        super().__init__()
        self._out = out

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._out.put(("log", record.name, record.levelno, record.getMessage()))
        except Exception:  # a record that cannot be sent is not worth failing the import for
            self.handleError(record)


def start_early(paths: Sequence[str | Path], fmt: str, options: dict[str, Any]) -> ImportHelper | None:
    """A helper for an import of ``paths``, started before the project is opened (its
    files are read meanwhile), when ``worth_a_helper``; give it to ``import_paths``."""
    fork = worth_a_helper(paths)
    return None if fork is None else ImportHelper(paths, fmt, options, LATER, fork=fork)


class _Outbox:
    """The helper's end of the queue: ``put`` waits while the queue is full, and ends the
    helper if the importing process is gone meanwhile (killed: nobody will read)."""

    def __init__(self, out: Any) -> None:
        self._out = out
        self._parent = os.getppid()

    def put(self, message: tuple) -> None:
        while True:
            try:
                self._out.put(message, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != self._parent:
                    os._exit(1)

    def wait_for(self, inbox: Any) -> Any:
        """The next message of ``inbox``, waiting as ``put`` waits."""
        while True:
            try:
                return inbox.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != self._parent:
                    os._exit(1)

    def close(self) -> None:
        self._out.close()
        self._out.join_thread()


def _helper_main(
    queue_out: Any, inbox: Any, paths: list[str], fmt: str, options: dict[str, Any], annotator: str | None
) -> None:
    out = _Outbox(queue_out)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Relay(out))
    try:
        from annotator.bulk import batches as in_batches
        from annotator.bulk import gc_paused
        from annotator.formats import read_any
        from ops.workflows import titled
        from storage.prepared_import import prepare

        if not options.get("lang"):
            from annotator.lang import prepare_in_background

            prepare_in_background()  # the language model loads while the first lines are read
        with gc_paused():
            for path in paths:
                for file_path, found in read_any(Path(path), fmt, stream=True, **options):
                    file_path, result = titled(file_path, found)
                    source = str(file_path)
                    if isinstance(result, FormatError):
                        out.put(("error", source, str(result)))
                        continue
                    batches = in_batches(result, HELPER_BATCH)
                    try:
                        first = next(batches, [])
                    except FormatError as exc:  # as the one-process import: the file was not read
                        out.put(("error", source, str(exc)))
                        continue
                    out.put(("file", source))
                    if inbox is not None:  # the importing process has opened the project
                        annotator, inbox = out.wait_for(inbox), None
                    try:
                        for batch in _chain(first, batches):
                            out.put(("batch", prepare(batch, annotator=annotator, source=source), len(batch)))
                    except SorotError as exc:
                        out.put(("fail", str(exc)))
                        continue
                    out.put(("end",))
        out.put(("done",))
    except Exception as exc:
        out.put(_raised(exc))
    except BaseException:
        out.put(("crash", traceback.format_exc()))
    finally:
        out.close()


def _raised(exc: Exception) -> tuple:
    """The message that makes the importing process raise ``exc`` (its traceback, if it
    cannot be sent as it is)."""
    try:
        if type(pickle.loads(pickle.dumps(exc))) is type(exc):
            return ("raise", exc)
    except Exception:
        pass
    return ("crash", traceback.format_exc())


def _chain(first: list, rest: Iterator[list]) -> Iterator[list]:
    yield first
    yield from rest
