"""An edit repaints the lines of the spans it changed, not the whole article view, and the
picture is the one a view painted whole would show (ui.article_view.FormatChangeLayout)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QObject

from annotator.model import Label, Span
from ui.article_view import ArticleView

pytestmark = pytest.mark.gui

LABELS = [Label("ACTOR", colour="#4e79a7"), Label("LOCATION", colour="#59a14f"),
          Label("CLAIM", colour="#f28e2b", kind="claim")]  # fmt: skip
LINE = "Menteri Pertahanan Rusia Andrei Belousov bertemu Kim Jong Un di Pyongyang pada hari Sabtu."


class Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects = []

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def article() -> tuple[str, list[Span]]:
    text = "\n".join(f"{i}. {LINE}" for i in range(60))
    spans, sid = [], 1
    for i in range(60):
        base = text.index(f"{i}. ") + len(f"{i}. ")
        for word, label in (("Andrei Belousov", "ACTOR"), ("Pyongyang", "LOCATION")):
            start = base + LINE.index(word)
            spans.append(
                Span(start, start + len(word), label, status="accepted" if i % 2 else "suggested", id=sid)
            )
            sid += 1
        spans.append(Span(base, base + len(LINE) - 1, "CLAIM", status="suggested", id=sid))
        sid += 1
    return text, spans


def shown(qtbot, text: str, spans: list[Span]) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.set_labels(LABELS)
    view.set_article(text, spans)
    first = Paints()
    view.viewport().installEventFilter(first)
    view.show()
    qtbot.waitUntil(lambda: bool(first.rects))  # painted once, laid out
    view.viewport().removeEventFilter(first)
    return view


def test_a_relabel_repaints_its_line_and_looks_as_if_painted_whole(qtbot):
    # Given an article of 60 paragraphs with 180 spans on screen
    text, spans = article()
    view = shown(qtbot, text, spans)
    paints = Paints()
    view.viewport().installEventFilter(paints)

    # When one span of the third paragraph is relabelled and another one's status changes
    first = replace(spans[6], label="LOCATION")
    second = replace(spans[7], status="accepted")
    view.patch_spans({first.id: first, second.id: second})
    qtbot.waitUntil(lambda: bool(paints.rects))

    # Then only that paragraph's lines were repainted, not the viewport
    height = view.viewport().height()
    assert all(r.height() < height / 4 for r in paints.rects), [(r.y(), r.height()) for r in paints.rects]

    # And the view shows what a view given the new spans from the start shows
    after = [first if sp.id == first.id else second if sp.id == second.id else sp for sp in spans]
    fresh = shown(qtbot, text, after)
    assert view.grab().toImage() == fresh.grab().toImage()


def test_a_span_that_rewraps_its_paragraph_still_paints_right(qtbot):
    # Given the view, when a claim over a whole paragraph is deleted and another added
    text, spans = article()
    view = shown(qtbot, text, spans)
    claim = spans[2]
    added = Span(claim.start, claim.start + 20, "ACTOR", status="accepted", id=999)
    view.patch_spans({claim.id: None, added.id: added})
    after = [sp for sp in spans if sp.id != claim.id] + [added]
    fresh = shown(qtbot, text, after)
    assert view.grab().toImage() == fresh.grab().toImage()
