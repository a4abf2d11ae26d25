"""Assignment of a project's articles to a team of analysts (``main.py team assign``, and the
review window's "Assign to…").

``assign`` is pure and deterministic: every article goes to exactly one annotator, and
``round(overlap * N)`` of them to a second, different one, for agreement; the load is
balanced (in each column, first and second annotators, the counts differ by at most one,
and so do the totals). ``seed`` fixes the draw, so a lead can say how a split was made."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.commands import SetAssignments
from annotator.errors import StoreError
from annotator.project import ProjectStore, gold_annotator


@dataclass
class AssignPlan:
    """Who gets which article: ``pairs`` (article id, annotator), and what was left alone."""

    pairs: list[tuple[int, str]] = field(default_factory=list)
    overlap_ids: list[int] = field(default_factory=list)
    skipped: int = 0  # articles assigned already (kept as they are without --reassign)

    def load(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _aid, who in self.pairs:
            out[who] = out.get(who, 0) + 1
        return out


def assign(
    article_ids: Sequence[int], annotators: Sequence[str], overlap: float = 0.0, seed: int = 0
) -> list[tuple[int, str]]:
    """(article id, annotator) pairs: each article to one annotator, ``round(overlap * N)`` of
    them to a second one too. Deterministic for the same arguments.

    The first annotators go round the (shuffled) team in turn over the (shuffled) articles,
    so each gets N // k or one more. The overlap articles are the first of that order, and
    their second annotator is the first one's neighbour ``c`` places further round the team,
    the same ``c`` for all: never the first annotator itself, and round-robin again, so the
    second column is balanced too. ``c`` starts the second round where the first round's
    extra articles ended, so no annotator's total is more than one above another's.
    """
    names = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
    if not names:
        raise StoreError("assign needs at least one annotator")
    if not 0.0 <= overlap <= 1.0:
        raise StoreError(f"overlap is a share of the articles, between 0 and 1, not {overlap}")
    order = sorted(set(article_ids))  # the same split whatever order the ids come in
    n_double = round(overlap * len(order))
    k = len(names)
    if n_double and k < 2:
        raise StoreError("an overlap needs two annotators or more")
    rng = random.Random(seed)
    rng.shuffle(order)
    team = names[:]
    rng.shuffle(team)
    pairs = [(aid, team[i % k]) for i, aid in enumerate(order)]
    shift = (len(order) % k) or 1
    pairs += [(aid, team[(j + shift) % k]) for j, aid in enumerate(order[:n_double])]
    return sorted(pairs)


def plan_assignment(
    store: ProjectStore,
    annotators: Sequence[str],
    overlap: float = 0.0,
    *,
    seed: int = 0,
    reassign: bool = False,
    article_ids: Sequence[int] | None = None,
) -> AssignPlan:
    """The assignment of the project's articles (or ``article_ids``); articles that already
    have an annotator are left alone unless ``reassign``."""
    ids = list(article_ids) if article_ids is not None else store.article_ids()
    plan = AssignPlan()
    if not reassign:
        taken = store.assignments(ids)
        plan.skipped = sum(1 for i in ids if i in taken)
        ids = [i for i in ids if i not in taken]
    plan.pairs = assign(ids, annotators, overlap, seed)
    seen: set[int] = set()
    for aid, _who in plan.pairs:
        if aid in seen:
            plan.overlap_ids.append(aid)
        seen.add(aid)
    return plan


def assign_command(
    store: ProjectStore, plan: AssignPlan, *, reassign: bool = False, assigned_by: str = ""
) -> SetAssignments:
    """One undoable command storing ``plan``; with ``reassign`` the articles' earlier
    assignments are taken back first."""
    remove: list[tuple[int, str]] = []
    wanted = set(plan.pairs)
    if reassign:
        ids = sorted({aid for aid, _ in plan.pairs})
        remove = [(aid, who) for aid, names in store.assignments(ids).items() for who in names
                  if (aid, who) not in wanted]  # fmt: skip
    n = len({aid for aid, _ in plan.pairs})
    return SetAssignments(
        list(plan.pairs), remove, assigned_by or store.annotator, f"Assign {n:,} articles"
    )


def assign_to_command(
    store: ProjectStore, article_ids: Sequence[int], annotators: Sequence[str], *, replace: bool = False
) -> SetAssignments:
    """By hand (the review window): the selected articles to the named annotators, each
    article to every one of them; with ``replace`` their other annotators are taken off."""
    names = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
    if not names:
        raise StoreError("say to whom the articles go")
    pairs = [(aid, who) for aid in dict.fromkeys(article_ids) for who in names]
    remove: list[tuple[int, str]] = []
    if replace:
        remove = [(aid, who) for aid, have in store.assignments(list(article_ids)).items() for who in have
                  if who not in names]  # fmt: skip
    n = len(set(article_ids))
    return SetAssignments(
        pairs, remove, store.annotator, f"Assign {n:,} article{'s' if n != 1 else ''} to {', '.join(names)}"
    )


def unassign_command(store: ProjectStore, article_ids: Sequence[int]) -> SetAssignments:
    """Take back every assignment of the articles (one undo step)."""
    pairs = [(aid, who) for aid, names in store.assignments(list(article_ids)).items() for who in names]
    n = len(set(article_ids))
    return SetAssignments([], pairs, store.annotator, f"Take back the assignments of {n:,} article{'s' if n != 1 else ''}")


def team_names(store: ProjectStore) -> list[str]:
    """Everyone the project knows as an annotator (spans, states, assignments), gold aside."""
    gold = gold_annotator(store)
    names = [*store.span_annotators(), *store.state_annotators(), *store.assigned_annotators()]
    return sorted({n for n in names if n and n != gold}, key=str.casefold)
