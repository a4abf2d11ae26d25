"""Import from prepared rows (storage.prepared_import, what the import's helper process hands
over) stores what the stock path (Store.import_batches on the Documents) stores: the same
rows and ids, history events, states, full-text rows, report and changes told."""

from __future__ import annotations

import copy
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storage.db
from annotator.errors import SorotError
from annotator.model import Article, Document, Relation, Span
from storage.prepared_import import give_ids, prepare, store_prepared
from storage.store import Store

TS = "2026-01-02T03:04:05.678+00:00"
TABLES = {
    "articles": "SELECT * FROM articles ORDER BY id",
    "spans": "SELECT * FROM spans ORDER BY id",
    "relations": "SELECT * FROM relations ORDER BY id",
    "events": "SELECT * FROM events ORDER BY id",
    "article_states": "SELECT * FROM article_states ORDER BY article_id, annotator",
    "labels": "SELECT * FROM labels ORDER BY name",
    "article_queue": "SELECT * FROM article_queue ORDER BY article_id",
    "sequence": "SELECT * FROM sqlite_sequence ORDER BY name",
    "articles_fts": "SELECT rowid, title, text FROM articles_fts ORDER BY rowid",
    "spans_fts": "SELECT rowid, text FROM spans_fts ORDER BY rowid",
    "fts_terms": "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'jokowi OR medan OR prabowo'",
    "span_terms": "SELECT count(*) FROM spans_fts WHERE spans_fts MATCH 'jokowi OR medan'",
}


@pytest.fixture(autouse=True)
def _one_time(monkeypatch):
    # the two paths take the time when they start (and labels and states when they are
    # written): the rows are compared at one time
    real = storage.db.now
    for name, module in list(sys.modules.items()):
        if name.startswith("storage") and getattr(module, "now", None) is real:
            monkeypatch.setattr(module, "now", lambda: TS)


def _dump(store: Store) -> dict[str, list[tuple]]:
    return {name: store.query(sql) for name, sql in TABLES.items()}


TEXTS = [
    "Jokowi tiba di Medan.",
    "Prabowo berkunjung ke Surabaya.",
    "Medan hujan deras.",
    "Jokowi dan Prabowo.",
]


def _doc(text: str, spans: list[tuple], *, rels=(), **fields) -> Document:
    return Document(
        Article(text, **fields),
        [Span(s, e, lab, **extra) for s, e, lab, *rest in spans for extra in (rest[0] if rest else {},)],
        [Relation(h, t, label) for h, t, label in rels],
    )


def _batches() -> list[list[Document]]:
    return [
        [
            _doc(TEXTS[0], [(0, 6, "ACTOR"), (15, 20, "LOCATION"), (0, 6, "ACTOR")], rels=[(2, 1, "at"), (0, 1, "x")],
                 meta={"source": "a", "n": 1.5}, title="satu"),
            _doc(TEXTS[1], [(0, 7, "ACTOR", {"origin": "rules", "status": "suggested", "attrs": {"k": "v"}})],
                 status="done", uid="same"),
            _doc(TEXTS[0], [(0, 6, "ACTOR"), (7, 11, "EVENT", {"annotator": "carol"})], rels=[(0, 1, "did")]),
        ],
        [
            _doc(TEXTS[2], [(0, 5, "LOCATION", {"created_at": "2020-01-01T00:00:00.000+00:00"})], uid="same",
                 status="in_progress", status_reason="later"),
            _doc(TEXTS[1], [(0, 7, "ACTOR"), (0, 7, "ACTOR", {"origin": "rules", "status": "suggested"})],
                 status="skipped"),
            _doc(TEXTS[3], [], created_at="2019-05-05T00:00:00.000+00:00", language="id"),
        ],
    ]  # fmt: skip


def _project() -> Store:
    store = Store.memory()
    store.annotator = "lead"
    store.import_documents([_doc(TEXTS[3], [(0, 6, "ACTOR")])], annotator="bob", source="first")
    return store


def _heard(store: Store) -> list:
    heard: list = []
    store.subscribe(heard.append)
    return heard


@pytest.mark.parametrize("annotator", [None, "alice"])
@pytest.mark.parametrize("add_labels", [False, True])
def test_prepared_rows_store_what_documents_store(annotator, add_labels):
    # Given two projects holding the same article, and the same batches of documents
    # (duplicates in a document and across documents, merges, a taken uid, states, relations)
    stock, fast = _project(), _project()
    heard_stock, heard_fast = _heard(stock), _heard(fast)
    docs_stock, docs_fast = _batches(), _batches()
    # When one stores the documents and the other rows prepared from them
    report_stock = stock.import_batches(
        docs_stock, annotator=annotator, source="f.jsonl", add_labels=add_labels
    )
    ids: list = []
    prepared = [prepare(b, annotator=annotator, source="f.jsonl", keep_positions=True) for b in docs_fast]
    report_fast = store_prepared(
        fast, prepared, annotator=annotator, source="f.jsonl", add_labels=add_labels,
        stored=lambda batch, a, s: ids.append((batch, a, s)),
    )  # fmt: skip
    # Then both projects hold the same rows, reports and changes; the documents got the same ids
    assert _dump(fast) == _dump(stock)
    assert report_fast == report_stock
    assert heard_fast == heard_stock
    for docs, (batch, article_ids, span_ids) in zip(docs_fast, ids, strict=True):
        give_ids(docs, batch, article_ids, span_ids)
    assert docs_fast == docs_stock


def test_a_bad_batch_stores_nothing_of_the_file():
    # Given a project and a file whose second batch fails
    store = _project()
    before = _dump(store)
    first = prepare(_batches()[0], annotator=None, source="f")

    def batches():
        yield first
        raise SorotError("f:3: not valid JSON")

    # When it is stored; Then it fails and the project is as it was
    with pytest.raises(SorotError):
        store_prepared(store, batches(), source="f")
    assert _dump(store) == before


def test_a_span_outside_its_text_is_refused_as_validate_refuses_it():
    doc = _doc(TEXTS[0], [(0, 60, "ACTOR")])
    with pytest.raises(SorotError) as stock:
        copy.deepcopy(doc).validate("f")
    with pytest.raises(SorotError) as fast:
        prepare([doc], annotator=None, source="f")
    assert str(fast.value) == str(stock.value)


SPAN = st.tuples(st.integers(0, 8), st.integers(1, 6), st.sampled_from(["ACTOR", "EVENT"]),
                 st.sampled_from([None, "bob"]), st.sampled_from(["human", "rules"]))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 3), st.lists(SPAN, max_size=5), st.sampled_from(["new", "done"])),
                 max_size=4),
        min_size=1, max_size=3,
    ),
    st.sampled_from([None, "alice"]),
)  # fmt: skip
def test_any_batches_store_alike(batches, annotator):
    def docs():
        return [
            [
                Document(
                    Article(TEXTS[t], status=status),
                    [Span(s, s + n, lab, annotator=who, origin=origin) for s, n, lab, who, origin in spans],
                    [Relation(0, len(spans) - 1, "r")] if spans else [],
                )
                for t, spans, status in batch
            ]
            for batch in batches
        ]

    with _project() as stock, _project() as fast:
        report_stock = stock.import_batches(docs(), annotator=annotator, source="s", add_labels=True)
        prepared = [prepare(b, annotator=annotator, source="s") for b in docs()]
        report_fast = store_prepared(fast, prepared, annotator=annotator, source="s", add_labels=True)
        assert _dump(fast) == _dump(stock)
        assert report_fast == report_stock
