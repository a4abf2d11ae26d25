"""``sorot agreement`` and ``sorot history``: review from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from cli.common import command, open_store, split


def register(subparsers: argparse._SubParsersAction) -> None:
    p = command(
        subparsers, "agreement", run_agreement, help="inter-annotator agreement per label (F1, kappa, alpha)"
    )
    p.add_argument("--annotators", help="comma-separated annotators (default: everyone but gold)")
    p.add_argument("--labels", help="comma-separated labels (default: all)")
    p.add_argument("--articles", action="store_true", help="also list each article's scores, worst first")
    h = command(subparsers, "history", run_history, help="an article's timeline: who changed what, when")
    h.add_argument("article", type=int, help="article id")
    h.add_argument("--limit", type=int, default=100, help="newest events to show (default 100)")


def run_agreement(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from annotator.agreement import fmt, format_table
    from ops.review import agreement_report

    out = out or sys.stdout
    annotators, labels = split([args.annotators or ""]), split([args.labels or ""])
    with open_store(args, write=False) as store:
        report = agreement_report(store, annotators=annotators, labels=labels)
    if not report.articles:
        print("no article is annotated by two or more annotators" + (f" of {', '.join(annotators)}" if annotators else ""),
              file=out)  # fmt: skip
        return 1
    print(format_table(report), file=out)
    if args.articles:
        print("\narticle   spans  F1 exact  F1 overlap   kappa   alpha", file=out)
        worst = sorted(
            report.per_article.items(), key=lambda kv: (kv[1].f1_exact is None, kv[1].f1_exact or 0)
        )
        for aid, s in worst:
            print(f"{aid:>7} {s.spans:>7} {fmt(s.f1_exact):>9} {fmt(s.f1_overlap):>11} {fmt(s.kappa):>7} {fmt(s.alpha):>7}",
                  file=out)  # fmt: skip
    return 0


def run_history(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from annotator.errors import SorotError
    from annotator.history import timeline

    out = out or sys.stdout
    with open_store(args, write=False) as store:
        try:
            art = store.article(args.article)
        except SorotError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"article {art.id}: {art.title or art.uid} ({art.status})", file=out)
        for ev in timeline(store, args.article, limit=args.limit):
            print(
                f"{ev['id']:>8}  {ev['ts'][:19].replace('T', ' ')}  {ev['annotator'] or '-':<12} {ev['what']}",
                file=out,
            )
    return 0
