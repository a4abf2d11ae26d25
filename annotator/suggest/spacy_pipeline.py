"""Suggestions from any installed or saved spaCy pipeline (NER, span categorizer, entity ruler).

One ``SpacySuggester`` owns one ``Language`` object and is thread-confined: create it and
call ``suggest`` from the same single worker thread (spaCy pipelines are not safe to share
across threads, spaCy issue #11904). Loading happens on first use, not at construction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from annotator import spacy_hints
from annotator.errors import ModelError
from annotator.suggest.base import Suggestion

log = logging.getLogger(__name__)

#: spaCy label -> Sorot label. Covers OntoNotes (English pipelines), WikiNER (PER/LOC/ORG)
#: and Indonesian corpora (NERGRIT PERSON/ORGANISATION/PLACE, NERP PPL/PLC/IND).
DEFAULT_LABEL_MAP: dict[str, str] = {
    "PERSON": "ACTOR",
    "PER": "ACTOR",
    "ORG": "ACTOR",
    "NORP": "ACTOR",
    "ORGANISATION": "ACTOR",
    "ORGANIZATION": "ACTOR",
    "PPL": "ACTOR",
    "IND": "ACTOR",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "PLACE": "LOCATION",
    "PLC": "LOCATION",
    # A pipeline trained by Sorot predicts Sorot's own labels.
    "ACTOR": "ACTOR",
    "LOCATION": "LOCATION",
    "CLAIM": "CLAIM",
}

#: Components that produce spans; everything else (parser, tagger, lemmatizer) is skipped.
SPAN_COMPONENTS = ("ner", "spancat", "spancat_singlelabel", "entity_ruler", "span_ruler")
#: Components that set features the span components read: they run too (Sorot's own rule
#: hints, ``annotator.spacy_hints``, in the models Sorot trains).
FEATURE_COMPONENTS = (spacy_hints.FACTORY,)
SPANS_KEY = "sc"


def installed_pipelines() -> list[str]:
    """Package names of the spaCy pipelines installed in this environment."""
    import spacy

    try:
        return sorted(spacy.util.get_installed_models())
    except Exception:  # noqa: BLE001 - a broken package must not hide the others
        log.exception("listing installed spaCy pipelines failed")
        return []


def _missing_message(name_or_path: str) -> str:
    installed = installed_pipelines()
    listed = ", ".join(installed) if installed else "none"
    return (
        f"spaCy pipeline {name_or_path!r} is not installed and is not a pipeline folder.\n"
        f"Installed pipelines: {listed}.\n"
        "Install one with `pip install <package>` (for example the package of a spaCy "
        "pipeline built for your language), or give the path of a folder saved with nlp.to_disk()."
    )


class SpacySuggester:
    """Maps a spaCy pipeline's entities (and ``doc.spans["sc"]``) to Sorot labels.

    Thread-confined: one instance, one worker thread.
    """

    def __init__(
        self,
        name_or_path: str,
        *,
        label_map: dict[str, str] | None = None,
        n_process: int = 1,
        batch_size: int = 64,
        spans_key: str = SPANS_KEY,
        warm_texts: int = 256,
    ) -> None:
        self.name_or_path = str(name_or_path)
        self.name = f"spacy:{self.name_or_path}"
        self.label_map = dict(DEFAULT_LABEL_MAP if label_map is None else label_map)
        self.n_process = n_process
        self.batch_size = batch_size
        self.spans_key = spans_key
        self.warnings: list[str] = []
        #: The first texts run outside a memory zone: their words stay in the vocab and the
        #: tokenizer cache for good (256 texts: bounded), so the frequent words are not looked
        #: up afresh in every later batch. Everything after runs in a memory zone. Measured on
        #: 400 articles of 3,000 characters with en_core_web_sm: 26.5 s with 256, 29.6 s with 64.
        self.warm_texts = warm_texts
        self._warm_left = warm_texts
        self._nlp = None
        self._enabled: list[str] = []

    # --- loading --------------------------------------------------------------------------

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = self._load()
        return self._nlp

    @property
    def lang(self) -> str:
        return self.nlp.lang

    def _load(self):
        # spacy_hints.load: a model Sorot trained may have the hints component
        target = self.name_or_path
        path = Path(target).expanduser()
        is_folder = path.is_dir()
        if not is_folder and target not in installed_pipelines():
            if path.exists() or "/" in target or "\\" in target:
                raise ModelError(_missing_message(target))
            # Maybe importable under another name (a package without the spaCy entry point).
            try:
                nlp = spacy_hints.load(target)
            except OSError as exc:
                raise ModelError(_missing_message(target)) from exc
            return self._prepare(nlp)
        try:
            nlp = spacy_hints.load(path if is_folder else target)
        except OSError as exc:
            raise ModelError(f"spaCy pipeline {target!r} could not be loaded: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - a broken pipeline is the analyst's ModelError
            raise ModelError(
                f"spaCy pipeline {target!r} is broken or for another spaCy version: {exc}"
            ) from exc
        return self._prepare(nlp)

    def _prepare(self, nlp):
        wanted = [
            n
            for n in nlp.pipe_names
            if nlp.get_pipe_meta(n).factory in SPAN_COMPONENTS or n in SPAN_COMPONENTS
        ]
        if not wanted:
            raise ModelError(
                f"spaCy pipeline {self.name_or_path!r} has no entity recognizer or span categorizer "
                f"(its components: {', '.join(nlp.pipe_names) or 'none'})"
            )
        # A component that listens to a shared tok2vec/transformer needs it to run too:
        # those report their listeners in ``listening_components``.
        needed = set(wanted) | {
            n for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in FEATURE_COMPONENTS
        }
        for name in nlp.pipe_names:
            listeners = getattr(nlp.get_pipe(name), "listening_components", None) or []
            if any(listener in wanted for listener in listeners):
                needed.add(name)
        self._enabled = [n for n in nlp.pipe_names if n in needed]
        nlp.select_pipes(enable=self._enabled)
        log.info("loaded spaCy pipeline %s (%s), running %s", self.name_or_path, nlp.lang, self._enabled)
        return nlp

    # --- suggesting -----------------------------------------------------------------------

    def suggest(self, texts: list[str], langs: list[str] | None = None) -> list[list[Suggestion]]:
        nlp = self.nlp
        if langs:
            other = sorted({lang for lang in langs if lang and lang not in (nlp.lang, "xx")})
            if other and nlp.lang != "xx":
                message = (
                    f"pipeline {self.name_or_path} is for {nlp.lang!r} but articles are in "
                    f"{', '.join(other)}: its suggestions may be poor"
                )
                if message not in self.warnings:
                    self.warnings.append(message)
                    log.warning(message)
        out: list[list[Suggestion]] = []
        first = 0
        if self._warm_left > 0 and texts and not nlp.vocab.in_memory_zone:
            first = min(self._warm_left, len(texts))
            self._warm_left -= first
            for doc in nlp.pipe(texts[:first], batch_size=self.batch_size, n_process=self.n_process):
                out.append(self._from_doc(doc))
        for start in range(first, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            # memory_zone frees the strings each batch adds to the vocab: flat memory over 10k articles.
            with nlp.memory_zone():
                for doc in nlp.pipe(batch, batch_size=self.batch_size, n_process=self.n_process):
                    out.append(self._from_doc(doc))
        return out

    def _from_doc(self, doc) -> list[Suggestion]:
        found: list[Suggestion] = []
        seen: set[tuple[int, int, str]] = set()
        spans: Iterable = list(doc.ents)
        if self.spans_key in doc.spans:
            spans = [*spans, *doc.spans[self.spans_key]]
            scores = doc.spans[self.spans_key].attrs.get("scores")
        else:
            scores = None
        n_ents = len(doc.ents)
        for k, span in enumerate(spans):
            label = self.label_map.get(span.label_)
            if label is None:
                continue
            key = (span.start_char, span.end_char, label)
            if key in seen:
                continue
            seen.add(key)
            score = None
            if scores is not None and k >= n_ents:
                try:
                    score = float(scores[k - n_ents])
                except (IndexError, TypeError, ValueError):
                    score = None
            found.append(Suggestion(span.start_char, span.end_char, label, score, self.name))
        return found
