"""Entity recognisers that decide together (annotator/ensemble.py, issue #14): trained side by
side in helper processes, shipped as one ``ner`` that loads like any Sorot model."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_train import FAST, build_store  # noqa: E402

from annotator import ensemble, spacy_hints  # noqa: E402
from annotator.train import evaluate, train  # noqa: E402

TEXTS = [
    "Menurut laporan, Sri Mulyani tiba di Medan pada hari Senin .",
    "Menurut laporan, Joko Widodo berpidato di Bandung pada hari Senin .",
    "",
    "Senin .",
]


def _ents(nlp, texts=TEXTS) -> list[list[tuple[int, int, str]]]:  # noqa: ANN001
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single") / "m"
    train(build_store(30), out, max_epochs=4, settings=FAST)
    return out


def test_an_ensemble_of_one_finds_what_the_stock_ner_finds(single, tmp_path):
    # Given a model Sorot trained (a stock ner) and the same model as an ensemble of one member
    one = ensemble.assemble([single], tmp_path / "one")
    # When both read the same texts
    stock, ours = spacy.load(single), spacy_hints.load(one)
    # Then they find the same entities: the step-by-step decoding is spaCy's own
    assert type(ours.get_pipe("ner")) is ensemble.EnsembleNER
    assert _ents(ours) == _ents(stock)
    assert any(_ents(stock))


def test_an_ensemble_round_trips_through_bytes_and_disk(single, tmp_path):
    # Given an ensemble of two members (here the same model twice)
    path = ensemble.assemble([single, single], tmp_path / "two")
    nlp = spacy_hints.load(path)
    ner = nlp.get_pipe("ner")
    assert len(ner.members) == 2 and ner.labels == spacy.load(single).get_pipe("ner").labels
    # When it is written to bytes and read back, and saved to a folder and loaded
    again = spacy_hints.load(path)
    again.get_pipe("ner").from_bytes(ner.to_bytes())
    nlp.to_disk(tmp_path / "saved")
    # Then it finds what it found, which is what its (identical) members find alone
    assert (
        _ents(again) == _ents(nlp) == _ents(spacy_hints.load(tmp_path / "saved")) == _ents(spacy.load(single))
    )


def test_the_decoding_goes_by_batches_of_bounded_tokens():
    # Given documents of 3, 3, 5, 1 and 9 tokens
    docs = [[0] * n for n in (3, 3, 5, 1, 9)]
    # When they are cut into batches of at most 8 tokens or 2 documents
    batches = list(ensemble._by_tokens(docs, max_docs=2, max_tokens=8))
    # Then each batch stays within both, except a document longer than the limit, alone
    assert [[len(d) for d in b] for b in batches] == [[3, 3], [5, 1], [9]]


def test_members_of_other_architectures_are_refused(single, tmp_path):
    # Given a model with another hidden width
    other = tmp_path / "other"
    train(build_store(20), other, max_epochs=1, settings=dataclasses.replace(FAST, hidden_width=16))
    # When they are put together, then it says why not
    with pytest.raises(ValueError, match="one architecture"):
        ensemble.assemble([single, other], tmp_path / "both")


def test_training_two_members_side_by_side_ships_one_ner(tmp_path):
    # Given a project, and settings asking for two models side by side
    store = build_store(30)
    settings = dataclasses.replace(FAST, members=2, max_seconds=0)
    seen = []
    # When it trains
    result = train(store, tmp_path / "m", max_epochs=3, settings=settings, on_epoch=seen.append)
    # Then the second model trained in a helper process, and both ship as one ner
    assert result.final["members"] == 2 and len(result.final["member_epochs"]) == 2
    assert [e.epoch for e in seen] == [1, 2, 3]  # the epochs reported are the first model's
    assert not any("ensemble" in w for w in result.warnings)
    nlp = spacy_hints.load(tmp_path / "m")
    assert nlp.pipe_names == ["ner"] and len(nlp.get_pipe("ner").members) == 2
    assert sorted(nlp.get_pipe("ner").labels) == ["ACTOR", "LOCATION"]
    # ... scored, as what ships, by the ensemble of the held-back runs' models
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())["sorot"]
    assert len(meta["scores"]["members_ents_f"]) == 2 and "ents_f" in meta["scores"]
    assert meta["peak_memory_mb"] > 0
    scores = evaluate(tmp_path / "m", list(store.iter_documents()))
    assert set(scores["per_label"]) == {"ACTOR", "LOCATION"}

    from annotator.suggest.spacy_pipeline import SpacySuggester

    sugg = SpacySuggester(str(tmp_path / "m"), label_map={"ACTOR": "ACTOR", "LOCATION": "LOCATION"})
    assert sugg.suggest(TEXTS[:1], ["xx"])[0] is not None


def test_one_model_on_one_core_in_a_short_run_or_with_a_spancat(tmp_path, monkeypatch):
    from annotator import train as train_module
    from annotator.train import TrainingData, _ensemble_size

    # Given two members asked for
    two = dataclasses.replace(FAST, members=2, max_seconds=0)
    ner_only = TrainingData([], {}, ["ACTOR"], [], "xx", [])
    monkeypatch.setattr(train_module, "_cores", lambda: 2)
    assert _ensemble_size(two, ner_only, None) == 2
    # Then one model trains in a short run, with a spancat, or from a base model
    assert _ensemble_size(dataclasses.replace(two, max_seconds=60), ner_only, None) == 1
    assert _ensemble_size(two, TrainingData([], {}, ["ACTOR"], ["CLAIM"], "xx", []), None) == 1
    assert _ensemble_size(two, ner_only, object()) == 1
    # ... and on a machine with one core: a stock ner ships
    monkeypatch.setattr(train_module, "_cores", lambda: 1)
    result = train(build_store(20), tmp_path / "m", max_epochs=1, settings=two)
    assert "members" not in result.final
    assert type(spacy.load(tmp_path / "m").get_pipe("ner")).__name__ == "EntityRecognizer"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a process's children in /proc")
def test_a_killed_training_takes_its_helper_along(tmp_path):
    import os
    import signal
    import subprocess
    import time

    # Given a training of two models side by side, in its own process, long enough to be killed
    script = (
        "import dataclasses, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
        "from test_train import FAST, build_store\n"
        "from annotator.train import train\n"
        "if __name__ == '__main__':\n"
        "    settings = dataclasses.replace(FAST, members=2, max_seconds=120)\n"
        f"    train(build_store(30), {str(tmp_path / 'm')!r}, max_epochs=1000, settings=settings)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[1])
    try:
        # When its helper trains (its folder has a run in it) and the training is killed
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".sorot-train-*/member1/select")) and time.monotonic() < deadline:
            assert proc.poll() is None, "the training ended before its helper started"
            time.sleep(0.2)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert children, "no helper process"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    # Then the helpers end within seconds (they watch their parent), rather than train on
    def running(pid: str) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 20
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [pid for pid in children if running(pid)]
    for pid in alive:  # leave nothing behind, even when the test fails
        os.kill(int(pid), signal.SIGKILL)
    assert not alive


def test_a_plain_spacy_load_finds_the_ensemble_where_sorot_is_installed(single, tmp_path):
    """spaCy's ``spacy_factories`` entry point (pyproject.toml): a process that imports nothing
    of Sorot loads a two-member model with ``spacy.load``, as another spaCy tool would."""
    import subprocess

    path = ensemble.assemble([single, single], tmp_path / "two")
    code = (
        "import spacy\n"
        f"nlp = spacy.load({str(path)!r})\n"
        "print(type(nlp.get_pipe('ner')).__name__, len(nlp.get_pipe('ner').members))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["EnsembleNER", "2"]


def test_a_two_member_model_is_refused_as_a_base_model(single, tmp_path):
    """spaCy's training skips a component it cannot update: fine-tuning an ensemble would
    ship the old model under a new version. The analyst is told to train from scratch."""
    from annotator.errors import ModelError
    from annotator.train import check_base_model

    path = ensemble.assemble([single, single], tmp_path / "two")
    with pytest.raises(ModelError, match="from scratch"):
        check_base_model(str(path), "id", ["PERSON"])
    assert check_base_model(str(single), "id", []) is not None  # one model still fine-tunes
