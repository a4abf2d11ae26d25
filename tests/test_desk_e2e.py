"""The desk driven as an analyst would: mouse, keys, undo, close and reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

pytestmark = pytest.mark.gui


def rules_only(store, spec):
    from annotator.suggest import build_suggesters

    return build_suggesters("rules")


def shot(window, tmp_path: Path, name: str) -> None:
    """Save what the window shows (under the test's own folder: a test writes nowhere else)."""
    assert window.grab().save(str(tmp_path / f"{name}.png"))


def state(store, article_id):
    spans = [
        (sp.start, sp.end, sp.label, sp.status, sp.text, sp.annotator, sp.note)
        for sp in store.spans(article_id)
    ]
    rels = [(r.head, r.tail, r.label) for r in store.relations(article_id)]
    return store.article(article_id).status, spans, rels


def drag_select(qtbot, view, start: int, end: int) -> None:
    a, b = view.point_of(start), view.point_of(end)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, pos=(a + b) / 2)
    qtbot.mouseMove(vp, pos=b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def import_sample(qtbot, window):
    with qtbot.waitSignal(window.ops.imported, timeout=20000) as blocker:
        window.import_sample()
    summary = blocker.args[0]
    assert summary.articles_added == 1 and not summary.failures
    return summary.article_ids[0]


def test_analyst_end_to_end(qtbot, open_window, project_path, tmp_path):
    # Given a new project with the sample article imported through the menu's workflow
    w = open_window(project_path, suggester_factory=rules_only)
    aid = import_sample(qtbot, w)
    desk, view = w.desk, w.view
    qtbot.waitUntil(lambda: desk.article is not None and desk.article.id == aid)
    assert desk.article.text.startswith("geosurvey.co.id")  # the source line is kept
    # Then the rules suggester's suggestions appear in the open article
    qtbot.waitUntil(lambda: sum(sp.status == "suggested" for sp in desk.spans) >= 5, timeout=60000)
    qtbot.waitUntil(w.suggest.idle)
    shot(w, tmp_path, "01-suggestions")

    # When I accept the first suggestion with Enter and reject the next with X
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    first = desk.span(desk.selected)
    assert first is not None and first.status == "suggested"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert desk.span(first.id).status == "accepted"
    assert desk.span(first.id).annotator == "tester"
    assert desk.article.status == "in_progress"  # the first edit moved it on
    second = desk.span(desk.selected)
    assert second is not None and second.status == "suggested" and second.id != first.id
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert desk.span(second.id).status == "rejected"
    assert second.id not in view.spans or view.spans[second.id].status == "rejected"

    # When I drag-select a claim around an actor and press the CLAIM key
    text = desk.article.text
    start = text.index("Presiden Korea Utara Kim Jong Un")
    end = start + len("Presiden Korea Utara Kim Jong Un")
    actor = next(sp for sp in desk.spans if sp.text == "Kim Jong Un" and start <= sp.start)
    drag_select(qtbot, view, start + 2, end - 1)  # mid-word: snapping grows to whole tokens
    assert view.selection() is not None
    qtbot.keyClick(view, Qt.Key.Key_3)
    claim = desk.span(desk.selected)
    assert (claim.label, claim.text, claim.status) == (
        "CLAIM",
        "Presiden Korea Utara Kim Jong Un",
        "accepted",
    )
    assert claim.start <= actor.start and actor.end <= claim.end
    # and link the actor as its claimant in the span panel
    combo = w.spans_panel.claimant_combo
    assert combo.isVisible()
    idx = combo.findData(actor.id)
    assert idx > 0
    combo.setCurrentIndex(idx)
    combo.activated.emit(idx)
    assert desk.claimant_of(claim.id) == actor.id
    shot(w, tmp_path, "02-claim")

    # When I click a span and relabel it with a key
    kcna = next(sp for sp in desk.spans if sp.text == "KCNA" and sp.status != "rejected")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.point_of(kcna.start + 1))
    assert desk.selected == kcna.id
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert desk.span(kcna.id).label == "LOCATION"

    # Undo puts ACTOR back, redo LOCATION again
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert desk.span(kcna.id).label == kcna.label
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert desk.span(kcna.id).label == "LOCATION"
    qtbot.waitUntil(lambda: w.saved_label.text() == "All changes saved")  # once on disk

    # Ctrl+Enter marks the article done
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert w.store.article(aid).status == "done"
    qtbot.waitUntil(lambda: w.progress_label.text() == "Done 1 / 1")
    shot(w, tmp_path, "03-done")
    before = state(w.store, aid)

    # Then after closing and reopening everything is there exactly
    w.close()
    w2 = open_window(project_path, suggester_factory=rules_only)
    w2.open_article(aid)
    assert state(w2.store, aid) == before
    assert w2.desk.claimant_of(claim.id) == actor.id
    assert w2.store.integrity_check() == "ok"


def test_keyboard_only(qtbot, open_window, project_path, tmp_path):
    # Given a project with one article and no suggester running
    from annotator.model import Article, Document
    from storage.store import Store

    text = "Menteri Luar Negeri Retno Marsudi bertemu Presiden Joko Widodo di Jakarta.\nIa berkata damai."
    with Store.open(project_path) as store:
        aid = store.import_documents([Document(Article(text, title="kb"))]).article_ids[0]
    w = open_window(project_path, auto_suggest=False)
    desk, view = w.desk, w.view
    assert desk.article.id == aid
    view.setFocus()

    # When I move to "Retno" with the keyboard and select two words with Shift+arrows
    cur = view.textCursor()
    cur.setPosition(text.index("Retno"))
    view.setTextCursor(cur)
    qtbot.keyClick(
        view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    )
    qtbot.keyClick(
        view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    )
    qtbot.keyClick(view, Qt.Key.Key_1)
    sp = desk.span(desk.selected)
    assert (sp.label, sp.text) == ("ACTOR", "Retno Marsudi")

    # Alt+Left moves the start one token left; Alt+Shift+Left moves the end back
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert desk.span(sp.id).text == "Negeri Retno Marsudi"
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(
        view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert desk.span(sp.id).text == "Retno Marsudi bertemu"
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert desk.span(sp.id).text == "Retno Marsudi"

    # A second span by keyboard, then Tab between them, relabel, delete, undo the delete
    cur = view.textCursor()
    cur.setPosition(text.index("Jakarta"))
    cur.movePosition(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cur)
    qtbot.keyClick(view, Qt.Key.Key_2)
    loc = desk.span(desk.selected)
    assert (loc.label, loc.text) == ("LOCATION", "Jakarta")
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert desk.selected == sp.id
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert desk.selected == loc.id
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert desk.span(loc.id) is None
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert desk.span(loc.id).text == "Jakarta"
    assert [s.text for s in w.spans_panel.model.spans] == ["Retno Marsudi", "Jakarta"]
    shot(w, tmp_path, "04-keyboard")

    # Ctrl+Enter: done, and still the only article
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert w.store.article(aid).status == "done"


def test_accept_all_is_one_undo_step(qtbot, open_window, project_path):
    from annotator.model import Article, Document, Span
    from storage.store import Store

    text = "Prabowo bertemu Putin di Moskow."
    with Store.open(project_path) as store:
        aid = store.import_documents([Document(Article(text, title="s"))]).article_ids[0]
        store.replace_suggestions(
            aid,
            [
                Span(0, 7, "ACTOR", origin="rules", status="suggested"),
                Span(16, 21, "ACTOR", origin="rules", status="suggested"),
                Span(25, 31, "LOCATION", origin="rules", status="suggested"),
            ],
        )
    w = open_window(project_path, auto_suggest=False)
    view = w.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert {sp.status for sp in w.desk.spans} == {"accepted"}
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {sp.status for sp in w.desk.spans} == {"suggested"}
    assert w.store.article(aid).status == "new"


def test_save_failure_keeps_the_edit(qtbot, open_window, project_path, monkeypatch):
    from annotator.errors import StoreError
    from annotator.model import Article, Document
    from storage.store import Store

    with Store.open(project_path) as store:
        store.import_documents([Document(Article("Jokowi tiba di Bali.", title="f"))])
    w = open_window(project_path, auto_suggest=False)
    real = w.store.add_spans

    def broken(*a, **k):
        raise StoreError("disk is full")

    monkeypatch.setattr(w.store, "add_spans", broken)
    w.view.select_range(0, 6)
    qtbot.keyClick(w.view, Qt.Key.Key_1)
    assert w.saved_label.text() == "Saving failed — retry"
    assert w.desk.pending is not None
    monkeypatch.setattr(w.store, "add_spans", real)
    qtbot.mouseClick(w.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.saved_label.text() == "All changes saved")  # once on disk
    assert [sp.text for sp in w.store.spans(w.desk.article.id)] == ["Jokowi"]
