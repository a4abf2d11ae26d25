"""UTF-16 (Qt) against code points (Sorot): emoji, RTL quotes, CRLF sources."""

from __future__ import annotations

import pytest

from annotator.model import Article, Document
from storage.store import Store
from ui.textmap import TextMap


def utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", ["", "plain ascii", "é ü ß", "a🙂🇮🇩b\nc😀", "«مرحبا» 😀😀 x"])
def test_textmap_round_trips(text):
    m = TextMap(text)
    assert m.qt_length == utf16(text)
    for i in range(len(text) + 1):
        assert m.to_qt(i) == utf16(text[:i])
        assert m.to_py(m.to_qt(i)) == i


def test_textmap_inside_a_surrogate_pair_rounds_to_the_character_end():
    m = TextMap("a🙂b")
    assert m.to_py(2) == 2


SOURCE = (
    "Halo 🙂🇮🇩 dari Jakarta.\r\n"
    "قال الوزير «السلام عليكم» أمس.\r\n"
    "Presiden Joko 😀 Widodo berkata: “damai”.\r\n"
)


@pytest.mark.gui
def test_spans_made_in_the_ui_keep_exact_characters(qtbot, open_window, project_path, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    # Given an article with emoji, an Arabic quote and CRLF line endings in its source
    with Store.open(project_path) as store:
        aid = store.import_documents([Document(Article(SOURCE, title="utf16", language="id"))]).article_ids[0]
    w = open_window(project_path, auto_suggest=False)
    text = w.desk.article.text
    assert "\r" not in text and text == SOURCE.replace("\r\n", "\n")
    view = w.view
    view.setFocus()
    wanted = [("Widodo", "1"), ("السلام عليكم", "3"), ("🙂🇮🇩", "2"), ("Jakarta", "2")]
    for target, key in wanted:
        # When I select the characters in Qt's own (UTF-16) positions and press a label key
        q = utf16(text[: text.index(target)])
        cur = view.textCursor()
        cur.setPosition(q)
        cur.setPosition(q + utf16(target), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cur)
        assert view.selection() == (text.index(target), text.index(target) + len(target))
        qtbot.keyClick(view, getattr(Qt.Key, f"Key_{key}"))
        assert w.desk.span(w.desk.selected).text == target
    w.grab().save(str(tmp_path / "utf16.png"))
    w.close()
    # Then after reopening, every span's text is exactly the intended characters
    with Store.open(project_path) as store:
        got = {sp.text for sp in store.spans(aid)}
        assert got == {t for t, _ in wanted}
        for sp in store.spans(aid):
            assert text[sp.start : sp.end] == sp.text


@pytest.mark.gui
def test_painted_spans_line_up_after_astral_characters(qtbot):
    from annotator.model import Label, Span
    from ui.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    text = "😀😀😀 Budi\nالسلام 🙂 Ani"
    view.set_labels([Label("ACTOR", colour="#4e79a7")])
    spans = [Span(4, 8, "ACTOR", id=1), Span(text.index("Ani"), len(text), "ACTOR", id=2)]
    view.set_article(text, spans)
    for sp in spans:
        qt = view.tmap.to_qt(sp.start)
        block = view.document().findBlock(qt)
        formats = block.layout().formats()
        starts = {f.start + block.position() for f in formats}
        assert qt in starts
    view.select_range(4, 8)
    assert view.textCursor().selectedText() == "Budi"
