"""What to annotate next, on the desk (issue #14): the analyst picks "Most useful first" in the
article list; the list shows that order, the project keeps it, and Ctrl+Enter (done, next)
follows it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.test_queue_order import Fixed

pytestmark = pytest.mark.gui

TEXT = "Artikel {}: Presiden Joko Widodo bertemu warga di Jakarta dan Bandung hari ini."


def make_project(path) -> list[int]:
    """Six articles, suggested by two suggesters that disagree on three of them: most on the
    fourth (3 proposals not shared), then the second (2), then the sixth (1)."""
    from annotator.model import Article, Document
    from ops.workflows import suggest_articles
    from storage.store import Store

    actor, place = (19, 23, "ACTOR", None), (38, 45, "LOCATION", None)
    rules = Fixed("rules", {"Artikel 1": [actor], "Artikel 3": [actor, place], "Artikel 5": [actor]})
    model = Fixed(
        "spacy:model",
        {
            "Artikel 1": [(19, 23, "LOCATION", None)],
            "Artikel 3": [(19, 23, "LOCATION", None)],
            "Artikel 5": [actor, place],
        },
    )
    with Store.open(path) as store:
        ids = store.import_documents(
            [Document(Article(TEXT.format(i), title=f"Artikel {i}", language="id")) for i in range(6)]
        ).article_ids
        suggest_articles(store, ids, [model, rules])
        return ids


def test_most_useful_first_orders_the_list_and_ctrl_enter(qtbot, open_window, project_path):
    # Given six articles, the suggesters disagreeing most on the fourth, then the second, then the sixth
    ids = make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    panel = w.articles
    model = panel.model
    qtbot.waitUntil(lambda: len(model.rows) == 6)
    assert [r["id"] for r in model.rows] == ids  # import order, as a project starts
    # When the analyst opens the list's order box and picks "Most useful first"
    combo = panel.order_combo
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    view = combo.view()
    row = combo.findData("useful")
    # (the popup takes a mouse release so soon after opening as the end of the opening
    # click, so the item is picked with the keys, as the analyst may too)
    view.setCurrentIndex(view.model().index(row, 0))
    with qtbot.waitSignal(panel.order_chosen) as chosen:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert chosen.args == ["useful"]
    # Then the list shows the most useful first, ties in import order, and the project keeps the choice
    useful = [ids[3], ids[1], ids[5], ids[0], ids[2], ids[4]]
    assert [r["id"] for r in model.rows] == useful
    assert w.store.setting("queue.order") == "useful"
    # When the analyst opens the first article of the list and presses Ctrl+Enter (done, next)
    table = panel.table
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(model.index(0, 0)).center()
    )
    qtbot.waitUntil(lambda: w.desk.article is not None and w.desk.article.id == ids[3])
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Then it is done and the desk opened the next in that order, not the next by id
    qtbot.waitUntil(lambda: w.desk.article is not None and w.desk.article.id == ids[1])
    assert w.store.article(ids[3]).status == "done"
    qtbot.keyClick(w.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.desk.article is not None and w.desk.article.id == ids[5])


def test_the_chosen_order_is_there_after_a_restart(qtbot, open_window, project_path):
    # Given a project whose analyst chose "Quickest first"
    ids = make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    w.articles.choose_order("quick")
    w.shutdown()
    # When it is opened again
    w = open_window(project_path, auto_suggest=False)
    # Then the order box and the list say so, and the desk opened the quickest article first
    panel = w.articles
    assert panel.order_combo.currentData() == "quick"
    qtbot.waitUntil(lambda: len(panel.model.rows) == 6)
    quick = [r[0] for r in w.store.query("SELECT article_id FROM article_queue ORDER BY effort, article_id")]
    assert [r["id"] for r in panel.model.rows] == quick
    assert sorted(quick) == ids
    qtbot.waitUntil(lambda: w.desk.article is not None and w.desk.article.id == quick[0])


def test_the_list_follows_an_order_chosen_elsewhere(qtbot, open_window, project_path):
    # Given an open desk in import order
    ids = make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    model = w.articles.model
    qtbot.waitUntil(lambda: len(model.rows) == 6)
    # When the project's order changes without the list (a team sync brings a lead's choice)
    w.store.set_setting("queue.order", "useful")
    # Then the list and its order box follow
    qtbot.waitUntil(lambda: [r["id"] for r in model.rows] == [ids[3], ids[1], ids[5], ids[0], ids[2], ids[4]])
    assert w.articles.order_combo.currentData() == "useful"


def test_an_article_whose_key_moved_during_paging_is_listed_once(qtbot, project_path):
    # Given 250 articles listed quickest first, the first page (200 rows) loaded
    from annotator.model import Article, Document
    from storage.store import Store
    from ui.article_list import ArticleListModel

    with Store.open(project_path) as store:
        store.import_documents([Document(Article(TEXT.format(i) + " x" * (i % 7), title=f"a{i}"), [])
                                for i in range(250)])  # fmt: skip
        store.set_setting("queue.order", "quick")
        model = ArticleListModel(store)
        first = model.article_id(0)
        assert model.rowCount() == 200
        # When a suggest run makes the first article the slowest of all (its key moves on)
        with store.transaction() as db:
            db.execute("UPDATE article_queue SET effort = 1e9 WHERE article_id = ?", [first])
        # Then scrolling to the end lists every article once
        while model.canFetchMore():
            model.fetchMore()
        ids = [model.article_id(r) for r in range(model.rowCount())]
        assert len(ids) == len(set(ids)) == 250
        model.detach()


def test_an_edit_leaves_the_article_list_where_the_analyst_scrolled_it(qtbot, open_window, project_path):
    from annotator.model import Article, Document
    from storage.store import Store

    # Given sixty articles, the first one open, and the list scrolled to its end
    with Store.open(project_path) as store:
        store.import_documents(
            [Document(Article(TEXT.format(i), title=f"Artikel {i}", language="id")) for i in range(60)]
        )
    w = open_window(project_path, auto_suggest=False)
    qtbot.waitUntil(lambda: len(w.articles.model.rows) == 60 and w.desk.article is not None)
    bar = w.articles.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    # When the analyst labels a word of the open article with the keys
    w.view.setFocus()
    w.view.select_range(20, 24)  # "Joko"
    with qtbot.waitSignal(w.desk.spans_changed):
        qtbot.keyClick(w.view, Qt.Key.Key_1)
    assert [(sp.start, sp.end) for sp in w.desk.spans] == [(20, 24)]
    # Then the list stays where it was scrolled, the open article's row still the one selected
    assert bar.value() == bar.maximum()
    assert w.articles.table.selectionModel().isRowSelected(w.articles.model.row_of(w.desk.article.id))
