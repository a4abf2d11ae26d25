"""Train on everything that counts (issue #14): the held-back articles choose the epochs, the
model that ships is trained on all finished articles; binary-only articles keep other tokens missing."""

from __future__ import annotations

import json
import math
import random
import sys
import time
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_train import FAST, build_store, make_article  # noqa: E402

from annotator.formats import conll  # noqa: E402
from annotator.model import Article, Document, Span  # noqa: E402
from annotator.train import (  # noqa: E402
    CONTINUE_SHARE,
    TrainSettings,
    binary_only,
    collect,
    make_doc,
    split_held_back,
    train,
)
from storage.store import Store  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def binary_article(rng: random.Random, status: str = "done") -> Document:
    """An article answered in Prodigy's ner.teach: one span accepted, one rejected, both binary."""
    doc = make_article(rng, n_lines=2, status=status)
    first, second = doc.spans[0], doc.spans[1]
    spans = [
        Span(first.start, first.end, first.label, status="accepted", attrs={"binary": True}),
        Span(second.start, second.end, "ACTOR", status="rejected", attrs={"binary": True}),
    ]
    return Document(doc.article, spans)


def test_the_shipped_model_is_trained_on_all_done_articles(tmp_path):
    # Given a project of 30 done articles and 4 in progress
    store = build_store(30)
    rng = random.Random(9)
    store.import_documents([make_article(rng, status="in_progress") for _ in range(4)], annotator="ana")
    seen = []
    # When it trains with 20% held back
    result = train(store, tmp_path / "m", max_epochs=3, settings=FAST, on_epoch=seen.append)
    # Then the epochs were scored on the 6 held back, and the model was trained again on all 30
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())["sorot"]
    counts = meta["counts"]
    assert counts["selection_train_articles"] == 24 and counts["eval_articles"] == 6
    assert counts["train_articles"] == 30  # the 4 in progress are not read
    assert meta["final"]["articles"] == 30
    assert meta["final"]["epochs"] == meta["scores"]["epoch"] == max(seen, key=lambda e: e.score).epoch
    # the spans counted are those of all 30 articles (2 per line, 3 lines each)
    assert sum(counts["train_spans"].values()) == 30 * 6
    assert "trained on all 30 articles" in result.summary()
    assert "ner" in spacy.load(tmp_path / "m").pipe_names


def test_no_retraining_without_held_back_articles_or_when_switched_off(tmp_path):
    store = build_store(12)
    result = train(store, tmp_path / "a", max_epochs=2, eval_split=0.0, settings=FAST)
    assert result.final["epochs"] == 0 and result.counts["train_articles"] == 12
    assert any("no article is held back" in w for w in result.warnings)
    off = FAST.__class__(**{**FAST.to_dict(), "retrain_on_all": False})
    result = train(store, tmp_path / "b", max_epochs=2, settings=off)
    assert result.final["epochs"] == 0 and result.counts["train_articles"] == 10


def test_binary_only_article_leaves_unlabelled_tokens_missing():
    # Given a done article whose only spans are ner.teach answers, and a finished one annotated in full
    rng = random.Random(2)
    teach, full = binary_article(rng), make_article(rng, n_lines=1)
    assert binary_only(teach) and not binary_only(full)
    blank = spacy.blank("xx")
    # When their reference docs are made as training makes them
    ref = make_doc(blank, teach.article.text, teach.spans, ["ACTOR", "LOCATION"], [], complete=False)
    whole = make_doc(blank, full.article.text, full.spans, ["ACTOR", "LOCATION"], [])
    # Then the accepted answer is an entity, the rejected one an incorrect span, the rest missing
    assert [e.text for e in ref.ents] == [teach.article.text[teach.spans[0].start : teach.spans[0].end]]
    assert [s.text for s in ref.spans["incorrect_spans"]]
    outside = [t for t in ref if t.ent_type_ == ""]
    assert outside and all(t.ent_iob_ == "" for t in outside)
    # ... while a finished article says "O" for every token outside its spans
    assert all(t.ent_iob_ in ("O", "B", "I") for t in whole) and any(t.ent_iob_ == "O" for t in whole)


def test_binary_only_articles_train_but_are_never_held_back():
    rng = random.Random(4)
    docs = [make_article(rng) for _ in range(10)] + [binary_article(rng) for _ in range(5)]
    data = collect(docs)
    assert len(data.documents) == 15  # done binary-only articles count
    train_docs, eval_docs = split_held_back(data.documents, 0.2, seed=0)
    assert len(eval_docs) == 2 and not any(binary_only(d) for d in eval_docs)
    assert sum(binary_only(d) for d in train_docs) == 5 and len(train_docs) == 13
    # an in-progress binary article is not finished: left out
    data = collect(docs + [binary_article(rng, status="in_progress")])
    assert len(data.documents) == 15 and data.skipped_articles == 1


def test_small_training_on_the_fixture_data_is_quick_and_repeatable(tmp_path):
    # Given the NERGrit extract (tests/data, Apache-2.0) imported as done 10-sentence articles
    docs = conll.read(
        DATA / "nergrit" / "train.iob",
        sentences_per_article=10,
        scheme="iob2",
        label_map={"PERSON": "ACTOR", "ORGANISATION": "ACTOR", "PLACE": "LOCATION"},
        status="done",
        lang="xx",
    )
    store = Store.memory()
    store.ensure_labels(["ACTOR", "LOCATION"])
    store.import_documents(docs, annotator="ana")
    # When it trains twice with the same seed
    t0 = time.monotonic()
    one = train(store, tmp_path / "one", max_epochs=2, settings=FAST, seed=3)
    took = time.monotonic() - t0
    two = train(store, tmp_path / "two", max_epochs=2, settings=FAST, seed=3)
    # Then the model ships trained on all 40 articles, in seconds, and the run repeats itself
    assert one.counts["train_articles"] == len(docs) == 40 and one.counts["eval_articles"] == 8
    # (going on from the held-back run's best model for a quarter of its epochs more)
    assert one.final["continued"] and one.final["stopped"] == "max_epochs"
    assert one.final["epochs"] == max(1, math.ceil(one.scores["epoch"] * CONTINUE_SHARE))
    assert took < 30
    assert [e.score for e in one.epochs] == [e.score for e in two.epochs]
    nlp_one, nlp_two = spacy.load(tmp_path / "one"), spacy.load(tmp_path / "two")
    text = docs[0].article.text
    assert [(e.start_char, e.label_) for e in nlp_one(text).ents] == [
        (e.start_char, e.label_) for e in nlp_two(text).ents
    ]


def test_article_status_decides_not_the_knowledge_of_the_file():
    # An article read from CoNLL but left "new" is not trained on: the analyst has not finished it.
    rng = random.Random(1)
    doc = make_article(rng, status="new")
    doc.article.meta["annotated"] = True
    data = collect([doc, make_article(rng)])
    assert len(data.documents) == 1 and data.skipped_articles == 1


def test_the_command_line_can_ship_the_held_back_runs_model(tmp_path, capsys):
    # Given a project file of 12 done articles
    import cli

    db = tmp_path / "p.sorot"
    store = Store.open(db)
    rng = random.Random(6)
    store.ensure_labels(["ACTOR", "LOCATION"])
    store.import_documents([make_article(rng) for _ in range(12)], annotator="ana")
    store.close()
    # When `train` runs with --held-back-model, then without
    base = ["--db", str(db), "train", "--max-epochs", "1", "--no-register"]
    assert cli.run(cli.parse([*base, str(tmp_path / "a"), "--held-back-model"])) == 0
    assert cli.run(cli.parse([*base, str(tmp_path / "b")])) == 0
    # Then the first model learnt from the 10 training articles only, the second from all 12
    counts = [json.loads((tmp_path / m / "meta.json").read_text())["sorot"]["counts"] for m in "ab"]
    assert [c["train_articles"] for c in counts] == [10, 12]
    assert "trained on all 12 articles" in capsys.readouterr().out


def test_a_binary_only_article_read_from_the_project_stays_binary_only():
    # Given a done article whose spans are ner.teach answers, stored in a project
    store = Store.memory()
    store.ensure_labels(["ACTOR"])
    text = "Joko Widodo tiba di Jakarta ."
    spans = [
        Span(0, 11, "ACTOR", status="accepted", attrs={"binary": True}),
        Span(20, 27, "ACTOR", status="rejected", attrs={"binary": True}),
    ]
    store.import_documents([Document(Article(text=text, status="done", language="id"), spans)], annotator="a")
    # When training reads the project, the answers keep their mark: the other tokens stay missing
    [doc] = collect(store).documents
    assert binary_only(doc)


def test_a_run_on_all_articles_that_does_worse_than_the_held_back_run_is_not_shipped(tmp_path):
    # Given 29 small finished articles and the default settings, 8 epochs at most, the model on
    # all articles trained afresh: the held-back run peaks at epoch 4, and 4 epochs on all
    # articles (their learning rate still warming up and already decaying) find nothing
    rng = random.Random(5)
    docs = [make_article(rng, status="done") for _ in range(29)]
    # When the model is trained
    result = train(docs, tmp_path / "model", max_epochs=8, seed=0, settings=TrainSettings(continue_on_all=False))
    # Then the model trained on all of them is checked on the held-back articles, which it saw,
    # against the held-back run's score there; it fell short, so the held-back run's model ships
    assert result.final["kept"] == "held-back run"
    assert any("did worse on the held-back articles" in w for w in result.warnings)
    assert result.counts["train_articles"] == result.counts["selection_train_articles"] < 29
    nlp = spacy.load(tmp_path / "model")
    assert any(nlp(d.article.text).ents for d in docs[:5]), "the shipped model finds names"
