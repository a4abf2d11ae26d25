"""What Sorot knows, as a feature of the model it trains (issue #14, "Model quality goal").

The built-in rules (``annotator.suggest.rules``: titles before names, organisation and place
cue words, acronyms, the GeoNames place list) mark each token with a hint, which the trained
``ner`` reads as one more embedded attribute (``HINT_ATTR``) beside the word's form. The
model learns how far to trust each rule for each of the project's labels, so a rule that says
ACTOR helps it tell PERSON from ORGANISATION, and a place name it never saw in training is
still a place.

The hint of a token is ``B``/``I`` (first or later token of a rule's span), the rule's label
and its score (each rule has its own fixed score, so this names the rule), or ``O``. It is
written to ``token.tag_``, which a pipeline trained from scratch leaves unused.

The component, ``sorot_hints``, has no weights and is saved in the pipeline's config like any
other: whatever loads a Sorot model must import this module first (it registers the factory);
``annotator.suggest.spacy_pipeline`` and ``annotator.train.evaluate`` do.

Only the rules' own knowledge is used, not the names labelled in news (``names.tsv``): those
come from the training corpora, so on the training articles nearly every entity would carry
a hint and the model would learn to trust hints more than they deserve on new text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

FACTORY = "sorot_hints"
HINT_ATTR = "TAG"
OUTSIDE = "O"


@cache
def _rules(news_names: bool):  # noqa: ANN202
    from annotator.suggest.rules import RulesSuggester, load_places

    # No vocabulary learnt across calls and acronyms judged alone: a token's hint depends on
    # its text only, the same in a training line as in the whole article at suggestion time.
    return RulesSuggester(
        claims=False,
        places=load_places(news_names=news_names),
        learn_vocabulary=False,
        acronyms="all",
    )


def hints(doc: Any, *, news_names: bool = False) -> list[str]:
    """The hint of each token of ``doc`` (a spaCy ``Doc``)."""
    from annotator.suggest.base import ACTOR, LOCATION

    tags = [OUTSIDE] * len(doc)
    found = _rules(news_names).suggest_doc(doc, learn=False)
    for s in sorted(found, key=lambda s: (s.start, -(s.end - s.start))):
        if s.label not in (ACTOR, LOCATION):
            continue
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is None or not len(span) or any(t != OUTSIDE for t in tags[span.start : span.end]):
            continue
        kind = f"{s.label}:{s.score if s.score is not None else ''}"
        tags[span.start] = "B-" + kind
        for k in range(span.start + 1, span.end):
            tags[k] = "I-" + kind
    return tags


class Hints:
    """The pipeline component: sets ``token.tag_`` to the token's hint."""

    def __init__(self, name: str = FACTORY, news_names: bool = False) -> None:
        self.name = name
        self.news_names = news_names

    def __call__(self, doc):  # noqa: ANN001, ANN204
        for token, tag in zip(doc, hints(doc, news_names=self.news_names), strict=True):
            token.tag_ = tag
        return doc

    def pipe(self, docs, batch_size: int = 128):  # noqa: ANN001, ANN201, ARG002
        for doc in docs:
            yield self(doc)

    # nothing to save: the component is its code
    def to_disk(self, path, exclude=()) -> None:  # noqa: ANN001
        pass

    def from_disk(self, path, exclude=()):  # noqa: ANN001, ANN201
        return self

    def to_bytes(self, exclude=()) -> bytes:  # noqa: ANN001
        return b""

    def from_bytes(self, data, exclude=()):  # noqa: ANN001, ANN201
        return self


def register() -> None:
    """Register the ``sorot_hints`` factory with spaCy (idempotent), and the other components
    a model Sorot trains may have (``annotator.ensemble``)."""
    from spacy.language import Language

    from annotator import ensemble

    ensemble.register()
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config={"news_names": False}, func=_make)


def load(target: Any, **kwargs: Any) -> Any:
    """``spacy.load``, with Sorot's components registered first: how Sorot loads a pipeline,
    which a model it trained may need."""
    import spacy

    register()
    return spacy.load(target, **kwargs)


def _make(nlp: Any, name: str, news_names: bool) -> Hints:  # noqa: ARG001
    return Hints(name, news_names)
