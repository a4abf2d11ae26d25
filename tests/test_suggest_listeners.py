"""A pipeline whose ner listens to a shared tok2vec (as Sorot's trained ner+spancat ones do)."""

from __future__ import annotations

import spacy
from spacy.training import Example

from annotator.suggest.spacy_pipeline import SpacySuggester
from storage.store import Store

LISTENER_NER = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 32,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"},
    }
}


def test_a_listening_ner_keeps_its_tok2vec_and_predicts_project_labels(tmp_path):
    # Given a pipeline trained on the project's own label names, with a shared tok2vec
    nlp = spacy.blank("xx")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("ner", config=LISTENER_NER).add_label("ACTOR")
    examples = [
        Example.from_dict(nlp.make_doc("Kim Jong Un tiba di Moskow"), {"entities": [(0, 11, "ACTOR")]})
    ] * 4
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(tmp_path / "model")
    # When it suggests with the project's label map
    store = Store.memory()
    suggester = SpacySuggester(str(tmp_path / "model"), label_map=store.label_map())
    [found] = suggester.suggest(["Kim Jong Un tiba di Moskow"])
    # Then the tok2vec runs with the ner, and ACTOR maps to itself
    assert suggester._enabled == ["tok2vec", "ner"]
    assert [(s.start, s.end, s.label) for s in found] == [(0, 11, "ACTOR")]
