"""``sorot train`` and ``sorot evaluate``: the command-line side of annotator/train.py."""

from __future__ import annotations

import argparse
import sys

from annotator.errors import SorotError
from annotator.model import FINISHED
from annotator.progress import Cancelled, Progress
from annotator.project import ProjectStore
from cli.common import add_training_limits, command, ctrl_c_cancels, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    p = command(
        subparsers,
        "train",
        run_train,
        help="train a spaCy pipeline from the finished (done/reviewed) articles",
        description="Train a spaCy pipeline (ner, and spancat for claims/overlaps) from the accepted spans of "
        "articles marked done or reviewed. The articles held back (--eval-split) choose the number of epochs "
        "and give the scores; the model is then trained again on all of them for that many epochs. The result "
        "is a normal spaCy pipeline folder, registered as a suggester in the project. Ctrl-C stops and keeps "
        "the best model so far.",
    )
    p.add_argument("outdir", help="folder to write the pipeline to (empty, new, or an earlier Sorot model)")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="train only these labels (default: all used)")
    p.add_argument(
        "--eval-split", type=float, default=0.2, help="share of articles held out to evaluate (0.2)"
    )
    p.add_argument("--base-model", metavar="NAME_OR_PATH", help="start from this spaCy pipeline")
    p.add_argument("--seed", type=int, default=0, help="random seed for the split and training (0)")
    add_training_limits(p, minutes_help="stop after this long, keeping the best model")
    p.add_argument(
        "--no-register", action="store_true", help="do not add the model to the project's suggesters"
    )
    p.add_argument(
        "--held-back-model",
        action="store_true",
        help="ship the model of the run that held articles back, instead of training it again on all of them",
    )

    e = command(
        subparsers,
        "evaluate",
        run_evaluate,
        help="per-label precision/recall/F1 of a spaCy pipeline on the project's finished articles",
    )
    e.add_argument("model", help="pipeline name or folder")
    e.add_argument("--articles", nargs="+", type=int, metavar="ID", help="only these article ids")
    e.add_argument(
        "--status", nargs="+", default=list(FINISHED), help=f"article statuses ({' '.join(FINISHED)})"
    )
    e.add_argument("--labels", nargs="+", metavar="LABEL", help="only these labels")


def _print(*parts: object, file=None) -> None:  # noqa: ANN001
    print(*parts, file=file or sys.stdout, flush=True)


def run_train(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        return _train(args, store)


def _train(args: argparse.Namespace, store: ProjectStore) -> int:
    from annotator.train import TrainSettings, register_model, train

    progress = Progress()
    settings = TrainSettings()
    if args.max_minutes:
        settings.max_seconds = args.max_minutes * 60
    if getattr(args, "held_back_model", False):
        settings.retrain_on_all = False
    try:
        with ctrl_c_cancels(progress, say="stopping…"):
            result = train(
                store,
                args.outdir,
                labels=args.labels,
                eval_split=args.eval_split,
                base_model=args.base_model,
                max_epochs=args.max_epochs,
                seed=args.seed,
                settings=settings,
                progress=progress,
                on_epoch=lambda rep: _print(rep.line()),
            )
    except Cancelled:
        _print("cancelled before a first model was made; nothing written", file=sys.stderr)
        return 130
    except SorotError as exc:
        _print(f"sorot train: {exc}", file=sys.stderr)
        return 2
    _print(result.summary())
    if not args.no_register:
        register_model(store, result)
        _print(f"registered as a suggester: spacy:{result.path}")
    return 130 if result.cancelled else 0


def run_evaluate(args: argparse.Namespace) -> int:
    from annotator.train import evaluate
    from storage.store import ArticleFilter

    flt = ArticleFilter(
        statuses=tuple(args.status or ()),
        span_statuses=("accepted",),
        article_ids=tuple(args.articles or ()),
    )
    with open_store(args, write=False) as store:
        docs = list(store.iter_documents(flt))
    if not docs:
        _print(
            "sorot evaluate: no articles match (statuses "
            f"{', '.join(args.status or ['any'])}{', ids ' + str(args.articles) if args.articles else ''})",
            file=sys.stderr,
        )
        return 2
    try:
        scores = evaluate(args.model, docs, labels=args.labels)
    except SorotError as exc:
        _print(f"sorot evaluate: {exc}", file=sys.stderr)
        return 2
    _print(f"{args.model} on {scores['articles']} articles")
    _print(f"  {'label':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for lab, s in sorted(scores["per_label"].items()):
        _print(f"  {lab:<14} {s['p'] * 100:6.1f} {s['r'] * 100:6.1f} {s['f'] * 100:6.1f} {s['support']:>6}")
    if "ents_f" in scores:
        _print(
            f"  {'entities':<14} {scores['ents_p'] * 100:6.1f} {scores['ents_r'] * 100:6.1f} "
            f"{scores['ents_f'] * 100:6.1f}"
        )
    if "spans_f" in scores:
        _print(
            f"  {'spans':<14} {scores['spans_p'] * 100:6.1f} {scores['spans_r'] * 100:6.1f} "
            f"{scores['spans_f'] * 100:6.1f}"
        )
    return 0
