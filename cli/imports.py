"""``sorot import``: files or folders of articles or labelled data into the project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.model import WORKFLOW
from cli.common import Choices, clear, command, open_store, progress


def _formats() -> tuple[str, ...]:
    from annotator.formats import import_choices  # 80 ms of imports: only when asked

    return import_choices()


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "import", run, help="import files or folders of articles or labelled data")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--format",
        choices=Choices(_formats),
        default="auto",
        metavar="FORMAT",
        help="%(choices)s (default: auto)",
    )
    p.add_argument("--lang", help="language code for the articles (default: detected)")
    p.add_argument("--status", choices=WORKFLOW, help="article status to set")
    p.add_argument(
        "--label-map", nargs="*", metavar="FROM=TO", help="rename labels on import; TO empty drops it"
    )
    p.add_argument("--sentences-per-article", type=int, help="CoNLL: group N sentences into one article")
    p.add_argument("--text-column", help="CSV: the column holding the article text")
    p.add_argument("--suggest", action="store_true", help="run the suggesters on what was imported")
    p.add_argument("--suggesters", help="with --suggest: e.g. rules,gazetteer,spacy:NAME_OR_PATH")
    p.add_argument("--n-process", type=int, default=1)


def run(args: argparse.Namespace) -> int:
    from cli import suggest
    from ops.workflows import import_paths

    label_map = {}
    for item in args.label_map or []:
        if "=" not in item:
            raise SystemExit(f"--label-map takes FROM=TO, not {item!r}")
        src, dst = item.split("=", 1)
        label_map[src.strip()] = dst.strip()
    options = {
        "lang": args.lang,
        "status": args.status,
        "annotator": args.annotator,
        "label_map": label_map or None,
        "sentences_per_article": args.sentences_per_article,
        "text_column": args.text_column,
    }
    options = {k: v for k, v in options.items() if v is not None}
    with open_store(args) as store:
        summary = import_paths(
            store,
            args.paths,
            fmt=args.format,
            options=options,
            annotator=store.annotator,
            progress=progress(),
        )
    clear()
    for line in summary.lines():
        print(line, file=sys.stderr if line.startswith("error") else sys.stdout)
    if args.suggest and summary.article_ids:
        args.articles = [str(i) for i in summary.article_ids]
        return suggest.run(args)
    return 1 if summary.failures and not summary.files_ok else (2 if summary.failures else 0)
