"""``sorot export``: articles and spans to a file another tool reads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.model import SPAN_STATUSES
from cli.common import Choices, clear, command, open_store, progress, split


def _formats() -> tuple[str, ...]:
    from annotator.formats import export_choices  # 80 ms of imports: only when asked

    return export_choices()


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "export", run, help="export articles and spans")
    p.add_argument("out", type=Path, metavar="OUT")
    p.add_argument("--format", choices=Choices(_formats), required=True, metavar="FORMAT", help="%(choices)s")
    p.add_argument("--status", nargs="*", help="only articles with these statuses")
    p.add_argument("--labels", nargs="*", help="only these labels")
    p.add_argument(
        "--annotators", "--by", nargs="*", dest="annotators", help="only spans by these annotators"
    )
    p.add_argument("--span-status", choices=(*SPAN_STATUSES, "any"), default="accepted")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="helper processes for prodigy, doccano and spacy exports of 2,000+ articles "
        "(default: one per extra core; 0: this process only)",
    )


def run(args: argparse.Namespace) -> int:
    from ops.workflows import export_project, keep_tokens
    from storage.store import ArticleFilter

    span_status = () if args.span_status == "any" else (args.span_status,)
    flt = ArticleFilter(
        statuses=split(args.status),
        labels=split(args.labels),
        annotators=split(args.annotators),
        span_statuses=span_status,
    )
    with open_store(args, write=False) as store:
        try:
            summary = export_project(
                store, args.out, fmt=args.format, flt=flt, progress=progress(), workers=args.workers
            )
        except OSError as exc:  # a folder that is a file, no space left, no permission...
            clear()
            print(f"sorot: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    if not args.read_only:
        # the project was opened read-only to export: the token cache is kept after, if it can be
        keep_tokens(args.db, summary)
    clear()
    print(f"exported {summary.articles} article(s), {summary.spans} span(s) to {args.out} ({args.format})")
    for problem in summary.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0
