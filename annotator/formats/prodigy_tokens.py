"""Prodigy's ``tokens`` of an article: spaCy's tokenizer for its language, as JSON text.

The tokens are the ones the desk snaps to (:func:`annotator.snap.tokenize`: the cached
``spacy.blank(lang).tokenizer``, ``xx`` when the article has no language) and the ones a
spaCy user of that language gets, whitespace tokens included, as Prodigy's own
``add_tokens`` writes them: ``{"text", "start", "end", "id", "ws"}``.

Speed: an article's tokens come from the project's token cache when it has them
(:class:`annotator.tokens.TokenCache`; no spaCy is imported then), else the tokenizer runs
over a batch of texts per language (``tokenizer.pipe``), the offsets come from one
``Doc.to_array`` call instead of a Python object per token, and they go to the cache. Both
paths make the JSON in one function (``json_of``: :mod:`annotator.formats.fast_prodigy`). Kept
apart from :mod:`annotator.formats.jsonl` so that importing the formats does not import
spaCy. tests/test_speed_tokens.py checks the boundaries against ``snap.tokenize``, the JSON
against ``json.dumps`` of the tokens read one by one from the Doc, and cached against
computed tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy

from annotator.fast_json import dumps
from annotator.formats._common import Tokens
from annotator.formats.fast_prodigy import tokens_json as fast_tokens_json
from annotator.tokens import TokenCache, TokenOffsets, encode_arrays, tokenizer_code, tokenizer_key

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator.model import Document

#: Texts per ``tokenizer.pipe`` call (the writer hands batches of this size).
BATCH = 256


def language_of(lang: str | None) -> str:
    """The tokenizer's language for an article's ``language``: the desk's rule (``xx`` if none,
    a code spaCy lacks by its fallback: ``annotator.tokens.tokenizer_code``)."""
    return tokenizer_code(lang)


def json_of(text: str, offsets: TokenOffsets) -> tuple[str, Tokens]:
    """The JSON text of the tokens and the same tokens for offset look-ups: the text
    ``json_of_stock`` gives, put together by ``str.join`` (:mod:`annotator.formats.fast_prodigy`)."""
    found, words = fast_tokens_json(text, offsets.starts, offsets.ends, offsets.ws)
    return found, Tokens.of(words, offsets.starts, offsets.ends)


def json_of_stock(text: str, offsets: TokenOffsets) -> tuple[str, Tokens]:
    """The stock path ``json_of`` stands in for: a dict per token through orjson (~250 µs for
    ~500 tokens). Tests and bench_core compare the two."""
    starts, ends = offsets.starts, offsets.ends
    words = offsets.words(text)
    items = [
        {"text": w, "start": s, "end": e, "id": i, "ws": f}
        for i, (w, s, e, f) in enumerate(zip(words, starts, ends, offsets.ws, strict=True))
    ]
    return dumps(items), Tokens.of(words, starts, ends)


_LEX_NORMS: dict[int, dict[int, int]] = {}


def offsets_of(doc: Doc) -> TokenOffsets:
    """The tokens of a tokenizer's ``doc``: offsets, trailing spaces, and the norms a tokenizer
    exception gave (a Doc built from the words alone has its words' own norms), with the
    token cache's row of them."""
    from spacy.attrs import IDX, LENGTH, NORM, ORTH, SPACY

    found = doc.to_array([IDX, LENGTH, SPACY, ORTH, NORM])
    idx, length, ws = found[:, 0], found[:, 1], found[:, 2]
    # A token's norm is its word's unless an exception set it; a word's own norm is often
    # not the word ("Saat" -> "saat"), so only tokens whose norm is not their text are asked.
    vocab = doc.vocab
    lex = _LEX_NORMS.setdefault(id(vocab), {})
    norms = []
    asked = numpy.flatnonzero(found[:, 3] != found[:, 4])
    for i, orth, norm in zip(asked.tolist(), found[asked, 3].tolist(), found[asked, 4].tolist(), strict=True):
        own = lex.get(orth)
        if own is None:
            own = lex[orth] = vocab[orth].norm
        if norm != own:
            norms.append((i, vocab.strings[norm]))
    starts = idx.tolist()
    ends = (idx + length).tolist()
    data = encode_arrays(idx.astype(numpy.int64), length.astype(numpy.int64), ws.astype(numpy.int64), norms)
    return TokenOffsets(starts, ends, ws.astype(bool).tolist(), tuple(norms), data)


def from_doc(text: str, doc: Doc) -> tuple[str, Tokens]:
    """The JSON text of ``doc``'s tokens and the same tokens for offset look-ups."""
    return json_of(text, offsets_of(doc))


def tokens_json(text: str, lang: str | None = None) -> tuple[str, Tokens]:
    """Prodigy's ``tokens`` list of one text, as JSON text, and the tokens."""
    from annotator.spacy_docs import blank

    return from_doc(text, blank(language_of(lang)).tokenizer(text))


def offsets_many(texts: Sequence[str], lang: str | None) -> list[TokenOffsets]:
    """The tokens of ``texts`` of one language, through ``tokenizer.pipe``."""
    from annotator.spacy_docs import blank

    tokenizer = blank(language_of(lang)).tokenizer
    return [offsets_of(doc) for doc in tokenizer.pipe(texts, batch_size=BATCH)]


def tokens_json_many(texts: Sequence[str], langs: Sequence[str | None]) -> list[tuple[str, Tokens]]:
    """``tokens_json`` of many texts, each language's texts through ``tokenizer.pipe``."""
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by_lang.setdefault(language_of(lang), []).append(i)
    out: list[tuple[str, Tokens] | None] = [None] * len(texts)
    for lang, where in by_lang.items():
        for i, offsets in zip(where, offsets_many([texts[i] for i in where], lang), strict=True):
            out[i] = json_of(texts[i], offsets)
    return out  # type: ignore[return-value]


def offsets_for(docs: Sequence[Document], cache: TokenCache | None) -> list[TokenOffsets]:
    """The Prodigy tokens of each document: from ``cache`` where it has them, else from
    spaCy's tokenizer (and then added to ``cache``)."""
    by_key: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        by_key.setdefault(language_of(doc.article.language), []).append(i)
    out: list[TokenOffsets | None] = [None] * len(docs)
    for lang, where in by_key.items():
        key = tokenizer_key(lang)
        if cache is not None:
            wanted = [
                (docs[i].article.id, len(docs[i].article.text))
                for i in where
                if docs[i].article.id is not None
            ]
            found = cache.lookup(wanted, key)
            for i in where:
                out[i] = found.get(docs[i].article.id)  # type: ignore[arg-type]
        missing = [i for i in where if out[i] is None]
        if missing:
            computed = offsets_many([docs[i].article.text for i in missing], lang)
            for i, offsets in zip(missing, computed, strict=True):
                out[i] = offsets
                if cache is not None:
                    cache.add(docs[i].article.id, key, offsets, docs[i].article.hash)
    return out  # type: ignore[return-value]


def tokens_for(docs: Sequence[Document], cache: TokenCache | None = None) -> list[tuple[str, Tokens]]:
    """``tokens_json`` of each document, through ``cache`` (see ``offsets_for``)."""
    return [json_of(d.article.text, o) for d, o in zip(docs, offsets_for(docs, cache), strict=True)]


def prepare(languages: Sequence[str | None]) -> None:
    """Build the tokenizers of ``languages`` (seconds for some): a helper process's warm-up."""
    from annotator.spacy_docs import blank

    for lang in languages or [None]:
        blank(language_of(lang))
