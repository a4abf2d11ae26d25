"""The blank spaCy tokenizers the suggesters use: the shared per-language cache of ``spacy_docs``.

Imported lazily: the desk loads this module at start-up, before spaCy is needed.
"""

from __future__ import annotations

#: Languages spaCy has no blank pipeline for but a close neighbour does (kept in step with spacy_docs).
LANGUAGE_FALLBACKS = {"ms": "id"}


def blank_tokenizer(lang: str | None):
    """spaCy's rule-based tokenizer for ``lang`` ("xx" when spaCy lacks the language)."""
    from annotator.spacy_docs import blank

    return blank(lang).tokenizer
