"""Pre-highlighting: suggesters propose ACTOR / LOCATION / CLAIM spans for the analyst to review.

``build_suggesters("rules,gazetteer,spacy:NAME_OR_PATH")`` makes the suggesters in the
user's order; ``run_suggesters`` runs them and merges their proposals per article.

Every kind of suggester is declared once, in ``SUGGESTER_KINDS`` (kind, argument, factory,
help); the command line's help, the settings dialog's list and the spec checks are derived
from it. A new suggester is one more ``SuggesterKind`` here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.errors import ModelError
from annotator.project import DEFAULT_SPEC, spec_items
from annotator.suggest.base import Suggester, Suggestion, merge, run_suggesters

__all__ = [
    "DEFAULT_SPEC",
    "SUGGESTER_KINDS",
    "Suggester",
    "SuggesterKind",
    "Suggestion",
    "build_suggesters",
    "builtin_choices",
    "merge",
    "run_suggesters",
    "spec_items",
    "spec_problem",
    "spec_syntax",
]


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What a project gives its suggesters: its label mapping and learned gazetteer counts."""

    label_map: dict[str, str] | None = None
    gazetteer_rows: Iterable[tuple[str, str, int, int]] = ()
    n_process: int = 1


@dataclass(frozen=True, slots=True)
class SuggesterKind:
    """One kind of suggester: ``kind`` or ``kind:ARGUMENT`` in a spec."""

    kind: str
    argument: str  # what the argument names ("NAME_OR_PATH"), "" when the kind takes none
    factory: Callable[[str, BuildContext], Suggester] = field(repr=False)
    title: str  # what the settings list shows
    help: str  # one line for the list's tooltip and the command line
    example: str = ""  # an argument to show when one is missing
    argument_says: str = ""  # the argument in words, for the message when it is missing


def _rules(arg: str, ctx: BuildContext) -> Suggester:
    from annotator.suggest.rules import RulesSuggester

    return RulesSuggester()


def _gazetteer(arg: str, ctx: BuildContext) -> Suggester:
    from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester

    return GazetteerSuggester(Gazetteer.from_counts(ctx.gazetteer_rows))


def _spacy(arg: str, ctx: BuildContext) -> Suggester:
    from annotator.suggest.spacy_pipeline import SpacySuggester

    return SpacySuggester(arg, label_map=ctx.label_map, n_process=ctx.n_process)


SUGGESTER_KINDS: dict[str, SuggesterKind] = {
    k.kind: k
    for k in (
        SuggesterKind(
            "rules",
            "",
            _rules,
            "Rules (built in: names, places, quotes)",
            "Hand-written rules; fast, no model needed.",
        ),
        SuggesterKind(
            "gazetteer",
            "",
            _gazetteer,
            "Learned gazetteer (what you labelled)",
            "Suggests again every text you accepted or labelled.",
        ),
        SuggesterKind(
            "spacy",
            "NAME_OR_PATH",
            _spacy,
            "spaCy pipeline",
            "An installed spaCy pipeline or a trained model's folder.",
            example="en_core_web_sm",
            argument_says="a pipeline name or folder",
        ),
    )
}


def spec_syntax() -> str:
    """The kinds as a spec names them: "rules, gazetteer, spacy:NAME_OR_PATH"."""
    return ", ".join(k.kind + (f":{k.argument}" if k.argument else "") for k in SUGGESTER_KINDS.values())


def _use() -> str:
    names = [k.kind + (f":{k.argument}" if k.argument else "") for k in SUGGESTER_KINDS.values()]
    return ", ".join(names[:-1]) + " or " + names[-1]


def builtin_choices() -> list[tuple[str, str, str]]:
    """(spec item, title, help) of every kind that needs no argument: always offered."""
    return [(k.kind, k.title, k.help) for k in SUGGESTER_KINDS.values() if not k.argument]


def spec_problem(spec: str) -> str | None:
    """Why ``spec`` cannot work, or None (whether a pipeline exists is checked when it loads)."""
    for item in spec_items(spec):
        kind, sep, arg = item.partition(":")
        known = SUGGESTER_KINDS.get(kind)
        if known is None:
            return f"Unknown suggester {item!r}: use {_use()}."
        if known.argument and not arg:
            example = f", e.g. {kind}:{known.example}" if known.example else ""
            return f"{kind}: needs {known.argument_says or known.argument}{example}."
        if not known.argument and sep:
            return f"{kind} takes no argument: {item!r}."
    return None


def build_suggesters(
    spec: str = DEFAULT_SPEC,
    *,
    label_map: dict[str, str] | None = None,
    gazetteer_rows: Iterable[tuple[str, str, int, int]] = (),
    n_process: int = 1,
) -> list[Suggester]:
    """Suggesters from a comma-separated spec (see ``spec_syntax()``), in its order.

    ``label_map`` maps a spaCy pipeline's labels to Sorot's; ``gazetteer_rows`` are
    (text, label, accepted, rejected) counts from the project. spaCy pipelines load on
    first use, so a missing one raises ModelError then, naming what is installed.
    """
    ctx = BuildContext(label_map=label_map, gazetteer_rows=gazetteer_rows, n_process=n_process)
    suggesters: list[Suggester] = []
    for item in spec_items(spec or DEFAULT_SPEC):
        problem = spec_problem(item)
        if problem:
            raise ModelError(problem[0].lower() + problem[1:].rstrip("."))
        kind, _, arg = item.partition(":")
        suggesters.append(SUGGESTER_KINDS[kind].factory(arg, ctx))
    return suggesters
