"""Which language an article is in: an ISO 639-1 code the analyst may override.

py3langid is restricted to the languages news analysts actually meet, which makes it
both faster and far less erratic on short texts than the full 97-language model.

Three things make it cheap enough for an import (measured on 3,000-character Indonesian
news, first 600 characters, one core):

* the restricted model's feature table is kept as one contiguous float32 array: after
  ``set_languages`` it is a float16 column slice of the full table, and gathering the ~300
  features of a text from it cost 43 µs a call, 33 µs from the copy. The scores are the
  same numbers (float16 -> float32 is exact, and numpy casts to float32 before the product
  either way): tests/test_speed_import.py checks the ranking against the stock identifier's;
* ``detect_languages`` ranks many texts at once (``annotator.fast_langid``: py3langid's own
  DFA stepped for all of them with numpy), and the model's decoded arrays are kept in the
  user cache directory, so a process does not decode its xz file again (0.8 s);
* loading the model can start in a thread as soon as an import knows it will detect
  languages (``prepare_in_background``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

log = logging.getLogger(__name__)

#: Languages considered; anything else comes out as the nearest of these.
LANGUAGES = ("id", "en", "ms", "ar", "fr", "de", "es", "nl", "ru", "zh", "ja", "pt", "it", "tr", "ko")

#: How much more likely Malay must be than Indonesian before we say "ms": the two are
#: close, and in Indonesian news a short text often scores slightly "ms".
_MS_OVER_ID = 0.9

#: Only the start of a long article is looked at: plenty for the language, and fast.
_MAX_CHARS = 4000

_lock = threading.Lock()
_identifier = None


def stock_identifier():
    """py3langid's identifier restricted to ``LANGUAGES``, as the library makes it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


def _get_identifier():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                try:
                    from annotator.fast_langid import load

                    _identifier = load(LANGUAGES)
                except Exception:  # noqa: BLE001 - the stock path does the same, slower
                    log.warning("language identifier: the fast path failed, using py3langid's", exc_info=True)
                    import numpy as np

                    ident = stock_identifier()
                    # see the module docstring: the same scores, gathered from a compact table
                    ident.nb_ptc = np.ascontiguousarray(ident.nb_ptc, dtype=np.float32)
                    _identifier = ident
    return _identifier


def prepare_in_background() -> None:
    """Start loading the model in a thread (nothing if it is loaded or loading)."""
    if _identifier is None and not _lock.locked():
        threading.Thread(target=_get_identifier, name="sorot-langid", daemon=True).start()


def detect_language(text: str, *, default: str = "xx") -> str:
    """The ISO 639-1 code of ``text``'s language, or ``default`` when there is nothing to go on."""
    sample = text[:_MAX_CHARS]
    if not _enough(sample):
        return default
    return _decide(_get_identifier().rank(sample))


def detect_languages(texts: Sequence[str], *, default: str = "xx") -> list[str]:
    """``[detect_language(t, default=default) for t in texts]``, ranked together (quicker)."""
    samples = [text[:_MAX_CHARS] for text in texts]
    out = [default] * len(samples)
    todo = [i for i, sample in enumerate(samples) if _enough(sample)]
    if not todo:
        return out
    ident = _get_identifier()
    rank_many = getattr(ident, "rank_many", None)
    picked = [samples[i] for i in todo]
    ranked = rank_many(picked) if rank_many is not None else [ident.rank(s) for s in picked]
    for i, r in zip(todo, ranked, strict=True):
        out[i] = _decide(r)
    return out


def _enough(sample: str) -> bool:
    """At least three letters in the first 400 characters (else: nothing to go on)."""
    letters = 0
    for ch in sample[:400]:
        if ch.isalpha():
            letters += 1
            if letters == 3:
                return True
    return False


def _decide(ranked: list[tuple[str, float]]) -> str:
    best, p_best = ranked[0]
    if best == "ms":
        p_id = next((p for lang, p in ranked if lang == "id"), 0.0)
        if p_best - p_id < _MS_OVER_ID:
            return "id"
    return best
