"""[team] The desk of one analyst in a shared project: Ctrl+Enter marks *their* state done
(the article's overall status derived with it, one undo step), their articles (assigned to
them) come first in the list with their own state, and the review window's "Assign to…"
gives the selected rows' articles to an annotator, undoably."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui

TEXT = "Presiden Joko Widodo bertemu warga di Jakarta, hari ke-{}."


def make_project(path, n: int = 6, mine: tuple[int, ...] = (), others: tuple[int, ...] = ()) -> list[int]:
    """``n`` new articles; the ones at the ``mine`` places assigned to tester (the desk's analyst)
    and to bob, the ``others`` to bob alone."""
    from annotator.model import Article, Document
    from storage.store import Store

    with Store.open(path) as store:
        ids = store.import_documents(
            [Document(Article(TEXT.format(i), title=f"Artikel {i}", language="id")) for i in range(n)]
        ).article_ids
        store.assign([(ids[i], who) for i in mine for who in ("tester", "bob")] + [(ids[i], "bob") for i in others])
        return ids


def list_rows(w) -> list[tuple[int, str]]:
    model = w.articles.model
    return [(r["id"], r["status"]) for r in model.rows]


def test_ctrl_enter_marks_my_state_done_and_the_list_shows_mine_first(qtbot, open_window, project_path):
    # Given six articles; the fifth and sixth are assigned to tester and bob, the first to bob alone
    ids = make_project(project_path, mine=(4, 5), others=(0,))
    w = open_window(project_path, auto_suggest=False)
    # Then tester's list shows their two articles first, in id order, then the rest
    qtbot.waitUntil(lambda: len(w.articles.model.rows) == 6)
    assert [aid for aid, _ in list_rows(w)] == [ids[4], ids[5], ids[0], ids[1], ids[2], ids[3]]
    model = w.articles.model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    assert not model.data(model.index(2, 0), Qt.ItemDataRole.FontRole)
    # When tester opens their first article and presses Ctrl+Enter (mark done and next)
    w.desk.open_article(ids[4])
    qtbot.waitUntil(lambda: w.desk.article is not None and w.desk.article.id == ids[4])
    view = w.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Then tester's own state is done; the article waits for bob (in progress overall)
    store = w.store
    assert store.annotator_state(ids[4], "tester") == ("done", "")
    assert store.article(ids[4]).status == "in_progress"
    # And the desk went on to tester's next article of their own, not the next by id
    qtbot.waitUntil(lambda: w.desk.article is not None and w.desk.article.id == ids[5])
    # And the list shows tester's own state, and the article's overall one beside it
    qtbot.waitUntil(lambda: dict(list_rows(w))[ids[4]] == "done")
    row = model.rows[model.row_of(ids[4])]
    assert (row["status"], row["overall"], row["mine"]) == ("done", "in_progress", True)
    # When bob's done arrives (another desk of the team), the article is ready for review
    store.set_annotator_state(ids[4], "bob", "done")
    assert store.article(ids[4]).status == "done"
    # Undo of tester's done puts back both their state and the overall status (one step)
    store.set_annotator_state(ids[4], "bob", "in_progress")
    w.desk.undo_stack.undo()
    assert store.annotator_state(ids[4], "tester") is None
    assert store.article(ids[4]).status == "in_progress"  # bob is at it
    qtbot.waitUntil(lambda: dict(list_rows(w))[ids[4]] == "in_progress")


def test_a_solo_desk_keeps_one_status_per_article(qtbot, open_window, project_path):
    # Given a project without assignments
    ids = make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    qtbot.waitUntil(lambda: w.desk.article is not None)
    w.desk.open_article(ids[0])
    qtbot.waitUntil(lambda: w.desk.article.id == ids[0])
    # When the analyst labels something (first edit) and marks the article done
    w.view.setFocus()
    w.desk.create_span("ACTOR", 9, 20)
    assert w.store.article(ids[0]).status == "in_progress"
    assert w.store.annotator_state(ids[0], "tester") == ("in_progress", "")
    qtbot.keyClick(w.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Then the article is done, as it always was, and so is the analyst's own state
    assert w.store.article(ids[0]).status == "done"
    assert w.store.annotator_state(ids[0], "tester") == ("done", "")
    qtbot.waitUntil(lambda: w.desk.article.id == ids[1])  # the next not done
    # Flag for review stays the article's (a reviewer's status)
    w.desk.open_article(ids[0])
    qtbot.waitUntil(lambda: w.desk.article.id == ids[0])
    w.desk.set_status("flagged")
    assert w.store.article(ids[0]).status == "flagged"
    assert w.store.annotator_state(ids[0], "tester") == ("done", "")
    # and, solo, marking it done again clears the flag, as it always did
    qtbot.keyClick(w.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert w.store.article(ids[0]).status == "done"


def test_assign_to_from_the_review_window(qtbot, open_window, project_path):
    from annotator.model import Span

    ids = make_project(project_path, n=3)
    w = open_window(project_path, auto_suggest=False)
    qtbot.waitUntil(lambda: w.desk.article is not None)
    for aid in ids:
        w.store.add_spans(aid, [Span(9, 20, "ACTOR", annotator="alice")])
    w.show_review()
    review = w.review_panel.review
    qtbot.waitUntil(lambda: review.model.rowCount() == 3)
    # Given the rows of two articles selected in the Spans tab
    sel = review.view.selectionModel()
    for row in (0, 1):
        sel.select(review.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    chosen = review.selected_article_ids()
    assert len(chosen) == 2
    # When "Assign to…" offers the annotators the project knows and tester picks alice
    button = review.assign_btn
    button.fill_menu()
    names = [a.text() for a in button.menu().actions() if a.text()]
    assert "alice" in names and "gold" not in names
    next(a for a in button.menu().actions() if a.text() == "alice").trigger()
    # Then both articles are alice's, as one undo step
    assert w.store.assignments(ids) == {aid: ["alice"] for aid in chosen}
    review.undo_stack.undo()
    assert w.store.assignments(ids) == {}
    QApplication.processEvents()
