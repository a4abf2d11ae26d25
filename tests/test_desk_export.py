"""Export from the desk on a project big enough to be written in parts by helper processes."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QAction

from ops.workflows import export_project, import_paths
from storage.store import ArticleFilter, Store

pytestmark = pytest.mark.gui

N = 600  # three parts of 250 articles


def make_project(path, folder):
    folder.mkdir()
    with (folder / "news.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(N):
            text = f"Berita {i}: Presiden Jokowi bertemu Kim Jong Un di Jakarta pada hari ke-{i}."
            start = text.index("Jokowi")
            place = text.index("Jakarta")
            spans = [
                {"start": start, "end": start + 6, "label": "ACTOR"},
                {"start": place, "end": place + 7, "label": "LOCATION"},
            ]
            fh.write(json.dumps({"text": text, "spans": spans}) + "\n")
    with Store.open(path) as store:
        assert import_paths(store, [folder]).articles_added == N


def test_export_from_the_desk_in_parts(qtbot, open_window, project_path, tmp_path, monkeypatch):
    from annotator import export_parts
    from ui import dialogs

    monkeypatch.setattr(export_parts, "PARTS_FROM", 500)  # 600 articles: in parts
    monkeypatch.setattr(export_parts, "HELPERS_FIRST", True)  # the helper surely writes parts
    make_project(project_path, tmp_path / "in")
    out = tmp_path / "out" / "tasks.jsonl"
    monkeypatch.setattr(dialogs.ExportDialog, "exec", lambda self: True)
    monkeypatch.setattr(dialogs.ExportDialog, "values", lambda self: (str(out), "prodigy", ArticleFilter()))
    window = open_window(project_path)
    with qtbot.waitSignal(window.ops.exported, timeout=60_000) as done:
        export = next(a for a in window.findChildren(QAction) if a.text() == "Export…")
        assert export.shortcut().toString() == "Ctrl+E"
        export.trigger()  # File > Export…
    summary = done.args[0]
    assert (summary.articles, summary.spans, summary.problems) == (N, 2 * N, [])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == N
    assert [json.loads(line)["spans"][0]["label"] for line in lines[:3]] == ["ACTOR"] * 3
    # the same bytes as one process writes
    with Store.open(project_path, read_only=True) as store:
        export_project(store, tmp_path / "one.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
    assert out.read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert sorted(p.name for p in out.parent.iterdir()) == ["tasks.jsonl"]  # no parts left behind
