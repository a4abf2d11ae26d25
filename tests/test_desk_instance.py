"""A second Sorot on the same project: told, offered read-only, cannot change anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.model import Article, Document, Span
from storage.store import Store

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys
from storage.store import Store
store = Store.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
print(store.integrity_check(), len(store.spans(1)), flush=True)
store.close()
"""


@pytest.fixture
def held_project(project_path):
    with Store.open(project_path) as store:
        store.import_documents(
            [Document(Article("Budi pergi ke Jakarta.", title="lock"), [Span(0, 4, "ACTOR")])]
        )
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    yield project_path, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_second_instance_opens_read_only(qtbot, held_project, sorot_env, tmp_path):
    from ui.app import open_store
    from ui.main_window import MainWindow

    path, holder = held_project
    asked = []
    # When a second Sorot opens the project and the person picks "Open read-only"
    store = open_store(path, ask=lambda message, parent: asked.append(message) or True)
    assert asked and "open in another Sorot" in asked[0]
    assert store is not None and store.read_only
    w = MainWindow(store, show_summaries=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    # Then a banner says so, and edits are refused
    assert w.banner.isVisible()
    w.view.setFocus()
    w.view.select_range(14, 21)
    qtbot.keyClick(w.view, Qt.Key.Key_2)
    assert [sp.text for sp in store.spans(1)] == ["Budi"]
    w.grab().save(str(tmp_path / "read-only.png"))
    w.shutdown()
    # and the holder's project is intact
    out, _ = holder.communicate("\n", timeout=30)
    assert out.split() == ["ok", "1"]


def test_second_instance_cancel(held_project, sorot_env):
    from ui.app import open_store

    path, _ = held_project
    assert open_store(path, ask=lambda message, parent: False) is None
