"""Review queries, bulk commands, workflow, history and adjudication, without Qt."""

from __future__ import annotations

import pytest

from annotator import history
from annotator.commands import apply
from annotator.errors import StoreError
from annotator.model import Article, Document, Span, next_status
from ops import review as ops_review
from storage import review
from storage.review import SpanFilter
from storage.store import ArticleFilter, Store

TEXT = "Jokowi met Prabowo in Jakarta ."


@pytest.fixture
def store():
    s = Store.memory()
    s.annotator = "tester"
    yield s
    s.close()


def two_annotators(store: Store) -> int:
    alice = [Span(0, 6, "ACTOR"), Span(11, 18, "ACTOR"), Span(22, 29, "LOCATION")]
    bob = [Span(0, 6, "ACTOR"), Span(11, 18, "LOCATION"), Span(19, 29, "LOCATION")]
    store.import_documents(
        [Document(Article(TEXT, title="Visit"), alice)], annotator="alice", source="alice.jsonl"
    )
    rep = store.import_documents(
        [Document(Article(TEXT, title="Visit"), bob)], annotator="bob", source="bob.jsonl"
    )
    return rep.article_ids[0]


def test_filters_and_context(store):
    aid = two_annotators(store)
    rows = review.span_rows(store, SpanFilter(annotators=("bob",), labels=("LOCATION",)))
    assert [r["text"] for r in rows] == ["in Jakarta", "Prabowo"]
    assert rows[0]["left"] == "Jokowi met Prabowo " and rows[0]["right"] == " ."
    assert rows[0]["title"] == "Visit" and rows[0]["article_id"] == aid
    assert review.count_spans(store, SpanFilter(text="jak")) == 2
    assert review.count_spans(store, SpanFilter(article_statuses=("done",))) == 0
    assert review.count_spans(store, SpanFilter(annotators=(None,))) == 0
    assert review.count_spans(store, SpanFilter(), cap=3) == 4  # capped: "3+"
    today = rows[0]["updated_at"][:10]
    assert review.count_spans(store, SpanFilter(since=today, until=today)) == 6
    assert review.count_spans(store, SpanFilter(until="2000-01-01")) == 0


def test_keyset_pages_cover_everything_once(store, monkeypatch):
    two_annotators(store)
    monkeypatch.setattr(review, "DRIVER_CAP", 0)  # force the walk, not the id lookup
    store.caches.clear()  # no plan kept from before the cap changed
    seen, after = [], None
    while page := review.span_rows(store, SpanFilter(statuses=("accepted",)), limit=4, after_id=after):
        seen += [r["id"] for r in page]
        after = page[-1]["id"]
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == 6


def test_bulk_is_one_undoable_step(store):
    two_annotators(store)
    flt = SpanFilter(annotators=("bob",))
    inverse = apply(store, ops_review.bulk_command(store, flt, "relabel", label="CLAIM"))
    assert review.count_spans(store, SpanFilter(labels=("CLAIM",))) == 3
    assert len([e for e in store.events(limit=50) if e["action"] == "span.update"]) == 3
    apply(store, inverse)
    assert review.count_spans(store, SpanFilter(labels=("CLAIM",))) == 0
    inverse = apply(store, ops_review.bulk_command(store, flt, "delete"))
    assert review.count_spans(store, flt) == 0
    apply(store, inverse)
    assert review.count_spans(store, flt) == 3


def test_workflow_needs_reason(store):
    aid = two_annotators(store)
    with pytest.raises(StoreError):
        ops_review.status_command(store, aid, "flagged")
    apply(store, ops_review.status_command(store, aid, "flagged", "source unclear"))
    assert store.article(aid).status_reason == "source unclear"
    assert next_status("new") == "in_progress" and next_status("reviewed") is None
    assert review.article_status_counts(store)["flagged"] == 1


def test_history_change_change_restore_undo(store):
    # Given an article with a span that is changed twice
    store.import_documents([Document(Article(TEXT, title="T"))])
    aid = store.article_ids()[0]
    (sp,) = store.add_spans(aid, [Span(0, 6, "ACTOR")])
    first = store.events(article_id=aid, limit=1)[0]["id"]
    store.update_spans([(sp.id, {"label": "LOCATION"})])
    store.update_spans([(sp.id, {"status": "rejected"})])
    store.add_spans(aid, [Span(11, 18, "ACTOR")])
    words = [e["what"] for e in history.timeline(store, aid)]
    assert words[1] == "rejected LOCATION “Jokowi”" and "relabelled “Jokowi” ACTOR → LOCATION" in words
    # When the state right after the first add is restored
    then = history.state_at(store, aid, first)
    assert [(s.label, s.status) for s in then] == [("ACTOR", "accepted")]
    inverse = apply(store, history.restore_command(store, aid, first))
    now = store.spans(aid)
    assert [(s.id, s.label, s.status) for s in now] == [(sp.id, "ACTOR", "accepted")]
    # Then the restore is itself in the history, and undoing it brings back the later state
    assert len(history.span_history(store, sp.id)) == 4
    apply(store, inverse)
    assert [(s.label, s.status) for s in store.spans(aid)] == [
        ("LOCATION", "rejected"),
        ("ACTOR", "accepted"),
    ]


def test_state_before_import_and_suggest(store):
    store.import_documents([Document(Article(TEXT, title="T"))])
    aid = store.article_ids()[0]
    created = store.events(article_id=aid, limit=1)[0]["id"]
    store.replace_suggestions(aid, [Span(22, 29, "LOCATION", origin="rules")], origins=("rules",))
    store.import_documents([Document(Article(TEXT), [Span(0, 6, "ACTOR")])], annotator="bob")
    assert len(store.spans(aid)) == 2
    assert history.state_at(store, aid, created) == []
    assert "1 suggestions from rules" in [e["what"] for e in history.timeline(store, aid)]


def test_adjudicate_and_export_gold_only(store):
    aid = two_annotators(store)
    (art,) = review.annotated_articles(store)
    assert sorted(art.spans) == ["alice", "bob"]
    chosen = [art.spans["alice"][0], art.spans["bob"][1], art.spans["alice"][2]]
    inverse = apply(store, ops_review.adjudicate_command(store, aid, chosen, reviewer="rita"))
    gold = store.spans(aid, annotators=["gold"])
    assert [(s.start, s.end, s.label, s.status) for s in gold] == [
        (0, 6, "ACTOR", "accepted"), (11, 18, "LOCATION", "accepted"), (22, 29, "LOCATION", "accepted")
    ]  # fmt: skip
    assert gold[0].attrs["adjudicated_by"] == "rita"
    assert store.article(aid).status == "reviewed"
    docs = list(store.iter_documents(ArticleFilter(annotators=("gold",), statuses=("reviewed",))))
    assert [[(s.start, s.label, s.annotator) for s in d.spans] for d in docs] == [
        [(0, "ACTOR", "gold"), (11, "LOCATION", "gold"), (22, "LOCATION", "gold")]
    ]
    # gold stays out of agreement by default
    assert sorted(next(review.annotated_articles(store)).spans) == ["alice", "bob"]
    apply(store, inverse)
    assert store.spans(aid, annotators=["gold"]) == [] and store.article(aid).status == "new"


def test_stats_tables(store):
    aid = two_annotators(store)
    store.replace_suggestions(aid, [Span(7, 10, "CLAIM", origin="rules")], origins=("rules",))
    sid = review.span_rows(store, SpanFilter(origins=("rules",)))[0]["id"]
    store.update_spans([(sid, {"status": "rejected"})])
    apply(store, ops_review.status_command(store, aid, "done"))
    t = review.stats_tables(store)
    assert t["usefulness"] == [{"origin": "rules", "accepted": 0, "rejected": 1, "pending": 0, "rate": 0.0}]
    assert t["articles_done_per_day"][0]["done"] == 1
    assert {r["annotator"]: r["spans"] for r in t["per_annotator"]} == {"alice": 3, "bob": 3}
    assert t["spans_per_label"][0] == {
        "label": "ACTOR",
        "accepted": 3,
        "suggested": 0,
        "rejected": 0,
        "total": 3,
    }
