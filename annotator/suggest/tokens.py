"""Cached blank spaCy tokenizers, one per language, shared by the suggesters."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

#: Languages spaCy has no blank pipeline for but a close neighbour does.
LANGUAGE_FALLBACKS = {"ms": "id"}

_lock = threading.Lock()
_tokenizers: dict[str, object] = {}


def blank_tokenizer(lang: str | None):
    """spaCy's rule-based tokenizer for ``lang`` ("xx" when spaCy lacks the language).

    Tokenizers hold no state between calls and spaCy's tokenizer is safe to share for
    reading; the cache is filled under a lock.
    """
    key = lang or "xx"
    tok = _tokenizers.get(key)
    if tok is not None:
        return tok
    with _lock:
        tok = _tokenizers.get(key)
        if tok is None:
            import spacy

            code = LANGUAGE_FALLBACKS.get(key, key)
            try:
                tok = spacy.blank(code).tokenizer
            except Exception:  # noqa: BLE001 - unknown or unsupported code: generic tokenizer
                log.info("no spaCy tokenizer for %r; using the multi-language one", key)
                tok = spacy.blank("xx").tokenizer
            _tokenizers[key] = tok
    return tok
