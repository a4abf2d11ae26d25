"""storage.lean_sqlite_utils (sqlite_utils imported without numpy and pandas) gives what the
stock import gives Sorot: the same schema and labels for a new project; only the numpy and
pandas types are missing from sqlite_utils' column-type table, which Sorot never uses."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.paths import ROOT

PROBE = """
import json, sqlite3, sys
{first}
from storage.store import Store
import sqlite_utils.db as su
store = Store.open(sys.argv[1])
store.close()
conn = sqlite3.connect(sys.argv[1])
print(json.dumps({{
    "numpy": "numpy" in sys.modules,
    "types": sorted(f"{{t.__module__}}.{{t.__qualname__}}" for t in su.COLUMN_TYPE_MAPPING if isinstance(t, type)),
    "schema": conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall(),
    "labels": conn.execute("SELECT * FROM labels ORDER BY name").fetchall(),
}}))
"""


def _probe(tmp_path, name: str, first: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(first=first), str(tmp_path / f"{name}.sorot")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_the_lean_import_makes_the_projects_the_stock_one_makes(tmp_path):
    # Given a process that loads the store first, and one that loaded numpy before (stock)
    lean = _probe(tmp_path, "lean", "")
    stock = _probe(tmp_path, "stock", "import numpy")
    # Then the lean one has no numpy, and the projects they create are the same
    assert not lean["numpy"] and stock["numpy"]
    assert lean["schema"] == stock["schema"] and lean["labels"] == stock["labels"]
    # and sqlite_utils' type table lacks only numpy's (and pandas') types
    missing = set(stock["types"]) - set(lean["types"])
    assert missing and all(t.startswith(("numpy", "pandas")) for t in missing)
    assert set(lean["types"]) <= set(stock["types"])


def test_numpy_is_imported_as_ever_after_the_store(tmp_path):
    code = "import storage.store, numpy, sys; assert sys.modules['numpy'] is numpy; print(numpy.arange(3).sum())"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"
