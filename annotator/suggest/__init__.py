"""Pre-highlighting: suggesters propose ACTOR / LOCATION / CLAIM spans for the analyst to review.

``build_suggesters("rules,gazetteer,spacy:NAME_OR_PATH")`` makes the suggesters in the
user's order; ``run_suggesters`` runs them and merges their proposals per article.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.errors import ModelError
from annotator.suggest.base import Suggester, Suggestion, merge, run_suggesters

DEFAULT_SPEC = "rules,gazetteer"

__all__ = ["DEFAULT_SPEC", "Suggester", "Suggestion", "build_suggesters", "merge", "run_suggesters"]


def build_suggesters(
    spec: str = DEFAULT_SPEC,
    *,
    label_map: dict[str, str] | None = None,
    gazetteer_rows: Iterable[tuple[str, str, int, int]] = (),
    n_process: int = 1,
) -> list[Suggester]:
    """Suggesters from a comma-separated spec: ``rules``, ``gazetteer``, ``spacy:NAME_OR_PATH``.

    ``label_map`` maps a spaCy pipeline's labels to Sorot's; ``gazetteer_rows`` are
    (text, label, accepted, rejected) counts from the project. spaCy pipelines load on
    first use, so a missing one raises ModelError then, naming what is installed.
    """
    suggesters: list[Suggester] = []
    for raw in (spec or DEFAULT_SPEC).split(","):
        item = raw.strip()
        if not item:
            continue
        kind, _, arg = item.partition(":")
        kind = kind.strip().lower()
        if kind == "rules":
            from annotator.suggest.rules import RulesSuggester

            suggesters.append(RulesSuggester())
        elif kind == "gazetteer":
            from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester

            suggesters.append(GazetteerSuggester(Gazetteer.from_counts(gazetteer_rows)))
        elif kind == "spacy":
            if not arg.strip():
                raise ModelError("spacy: needs a pipeline name or folder, e.g. spacy:en_core_web_sm")
            from annotator.suggest.spacy_pipeline import SpacySuggester

            suggesters.append(SpacySuggester(arg.strip(), label_map=label_map, n_process=n_process))
        else:
            raise ModelError(f"unknown suggester {item!r}: use rules, gazetteer or spacy:NAME_OR_PATH")
    return suggesters
