"""The blank spaCy tokenizers the suggesters use: the shared per-language cache of ``spacy_docs``."""

from __future__ import annotations

from annotator.spacy_docs import LANGUAGE_FALLBACKS, blank

__all__ = ["LANGUAGE_FALLBACKS", "blank_tokenizer"]


def blank_tokenizer(lang: str | None):
    """spaCy's rule-based tokenizer for ``lang`` ("xx" when spaCy lacks the language)."""
    return blank(lang).tokenizer
