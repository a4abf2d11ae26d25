"""``sorot versions``, ``sorot retrain`` and ``sorot train-curve``: the versions of the project's
own model, the one in use, training the next one (``ops/retrain.py``), and whether more data
still helps (``ops/curve.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import add_training_limits, command, ctrl_c_cancels, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    m = command(
        subparsers,
        "versions",
        run_versions,
        help="list the versions of the project's model, or choose the one in use",
        description="Every training of the project's model is kept as a version. Without arguments: the "
        "versions, newest first, the one in use marked *. 'versions use N' puts version N in use (rollback); "
        "'versions use none' uses no model of the project's own.",
    )
    m.add_argument("action", nargs="?", choices=["list", "use"], default="list")
    m.add_argument("version", nargs="?", help="with 'use': a version number, or 'none'")

    r = command(
        subparsers,
        "retrain",
        run_retrain,
        help="train the next version of the project's model now; it is used when it scores better",
        description="Train on the project's finished articles (as 'train' does), keep the result as a new "
        "version, and put it in use when its held-out F-score beats the version in use. "
        "Ctrl-C stops and keeps the best model so far.",
    )
    add_training_limits(r, minutes_help="stop after this long (default: the project's setting, 10)")
    # the desk's background training: train into this folder only, the project read-only
    r.add_argument("--into", help=argparse.SUPPRESS)

    c = command(
        subparsers,
        "train-curve",
        run_curve,
        help="train on 25/50/75/100%% of the finished articles: is more data still helping?",
        description="Hold back a share of the finished articles, train on growing shares of the rest and score "
        "each model on the same held-back articles, per label. The curve is kept in the project for the "
        "review window's Stats (unless the project is open read-only).",
    )
    c.add_argument("--fractions", default="0.25,0.5,0.75,1", help="shares to train on (0.25,0.5,0.75,1)")
    add_training_limits(
        c,
        minutes=5.0,
        minutes_help="time limit of each training (5)",
        epochs_help="at most this many passes per training (30)",
    )
    c.add_argument("--json", metavar="FILE", help="also write the curve to FILE as JSON")


def run_versions(args: argparse.Namespace) -> int:
    with open_store(args, write=args.action == "use") as store:
        if args.action == "use":
            if args.version is None:
                print("sorot versions use: give a version number or 'none'", file=sys.stderr)
                return 2
            target = None if args.version.lower() == "none" else int(args.version.lstrip("vV"))
            store.activate_model_version(target)
            print(f"in use: {'no model of the project' if target is None else f'v{target}'}")
            return 0
        versions = store.model_versions()
        if not versions:
            print("no model versions yet: 'sorot retrain' trains one from the finished articles")
        for v in versions:
            f = "–" if v.f is None else f"{v.f:.3f}"
            labels = " ".join(f"{lab} {s.get('f', 0):.2f}" for lab, s in sorted(v.scores.items()))
            print(
                f"{'*' if v.active else ' '} v{v.id:<3} {v.created_at[:16]}  {v.cause:<6} {v.articles:>6} articles "
                f"{v.spans:>7} spans  F {f}  {labels}  {v.path}"
            )
    return 0


def run_retrain(args: argparse.Namespace) -> int:
    from annotator.progress import Cancelled, Progress
    from ops.retrain import train_into, train_now

    progress = Progress()
    options = {
        "minutes": args.max_minutes,
        "max_epochs": args.max_epochs,
        "progress": progress,
        "on_epoch": lambda rep: print(rep.line(), flush=True),
    }
    try:
        with ctrl_c_cancels(progress):
            if args.into:
                with open_store(args, write=False) as store:
                    train_into(store, Path(args.into), **options)
                return 0
            with open_store(args) as store:
                outcome = train_now(store, **options)
    except Cancelled:
        print("cancelled before a first model was made; nothing written", file=sys.stderr)
        return 130
    print(outcome.message())
    return 0


def run_curve(args: argparse.Namespace) -> int:
    import json

    from annotator.train import TrainSettings
    from ops.curve import save_curve, table, train_curve

    try:
        fractions = sorted({float(x) for x in args.fractions.split(",") if x.strip()})
    except ValueError:
        print("sorot train-curve: --fractions takes numbers such as 0.25,0.5,1", file=sys.stderr)
        return 2
    if not fractions or not all(0 < f <= 1 for f in fractions):
        print("sorot train-curve: every fraction must be above 0 and at most 1", file=sys.stderr)
        return 2
    settings = TrainSettings()
    settings.max_seconds = args.max_minutes * 60
    with open_store(args, write=False) as store:
        curve = train_curve(
            store,
            fractions=fractions,
            settings=settings,
            max_epochs=args.max_epochs,
            on_point=lambda p: print(
                f"{p['fraction']:.0%}: {p['articles']} articles, F {p['f']}", flush=True
            ),
        )
        for line in table(curve):
            print(line)
    if args.json:
        Path(args.json).write_text(json.dumps(curve, ensure_ascii=False), encoding="utf-8")
    if not args.read_only:
        with open_store(args) as store:
            save_curve(store, curve)
    return 0
