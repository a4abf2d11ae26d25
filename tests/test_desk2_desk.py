"""[desk-2] The desk at an analyst's screen sizes: titles renamed in the list (one undo
step), tables that fit without horizontal scrolling (elided in the middle, whole in the
tooltip), a narrow window that rearranges, a layout restored inside a smaller screen."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip

from ui.fit import DETAIL_ROLE, detail_font, text_margin

pytestmark = pytest.mark.gui

TEXT = (
    "Juru bicara Kementerian Luar Negeri Republik Indonesia Joetata Hadihardaja mengatakan pemerintah "
    "akan mengirim bantuan kemanusiaan ke Gaza melalui Mesir, kata dia di Jakarta, Senin."
)
LONG_TITLE = "Pemerintah Indonesia kirim bantuan kemanusiaan tahap {} ke Gaza lewat Mesir — berita-internasional.jsonl"
STATUSES = ("new", "in_progress", "done", "reviewed", "skipped", "flagged")


def make_project(path, n: int = 24) -> list[int]:
    from annotator.model import Article, Document, Span
    from storage.store import Store

    def span(text, piece, label, **kw):
        start = text.index(piece)
        return Span(start, start + len(piece), label, **kw)

    docs = []
    for i in range(n):
        text = f"{i}. {TEXT}"
        spans = [
            span(text, "Kementerian Luar Negeri Republik Indonesia", "ACTOR", annotator="analis.senior.jakarta"),
            span(text, "Joetata Hadihardaja", "ACTOR", origin="id_core_news_lg", status="suggested"),
            span(text, "Gaza", "LOCATION", origin="gazetteer", status="suggested"),
            span(text, TEXT[: TEXT.index(", kata")], "CLAIM"),
        ]
        docs.append(Document(Article(text, title=LONG_TITLE.format(i), language="id", status=STATUSES[i % 6]), spans))
    with Store.open(path) as store:
        return store.import_documents(docs, annotator="tester").article_ids


def stored_title(path, article_id: int) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT title FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    finally:
        con.close()


def shot(widget, tmp_path, name: str) -> None:
    assert widget.grab().save(str(tmp_path / f"{name}.png"))


def open_desk(qtbot, open_window, project_path, size=None):
    ids = make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    qtbot.waitUntil(lambda: w.desk.article is not None)
    if size is not None:
        w.resize(*size)
        qtbot.waitUntil(lambda: w.width() == size[0] and w.height() == size[1])
    QApplication.processEvents()
    return w, ids


# -- titles ----------------------------------------------------------------------------------------


def shown_editor(qtbot, table) -> QLineEdit:
    """The title editor the list shows."""
    qtbot.waitUntil(lambda: any(e.isVisible() for e in table.findChildren(QLineEdit)))
    return next(e for e in table.findChildren(QLineEdit) if e.isVisible())


def test_a_title_renamed_in_the_list_is_saved_and_undone_as_one_step(qtbot, open_window, project_path):
    w, ids = open_desk(qtbot, open_window, project_path)
    panel, table = w.articles, w.articles.table
    model = panel.model
    second = model.index(model.row_of(ids[1]), 0)
    # Given the second article's title in the list
    rect = table.visualRect(second)
    # When I double-click it, type a new title and press Enter
    # (a double-click is a press and release, then the double-click: the view edits only then)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = shown_editor(qtbot, table)
    assert editor.text() == LONG_TITLE.format(1)  # the title itself, to edit
    editor.selectAll()
    qtbot.keyClicks(editor, "  Bantuan   kedua ke Gaza ")
    with qtbot.waitSignal(w.events.changed, timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    # Then it is in the project (tidied), in the list, and the open article's title follows
    assert stored_title(project_path, ids[1]) == "Bantuan kedua ke Gaza"
    qtbot.waitUntil(lambda: second.data() == "Bantuan kedua ke Gaza")
    qtbot.waitUntil(lambda: w.desk.article.id == ids[1])  # the double-click opened it too
    qtbot.waitUntil(lambda: "Bantuan kedua ke Gaza" in w.title.text())
    # When I press F2 on the selected row and give another title
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    # (the first editor may still be waiting for its deleteLater: the one shown is the new one)
    editor = shown_editor(qtbot, table)
    editor.selectAll()
    qtbot.keyClicks(editor, "Bantuan tahap dua")
    with qtbot.waitSignal(w.events.changed, timeout=5000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert stored_title(project_path, ids[1]) == "Bantuan tahap dua"
    # When I undo once, the title before is back; undo again gives the original
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_title(project_path, ids[1]) == "Bantuan kedua ke Gaza"
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_title(project_path, ids[1]) == LONG_TITLE.format(1)
    qtbot.waitUntil(lambda: second.data() == LONG_TITLE.format(1))
    # And the history says who renamed it, from what to what
    renames = [e for e in w.store.events(article_id=ids[1]) if e["action"] == "article.title"]
    assert renames[-1]["after"] == {"title": "Bantuan kedua ke Gaza"} and renames[-1]["annotator"] == "tester"


def test_an_empty_title_is_refused_and_read_only_lists_do_not_edit(qtbot, open_window, project_path, tmp_path):
    w, ids = open_desk(qtbot, open_window, project_path)
    model = w.articles.model
    index = model.index(model.row_of(ids[0]), 0)
    # When the edit leaves only spaces, nothing is saved
    assert not model.setData(index, "   ")
    assert stored_title(project_path, ids[0]) == LONG_TITLE.format(0)
    # And a project open read-only offers no editing
    other = open_window(project_path, read_only=True, auto_suggest=False)
    ro = other.articles.model
    assert not ro.flags(ro.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not other.articles.edit_title(ids[0])


# -- fitting the screen ------------------------------------------------------------------------------


def visible_columns(table):
    return [c for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]


def check_fits(table, main: int, *, whole_details: bool = True) -> None:
    """No horizontal scrolling; each fixed column shows its values whole (or, capped, has
    them whole in the tooltip); the main column's values are whole in the tooltip; in the
    compact layout the details line is whole (``whole_details``: in a window narrower than
    the panes' minimums, it may be elided, and is then whole in the tooltip)."""
    model, header = table.model(), table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0
    cols = visible_columns(table)
    assert sum(header.sectionSize(c) for c in cols) <= table.viewport().width()
    fm, margin = table.fontMetrics(), text_margin(table)
    for row in range(model.rowCount()):
        for col in cols:
            index = model.index(row, col)
            shown = index.data() or ""
            if col == main:
                assert shown in index.data(Qt.ItemDataRole.ToolTipRole)
                assert header.sectionSize(col) >= fm.averageCharWidth() * 16
                continue
            fits = fm.horizontalAdvance(shown) + margin <= header.sectionSize(col)
            assert fits or shown in index.data(Qt.ItemDataRole.ToolTipRole), (col, shown)
        if len(cols) < model.columnCount():  # compact: the moved columns are the second line
            detail = model.index(row, main).data(DETAIL_ROLE)
            width = header.sectionSize(main) - margin
            fits = QFontMetrics(detail_font(table.font())).horizontalAdvance(detail) <= width
            assert fits or (not whole_details and detail in model.index(row, main).data(Qt.ItemDataRole.ToolTipRole))


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_every_column_is_readable_at_laptop_and_desktop_sizes(qtbot, open_window, project_path, tmp_path, size):
    # Given the desk at a common screen size (layout as first opened)
    w, _ids = open_desk(qtbot, open_window, project_path, size)
    articles, spans = w.articles.table, w.spans_panel.table
    qtbot.waitUntil(lambda: w.spans_panel.model.rowCount() == 4)
    shot(w, tmp_path, f"desk-{size[0]}x{size[1]}")
    # Then neither table scrolls sideways and every value can be read
    check_fits(articles, 0)
    check_fits(spans, 1)
    # And the span panel has room for names: the text column is not a sliver
    fm = spans.fontMetrics()
    assert spans.horizontalHeader().sectionSize(1) >= fm.horizontalAdvance("Joetata Hadihardaja")
    if size[0] >= 1920:  # a wide screen shows the span table whole
        assert visible_columns(spans) == [0, 1, 2, 3, 4]


def test_a_narrow_window_rearranges_and_a_wide_pane_shows_every_column(qtbot, open_window, project_path, tmp_path):
    # Given a narrow window
    w, _ids = open_desk(qtbot, open_window, project_path, (900, 640))
    articles, spans = w.articles, w.spans_panel
    qtbot.waitUntil(lambda: spans.model.rowCount() == 4)
    # Then both tables are compact: the other columns' values are the second line, nothing lost
    assert articles.fit.compact and spans.fit.compact
    assert visible_columns(spans.table) == [0, 1] and visible_columns(articles.table) == [0]
    row = articles.model.rows[0]
    assert articles.model.index(0, 0).data(DETAIL_ROLE).startswith(row["status"].replace("_", " ") + " · id · ")
    name = next(r for r, sp in enumerate(spans.model.spans) if sp.text == "Joetata Hadihardaja")
    assert spans.model.index(name, 1).data(DETAIL_ROLE) == "suggested · id_core_news_lg"
    check_fits(articles.table, 0)
    check_fits(spans.table, 1, whole_details=False)
    shot(w, tmp_path, "narrow-900x640")
    # And the list still sorts by a column it moved under the title (the header's menu)
    menu = articles.sort_menu()
    next(a for a in menu.actions() if a.text() == "Sort by status ↓").trigger()
    assert (articles.model.order, articles.model.descending) == ("status", True)
    assert [r["status"] for r in articles.model.rows] == sorted((r["status"] for r in articles.model.rows), reverse=True)
    next(a for a in menu.actions() if a.text() == "Import order").trigger()
    assert articles.model.order == "id"
    # When the analyst widens the window and gives the article list most of it
    w.resize(1920, 1000)
    qtbot.waitUntil(lambda: w.width() == 1920)
    w.splitter.setSizes([900, 600, 400])
    # Then the article list shows every column again, readable, still without scrolling
    qtbot.waitUntil(lambda: not articles.fit.compact)
    assert visible_columns(articles.table) == [0, 1, 2, 3, 4, 5]
    check_fits(articles.table, 0)
    shot(w.articles, tmp_path, "article-list-wide")


def test_the_span_text_tooltip_is_the_whole_text(qtbot, open_window, project_path):
    w, _ids = open_desk(qtbot, open_window, project_path, (1366, 768))
    table = w.spans_panel.table
    qtbot.waitUntil(lambda: w.spans_panel.model.rowCount() == 4)
    claim_row = next(r for r, sp in enumerate(w.spans_panel.model.spans) if sp.label == "CLAIM")
    rect = table.visualRect(table.model().index(claim_row, 1))
    # When the pointer rests on the elided claim
    shown = table.fontMetrics().elidedText(table.model().index(claim_row, 1).data(), Qt.TextElideMode.ElideMiddle,
                                           rect.width() - text_margin(table))  # fmt: skip
    assert "…" in shown  # it is cut, in the middle
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(table.viewport(), event)
    # Then the tooltip has all of it
    qtbot.waitUntil(QToolTip.isVisible)
    assert TEXT[: TEXT.index(", kata")] in QToolTip.text()
    QToolTip.hideText()


# -- the layout on another screen ---------------------------------------------------------------------


def test_a_layout_saved_on_a_big_screen_opens_inside_a_smaller_one(qtbot, open_window, project_path, tmp_path):
    from ui.layout import MIN_CHARS

    # Given the desk used on a 1920x1080 screen with a wide article list, then closed
    w, _ids = open_desk(qtbot, open_window, project_path, (1920, 1080))
    w.splitter.setSizes([700, 800, 400])
    qtbot.waitUntil(lambda: w.splitter.sizes()[0] >= 650)
    saved = w.splitter.sizes()
    w.close()
    # When it opens again on this smaller screen
    again = open_window(project_path, auto_suggest=False)
    available = again.screen().availableGeometry()
    assert available.width() < 1920
    # Then the window lies inside the screen
    qtbot.waitUntil(lambda: available.contains(again.frameGeometry()))
    # And the panes keep their proportions as far as each stays usable
    def usable() -> bool:
        sizes = again.splitter.sizes()
        return all(s >= again.splitter.widget(i).fontMetrics().averageCharWidth() * MIN_CHARS[i] - 1
                   for i, s in enumerate(sizes))  # fmt: skip

    qtbot.waitUntil(usable)
    sizes = again.splitter.sizes()
    assert sizes[0] > sizes[2]  # the list was the wider side pane, and still is
    assert abs(sizes[0] / sum(sizes) - saved[0] / sum(saved)) < 0.15
    qtbot.waitUntil(lambda: again.spans_panel.model.rowCount() == 4)
    check_fits(again.articles.table, 0, whole_details=False)
    check_fits(again.spans_panel.table, 1, whole_details=False)
    shot(again, tmp_path, "reopened-small-screen")


def test_first_opening_fits_the_screen(qtbot, open_window, project_path):
    # Given no saved layout, on this (800-pixel) screen
    w, _ids = open_desk(qtbot, open_window, project_path)
    available = w.screen().availableGeometry()
    # Then the window fits, and the text has the biggest share
    assert available.contains(w.frameGeometry())
    sizes = w.splitter.sizes()
    assert sizes[1] == max(sizes) and min(sizes) > 0


def test_pane_sizes_keep_minimums_and_closed_panes():
    from ui.layout import clamp, pane_sizes

    assert pane_sizes(1000, [0.25, 0.45, 0.30], [180, 320, 220]) == [250, 450, 300]
    # a wide list saved on a big screen does not squeeze the text below its minimum
    assert pane_sizes(780, [0.5, 0.2, 0.3], [180, 320, 230]) == [230, 320, 230]
    assert pane_sizes(1000, [0.0, 0.6, 0.4], [180, 320, 220]) == [0, 600, 400]  # closed stays closed
    assert sum(pane_sizes(500, [0.25, 0.45, 0.30], [180, 320, 220])) == 500  # too small: proportional
    from PySide6.QtCore import QRect

    assert clamp(QRect(100, 50, 1920, 1080), QRect(0, 0, 1366, 728)) == QRect(0, 0, 1366, 728)
    assert clamp(QRect(900, 500, 800, 400), QRect(0, 0, 1366, 728)) == QRect(566, 328, 800, 400)


def test_the_desk_import_lists_untitled_articles_by_their_first_sentence(qtbot, open_window, project_path, tmp_path):
    import json

    # Given a JSON-lines file and a CSV file of articles without titles
    (tmp_path / "kiriman.jsonl").write_text(
        json.dumps({"text": "JAKARTA, KOMPAS.com - Banjir merendam tiga kecamatan di Jakarta Utara. Warga mengungsi."})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "tabel.csv").write_text("id,text\n7,\"Harga cabai naik lagi. Pedagang mengeluh.\"\n", encoding="utf-8")
    w = open_window(project_path, auto_suggest=False)
    # When the desk imports them
    with qtbot.waitSignal(w.ops.imported, timeout=20000) as blocker:
        w.ops.run_import([str(tmp_path / "kiriman.jsonl"), str(tmp_path / "tabel.csv")], "auto", {})
    assert blocker.args[0].articles_added == 2
    # Then the article list names them by their first sentence and file, not by a hex id
    model = w.articles.model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    shown = sorted(model.index(r, 0).data() for r in range(2))
    assert shown == [
        "Banjir merendam tiga kecamatan di Jakarta Utara. Warga mengungsi — kiriman.jsonl",  # short: the whole line
        "Harga cabai naik lagi. Pedagang mengeluh — tabel.csv",
    ]
