"""What to annotate next (issue #14): the queue orders' numbers (``annotator.queue``), stored
at suggest time (``article_queue``, m011), the list's pages and the next article in each
order, and the migration of an older project."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.model import Article, Document, Span
from annotator.queue import (
    QUEUE_ORDER_SETTING,
    chosen_order,
    disagreement,
    effort,
    uncertainty,
    usefulness,
)
from annotator.suggest.base import Suggestion
from ops.workflows import suggest_articles
from storage.schema import migrations
from storage.store import Store

WORDS = "Presiden Joko Widodo bertemu warga di Jakarta dan Bandung hari ini ."


def text(n_words: int, i: int) -> str:
    words = WORDS.split()
    return f"Artikel {i}: " + " ".join(words[k % len(words)] for k in range(n_words))


class Fixed:
    """A suggester giving what it was told, per text (found by a marker in the text)."""

    def __init__(self, name: str, by_marker: dict[str, list[tuple[int, int, str, float | None]]]) -> None:
        self.name = name
        self.by_marker = by_marker

    def suggest(self, texts: list[str], langs: list[str] | None = None) -> list[list[Suggestion]]:
        out = []
        for t in texts:
            marker = t.split(":", 1)[0]
            out.append(
                [
                    Suggestion(s, e, lab, score, self.name)
                    for s, e, lab, score in self.by_marker.get(marker, [])
                ]
            )
        return out


# -- the numbers ---------------------------------------------------------------------------------


def test_disagreement_counts_entities_some_but_not_all_voters_proposed():
    a = [Suggestion(0, 5, "ACTOR"), Suggestion(10, 15, "LOCATION"), Suggestion(20, 60, "CLAIM")]
    b = [Suggestion(0, 5, "ACTOR"), Suggestion(10, 15, "ACTOR")]
    # (10, 15) as a LOCATION and as an ACTOR: two proposals not shared; the claim is left out
    assert disagreement({"spacy:m": a, "rules": b}) == 2
    # One voter alone, or a silent one, or the learned gazetteer: no disagreement
    assert disagreement({"rules": b}) == 0
    assert disagreement({"rules": b, "spacy:m": []}) == 0
    assert disagreement({"rules": b, "gazetteer": [Suggestion(30, 35, "ACTOR")]}) == 0


def test_claims_are_the_suggesters_claims():
    from annotator import queue
    from annotator.suggest import base

    assert queue.CLAIM_LABELS == base.CLAIM_LABELS


def test_uncertainty_and_usefulness():
    assert uncertainty([0.5, 1.0, 0.0, None]) == pytest.approx(1.0)
    assert uncertainty([0.75]) == pytest.approx(0.5)
    # The model's scored proposals count; the rules' scores do not
    found = {"spacy:m": [Suggestion(0, 5, "ACTOR", 0.5)], "rules": [Suggestion(0, 5, "ACTOR", 0.5)]}
    assert usefulness(found) == pytest.approx(1.0)


def test_effort_grows_with_length_suggestions_and_misses():
    assert effort(0, 0) == 0
    assert effort(1200, 0) < effort(2400, 0)
    # A suggestion to decide costs less than the span it saves drawing
    assert effort(1200, 5) < effort(1200, 0)


# -- stored at suggest time ----------------------------------------------------------------------


def project(n: int = 6) -> tuple[Store, list[int]]:
    store = Store.memory()
    store.annotator = "alice"
    docs = [Document(Article(text(10 + 10 * ((i * 7) % n), i), language="id")) for i in range(n)]
    return store, store.import_documents(docs).article_ids


def queue_row(store: Store, aid: int) -> tuple[float, float]:
    return store.query("SELECT usefulness, effort FROM article_queue WHERE article_id = ?", (aid,))[0]


def test_every_article_has_its_effort_from_its_length_when_imported():
    store, ids = project()
    for aid in ids:
        assert queue_row(store, aid) == (0.0, effort(len(store.article(aid).text), 0))


def test_suggesting_stores_usefulness_and_effort_in_the_same_transaction():
    # Given two suggesters that disagree on article 1 and agree on article 2
    store, ids = project(3)
    rules = Fixed("rules", {"Artikel 1": [(0, 7, "ACTOR", None)], "Artikel 2": [(0, 7, "ACTOR", None)]})
    model = Fixed("spacy:m", {"Artikel 1": [(0, 7, "LOCATION", 0.5)], "Artikel 2": [(0, 7, "ACTOR", 0.9)]})
    # When the project is suggested
    suggest_articles(store, ids, [model, rules])
    # Then usefulness is the disagreement plus the model's doubt, effort counts the pending ones
    assert queue_row(store, ids[0]) == (0.0, effort(len(store.article(ids[0]).text), 0))
    assert queue_row(store, ids[1])[0] == pytest.approx(2 + 1.0)
    assert queue_row(store, ids[2])[0] == pytest.approx(0 + 0.2)
    pending = len(store.spans(ids[1], statuses=("suggested",)))
    assert queue_row(store, ids[1])[1] == effort(len(store.article(ids[1]).text), pending)
    # A re-run of one suggester alone (the gazetteer's, on the desk) keeps the usefulness
    store.replace_suggestions(ids[1], [], origins=["rules"])
    assert queue_row(store, ids[1])[0] == pytest.approx(3.0)


# -- the list's pages and the next article -------------------------------------------------------


def ranked(store: Store) -> list[int]:
    """The useful order worked out in Python from the stored numbers (ties by id)."""
    rows = store.query("SELECT article_id, usefulness FROM article_queue")
    return [aid for aid, _u in sorted(rows, key=lambda r: (-r[1], r[0]))]


def scored_project(n: int = 23) -> tuple[Store, list[int]]:
    store, ids = project(n)
    with store.transaction():
        store.db.conn.executemany(
            "UPDATE article_queue SET usefulness = ? WHERE article_id = ?",
            [((i * 5) % 4, aid) for i, aid in enumerate(ids)],  # many ties
        )
    return store, ids


@pytest.mark.parametrize("order", ["useful", "quick"])
def test_pages_stitched_equal_the_full_order_ties_by_id(order: str):
    store, ids = scored_project()
    key = {"useful": "-usefulness", "quick": "effort"}[order]
    want = [r[0] for r in store.query(f"SELECT article_id FROM article_queue ORDER BY {key}, article_id")]
    pages = []
    for offset in range(0, len(ids), 5):
        pages += [r["id"] for r in store.article_rows(offset, 5, order=order)]
    assert pages == want
    assert [r["id"] for r in store.article_rows(0, 100, order=order, descending=True)] == want[::-1]
    for descending in (False, True):
        keyed, after = [], None
        while page := store.article_rows(0, 5, order=order, descending=descending, after=after):
            keyed += [r["id"] for r in page]
            after = (page[-1]["queue_key"], page[-1]["id"])
        assert keyed == (want[::-1] if descending else want)
    if order == "useful":
        assert want == ranked(store)


@pytest.mark.parametrize("sorted_up_to", [5_000, 0])
def test_mine_first_then_the_rest_each_in_the_queue_order(sorted_up_to: int, monkeypatch):
    # (her articles sorted for each page, or found walking the order's index: both ways)
    monkeypatch.setattr("storage.articles.MINE_SORTED", sorted_up_to)
    # Given alice has some articles assigned
    store, ids = scored_project()
    mine = ids[3::4]
    store.assign([(aid, "alice") for aid in mine])
    order = ranked(store)
    want = [a for a in order if a in mine] + [a for a in order if a not in mine]
    # When the list pages through each part, as the panel does
    got = []
    for part in ("mine", "rest"):
        offset = 0
        while page := store.article_rows(offset, 4, order="useful", annotator="alice", part=part):
            got += [r["id"] for r in page]
            offset += len(page)
    # Then her articles come first, each part in the useful order; so does one query of both
    assert got == want
    assert [r["id"] for r in store.article_rows(0, 100, order="useful", annotator="alice")] == want
    # Keyset pages (after the last row's key) give the same
    keyed = []
    for part in ("mine", "rest"):
        after = None
        while page := store.article_rows(0, 4, order="useful", annotator="alice", part=part, after=after):
            keyed += [r["id"] for r in page]
            after = (page[-1]["queue_key"], page[-1]["id"])
    assert keyed == want
    # With a filter too, paged
    store.set_article_status(order[0], "done")
    store.set_annotator_state(mine[0], "alice", "done")
    todo = []
    for part in ("mine", "rest"):
        offset = 0
        while page := store.article_rows(
            offset, 3, order="useful", annotator="alice", part=part, statuses=("new",)
        ):
            todo += [r["id"] for r in page]
            offset += len(page)
    assert todo == [a for a in want if a not in (order[0], mine[0])]
    no_one = [r["id"] for r in store.article_rows(0, 100, order="quick", statuses=("new",))]
    quick = [r[0] for r in store.query("SELECT article_id FROM article_queue ORDER BY effort, article_id")]
    assert no_one == [a for a in quick if a not in (order[0], mine[0])]


def test_next_not_done_follows_the_order():
    store, ids = scored_project()
    order = ranked(store)
    # Next and previous walk the order, ties in import order
    assert [store.neighbour_article(a, 1, order="useful") for a in order[:-1]] == order[1:]
    assert [store.neighbour_article(a, -1, order="useful") for a in order[1:]] == order[:-1]
    assert store.neighbour_article(0, 1, skip_done=True, order="useful") == order[0]
    # Done articles are passed over; past the last, back to the first not done
    store.set_article_status(order[1], "done")
    assert store.neighbour_article(order[0], 1, skip_done=True, order="useful") == order[2]
    assert store.neighbour_article(order[-1], 1, skip_done=True, order="useful") == order[0]
    # Her assigned articles first, in the same order
    store.assign([(order[5], "alice"), (order[9], "alice")])
    assert store.neighbour_article(order[0], 1, skip_done=True, annotator="alice", order="useful") == order[5]
    assert store.neighbour_article(order[5], 1, skip_done=True, annotator="alice", order="useful") == order[9]
    # Import order, as before
    assert store.neighbour_article(ids[0], 1, skip_done=True, order="import") == ids[1]


def test_the_order_is_a_project_setting(tmp_path: Path):
    path = tmp_path / "p.sorot"
    with Store.open(path) as store:
        assert chosen_order(store) == "import"
        store.set_setting(QUEUE_ORDER_SETTING, "quick")
    with Store.open(path) as store:
        assert chosen_order(store) == "quick"
        store.set_setting(QUEUE_ORDER_SETTING, "nonsense")
        assert chosen_order(store) == "import"


# -- the migration -------------------------------------------------------------------------------


def test_migration_back_fills_from_stored_suggestions(tmp_path: Path):
    # Given a project made before m011, with suggestions of a model (scored) and of the rules
    path = tmp_path / "old.sorot"
    db = Database(sqlite3.connect(str(path), check_same_thread=False))
    migrations.apply(db, stop_before="m011_article_queue")
    old = Store(db, path, read_only=False, lock=None)
    t0, t1, t2 = text(30, 0), text(60, 1), text(10, 2)
    docs = [
        Document(Article(t0), [Span(0, 7, "ACTOR", status="suggested", origin="spacy:m", score=0.5),
                               Span(9, 10, "ACTOR", status="suggested", origin="rules", score=0.5)]),
        Document(
            Article(t1),
            [Span(0, 7, "ACTOR", status="accepted"), Span(9, 10, "ACTOR", status="suggested", annotator="alice")],
        ),
        Document(Article(t2)),
    ]  # fmt: skip
    ids = old.import_documents(docs).article_ids
    old.close()
    # When it is opened with this version
    with Store.open(path) as store:
        # Then each article has its row: usefulness from the model's scores, effort from the
        # length and the pending suggestions
        assert queue_row(store, ids[0]) == (1.0, effort(len(t0), 2))
        assert queue_row(store, ids[1]) == (0.0, effort(len(t1), 1))  # a touched suggestion waits too
        assert queue_row(store, ids[2]) == (0.0, effort(len(t2), 0))
        # and an article imported since gets its row too
        [new] = store.import_documents([Document(Article(text(5, 9)))]).article_ids
        assert queue_row(store, new) == (0.0, effort(len(text(5, 9)), 0))
        # Deleting an article takes its row with it
        store.delete_article(ids[2])
        assert not store.query("SELECT 1 FROM article_queue WHERE article_id = ?", (ids[2],))


# -- the command line ----------------------------------------------------------------------------


def test_next_lists_the_articles_to_do_in_the_order_and_set_keeps_it(tmp_path: Path, capsys):
    import json

    import cli

    # Given a project whose suggesters disagree most on the second article
    path = tmp_path / "p.sorot"
    with Store.open(path) as store:
        ids = store.import_documents([Document(Article(text(10, i))) for i in range(3)]).article_ids
        rules = Fixed("rules", {"Artikel 1": [(0, 7, "ACTOR", None)], "Artikel 2": [(0, 7, "ACTOR", None)]})
        model = Fixed("spacy:m", {"Artikel 1": [(0, 7, "LOCATION", None)]})
        suggest_articles(store, ids, [model, rules])
        store.set_article_status(ids[2], "done")
    # When ``sorot next --order useful --set --json`` runs
    args = cli.parse(
        ["--db", str(path), "--annotator", "cli", "next", "--order", "useful", "--set", "--json"]
    )
    assert cli.run(args) == 0
    # Then it lists the articles not done, most useful first, and the project keeps the order
    out = json.loads(capsys.readouterr().out)
    assert out["order"] == "useful"
    assert [a["id"] for a in out["articles"]] == [ids[1], ids[0]]
    assert out["articles"][0]["usefulness"] == 2.0
    with Store.open(path) as store:
        assert chosen_order(store) == "useful"
