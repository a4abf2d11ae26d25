"""Keys are actions in one keymap (``ui/keymap.py``): each key does one thing, Ctrl+Z in the
article text undoes one step, a key remapped in Settings > Keys works at once in the desk (and
its old key no longer does), and Help > Keyboard shows the keys as they are now. Effects are
read back from the SQLite file."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui

TEXT = "Prabowo bertemu Putin di Moskow."


def stored(path) -> dict[str, tuple[str, str]]:
    """Span text -> (label, status), and the article's status under "", from the file itself."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {
            text: (label, status)
            for text, label, status in con.execute("SELECT text, label, status FROM spans")
        }
        (status,) = con.execute("SELECT status FROM articles").fetchone()
        out[""] = ("", status)
        return out
    finally:
        con.close()


def make_project(path, *, suggested: bool = True) -> int:
    from annotator.model import Article, Document, Span
    from storage.store import Store

    with Store.open(path) as store:
        aid = store.import_documents([Document(Article(TEXT, title="s", language="id"))]).article_ids[0]
        if suggested:
            store.replace_suggestions(
                aid,
                [
                    Span(0, 7, "ACTOR", origin="rules", status="suggested"),
                    Span(16, 21, "ACTOR", origin="rules", status="suggested"),
                ],
            )
    return aid


def press(kind: int, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier, text: str = "") -> QKeyEvent:
    return QKeyEvent(kind, key, mods, text)


def remap_in_settings(qtbot, monkeypatch, action_id: str, tries: list, shot) -> list[str]:
    """Open Settings > Keys through the window, choose ``action_id`` and press each of ``tries``
    (key, modifiers) in the key box, then OK (saving a picture to ``shot``). Returns what the
    page said after each try."""
    from ui import dialogs

    said: list[str] = []
    monkeypatch.setattr(dialogs, "suggester_choices", lambda store=None: list(dialogs.BUILTIN_CHOICES))

    def drive(dlg) -> int:
        page = dlg.keys
        assert dlg.tabs.currentWidget() is page  # Settings > Keys… opens on the Keys page
        page.select(action_id)
        for key, mods in tries:
            page.key_edit.setFocus()
            with qtbot.waitSignal(page.key_edit.editingFinished):
                qtbot.keyClick(page.key_edit, key, mods)
            said.append(page.message.text())
        dlg.resize(720, 560)
        assert dlg.grab().save(str(shot))
        return 1

    monkeypatch.setattr(dialogs.SettingsDialog, "exec", drive)
    return said


# -- the table ---------------------------------------------------------------------------------------


def test_no_two_actions_share_a_key_and_each_key_is_handled_once(qtbot, open_window, project_path):
    from ui import keymap

    # Given the default keys and a new project's label set (1, 2, 3 ...)
    make_project(project_path, suggested=False)
    w = open_window(project_path, auto_suggest=False)
    km = w.keymap

    # Then no key is held by two actions, nor by an action and a label
    assert keymap.conflicts(km.all_keys(), w.desk.labels) == []
    chords = [keymap.combined(s) for a in keymap.ACTIONS for s in km.sequences(a.id)]
    assert len(chords) == len(set(chords))
    # And every action says what it does and does something
    assert all(a.help and callable(a.run) for a in keymap.ACTIONS)
    # And a window action's key is bound once, on its menu action; a desk key on no menu action
    for a in keymap.ACTIONS:
        act = w.actions_by_id.get(a.id)
        if a.where == keymap.WINDOW:
            assert act is not None and [s.toString() for s in act.shortcuts()] == list(km.keys(a.id))
        elif act is not None:
            assert act.shortcuts() == [] and km.text(a.id, " / ") in act.text()
    # And Ctrl+Z means Edit > Undo, which the desk does not handle on its own
    ctrl_z = press(QKeyEvent.Type.KeyPress, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier, "\x1a")
    assert km.action_for(ctrl_z).id == "edit.undo"
    assert w.actions_by_id["edit.undo"] is w.act_undo


def test_a_conflicting_remap_is_refused_whole():
    from ui import keymap

    km = keymap.Keymap()
    with pytest.raises(ValueError, match="Ctrl\\+K would do two things"):
        km.set_overrides({"span.reject": ("Ctrl+K",)})
    assert km.keys("span.reject") == ("X",)
    msg = keymap.refusal("A", "span.reject", km.all_keys())
    assert msg.startswith("A is already taken by “Accept suggestion”")


@pytest.mark.parametrize("active", [False, True], ids=["window-not-active", "window-active"])
def test_one_ctrl_z_in_the_article_undoes_one_step(qtbot, open_window, project_path, active):
    # Given two spans labelled with keys, one after the other
    make_project(project_path, suggested=False)
    w = open_window(project_path, auto_suggest=False)
    desk, view = w.desk, w.view
    if active:  # then the Edit > Undo shortcut takes the key before the article text sees it
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    view.setFocus()
    view.select_range(0, 7)
    qtbot.keyClick(view, Qt.Key.Key_1)
    view.select_range(16, 21)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert desk.undo_stack.index() == 2
    assert stored(project_path)["Putin"] == ("ACTOR", "accepted")

    # When I press Ctrl+Z once in the article text
    undone = []
    w.act_undo.triggered.connect(lambda: undone.append(1))
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    # Then exactly the last step is undone, through the one Undo action
    assert undone == [1]
    assert desk.undo_stack.index() == 1
    rows = stored(project_path)
    assert "Putin" not in rows and rows["Prabowo"] == ("ACTOR", "accepted")
    # And Ctrl+Shift+Z redoes it
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert stored(project_path)["Putin"] == ("ACTOR", "accepted")


# -- remapping in Settings --------------------------------------------------------------------------


def test_remap_a_desk_key_in_settings(qtbot, open_window, project_path, monkeypatch, tmp_path):
    from ui import dialogs, keymap

    # Given a suggestion selected in the desk
    make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    desk, view = w.desk, w.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert desk.span(desk.selected).text == "Prabowo"

    # When I give "Reject suggestion" a new key in Settings > Keys: first keys already taken
    # (Skip's Ctrl+K, the ACTOR label's 1), then J
    said = remap_in_settings(
        qtbot,
        monkeypatch,
        "span.reject",
        [
            (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier),
            (Qt.Key.Key_J, Qt.KeyboardModifier.NoModifier),
        ],
        tmp_path / "settings-keys.png",
    )
    with qtbot.waitSignal(w.keymap.changed):
        w.actions_by_id["settings.keys"].trigger()

    # Then the taken keys were refused, saying by whom, and J was taken
    assert said[0].startswith("Ctrl+K is already taken by “Skip” (Article menu).")
    assert said[1].startswith("1 is already taken by the label ACTOR.")
    assert said[2] == "Reject suggestion: now J."
    assert w.keymap.keys("span.reject") == ("J",)
    # And it is stored in my settings, for the next start
    assert keymap.Keymap.load().keys("span.reject") == ("J",)

    # When I press the old key X: nothing happens
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert stored(project_path)["Prabowo"] == ("ACTOR", "suggested")
    # When I press J: the suggestion is rejected, in the file
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert stored(project_path)["Prabowo"] == ("ACTOR", "rejected")
    assert desk.span(desk.selected).text == "Putin"  # and the next one is selected

    # And Help > Keyboard (F1, pressed in the article) shows J for rejecting, not X
    seen = {}

    def show(sheet) -> int:
        seen["text"] = sheet.view.toPlainText()
        sheet.resize(640, 760)
        assert sheet.grab().save(str(tmp_path / "cheat-sheet.png"))
        return 0

    monkeypatch.setattr(dialogs.CheatSheet, "exec", show)
    qtbot.keyClick(view, Qt.Key.Key_F1)
    lines = [ln.strip() for ln in seen["text"].splitlines()]
    at = next(i for i, ln in enumerate(lines) if ln.startswith("reject the selected suggestion"))
    assert lines[at - 1] == "J"  # each row: its keys, then what they do
    assert "X" not in lines
    assert w.grab().save(str(tmp_path / "window.png"))


def test_remap_a_window_key_then_reset_to_defaults(qtbot, open_window, project_path, monkeypatch, tmp_path):
    from ui import dialogs

    # Given an article open in the desk
    make_project(project_path, suggested=False)
    w = open_window(project_path, auto_suggest=False)
    view = w.view

    # When I give Skip the key Ctrl+J in Settings > Keys
    remap_in_settings(
        qtbot,
        monkeypatch,
        "article.skip",
        [(Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)],
        tmp_path / "k.png",
    )
    with qtbot.waitSignal(w.keymap.changed):
        w.settings_dialog(keys=True)
    assert [s.toString() for s in w.actions_by_id["article.skip"].shortcuts()] == ["Ctrl+J"]

    # Then the old key Ctrl+K does nothing, the new one skips the article (in the file)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert stored(project_path)[""] == ("", "new")
    qtbot.keyClick(view, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert stored(project_path)[""] == ("", "skipped")

    # When I press Reset to defaults in Settings > Keys
    def reset(dlg) -> int:
        qtbot.mouseClick(dlg.keys.reset_button, Qt.MouseButton.LeftButton)
        return 1

    monkeypatch.setattr(dialogs.SettingsDialog, "exec", reset)
    with qtbot.waitSignal(w.keymap.changed):
        w.settings_dialog(keys=True)

    # Then Skip has Ctrl+K again, and nothing is stored
    assert [s.toString() for s in w.actions_by_id["article.skip"].shortcuts()] == ["Ctrl+K"]
    assert w.keymap.overrides() == {}


def test_keys_stored_by_hand_or_by_an_older_sorot_are_read_safely(sorot_env):
    from ui import keymap
    from ui.settings import app_settings

    # Given a settings file naming an action that no longer exists, a key list and an empty key
    s = app_settings()
    s.setValue("keys/no.such.action", "Ctrl+M")
    s.setValue("keys/edit.redo", ["Ctrl+Shift+Z", "F9"])
    s.setValue("keys/article.skip", "")
    s.sync()

    # Then the keymap takes what it knows: two keys for redo, none for skip
    km = keymap.Keymap.load()
    assert km.keys("edit.redo") == ("Ctrl+Shift+Z", "F9")
    assert km.keys("article.skip") == ()
    assert "no.such.action" not in km.overrides()


def test_a_label_key_an_action_holds_is_refused_in_the_label_set(qtbot, monkeypatch):
    from annotator.model import Label
    from ui import dialogs, keymap

    # Given the label set editor, with the keymap where J rejects a suggestion
    km = keymap.Keymap({"span.reject": ("J",)})
    dlg = dialogs.LabelEditor([Label("ACTOR", shortcut="1"), Label("PLACE", shortcut="j")], keymap=km)
    qtbot.addWidget(dlg)
    warned = []
    monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda _parent, _title, text: warned.append(text))

    ok = dlg.findChild(dialogs.QDialogButtonBox).button(dialogs.QDialogButtonBox.StandardButton.Ok)

    # When I press OK
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    # Then it is refused, saying which action has J; X (free again) would be fine
    assert warned and warned[0].startswith("J would do two things: “Reject suggestion”")
    assert dlg.result() == 0
    dlg.table.item(1, 2).setText("x")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert len(warned) == 1 and dlg.result() == 1
