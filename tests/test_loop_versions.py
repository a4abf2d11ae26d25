"""Versions of the project's model: when one is due, swap only when better, rollback, and a
training that fails or is killed never leaves a model in use (annotator/loop.py,
storage/models.py, ops/retrain.py)."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from annotator.errors import ModelError
from annotator.loop import (
    ModelVersion,
    action_counts,
    best_place,
    due,
    is_better,
    review_actions,
    review_cost,
    spec_with_model,
)
from annotator.model import Label
from ops import retrain
from storage.store import Store

pytest.importorskip("spacy")

from tests.test_train import FAST, make_article  # noqa: E402


def project(tmp_path, n: int = 30, status: str = "done") -> Store:
    rng = random.Random(3)
    store = Store.open(tmp_path / "p.sorot")
    store.save_label(Label("ACTOR", "entity", "#4e79a7"))
    store.save_label(Label("LOCATION", "entity", "#59a14f"))
    store.import_documents([make_article(rng, status=status) for _ in range(n)], annotator="ana")
    store.set_setting("suggesters", "gazetteer")  # no rules: a first model has nothing to beat
    return store


def version(path: str, f: float | None, articles: int = 20) -> ModelVersion:
    return ModelVersion(path=path, f=f, articles=articles)


def test_the_rules_of_the_loop():
    assert not due(19, None, 20) and due(20, None, 20)
    assert not due(35, version("/m/1", 0.5, articles=20), 20) and due(
        40, version("/m/1", 0.5, articles=20), 20
    )
    assert not due(100, None, 0), "0 turns the loop off"
    assert is_better(version("/m/2", 0.6), None)
    assert is_better(version("/m/2", 0.6), version("/m/1", 0.5))
    assert not is_better(version("/m/2", 0.5), version("/m/1", 0.5)), "equal is not better"
    assert not is_better(version("/m/2", None), None), "no held-out score: never swapped in"
    # the own model goes first; another pipeline the analyst chose stays
    assert spec_with_model("rules,gazetteer,spacy:en_core_web_sm", "/m/2", ["/m/1"]) == (
        "spacy:/m/2,rules,gazetteer,spacy:en_core_web_sm"
    )
    assert spec_with_model("spacy:/m/1,rules", "/m/2", ["/m/1"]) == "spacy:/m/2,rules"
    assert spec_with_model("spacy:/m/1,rules", None, ["/m/1"]) == "rules"
    assert (
        spec_with_model("spacy:/m/1,rules,gazetteer", "/m/2", ["/m/1"], "last")
        == "rules,gazetteer,spacy:/m/2"
    )
    # the key presses decide against no model; a model in use must also be beaten on F
    effort = {"without": 1.8, "first": 1.9, "last": 1.5}
    assert best_place(effort) == "last" and best_place({"without": 3, "first": 2, "last": 2}) == "first"
    assert is_better(ModelVersion("/m/2", f=0.3, place="last"), None, 0.5, effort)
    assert not is_better(ModelVersion("/m/2", f=0.9, place="first"), None, 0.5, effort)
    assert not is_better(ModelVersion("/m/3", f=0.4, place="last"), version("/m/2", 0.5), 0.5, effort)


def test_the_analysts_key_presses_on_suggestions():
    gold = {(0, 5, "ACTOR"), (10, 20, "LOCATION"), (30, 35, "ACTOR"), (40, 45, "ACTOR")}
    offered = [
        (0, 5, "ACTOR"),
        (10, 15, "LOCATION"),
        (12, 20, "LOCATION"),
        (50, 55, "ACTOR"),
        (30, 35, "LOCATION"),
    ]
    decisions, drawn = review_actions(gold, offered)
    assert decisions == [
        ("accept", (0, 5, "ACTOR"), (0, 5, "ACTOR")),
        ("fix", (10, 15, "LOCATION"), (10, 20, "LOCATION")),
        ("reject", (12, 20, "LOCATION"), None),  # its gold span was taken by the first fix
        ("reject", (50, 55, "ACTOR"), None),
        ("fix", (30, 35, "LOCATION"), (30, 35, "ACTOR")),  # relabelled
    ]
    assert drawn == [(40, 45, "ACTOR")]
    assert action_counts(decisions, drawn) == {"accept": 1, "fix": 2, "reject": 2, "draw": 1}
    # 1 + 2*2 + 2 + 3 = 10 key presses for 4 gold spans; nothing offered: 3 each
    assert review_cost([gold], [offered]) == 10 / 4
    assert review_cost([gold, set()], [[], [(1, 2, "ACTOR")]]) == (12 + 1) / 4
    assert review_cost([], []) == 0.0


def test_versions_swap_only_when_better_and_roll_back(tmp_path):
    store = Store.open(tmp_path / "p.sorot")
    v1 = store.add_model_version(version("/m/1", 0.50), activate=True)
    assert store.setting("suggesters") == "spacy:/m/1,rules,gazetteer"
    v2 = store.add_model_version(version("/m/2", 0.40))
    assert store.active_model_version().id == v1.id and not v2.active
    assert v2.id == v1.id + 1
    # rollback to none, then to v2, each in the history
    assert store.activate_model_version(None) == v1.id
    assert store.setting("suggesters") == "rules,gazetteer"
    assert store.activate_model_version(v2.id) is None
    assert store.setting("suggesters") == "spacy:/m/2,rules,gazetteer"
    assert [v.id for v in store.model_versions()] == [v2.id, v1.id]
    actions = [e["action"] for e in store.events(limit=10)]
    assert actions.count("model.activate") == 3 and actions.count("model.add") == 2
    store.close()
    # ids are never reused, and the state survives a reopen
    store = Store.open(tmp_path / "p.sorot")
    assert store.active_model_version().path == "/m/2"
    store.close()


def test_retrain_now_makes_a_version_in_use_with_per_label_scores(tmp_path):
    store = project(tmp_path)
    store.set_setting("suggesters", "rules")
    docs = list(store.iter_documents())
    rules_alone = retrain.suggesters_f(
        docs, retrain.suggestions_without_model(store, docs), {"ACTOR", "LOCATION"}
    )
    assert rules_alone == 1.0, "the rules know every name of this toy project"
    store.set_setting("suggesters", "gazetteer")
    assert retrain.finished_articles(store) == 30 and retrain.is_due(store), "30 done, every 20"
    store.set_setting("loop.retrain_every", "40")
    assert not retrain.is_due(store)
    outcome = retrain.train_now(store, settings=FAST, max_epochs=6)
    v = outcome.version
    assert outcome.baseline == 0.0 and v.f > 0
    # nothing else suggests (the gazetteer has seen these articles): every gold span would be
    # drawn, 3 key presses each, and the model saves some of them
    assert outcome.effort["without"] == 3.0 and outcome.effort[v.place] < 3.0
    assert "key presses per gold span there: 3.00 without it" in v.note
    shipped = json.loads((Path(v.path) / "meta.json").read_text())["sorot"]
    assert len(shipped["trained_articles"]) == shipped["counts"]["train_articles"] >= 24  # what it learnt from
    # and the model in use does suggest: the one shipped is never a run left undertrained
    from annotator.suggest import build_suggesters

    [model] = build_suggesters(f"spacy:{v.path}", label_map=store.label_map())
    assert any(model.suggest([d.article.text for d in docs[:5]], ["id"] * 5))
    assert outcome.swapped and v.active and v.cause == "manual"
    assert v.articles == 30 and v.spans > 0 and set(v.scores) == {"ACTOR", "LOCATION"}
    assert store.setting("suggesters").startswith(f"spacy:{v.path},")
    assert (tmp_path / "p.sorot.models").is_dir() and not list(
        (tmp_path / "p.sorot.models").glob(".partial-*")
    )
    meta = json.loads((Path(v.path) / "meta.json").read_text())
    assert meta["sorot"]["scores"]["ents_f"] == v.f
    assert not retrain.is_due(store), "nothing new finished since"
    store.close()


def test_a_training_that_left_no_model_changes_nothing(tmp_path):
    store = project(tmp_path, n=4)
    partial = retrain.new_partial(store)
    (partial / "model").mkdir()
    (partial / "model" / "config.cfg").write_text("[half written")
    with pytest.raises(ModelError, match="no complete model"):
        retrain.finish(store, partial)
    assert store.model_versions() == [] and not partial.exists()
    assert store.setting("suggesters") == "gazetteer"
    store.close()


def test_killed_background_training_leaves_nothing_in_use(tmp_path):
    """The desk's background training, killed mid-run: no version, the spec untouched, and
    the partial folder is cleaned up at the next start."""
    store = project(tmp_path)
    partial = retrain.new_partial(store)
    proc = subprocess.Popen(
        retrain.child_argv(store, partial, minutes=5), env=retrain.child_env(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # wait until it is training (it printed its first line), then kill it
    first = proc.stdout.readline()
    assert first, "the training process said nothing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    with pytest.raises(ModelError):
        retrain.finish(store, partial)
    assert store.model_versions() == [] and store.active_model_version() is None
    leftover = retrain.new_partial(store)
    assert retrain.clean_partials(store) == 1 and not leftover.exists()
    store.close()


def test_background_training_process_reads_the_project_while_it_is_open_for_writing(tmp_path):
    store = project(tmp_path)
    store.set_setting("loop.max_epochs", "2")
    partial = retrain.new_partial(store)
    assert retrain.child_argv(store, partial)[-2:] == ["--max-epochs", "2"]
    t0 = time.monotonic()
    done = subprocess.run(
        retrain.child_argv(store, partial, minutes=0.25),
        env=retrain.child_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    # the desk went on writing meanwhile
    store.set_setting("loop.note", "written while training")
    outcome = retrain.finish(store, partial, cause="auto")
    assert outcome.version.cause == "auto" and outcome.baseline == 0.0 and time.monotonic() - t0 < 300
    assert outcome.swapped == (outcome.version.f > 0)
    assert store.model_versions()[0].path == outcome.version.path
    store.close()


def fake_training(store: Store, f: float, baseline: float | None, effort: dict | None = None) -> Path:
    """A partial folder as a finished training leaves it (meta with a held-out score)."""
    partial = retrain.new_partial(store)
    (partial / "model").mkdir()
    meta = {"sorot": {"scores": {"ents_f": f, "per_label": {"ACTOR": {"p": f, "r": f, "f": f}}},
                      "counts": {"train_articles": 24, "eval_articles": 6, "train_spans": {"ACTOR": 40}}}}  # fmt: skip
    (partial / "model" / "meta.json").write_text(json.dumps(meta))
    if baseline is not None:
        found = {"f": baseline} if effort is None else {"f": baseline, "effort": effort}
        (partial / retrain.BASELINE).write_text(json.dumps(found))
    return partial


def test_a_first_model_must_beat_the_suggesters_without_it(tmp_path):
    store = project(tmp_path, n=4)
    worse = retrain.finish(store, fake_training(store, 0.30, baseline=0.45))
    assert not worse.swapped and store.active_model_version() is None
    assert "do as well (0.45)" in worse.message() and "0.450" in worse.version.note
    better = retrain.finish(store, fake_training(store, 0.60, baseline=0.45))
    assert better.swapped and store.active_model_version().id == better.version.id
    assert better.version.articles == 30 and better.version.spans == 40
    # a later one must beat the model in use, not the rules
    later = retrain.finish(store, fake_training(store, 0.55, baseline=0.10))
    assert not later.swapped and "not better than v2 (0.60)" in later.message()
    store.close()


def test_a_model_goes_where_it_saves_the_most_key_presses_and_only_if_it_saves_some(tmp_path):
    # Given a project whose rules leave many names to draw
    store = project(tmp_path, n=4)
    store.set_setting("suggesters", "rules,gazetteer")
    # When a first model scores a lower F than the rules but, filling their gaps, saves key presses
    gap_filler = retrain.finish(
        store, fake_training(store, 0.40, baseline=0.55, effort={"without": 1.9, "first": 2.1, "last": 1.4})
    )
    # Then it is put in use after the others, and says why
    assert gap_filler.swapped and gap_filler.version.place == "last"
    assert store.setting("suggesters") == f"rules,gazetteer,spacy:{gap_filler.version.path}"
    assert "after the others' (1.40 key presses per span, 1.90 without)" in gap_filler.message()
    # a later, better model that wins where it overlaps goes first
    strong = retrain.finish(
        store, fake_training(store, 0.70, baseline=0.55, effort={"without": 1.9, "first": 1.2, "last": 1.3})
    )
    assert strong.swapped and store.setting("suggesters") == f"spacy:{strong.version.path},rules,gazetteer"
    # one with a better F that, on the held-back articles neither model trained on, costs more
    # key presses than the version in use is kept aside
    vs = {"id": strong.version.id, "articles": 4, "active": 1.25, "first": 1.3, "last": 1.35}
    slower = retrain.finish(
        store, fake_training(store, 0.80, baseline=0.55, effort={"without": 1.9, "first": 1.3, "last": 1.35, "vs_active": vs})
    )
    assert not slower.swapped and f"v{strong.version.id} needs fewer key presses on the 4" in slower.message()
    vs = {"id": strong.version.id, "articles": 4, "active": 1.25, "first": 1.3, "last": 1.1}
    faster = retrain.finish(
        store, fake_training(store, 0.50, baseline=0.55, effort={"without": 1.9, "first": 1.3, "last": 1.1, "vs_active": vs})
    )
    assert faster.swapped and faster.version.place == "last", "a lower F, but fewer key presses there"
    store.activate_model_version(strong.version.id)
    # one that would cost more key presses than no model at all is kept aside, whatever its F
    costly = retrain.finish(
        store, fake_training(store, 0.90, baseline=0.55, effort={"without": 1.9, "first": 2.0, "last": 1.95})
    )
    assert not costly.swapped and "would not save key presses" in costly.message()
    # rolling back to the gap filler puts it back in its own place; the place survives a reopen
    store.activate_model_version(gap_filler.version.id)
    assert store.setting("suggesters") == f"rules,gazetteer,spacy:{gap_filler.version.path}"
    store.close()
    store = Store.open(tmp_path / "p.sorot")
    assert store.active_model_version().place == "last"
    with pytest.raises(ValueError):
        ModelVersion(path="/m/x", place="middle")
    store.close()
