"""Prodigy's ``tokens`` of an article: spaCy's tokenizer for its language, as JSON text.

The tokens are the ones the desk snaps to (:func:`annotator.snap.tokenize`: the cached
``spacy.blank(lang).tokenizer``, ``xx`` when the article has no language) and the ones a
spaCy user of that language gets, whitespace tokens included, as Prodigy's own
``add_tokens`` writes them: ``{"text", "start", "end", "id", "ws"}``.

Speed: the tokenizer runs over a batch of texts per language (``tokenizer.pipe``); the
offsets come from one ``Doc.to_array`` call instead of a Python object per token, and the
list becomes JSON in orjson (:mod:`annotator.fast_json`). Kept apart from
:mod:`annotator.formats.jsonl` so that importing the formats does not import spaCy.
tests/test_speed_tokens.py checks the boundaries against ``snap.tokenize`` and the JSON
against ``json.dumps`` of the tokens read one by one from the Doc.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.tokens import Doc

from annotator.fast_json import dumps
from annotator.formats._common import Tokens
from annotator.spacy_docs import blank

#: Texts per ``tokenizer.pipe`` call (the writer hands batches of this size).
BATCH = 256


def language_of(lang: str | None) -> str:
    """The tokenizer's language for an article's ``language``: the desk's rule (``xx`` if none)."""
    return lang or "xx"


def from_doc(text: str, doc: Doc) -> tuple[str, Tokens]:
    """The JSON text of ``doc``'s tokens and the same tokens for offset look-ups."""
    found = doc.to_array([IDX, LENGTH, SPACY])
    starts = found[:, 0].tolist()
    ends = (found[:, 0] + found[:, 1]).tolist()
    ws = found[:, 2].astype(bool).tolist()
    words = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    items = [
        {"text": w, "start": s, "end": e, "id": i, "ws": f}
        for i, (w, s, e, f) in enumerate(zip(words, starts, ends, ws, strict=True))
    ]
    return dumps(items), Tokens.of(words, starts, ends)


def tokens_json(text: str, lang: str | None = None) -> tuple[str, Tokens]:
    """Prodigy's ``tokens`` list of one text, as JSON text, and the tokens."""
    return from_doc(text, blank(language_of(lang)).tokenizer(text))


def tokens_json_many(texts: Sequence[str], langs: Sequence[str | None]) -> list[tuple[str, Tokens]]:
    """``tokens_json`` of many texts, each language's texts through ``tokenizer.pipe``."""
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by_lang.setdefault(language_of(lang), []).append(i)
    out: list[tuple[str, Tokens] | None] = [None] * len(texts)
    for lang, where in by_lang.items():
        tokenizer = blank(lang).tokenizer
        docs = tokenizer.pipe([texts[i] for i in where], batch_size=BATCH)
        for i, doc in zip(where, docs, strict=True):
            out[i] = from_doc(texts[i], doc)
    return out  # type: ignore[return-value]


def prepare(languages: Sequence[str | None]) -> None:
    """Build the tokenizers of ``languages`` (seconds for some): a helper process's warm-up."""
    for lang in languages or [None]:
        blank(language_of(lang))
