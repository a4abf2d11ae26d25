"""Issue 12 through the project: files imported with ``main.py import`` and exported with
``main.py export`` (the store keeps what the formats carry in meta and attrs)."""

from __future__ import annotations

import json
import sqlite3

from tests.test_cli import sorot
from tests.test_formats2_brat import collection


def test_brat_collection_through_a_project_diffs_clean(tmp_path):
    # Given a brat collection imported into a project
    src = collection(tmp_path / "in")
    db = tmp_path / "p.sorot"
    proc = sorot(db, "import", src, "--format", "brat")
    assert "carried, not shown in Sorot" in proc.stderr
    # When the project is exported to brat
    out = tmp_path / "out"
    sorot(db, "export", out, "--format", "brat")
    # Then the files are the ones imported, byte for byte
    for name in ("kim-putin.txt", "kim-putin.ann"):
        assert (out / "2024" / name).read_bytes() == (src / "2024" / name).read_bytes(), name


def test_prodigy_binary_answers_and_hashes_through_a_project(tmp_path):
    src = tmp_path / "teach.jsonl"
    tasks = [
        {"text": "I love my i7", "spans": [{"start": 10, "end": 12, "label": "PRODUCT"}], "answer": "reject",
         "_view_id": "ner", "_input_hash": 11, "_task_hash": 22, "_annotator_id": "shop-ana"},
        {"text": "Nothing to see here", "spans": [], "answer": "accept", "_input_hash": 33, "_task_hash": 44},
    ]
    src.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    db = tmp_path / "p.sorot"
    sorot(db, "import", src)
    out = tmp_path / "out.jsonl"
    sorot(db, "export", out, "--format", "prodigy", "--span-status", "any")
    got = sorted((json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()), key=lambda t: t["_input_hash"])
    assert [(t["answer"], t["_input_hash"], t["_task_hash"], t.get("_is_binary")) for t in got] == [
        ("reject", 11, 22, True),
        ("accept", 33, 44, None),
    ]
    assert got[0]["_annotator_id"] == "shop-ana" and got[0]["spans"][0]["label"] == "PRODUCT"
    # and the language was detected and stored at import
    with sqlite3.connect(db) as con:
        assert {lang for (lang,) in con.execute("SELECT language FROM articles")} == {"en"}
