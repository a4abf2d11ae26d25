"""``sorot team assign``: the lead shares the project's articles out among the team.

The ``team`` command group is ``cli/team.py``'s; it adds this command with
``add_assign_parser(team_subparsers)``. The work is ``ops.team_assign``'s (the review
window's "Assign to…" uses it too).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from cli.common import command, open_store, split


def add_assign_parser(team_subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = command(
        team_subparsers,
        "assign",
        run_assign,
        help="give every article to one analyst, a share of them to two (for agreement)",
        description="Every article not yet assigned goes to one of the annotators, in turn over a "
        "shuffled order; --overlap 0.2 gives a fifth of them to a second annotator too. The loads "
        "differ by one article at most. The same --seed gives the same split.",
    )
    p.add_argument("--annotators", required=True, help="comma-separated analysts, e.g. a,b,c")
    p.add_argument(
        "--overlap",
        type=float,
        default=0.0,
        help="share of the articles given to two analysts (0 to 1; default 0)",
    )
    p.add_argument("--seed", type=int, default=0, help="the shuffle's seed (default 0)")
    p.add_argument(
        "--reassign",
        action="store_true",
        help="share out every article again, not only those without an analyst",
    )
    p.add_argument("--dry-run", action="store_true", help="say what would be assigned, store nothing")
    # ``--db`` after the command too (``team assign --db PATH``); the global one otherwise.
    p.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="project file (as the global --db)")
    return p


def run_assign(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from annotator.commands import apply
    from ops.team_assign import assign_command, plan_assignment

    out = out or sys.stdout
    annotators = split([args.annotators or ""])
    with open_store(args, write=not args.dry_run) as store:
        plan = plan_assignment(store, annotators, args.overlap, seed=args.seed, reassign=args.reassign)
        if not args.dry_run and plan.pairs:
            apply(store, assign_command(store, plan, reassign=args.reassign))
    articles = len({aid for aid, _ in plan.pairs})
    verb = "would assign" if args.dry_run else "assigned"
    print(f"{verb} {articles:,} article(s), {len(plan.overlap_ids):,} of them to two analysts", file=out)
    for who in annotators:
        print(f"  {who}: {plan.load().get(who, 0):,}", file=out)
    if plan.skipped:
        print(
            f"{plan.skipped:,} article(s) had an analyst already, left as they are (--reassign to redo)",
            file=out,
        )
    return 0
