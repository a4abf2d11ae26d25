"""An article's tokens as spaCy's tokenizer gives them, kept compact for the project's token cache.

Token offsets are a pure function of the text, the language and the tokenizer (spaCy's
version and Sorot's way of building it: ``annotator.spacy_docs.blank``), so the project keeps
them (``storage.tokens``, keyed by ``tokenizer_key``) and exports reuse them instead of
building spaCy's Indonesian tokenizer (2-4 s) and running it (about 2 ms an article).
A different spaCy version or language is another key: a miss, never a stale answer.

What a row holds: each token's length (a byte, unless one is 256+ characters long), whether a space follows it (the starts follow: spaCy's
tokens cover the text, ``start[i+1] = end[i] + ws[i]``), and the few tokens whose norm is not
their word's (a tokenizer exception such as ``jum'at`` -> ``Jumat``), so that a Doc built
from the words carries what the tokenizer's Doc carries. zlib makes ~500 tokens ~400 bytes.
No spaCy here: the warm path of a Prodigy export never imports it.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from typing import Any

import numpy

from annotator.suggest.tokens import tokenizer_code

#: Bump when ``annotator.spacy_docs.blank`` builds tokenizers differently: every row misses.
TOKENIZER_REVISION = 1
#: The first byte of a row: how the rest is laid out (then the lengths' width, the count).
_FORMAT = 2
_HEAD = struct.Struct("<BBI")


@cache
def spacy_version() -> str:
    """spaCy's installed version, read without importing spaCy (a second)."""
    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:
        return "none"


def tokenizer_key(lang: str | None) -> str:
    """The token cache's key of the tokenizer for ``lang``: spaCy's version and the language."""
    return f"spacy-{spacy_version()}/{tokenizer_code(lang)}/r{TOKENIZER_REVISION}"


def encode_arrays(starts: Any, lengths: Any, ws: Any, norms: Sequence[tuple[int, str]] = ()) -> bytes | None:
    """A row's bytes from numpy arrays of the token starts, lengths and trailing spaces; None
    when the tokens do not cover their text end to end (never seen from spaCy; such tokens
    are then simply not kept)."""
    n = len(lengths)
    if n and (starts[0] != 0 or numpy.any(starts[1:] != starts[:-1] + lengths[:-1] + ws[:-1])):
        return None
    if numpy.any(lengths < 0):
        return None
    width = 1 if not n or int(lengths.max()) < 256 else 4  # a token of 256+ characters: rare
    packed = lengths.astype("<u1" if width == 1 else "<u4").tobytes()
    extra = json.dumps(list(norms), ensure_ascii=False).encode("utf-8") if norms else b""
    body = _HEAD.pack(_FORMAT, width, n) + packed + numpy.packbits(ws.astype(bool)).tobytes() + extra
    return zlib.compress(body, 1)


@dataclass(frozen=True, slots=True)
class TokenOffsets:
    """Tokens of one text: code-point ``starts`` and ``ends``, ``ws`` (a space follows), and
    ``norms``: (token index, norm) where the tokenizer gave a norm other than the word's own.
    ``data``: the row's bytes when whoever made them already had them."""

    starts: list[int]
    ends: list[int]
    ws: list[bool]
    norms: tuple[tuple[int, str], ...] = ()
    data: bytes | None = field(default=None, compare=False, repr=False)

    def words(self, text: str) -> list[str]:
        return [text[s:e] for s, e in zip(self.starts, self.ends, strict=True)]

    def encode(self) -> bytes | None:
        """The row's bytes (see ``encode_arrays``)."""
        if self.data is not None:
            return self.data
        starts = numpy.asarray(self.starts, dtype=numpy.int64)
        ends = numpy.asarray(self.ends, dtype=numpy.int64)
        return encode_arrays(starts, ends - starts, numpy.asarray(self.ws, dtype=numpy.int64), self.norms)

    @classmethod
    def decode(cls, data: bytes, text_length: int) -> TokenOffsets | None:
        """The tokens of a row, or None when it cannot be the tokens of a text this long."""
        try:
            body = zlib.decompress(data)
            version, width, n = _HEAD.unpack_from(body)
            if version != _FORMAT or width not in (1, 4):
                return None
            at = _HEAD.size
            lengths = numpy.frombuffer(body, dtype=f"<u{width}", count=n, offset=at).astype(numpy.int64)
            at += width * n
            packed = numpy.frombuffer(body, dtype=numpy.uint8, count=(n + 7) // 8, offset=at)
            at += (n + 7) // 8
            ws = numpy.unpackbits(packed, count=n).astype(numpy.int64)
            steps = lengths + ws
            if int(steps.sum()) != text_length:
                return None
            starts = numpy.cumsum(steps) - steps
            norms = tuple((int(i), str(v)) for i, v in json.loads(body[at:])) if len(body) > at else ()
        except (zlib.error, struct.error, ValueError, TypeError):  # a damaged row: a miss
            return None
        return cls(starts.tolist(), (starts + lengths).tolist(), ws.astype(bool).tolist(), norms, data)


class TokenCache:
    """What one export (or part of one) sees of the project's token cache: rows read a batch
    at a time, the tokens it had to compute collected in ``new`` for the project's one writer
    (a helper process or a read-only project cannot write them itself).

    ``store``: anything with ``cached_tokens(ids, tokenizer)`` (``storage.store.Store``), or None."""

    def __init__(self, store: object | None = None) -> None:
        self._read = getattr(store, "cached_tokens", None)
        self.new: list[tuple[int, str, bytes, str]] = []  # (article id, tokenizer, data, text hash)
        self.hits = 0

    def lookup(self, wanted: list[tuple[int, int]], key: str) -> dict[int, TokenOffsets]:
        """The cached tokens of ``wanted`` ((article id, text length) pairs) for tokenizer ``key``."""
        if self._read is None or not wanted:
            return {}
        rows = self._read([aid for aid, _ in wanted], key)
        found: dict[int, TokenOffsets] = {}
        for aid, length in wanted:
            data = rows.get(aid)
            if data is not None and (offsets := TokenOffsets.decode(data, length)) is not None:
                found[aid] = offsets
        self.hits += len(found)
        return found

    def add(self, article_id: int | None, key: str, offsets: TokenOffsets, text_hash: str) -> None:
        """Tokens just computed from a text whose ``content_hash`` is ``text_hash``, to be kept
        by whoever writes the project (only if the article still has that text then)."""
        if article_id is None or self._read is None:
            return
        data = offsets.encode()
        if data is not None:
            self.new.append((article_id, key, data, text_hash))
