"""What every command shares: its declaration, opening the project, progress on the terminal,
comma lists, the training commands' limits and Ctrl-C.

Kept light (no storage, spaCy or Qt at import): ``main.py stats`` starts in well under a second.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.progress import Progress
    from storage.store import Store


def command(
    subparsers: argparse._SubParsersAction,
    name: str,
    func: Callable[[argparse.Namespace], int],
    *,
    help: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """Declare the command ``name``, run by ``func`` (it gets the parsed arguments and returns
    an exit code): ``help`` is its line in the list of commands, ``description`` (if any) heads
    its own ``--help``. Returns its parser, for the command's options."""
    parser = subparsers.add_parser(name, help=help, description=description)
    parser.set_defaults(func=func)
    return parser


def split(values: list[str] | None) -> tuple[str, ...]:
    """Values given as several words, comma lists, or both: ["a,b", "c"] -> ("a", "b", "c")."""
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return tuple(out)


class Choices(Sequence[str]):
    """An argparse ``choices`` read from a registry only when needed (a value to check, or
    ``--help``), so listing them costs a command that does not use them nothing. Give the
    option a ``metavar``: argparse would otherwise list the choices as soon as it is added."""

    def __init__(self, source: Callable[[], Sequence[str]]) -> None:
        self._source = source
        self._names: tuple[str, ...] | None = None

    def _all(self) -> tuple[str, ...]:
        if self._names is None:
            self._names = tuple(self._source())
        return self._names

    def __getitem__(self, index: int | slice):  # -> str, or a tuple for a slice
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __contains__(self, value: object) -> bool:
        return value in self._all()


def open_store(args: argparse.Namespace, *, write: bool = True) -> Store:
    """The project the global options name (``--db``, ``--read-only``, ``--wait``, ``--annotator``)."""
    from storage.store import Store

    # A command prints what it did as soon as it is done: each commit is on disk when it
    # returns (the desk instead syncs off its UI thread and says "saved" after: storage.durable).
    store = Store.open(args.db, read_only=args.read_only or not write, wait=args.wait, sync_behind=False)
    if args.annotator:
        store.annotator = args.annotator
    else:  # a team project's copy works as its member
        from storage.team.local import get_link

        link = get_link(store)
        if link is not None:
            store.annotator = link.member
    return store


def add_training_limits(
    parser: argparse.ArgumentParser,
    *,
    minutes: float | None = None,
    minutes_help: str,
    epochs_help: str = "at most this many passes over the data (30)",
) -> None:
    """``--max-minutes`` and ``--max-epochs``, as every command that trains takes them."""
    parser.add_argument("--max-minutes", type=float, default=minutes, help=minutes_help)
    parser.add_argument("--max-epochs", type=int, default=30, help=epochs_help)


@contextmanager
def ctrl_c_cancels(progress: Progress, *, say: str = "") -> Iterator[None]:
    """Within: Ctrl-C cancels ``progress`` (a training stops and keeps its best model so far)
    instead of interrupting the command, and prints ``say`` if given. Off the main thread, where
    no signal can be caught, Ctrl-C stays as it is."""

    def cancel(*_: object) -> None:
        progress.cancel()
        if say:
            print(say, flush=True)

    try:
        previous = signal.signal(signal.SIGINT, cancel)
    except ValueError:  # not the main thread
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def progress(quiet: bool = False) -> Progress:
    """A progress line on stderr, only when it is a terminal."""
    from annotator.progress import Progress

    def show(done: int, total: int, message: str) -> None:
        if quiet or not sys.stderr.isatty():
            return
        sys.stderr.write(f"\r{done}/{total or '?'} {message[:60]:<60}")
        sys.stderr.flush()

    return Progress(show)


def clear() -> None:
    """Wipe the progress line before printing a result."""
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 80 + "\r")
