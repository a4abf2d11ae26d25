"""Guard against the PySide6 6.12.0 / Python 3.11 "none_dealloc" abort: thousands of Qt calls
in a loop, in a subprocess so an abort is a failure here instead of killing pytest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
from PySide6.QtWidgets import QApplication
from PySide6.QtGui import QTextCursor
app = QApplication([])
from annotator.model import Label, Span
from ui.article_view import ArticleView
view = ArticleView()
view.set_labels([Label("ACTOR", colour="#4e79a7"), Label("CLAIM", kind="claim", colour="#e15759")])
text = ("Presiden Joko Widodo 🙂 berkata di Jakarta bahwa semua baik.\n" * 200)
spans = [Span(i * 62 + 9, i * 62 + 20, "ACTOR", id=i + 1) for i in range(200)]
view.set_article(text, spans)
view.resize(800, 600)
view.show()
doc = view.document()
n = view.tmap.qt_length
for i in range(20000):
    cur = QTextCursor(doc)
    cur.setPosition(i % n)
    cur.setPosition((i * 7) % n, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cur)
    if i % 200 == 0:
        spans[i // 200 % 200].label = "CLAIM" if spans[i // 200 % 200].label == "ACTOR" else "ACTOR"
        view.update_spans([Span(s.start, s.end, s.label, id=s.id) for s in spans])
        view.viewport().repaint()
        app.processEvents()
print("survived")
"""


def test_many_qt_calls_do_not_abort():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived" in proc.stdout
