"""The blank spaCy tokenizers the suggesters use: the shared per-language cache of ``spacy_docs``.

Imported lazily: the desk loads this module at start-up, before spaCy is needed.
"""

from __future__ import annotations

#: Languages spaCy has no blank pipeline for but a close neighbour does (kept in step with spacy_docs).
LANGUAGE_FALLBACKS = {"ms": "id"}


def tokenizer_code(lang: str | None) -> str:
    """The language code whose spaCy tokenizer an article of ``lang`` gets (``xx`` when none
    is given, a close language's where spaCy lacks one): ``spacy_docs.blank``'s rule, and the
    token cache's key (``annotator.tokens``)."""
    code = (lang or "xx").lower()
    return LANGUAGE_FALLBACKS.get(code, code)


def blank_tokenizer(lang: str | None):
    """spaCy's rule-based tokenizer for ``lang`` ("xx" when spaCy lacks the language)."""
    from annotator.spacy_docs import blank

    return blank(lang).tokenizer
