"""The review window end to end, offscreen: compare, agreement, adjudicate, history, stats."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "QtAgg")


import pytest  # noqa: E402

from annotator.model import Article, Document, Span  # noqa: E402
from ops import review as ops_review  # noqa: E402
from storage import review  # noqa: E402
from storage.review import SpanFilter  # noqa: E402
from storage.store import ArticleFilter, Store  # noqa: E402

pytestmark = pytest.mark.gui
TEXT = "Jokowi met Prabowo in Jakarta on Monday. The minister warned that prices would rise in Surabaya ."


@pytest.fixture
def store():
    s = Store.memory()
    s.annotator = "rita"
    alice = [Span(0, 6, "ACTOR"), Span(11, 18, "ACTOR"), Span(22, 29, "LOCATION"), Span(45, 53, "ACTOR"),
             Span(54, 83, "CLAIM")]  # fmt: skip
    bob = [Span(0, 6, "ACTOR"), Span(11, 18, "LOCATION"), Span(19, 29, "LOCATION"), Span(45, 53, "ACTOR"),
           Span(87, 95, "LOCATION")]  # fmt: skip
    s.import_documents([Document(Article(TEXT, title="Visit to Jakarta"), alice)], annotator="alice")
    s.import_documents([Document(Article(TEXT, title="Visit to Jakarta"), bob)], annotator="bob")
    for i in range(30):
        s.import_documents([Document(Article(f"Story {i}: Anies spoke in Medan about Pertamina.", title=f"Story {i}"),
                                     [Span(len(f"Story {i}: "), len(f"Story {i}: Anies"), "ACTOR")])],
                           annotator="carol")  # fmt: skip
        aid = s.article_ids()[-1]
        s.replace_suggestions(aid, [Span(len(f"Story {i}: Anies spoke in "), len(f"Story {i}: Anies spoke in Medan"),
                                         "LOCATION", origin="rules")], origins=("rules",))  # fmt: skip
    yield s
    s.close()


def test_model_passes_qtmodeltester(qtmodeltester, store, monkeypatch):
    from ui.review.table import ReviewTableModel

    monkeypatch.setattr("ui.review.table.PAGE", 7)
    model = ReviewTableModel(store)
    model.set_filter(SpanFilter())
    assert model.rowCount() == 7 and model.canFetchMore()
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == review.count_spans(store)
    qtmodeltester.check(model, force_py=True)


def test_review_panel_bulk_undo_and_open(qtbot, store):
    from ui.review import ReviewPanel

    panel = ReviewPanel(store)
    qtbot.addWidget(panel)
    panel.confirm = lambda question: True
    panel.set_filter(SpanFilter(origins=("rules",), statuses=("suggested",)))
    assert panel.count_label.text() == "30 spans"
    # When every suggestion in the filter is accepted at once
    with qtbot.waitSignal(panel.counted) as sig:
        assert panel.bulk("accept")
    # Then the filtered set is empty, in one undo step that brings all 30 back
    assert sig.args == [0] and panel.undo_stack.count() == 1
    with qtbot.waitSignal(panel.counted) as sig:
        panel.undo_stack.undo()
    assert sig.args == [30]
    with qtbot.waitSignal(panel.open_span) as opened:
        panel._on_double_click(panel.model.index(0, 3))
    assert opened.args == [panel.model.row(0)["article_id"], panel.model.row(0)["id"]]
    panel.search.setText("medan")
    qtbot.waitUntil(lambda: panel.model.filter.text == "medan")
    assert panel.model.rowCount() == 30


def test_compare_agreement_adjudicate_export(qtbot, store):
    from ui.review import ReviewWindow

    win = ReviewWindow(store)
    qtbot.addWidget(win)
    win.show()
    aid = store.article_ids()[0]
    # Compare shows the differences
    rows = win.compare.show_article(aid)
    assert [r.kind for r in rows] == ["match", "mismatch", "mismatch", "match", "only-A", "only-B"]
    assert win.compare.table.rowCount() == 6
    # Agreement numbers (by hand): exact matches Jokowi, minister -> F1 = 2*2/(5+5) = 0.4
    with qtbot.waitSignal(win.agreement.computed, timeout=10000) as sig:
        win.agreement.annotators.setText("alice,bob")
        win.agreement.compute()
    rep = sig.args[0]
    assert rep.articles == 1 and rep.overall.f1_exact == pytest.approx(0.4)
    # overlap: alice found 3 of 5 (Jokowi, Jakarta, minister), bob found 3 of 5 -> 0.6
    assert rep.overall.f1_overlap == pytest.approx(0.6)
    assert win.agreement.table.item(win.agreement.table.rowCount() - 1, 2).text() == "0.400"
    # Adjudicate: keep matches, bob's label for Prabowo, alice's Jakarta, alice's claim, drop Surabaya
    adj = win.adjudication
    assert adj.queue == [aid]
    adj.choose(1, "bob")
    adj.choose(2, "alice")
    adj.choose(4, "alice")
    adj.choose(5, None)
    with qtbot.waitSignal(adj.saved):
        adj.save_and_next()
    assert store.article(aid).status == "reviewed"
    docs = list(store.iter_documents(ArticleFilter(annotators=("gold",), statuses=("reviewed",))))
    assert [(s.text, s.label) for s in docs[0].spans] == [
        ("Jokowi", "ACTOR"), ("Prabowo", "LOCATION"), ("Jakarta", "LOCATION"), ("minister", "ACTOR"),
        ("warned that prices would rise", "CLAIM"),
    ]  # fmt: skip
    assert all(s.annotator == "gold" and s.status == "accepted" for s in docs[0].spans)
    win.undo_stack.undo()
    assert store.article(aid).status == "new" and not store.spans(aid, annotators=["gold"])
    win.undo_stack.redo()
    assert store.article(aid).status == "reviewed"


def test_history_panel_restore_and_undo(qtbot, store):
    from ui.review import HistoryPanel

    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    aid = store.article_ids()[0]
    sid = store.spans(aid, annotators=["alice"])[0].id
    store.update_spans([(sid, {"label": "LOCATION"})])
    store.update_spans([(sid, {"label": "CLAIM"})])
    panel.show_article(aid)
    assert panel.events.item(0, 2).text() == "relabelled “Jokowi” LOCATION → CLAIM"
    panel.events.selectRow(2)  # the import of bob's spans: before either change
    assert panel.restore_btn.isEnabled()
    assert panel.restore_selected()
    assert store.span(sid).label == "ACTOR"
    assert panel.events.item(0, 2).text() == "relabelled “Jokowi” CLAIM → ACTOR"
    panel.undo_stack.undo()
    assert store.span(sid).label == "CLAIM"


def test_screenshots(qtbot, store, tmp_path):
    from ui.review import ReviewWindow

    SHOTS = tmp_path
    win = ReviewWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.grab().save(str(SHOTS / "review-spans.png"))
    win.tabs.setCurrentWidget(win.compare)
    win.compare.articles.setCurrentRow(0)
    win.grab().save(str(SHOTS / "review-compare.png"))
    with qtbot.waitSignal(win.agreement.computed, timeout=10000):
        win.agreement.compute()
    win.tabs.setCurrentWidget(win.agreement)
    win.grab().save(str(SHOTS / "review-agreement.png"))
    win.tabs.setCurrentWidget(win.adjudication)
    win.grab().save(str(SHOTS / "review-adjudicate.png"))
    aid = store.article_ids()[0]
    win.history.show_article(aid)
    win.tabs.setCurrentWidget(win.history)
    win.history.events.selectRow(0)
    win.grab().save(str(SHOTS / "review-history.png"))
    from annotator.commands import apply

    for i, aid in enumerate(store.article_ids()[1:12]):
        apply(store, ops_review.status_command(store, aid, "done" if i % 3 else "reviewed"))
    ids = [r["id"] for r in review.span_rows(store, SpanFilter(origins=("rules",)), limit=12)]
    apply(store, ops_review.bulk_command(store, SpanFilter(), "accept", ids=ids[:8]))
    apply(store, ops_review.bulk_command(store, SpanFilter(), "reject", ids=ids[8:]))
    with qtbot.waitSignal(win.stats.computed, timeout=10000):
        win.tabs.setCurrentWidget(win.stats)
    win.stats.canvas.draw()
    win.grab().save(str(SHOTS / "review-stats.png"))
    assert (SHOTS / "review-stats.png").stat().st_size > 10_000
