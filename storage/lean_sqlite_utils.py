"""sqlite_utils, imported without numpy and pandas.

``sqlite_utils.db`` imports numpy and pandas when they are installed, only to map their
scalar types to column types for ``Table.insert`` of such values, which Sorot never inserts
(its rows are built from Python strings and numbers). numpy is installed (language
detection needs it), so every start of the command line paid for it: 0.30 -> 0.15 s of
CPU for ``import sqlite_utils``, of ~0.33 s for the modules an import loads. A command that
needs numpy (language detection, spaCy: an import without ``--lang``, suggest, export)
still imports it then; one that does not (stats, next, labels, history, agreement,
versions) never pays for it.

The two are hidden (``sys.modules[name] = None``: their import raises ImportError, which
sqlite_utils catches) only while sqlite_utils is imported, and only when no other thread
runs (one that imported numpy meanwhile would fail) and neither is loaded already.
tests/test_speed_sqlite_utils.py checks that numpy stays out, that only the numpy and
pandas types are missing from sqlite_utils' type table, and that a new project's schema is
the one the stock import gives.
"""

from __future__ import annotations

import sys
import threading

HIDDEN = ("numpy", "pandas")


def _import() -> None:
    if "sqlite_utils.db" in sys.modules or threading.active_count() > 1 or any(m in sys.modules for m in HIDDEN):
        import sqlite_utils.db  # noqa: F401 - as it comes
        return
    for name in HIDDEN:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in HIDDEN:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


_import()

from sqlite_utils import Database  # noqa: E402
from sqlite_utils.migrations import Migrations  # noqa: E402

__all__ = ["Database", "Migrations"]
