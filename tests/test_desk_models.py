"""The article list and span table models: Qt's model checks, lazy paging, sort and filter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from annotator.model import Article, Document, Span
from storage.store import Store

pytestmark = pytest.mark.gui


@pytest.fixture
def big_store(tmp_path):
    store = Store.open(tmp_path / "big.sorot")
    docs = [
        Document(
            Article(f"Artikel nomor {i} tentang Jakarta dan Bandung.", title=f"Judul {i:04d}", language="id"),
            [Span(0, 7, "ACTOR")] if i % 3 == 0 else [],
        )
        for i in range(450)
    ]
    store.import_documents(docs)
    yield store
    store.close()


def test_article_list_model_pages_lazily(qtmodeltester, big_store):
    from ui.article_list import PAGE, ArticleListModel

    model = ArticleListModel(big_store)
    assert model.rowCount() == PAGE and model.total == 450
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450 and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_article_list_sort_filter_and_update(qtmodeltester, big_store):
    from ui.article_list import ArticleListModel

    model = ArticleListModel(big_store)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "Judul 0449"
    model.set_filter(search="nomor 17")
    assert model.total >= 1
    assert any(model.data(model.index(r, 0)) == "Judul 0017" for r in range(model.rowCount()))
    model.set_filter(search="", statuses=("done",))
    assert model.rowCount() == 0
    model.set_filter(statuses=())
    aid = model.article_id(0)
    big_store.set_article_status(aid, "done")
    model.update_article(aid)
    assert model.data(model.index(0, 1)) == "done"
    qtmodeltester.check(model)


def test_span_table_model(qtmodeltester):
    from ui.span_panel import SpanTableModel

    model = SpanTableModel()
    spans = [
        Span(0, 4, "ACTOR", text="Budi", id=1),
        Span(5, 10, "CLAIM", text="makan", status="suggested", id=2),
        Span(2, 3, "LOCATION", text="d", status="rejected", id=3),
    ]
    model.set_spans(spans, {"ACTOR": "#4e79a7", "CLAIM": "#e15759"})
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # rejected spans are hidden
    assert model.data(model.index(1, 2)) == "suggested"
    assert model.row_of(2) == 1


def test_span_panel_follows_the_text_both_ways(qtbot, open_window, project_path):
    with Store.open(project_path) as store:
        aid = store.import_documents(
            [
                Document(
                    Article("Budi pergi ke Jakarta kemarin.", title="p"),
                    [Span(0, 4, "ACTOR"), Span(14, 21, "LOCATION")],
                )
            ]
        ).article_ids[0]
    w = open_window(project_path, auto_suggest=False)
    assert w.desk.article.id == aid
    panel = w.spans_panel
    # table -> text
    panel.table.selectRow(1)
    assert w.desk.selected == panel.model.spans[1].id
    assert w.view.textCursor().position() == 14
    # text -> table
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=w.view.point_of(1))
    assert panel.table.selectionModel().selectedRows()[0].row() == 0
    # note saved on edit finished
    panel.note_edit.setText("tokoh utama")
    panel.note_edit.editingFinished.emit()
    assert w.store.span(panel.model.spans[0].id).note == "tokoh utama"
