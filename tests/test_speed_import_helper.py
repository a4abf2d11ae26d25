"""An import read by a helper process (ops.import_helper, forked or spawned; its rows
prepared there, storage.prepared_import) stores what the stock import stores (Documents to
Store.import_batches in the storing thread): the same rows and ids, the same summary and
failures (one bad file drops that file whole and nothing else), the reader's notes,
cancellation."""

from __future__ import annotations

import json
import logging
import sys

import pytest

import storage.db
from annotator.progress import Cancelled, Progress
from ops import import_helper
from ops.workflows import import_paths
from storage.store import Store

TS = "2026-01-02T03:04:05.678+00:00"
HELPERS = ["off", "fork", "spawn"]
TABLES = (
    "articles", "spans", "relations", "events", "article_states", "labels", "article_queue", "sqlite_sequence",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _one_time(monkeypatch):
    real = storage.db.now
    for name, module in list(sys.modules.items()):
        if name.startswith("storage") and getattr(module, "now", None) is real:
            monkeypatch.setattr(module, "now", lambda: TS)


def _dump(store: Store) -> dict[str, list[tuple]]:
    out = {t: store.query(f"SELECT * FROM {t} ORDER BY 1, 2") for t in TABLES}
    out["search"] = store.query("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'jokowi' ORDER BY rowid")
    out["span_search"] = store.query("SELECT rowid FROM spans_fts WHERE spans_fts MATCH 'medan' ORDER BY rowid")
    return out


def _task(i: int, **extra) -> str:
    text = f"Berita {i}: Jokowi tiba di Medan.\r\nHari ke-{i}."
    spans = [{"start": 10, "end": 16, "label": "TOKOH"}, {"start": 25, "end": 30, "label": "LOC"}]
    return json.dumps({"text": text, "spans": spans, "relations": [{"head": 0, "child": 1, "label": "di",
                       "head_span": spans[0], "child_span": spans[1]}], **extra})  # fmt: skip


def _folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [_task(i) for i in range(12)] + [_task(3)]  # the last repeats one
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b-bad.jsonl").write_text("\n".join(lines[:5] + ['{"text": "broken']) + "\n", encoding="utf-8")
    (folder / "c.txt").write_text("Kabar: Prabowo ke Surabaya.\n", encoding="utf-8")
    (folder / "d-outside.jsonl").write_text(
        json.dumps({"text": "Pendek.", "spans": [{"start": 0, "end": 40, "label": "X"}]}) + "\n", encoding="utf-8"
    )
    (folder / "e.jsonl").write_text(
        "\n".join([_task(20, answer="accept"), _task(21, answer="ignore"), _task(3, answer="accept")]) + "\n",
        encoding="utf-8",
    )
    (folder / "f-empty.jsonl").write_text("\n\n", encoding="utf-8")
    return folder


class _Stock:
    """A store without ``import_prepared``: ``import_paths`` stores Documents (the stock path)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str):
        if name == "import_prepared":
            raise AttributeError(name)
        return getattr(self._store, name)


def _import(tmp_path, helper, name, **kwargs):
    store = Store.open(tmp_path / f"{name}.sorot")
    store.annotator = "lead"
    messages: list[str] = []
    summary = import_paths(
        _Stock(store) if helper == "stock" else store,
        [_folder(tmp_path) if not (tmp_path / "in").exists() else tmp_path / "in"],
        helper="off" if helper == "stock" else helper,
        progress=Progress(lambda done, total, message: messages.append(message)), **kwargs,
    )  # fmt: skip
    return store, summary, messages


@pytest.mark.parametrize("helper", HELPERS)
@pytest.mark.parametrize("annotator", [None, "ana"])
def test_the_helper_imports_what_one_process_imports(tmp_path, helper, annotator, caplog):
    # Given a folder of good files, bad files, a repeated article and ignored tasks
    # When it is imported by one process, and with a helper reading the files
    with caplog.at_level(logging.WARNING):
        stock, summary_stock, progress_stock = _import(tmp_path, "stock", "stock", annotator=annotator)
        notes_stock = [r.getMessage() for r in caplog.records]
        caplog.clear()
        fast, summary_fast, progress_fast = _import(tmp_path, helper, "fast", annotator=annotator)
        notes_fast = [r.getMessage() for r in caplog.records]
    try:
        # Then the projects, the summaries, the progress told and the notes are the same
        assert (summary_stock.files_ok, len(summary_stock.failures)) == (3, 3)
        assert summary_fast == summary_stock
        assert _dump(fast) == _dump(stock)
        assert progress_fast == progress_stock
        assert notes_fast == notes_stock and any("ignore" in note for note in notes_stock)
    finally:
        stock.close()
        fast.close()


@pytest.mark.parametrize("helper", ["off", "fork"])
def test_a_file_failing_part_way_is_dropped_whole(tmp_path, monkeypatch, helper):
    # Given files read a line at a time, in batches of three (inherited by the forked helper)
    from annotator.formats import jsonl
    from ops import workflows

    monkeypatch.setattr(jsonl, "STREAM_FROM", 0)
    monkeypatch.setattr(workflows, "IMPORT_BATCH", 3)
    stock, summary_stock, _ = _import(tmp_path, "stock", "stock")
    fast, summary_fast, _ = _import(tmp_path, helper, "fast")
    try:
        # Then b-bad.jsonl, whose first batches were stored before its bad line, left nothing
        assert summary_fast == summary_stock
        assert any(path.endswith("b-bad.jsonl") for path, _ in summary_fast.failures)
        assert _dump(fast) == _dump(stock)
    finally:
        stock.close()
        fast.close()


@pytest.mark.parametrize("helper", HELPERS)
def test_cancel_keeps_whole_files_and_ends_the_helper(tmp_path, helper, monkeypatch):
    started: list = []
    real = import_helper.ImportHelper.__init__

    def remember(self, *args, **kwargs):
        real(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(import_helper.ImportHelper, "__init__", remember)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        (folder / f"a{i}.txt").write_text(f"Berita {i}\nJokowi tiba di Medan pada hari {i}.\n", encoding="utf-8")
    store = Store.memory()
    progress = Progress(lambda done, total, message: progress.cancel() if done == 3 else None)
    with pytest.raises(Cancelled):
        import_paths(store, [folder], progress=progress, helper=helper)
    assert store.count_articles() == 3
    assert [h._process.is_alive() for h in started] == ([] if helper == "off" else [False])


def test_a_bad_option_is_raised_as_one_process_raises_it(tmp_path):
    (tmp_path / "a.txt").write_text("Jokowi tiba.\n", encoding="utf-8")
    for helper in ("off", "fork"):
        with pytest.raises(ValueError, match="status must be one of"):
            import_paths(Store.memory(), [tmp_path / "a.txt"], options={"status": "nope"}, helper=helper)


def test_small_imports_stay_in_this_process(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Jokowi tiba.\n", encoding="utf-8")
    assert import_helper.worth_a_helper([tmp_path]) is None
    monkeypatch.setattr(import_helper, "FORK_FROM", 1)
    monkeypatch.setattr(import_helper, "core_to_spare", lambda: True)
    monkeypatch.setattr("annotator.helper_pool.fork_is_safe", lambda: True)
    assert import_helper.worth_a_helper([tmp_path]) is True  # big enough (here), fork safe
    monkeypatch.setattr(import_helper, "core_to_spare", lambda: False)
    assert import_helper.worth_a_helper([tmp_path]) is None  # a busy machine
    monkeypatch.setattr(import_helper, "core_to_spare", lambda: True)
    monkeypatch.setenv("SOROT_IMPORT_HELPER", "0")
    assert import_helper.worth_a_helper([tmp_path]) is None


TIMELESS = {
    "articles": "SELECT id, uid, hash, title, source, url, language, text, meta, status, status_reason FROM articles",
    "spans": "SELECT id, article_id, char_start, char_end, label, text, origin, status, annotator, note, attrs, score "
    "FROM spans",
    "relations": "SELECT id, article_id, head_span_id, tail_span_id, label, annotator FROM relations",
    "events": "SELECT id, annotator, action, article_id, span_id, before, after FROM events",
    "article_states": "SELECT article_id, annotator, status, reason FROM article_states",
    "labels": "SELECT * FROM labels",
}


def test_the_command_line_starts_the_helper_before_it_opens_the_project(tmp_path):
    import os
    import sqlite3
    import subprocess

    from tests.paths import ROOT

    # Given a folder to import from the command line, with an annotator named
    folder = _folder(tmp_path)
    out = {}
    for value in ("0", "1"):
        # When main.py imports it with no helper, and with a helper started early
        db = tmp_path / f"cli-{value}.sorot"
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--annotator", "cli", "import", str(folder),
             "--status", "done"],
            capture_output=True, text=True, timeout=300, cwd=ROOT,
            env={**os.environ, "SOROT_IMPORT_HELPER": value},
        )  # fmt: skip
        conn = sqlite3.connect(db)
        rows = {name: conn.execute(sql + " ORDER BY 1, 2").fetchall() for name, sql in TIMELESS.items()}
        conn.close()
        out[value] = (proc.returncode, proc.stdout, proc.stderr.replace(str(db), "DB"), rows)
    # Then they say the same and store the same (times aside)
    assert out["1"] == out["0"]
    assert out["0"][0] == 2 and out["0"][3]["article_states"]  # some files failed; states stored


@pytest.mark.parametrize("helper", ["off", "fork"])
def test_a_file_the_project_refuses_part_way_is_dropped_and_the_next_one_imported(tmp_path, monkeypatch, helper):
    # Given two files of several batches each, and a project that refuses the first one's
    # second batch (a disk full, say)
    from annotator.errors import StoreError
    from ops import workflows
    from storage import importing, prepared_import

    monkeypatch.setattr(workflows, "IMPORT_BATCH", 2)
    monkeypatch.setattr(import_helper, "HELPER_BATCH", 2)
    monkeypatch.setattr("annotator.formats.jsonl.STREAM_FROM", 0)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join(_task(i) for i in range(5)) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(_task(i) for i in range(10, 15)) + "\n", encoding="utf-8")
    seen = {"n": 0}

    def refusing(real):
        def insert(cur, into, rows):
            if into.startswith("articles") and rows:
                seen["n"] += 1
                if seen["n"] == 2:
                    raise StoreError("the disk is full")
            return real(cur, into, rows)

        return insert

    monkeypatch.setattr(importing, "insert_shared", refusing(importing.insert_shared))
    monkeypatch.setattr(prepared_import, "insert_shared", refusing(prepared_import.insert_shared))
    # When the folder is imported
    store = Store.memory()
    summary = import_paths(store, [folder], helper=helper)
    # Then a.jsonl left nothing, b.jsonl is whole
    assert [p.rsplit("/", 1)[-1] for p, _ in summary.failures] == ["a.jsonl"]
    assert "disk is full" in summary.failures[0][1]
    assert (summary.files_ok, summary.articles_added, store.count_articles()) == (1, 5, 5)
