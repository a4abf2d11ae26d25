"""Suggesting with a spaCy pipeline on two cores: helper processes run the pipeline for some
batches, this process merges and stores every batch in order, so the project ends exactly as
one process leaves it (ops/workflows.suggest_articles with workers)."""

from __future__ import annotations

import random

import pytest

from annotator.model import Document
from annotator.suggest import build_suggesters
from ops.workflows import PARALLEL_SUGGEST_MIN, suggest_articles, suggest_workers
from storage.store import Store

pytest.importorskip("spacy")

from tests.test_train import FAST, build_store, make_article  # noqa: E402


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A small pipeline trained here (no download): spacy:PATH."""
    from annotator.train import train

    out = tmp_path_factory.mktemp("model") / "m"
    store = build_store(30)
    train(store, out, max_epochs=4, settings=FAST)
    store.close()
    return str(out)


def project(path, n: int = 40) -> Store:
    rng = random.Random(9)
    store = Store.open(path)
    docs = [make_article(rng, n_lines=4, status="new") for _ in range(n)]
    store.import_documents([Document(d.article, []) for d in docs])
    return store


def stored(store: Store) -> list[tuple]:
    return store.query(
        "SELECT article_id, char_start, char_end, label, origin, status FROM spans ORDER BY 1, 2, 3, 4, 5"
    )


def test_helpers_store_exactly_what_one_process_stores(tmp_path, model):
    spec = f"spacy:{model},rules,gazetteer"
    found = []
    for workers in (0, 1):
        store = project(tmp_path / f"w{workers}.sorot")
        suggesters = build_suggesters(spec, label_map=store.label_map(), gazetteer_rows=store.gazetteer_rows())
        summary = suggest_articles(store, store.article_ids(), suggesters, batch_size=8, spec=spec, workers=workers)
        assert summary.articles == 40 and not summary.failures
        found.append((summary.suggestions, stored(store)))
        store.close()
    assert found[0] == found[1]
    assert any(origin == f"spacy:{model}" for *_, origin, _status in found[0][1]), "the pipeline suggested"


def test_a_helper_is_used_only_where_it_pays(model):
    rules = build_suggesters("rules,gazetteer")
    with_model = build_suggesters(f"rules,spacy:{model}")
    assert suggest_workers(rules, 10_000) == 0, "the rules are faster than a process starts"
    assert suggest_workers(with_model, PARALLEL_SUGGEST_MIN - 1) == 0
    import os

    assert suggest_workers(with_model, PARALLEL_SUGGEST_MIN) == min(2, max(0, (os.cpu_count() or 1) - 1))
