"""What the analyst does to a pending suggestion survives the gazetteer relearning, and span
ids are never given twice: the four cases of "edits shown as saved are lost", driven by keys
and mouse in the desk and checked in the SQLite file itself."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from tests.test_desk_learning import settle

pytestmark = pytest.mark.gui

TEXT = (
    "Warga kampung sawah berkumpul di balai desa ujung pagi ini. "
    "Banjir dari hulu merendam kampung sawah kemarin. "
    "Anak-anak kampung sawah bermain di balai warga. "
    "Di desa ujung air sungai naik, dan kampung sawah ikut terendam."
)
PLACE = "kampung sawah"


def make_project(path) -> int:
    from annotator.model import Article, Document
    from storage.store import Store

    with Store.open(path) as store:
        store.set_setting("suggesters", "rules,gazetteer")
        [aid] = store.import_documents([Document(Article(TEXT, title="Banjir", language="id"))]).article_ids
    return aid


def rows(path) -> dict[int, dict]:
    """Every span in the project file, read with a connection of our own."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cur = con.execute(
            "SELECT id, char_start, char_end, label, text, origin, status, annotator, note FROM spans"
        )
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cur}
    finally:
        con.close()


def events(path, span_id: int) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [a for (a,) in con.execute("SELECT action FROM events WHERE span_id = ? ORDER BY id", (span_id,))]
    finally:
        con.close()


def label_text(qtbot, w, text: str, key, occurrence: int = 0) -> int:
    """Select the ``occurrence``-th ``text`` with the mouse's range and press a label key."""
    desk, view = w.desk, w.view
    start = -1
    for _ in range(occurrence + 1):
        start = desk.article.text.index(text, start + 1)
    view.select_range(start, start + len(text))
    qtbot.keyClick(view, key)
    made = desk.span(desk.selected)
    assert (made.text, made.status) == (text, "accepted")
    return made.id


def pending_places(w) -> list:
    return [
        sp
        for sp in w.desk.spans
        if sp.text == PLACE and sp.status == "suggested" and sp.origin == "gazetteer"
    ]


def learnt(qtbot, w) -> None:
    """Wait until the gazetteer has relearned and re-suggested the open article."""
    aid = w.desk.article.id

    def shown() -> bool:  # the worker's Changes reach the desk queued
        stored = {(sp.id, sp.key, sp.status, sp.note) for sp in w.store.spans(aid)}
        return {(sp.id, sp.key, sp.status, sp.note) for sp in w.desk.spans} == stored

    qtbot.waitUntil(lambda: w.suggest.idle() and shown(), timeout=20000)


def open_and_teach(qtbot, open_window, project_path):
    aid = make_project(project_path)
    w = open_window(project_path)
    settle(qtbot, w, aid)
    w.view.setFocus()
    # Given "kampung sawah" labelled LOCATION once, so the gazetteer suggests its other mentions
    label_text(qtbot, w, PLACE, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: len(pending_places(w)) == 3, timeout=20000)
    return w


def test_a_note_on_a_pending_suggestion_survives_relearning(qtbot, open_window, project_path):
    w = open_and_teach(qtbot, open_window, project_path)
    desk, view = w.desk, w.view

    # When I select the second mention's suggestion (Tab) and type a note in the span panel
    target = pending_places(w)[0]
    while desk.selected != target.id:
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    note = w.spans_panel.note_edit
    qtbot.mouseClick(note, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(note, "cek ejaan")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    assert rows(project_path)[target.id]["note"] == "cek ejaan"

    # And then label "balai" somewhere else, which makes the gazetteer learn and re-suggest
    view.setFocus()
    label_text(qtbot, w, "balai", Qt.Key.Key_2)
    learnt(qtbot, w)

    # Then the note is still in the file, on the same id, and the span is mine now
    kept = rows(project_path)[target.id]
    assert (kept["note"], kept["text"], kept["status"], kept["annotator"]) == (
        "cek ejaan", PLACE, "suggested", "tester")
    # and the panel shows it when I select it again
    desk.select_span(target.id)
    assert w.spans_panel.note_edit.text() == "cek ejaan"
    assert "span.update" in events(project_path, target.id)


def test_a_resize_of_a_pending_suggestion_survives_relearning(qtbot, open_window, project_path):
    w = open_and_teach(qtbot, open_window, project_path)
    desk, view = w.desk, w.view

    # When I select a pending suggestion and move its start one token right (Alt+Right)
    target = pending_places(w)[1]
    desk.select_span(target.id)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert rows(project_path)[target.id]["text"] == "sawah"

    # And label another word, so the gazetteer relearns
    label_text(qtbot, w, "balai", Qt.Key.Key_2)
    learnt(qtbot, w)

    # Then the resized range is kept under the same id, and no fresh copy of the old range came back
    stored = rows(project_path)
    assert stored[target.id]["text"] == "sawah"
    assert not [r for r in stored.values()
                if (r["char_start"], r["char_end"]) == (target.start, target.end)]  # fmt: skip


def test_undo_of_a_delete_brings_the_span_back_under_its_own_id(qtbot, open_window, project_path):
    w = open_and_teach(qtbot, open_window, project_path)
    desk, view = w.desk, w.view
    label_text(qtbot, w, "balai", Qt.Key.Key_2)
    learnt(qtbot, w)
    victim = label_text(qtbot, w, "desa ujung", Qt.Key.Key_2)
    learnt(qtbot, w)

    # When I delete "desa ujung" (the gazetteer relearns and re-suggests meanwhile) and press Ctrl+Z
    desk.select_span(victim)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert victim not in rows(project_path)
    learnt(qtbot, w)
    assert victim not in rows(project_path)  # the re-suggestions took fresh ids
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    learnt(qtbot, w)

    # Then the span is back under its own id, nothing failed, and the history shows every step
    back = rows(project_path)[victim]
    assert (back["text"], back["label"], back["status"]) == ("desa ujung", "LOCATION", "accepted")
    assert "failed" not in w.statusBar().currentMessage().lower()
    assert events(project_path, victim) == ["span.add", "span.delete", "span.add"]
    # no other span ever had this id
    con = sqlite3.connect(project_path)
    assert {r[0] for r in con.execute(
        "SELECT json_extract(coalesce(after, before), '$.text') FROM events WHERE span_id = ?", (victim,)
    )} == {"desa ujung"}  # fmt: skip
    con.close()


def test_ids_are_never_given_twice_and_undo_lands_on_its_own_span(qtbot, open_window, project_path):
    w = open_and_teach(qtbot, open_window, project_path)
    desk, view = w.desk, w.view

    # When I note a suggestion, undo the note, and the gazetteer relearns twice meanwhile
    target = pending_places(w)[2]
    desk.set_note(target.id, "periksa")
    label_text(qtbot, w, "balai", Qt.Key.Key_2)
    learnt(qtbot, w)
    made = label_text(qtbot, w, "desa ujung", Qt.Key.Key_2)
    learnt(qtbot, w)
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # delete "desa ujung" (selected)
    learnt(qtbot, w)

    # Then every id in the history belongs to one span only (same article, label and text)
    con = sqlite3.connect(project_path)
    owners: dict[int, set] = {}
    for sid, rec in con.execute("SELECT span_id, coalesce(after, before) FROM events WHERE span_id IS NOT NULL"):
        r = json.loads(rec)
        owners.setdefault(sid, set()).add((r["article_id"], r["label"], r["text"]))
    con.close()
    assert owners and all(len(v) == 1 for k, v in owners.items() if k != target.id)
    assert made not in rows(project_path)
    # The undo of the delete restores "desa ujung"; the undo after that takes the note off
    # (undo of the label keys in between first)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(project_path)[made]["text"] == "desa ujung"
    for _ in range(3):  # undo "desa ujung", "balai", then the note
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    learnt(qtbot, w)
    stored = rows(project_path)
    assert made not in stored
    assert target.id in stored and stored[target.id]["note"] == ""
    assert stored[target.id]["text"] == PLACE


def test_an_undo_the_world_overtook_says_why_and_leaves_the_stack(qtbot, open_window, project_path):
    aid = make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    desk, view = w.desk, w.view
    qtbot.waitUntil(lambda: desk.article is not None and desk.article.id == aid)
    view.setFocus()
    # Given two spans I made, and a note typed on the second
    first = label_text(qtbot, w, "balai", Qt.Key.Key_2)
    second = label_text(qtbot, w, PLACE, Qt.Key.Key_2)
    note = w.spans_panel.note_edit
    qtbot.mouseClick(note, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(note, "dicek")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    depth = desk.undo_stack.count()

    # When the second span is deleted elsewhere (the review window's bulk delete, say)
    from annotator import commands as C
    from ui.undo import push

    push(desk.undo_stack, w.store, C.DeleteSpans([second], "Delete 1 span"))
    desk.undo_stack.undo()  # the review's delete undone from the review window: the span is back
    w.store.delete_spans([second])  # and deleted for good by a step outside the stack
    view.setFocus()

    # And I press Ctrl+Z in the desk to take my note back
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    # Then the status bar says why, nothing changed in the file, and the step left the stack
    message = w.statusBar().currentMessage()
    assert "Cannot undo “Edit note”" in message and "deleted it" in message and PLACE in message
    assert desk.undo_stack.count() == depth  # the review's delete stays redoable; the note step is gone
    assert second not in rows(project_path) and first in rows(project_path)
    # And the next Ctrl+Z goes on with my earlier steps as usual (the create of the second span
    # is overtaken too and says so; the first span's create is undone)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Cannot undo" in w.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert first not in rows(project_path)
    assert not desk.undo_stack.canUndo()
