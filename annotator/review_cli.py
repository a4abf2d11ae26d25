"""Command-line hooks for review: ``agreement`` and ``history``. main.py adds them with
``add_review_arguments(subparsers)``; each handler gets ``args.store``, an opened Store."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from annotator.agreement import agreement, format_table
from annotator.history import timeline


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").split(",") if x.strip())


def add_review_arguments(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("agreement", help="inter-annotator agreement per label (F1, kappa, alpha)")
    p.add_argument("--annotators", help="comma-separated annotators (default: everyone but gold)")
    p.add_argument("--labels", help="comma-separated labels (default: all)")
    p.add_argument("--articles", action="store_true", help="also list each article's scores, worst first")
    p.set_defaults(func=cli_agreement)
    h = subparsers.add_parser("history", help="an article's timeline: who changed what, when")
    h.add_argument("article", type=int, help="article id")
    h.add_argument("--limit", type=int, default=100, help="newest events to show (default 100)")
    h.set_defaults(func=cli_history)


def cli_agreement(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from storage.review import annotated_articles

    out = out or sys.stdout
    annotators, labels = _names(args.annotators), _names(args.labels)
    report = agreement(annotated_articles(args.store, annotators=annotators, labels=labels),
                       annotators=annotators, labels=labels)  # fmt: skip
    if not report.articles:
        print("no article is annotated by two or more annotators" + (f" of {', '.join(annotators)}" if annotators else ""),
              file=out)  # fmt: skip
        return 1
    print(format_table(report), file=out)
    if getattr(args, "articles", False):
        from annotator.agreement import fmt

        print("\narticle   spans  F1 exact  F1 overlap   kappa   alpha", file=out)
        worst = sorted(
            report.per_article.items(), key=lambda kv: (kv[1].f1_exact is None, kv[1].f1_exact or 0)
        )
        for aid, s in worst:
            print(f"{aid:>7} {s.spans:>7} {fmt(s.f1_exact):>9} {fmt(s.f1_overlap):>11} {fmt(s.kappa):>7} {fmt(s.alpha):>7}",
                  file=out)  # fmt: skip
    return 0


def cli_history(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from annotator.errors import SorotError

    out = out or sys.stdout
    try:
        art = args.store.article(args.article)
    except SorotError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"article {art.id}: {art.title or art.uid} ({art.status})", file=out)
    for ev in timeline(args.store, args.article, limit=args.limit):
        print(
            f"{ev['id']:>8}  {ev['ts'][:19].replace('T', ' ')}  {ev['annotator'] or '-':<12} {ev['what']}",
            file=out,
        )
    return 0
