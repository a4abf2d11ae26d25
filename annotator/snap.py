"""Token snapping for the desk: a selection grows to whole tokens, and grows or shrinks by one.

The desk calls these on every keypress, so the tokenizer of each language and the
tokenized doc of the last few texts are cached. Offsets are Python code points, the same
as spaCy's ``Doc`` character offsets, so emoji and other astral characters are safe.
Not thread-safe: call from one thread (the UI thread) only.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Literal

from spacy.tokens import Doc

from annotator.spacy_docs import blank

log = logging.getLogger(__name__)

_DOC_CACHE_SIZE = 8
_docs: OrderedDict[tuple[str, str], Doc] = OrderedDict()


def _tokenizer(lang: str):
    return blank(lang).tokenizer


def tokenize(text: str, lang: str = "xx") -> Doc:
    """The tokenized ``text``, from the cache when it was seen lately."""
    key = (lang, text)
    doc = _docs.get(key)
    if doc is not None:
        _docs.move_to_end(key)
        return doc
    doc = _tokenizer(lang)(text)
    _docs[key] = doc
    if len(_docs) > _DOC_CACHE_SIZE:
        _docs.popitem(last=False)
    return doc


def snap(text: str, start: int, end: int, lang: str = "xx") -> tuple[int, int] | None:
    """``[start, end)`` grown to whole tokens, without surrounding whitespace; None if nothing is left."""
    start = max(0, min(start, len(text)))
    end = max(0, min(end, len(text)))
    if end < start:
        start, end = end, start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    span = tokenize(text, lang).char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start_char, span.end_char


def grow(
    text: str,
    start: int,
    end: int,
    side: Literal["start", "end", "left", "right"],
    step: int = 1,
    lang: str = "xx",
) -> tuple[int, int] | None:
    """Move one edge of a span by one token: ``step=+1`` grows outward, ``-1`` shrinks inward.

    ``side`` is "start"/"left" or "end"/"right". Returns the new span, or None when the span
    cannot move that way (at the text's edge, or it would become empty).
    """
    snapped = snap(text, start, end, lang)
    if snapped is None:
        return None
    doc = tokenize(text, lang)
    span = doc.char_span(snapped[0], snapped[1], alignment_mode="expand")
    if span is None:
        return None
    first, last = span.start, span.end  # token indexes, last exclusive
    if side in ("end", "right"):
        last += 1 if step > 0 else -1
    elif side in ("start", "left"):
        first -= 1 if step > 0 else -1
    else:
        raise ValueError(f"side must be 'start' or 'end', not {side!r}")
    if first < 0 or last > len(doc) or last <= first:
        return None
    return doc[first].idx, doc[last - 1].idx + len(doc[last - 1])
