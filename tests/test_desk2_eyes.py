"""[desk-2] Easy on the eyes: text zoom with the keys, remembered per user; the dark theme
(text, span tints and label buttons blended over its background); label descriptions at
hand. The application's look is put back after each test (tests share one application)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from tests.test_desk2_colours import BACKGROUNDS
from tests.test_desk2_desk import check_fits, make_project, shot

pytestmark = pytest.mark.gui


@pytest.fixture
def look(qapp):
    """No ``Appearance`` from an earlier test; the application's look restored after."""
    from ui.appearance import Appearance

    def drop() -> None:
        for old in qapp.findChildren(Appearance):
            old.restore()

    drop()
    yield lambda: qapp.findChild(Appearance)
    drop()


def settings_value(key: str):
    from ui.settings import app_settings

    return app_settings().value(key)


def test_zoom_keys_grow_and_shrink_the_text_and_are_remembered(qtbot, open_window, project_path, look, tmp_path):
    make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    qtbot.waitUntil(lambda: w.desk.article is not None)
    QApplication.processEvents()
    view_px = w.view.font().pixelSize() if w.view.font().pixelSize() > 0 else w.view.fontInfo().pixelSize()
    app_pt = QApplication.font().pointSizeF()
    # When I press Ctrl+= twice
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)  # window shortcuts need it active
    qtbot.keyClick(w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    # Then the article text and the application's text are bigger, and the tables still fit
    assert look().zoom == 2
    assert QApplication.font().pointSizeF() == pytest.approx(app_pt * 1.21, rel=0.01)
    qtbot.waitUntil(lambda: w.view.fontInfo().pixelSize() > view_px)
    assert int(settings_value("appearance/zoom")) == 2
    assert w.look_button.text() == "121 %"  # the status bar says so
    qtbot.waitUntil(lambda: w.spans_panel.model.rowCount() == 4)
    QApplication.processEvents()
    check_fits(w.articles.table, 0, whole_details=False)
    check_fits(w.spans_panel.table, 1, whole_details=False)
    shot(w, tmp_path, "zoom-plus-2")
    # When I press Ctrl+- once, then open the project again: the zoom is as I left it
    qtbot.keyClick(w, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert look().zoom == 1
    w.close()
    look().restore()
    again = open_window(project_path, auto_suggest=False)
    assert look().zoom == 1  # read from my settings
    # And Ctrl+0 puts it back to 100 %
    again.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again)  # window shortcuts need it active
    qtbot.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert look().zoom == 0 and int(settings_value("appearance/zoom")) == 0
    assert QApplication.font().pointSizeF() == pytest.approx(app_pt, rel=0.01)


def test_dark_theme_paints_text_tints_and_buttons_on_a_dark_background(qtbot, open_window, project_path, look, tmp_path):
    from ui.appearance import DARK, Appearance
    from ui.highlight import mix

    # the background the colour-blind check assumes is the theme's own
    assert DARK[QPalette.ColorRole.Base] == BACKGROUNDS["dark"]
    make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    qtbot.waitUntil(lambda: w.desk.article is not None)
    # When I choose the dark theme in the status bar's text-and-theme menu
    w.look_button.theme_actions["dark"].trigger()
    assert Appearance.of().theme == "dark" and w.look_button.theme_actions["dark"].isChecked()
    assert settings_value("appearance/theme") == "dark"
    QApplication.processEvents()
    base = QColor(BACKGROUNDS["dark"])
    # Then the article text sits on the dark background, in light text
    assert w.view.palette().color(QPalette.ColorRole.Base) == base
    image = w.view.viewport().grab().toImage()
    corner = image.pixelColor(QPoint(image.width() - 5, image.height() - 5))
    assert corner == base
    assert QApplication.palette().color(QPalette.ColorRole.Text).lightness() > 200
    # And an accepted actor's tint is its colour over the dark background (not a pale tint)
    actor = next(lab for lab in w.desk.labels if lab.name == "ACTOR")
    tint = mix(QColor(actor.colour), 0.55)
    assert tint == mix(QColor(actor.colour), 0.55, base) and tint.lightness() < 128
    button = w.palette.buttons["ACTOR"]
    assert tint.name() in button.styleSheet()
    shot(w, tmp_path, "dark")
    # When the theme goes back to following the system (light here), the tints are pale again
    w.look_button.theme_actions["system"].trigger()
    QApplication.processEvents()
    assert mix(QColor(actor.colour), 0.55).lightness() > 128
    qtbot.waitUntil(lambda: mix(QColor(actor.colour), 0.55).name() in w.palette.buttons["ACTOR"].styleSheet())


def test_label_buttons_say_what_each_label_is_for(qtbot, open_window, project_path):
    make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    for lab in w.desk.labels:
        tip = w.palette.buttons[lab.name].toolTip()
        assert lab.description and lab.description in tip and lab.shortcut in tip


def stored_setting(path, key: str):
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def test_guidelines_are_one_key_away_and_editable(qtbot, open_window, project_path, monkeypatch, tmp_path):
    from ui.guidelines import GuidelinesEditor

    make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    qtbot.waitUntil(lambda: w.desk.article is not None)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.resize(1366, 768)
    dock = w.guidelines
    assert not dock.isVisible()
    # When I press Shift+F1 while working in the text
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    # Then the guidelines show: every label with its description, and the claims guideline
    qtbot.waitUntil(dock.isVisible)
    panel = dock.widget()
    shown = panel.browser.toPlainText()
    for lab in w.desk.labels:
        assert lab.name in shown and lab.description in shown
    assert "Labelling claims" in shown
    qtbot.waitUntil(lambda: dock.width() <= w.width() // 3)  # the text and the tables keep most of the window
    shot(w, tmp_path, "guidelines")
    # When I edit them (the editor starts from what is shown) and save
    def fake_exec(dlg):
        assert "Labelling claims" in dlg.text()
        dlg.edit.setPlainText("# Pedoman\n\n- **ACTOR**: tokoh, lembaga, negara.\n")
        return True

    monkeypatch.setattr(GuidelinesEditor, "exec", fake_exec)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    # Then they are the project's, and the panel shows them rendered
    assert stored_setting(project_path, "guidelines").startswith("# Pedoman")
    qtbot.waitUntil(lambda: "Pedoman" in panel.browser.toPlainText() and "#" not in panel.browser.toPlainText())
    # And Shift+F1 hides them again, giving the text back the keys
    qtbot.keyClick(panel.browser, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not dock.isVisible())
    assert w.view.hasFocus()


def test_scroll_bars_are_flat_in_the_palette_of_either_theme(qtbot, qapp, look):
    """Fusion's scroll bars (gradients, arrows) cost ~1 ms a paint, and the span table's and the
    article view's repaint on most edits: the style sheet draws flat ones from the palette."""
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QScrollBar

    from ui.appearance import Appearance

    QCursor.setPos(900, 900)  # not over the bar: a hovered handle is the palette's dark colour
    for theme in ("light", "dark"):
        Appearance.of().set_theme(theme)
        bar = QScrollBar(Qt.Orientation.Vertical)
        qtbot.addWidget(bar)
        bar.resize(12, 300)
        bar.setRange(0, 100)
        bar.setPageStep(100)  # the handle takes half the bar, from the top
        bar.show()
        QApplication.processEvents()
        image = bar.grab().toImage()
        pal = bar.palette()
        # the handle (inset 2 px, rounded) in the palette's mid colour, the groove below it in the window's
        mid, window = pal.color(QPalette.ColorRole.Mid).name(), pal.color(QPalette.ColorRole.Window).name()
        assert image.pixelColor(QPoint(6, 60)).name() == mid, theme
        assert image.pixelColor(QPoint(6, 290)).name() == window, theme
        # no arrow buttons: the handle starts at the top
        assert image.pixelColor(QPoint(6, 4)).name() == mid, theme
