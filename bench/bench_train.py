"""Training quality bench: NERGrit (and NERP) imported as done articles, trained, evaluated on valid.

    .venv/bin/python bench/bench_train.py                      # nergrit, Sorot defaults
    .venv/bin/python bench/bench_train.py --dataset nerp
    .venv/bin/python bench/bench_train.py --extra nerp         # nergrit + NERP train as extra data
    .venv/bin/python bench/bench_train.py --extra nerp --set extra_ratio=0   # all NERP every epoch
    .venv/bin/python bench/bench_train.py --set width=96 --set dropout=0.1 --max-epochs 30

Labels: NERGrit PERSON, ORGANISATION -> ACTOR; PLACE -> LOCATION. NERP PPL, IND -> ACTOR;
PLC -> LOCATION. Everything else is dropped. Prints F1 per label on valid, wall time and the
peak memory (resource.getrusage) of this process.
"""

from __future__ import annotations

import argparse
import ast
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared_data import NERGRIT_MAP, SHARED_DATA  # noqa: E402 - bench/ is on sys.path when run

from annotator.formats import conll  # noqa: E402
from annotator.train import TrainSettings, evaluate, train  # noqa: E402
from storage.store import Store  # noqa: E402

DATA = SHARED_DATA
MAPS = {
    "nergrit": NERGRIT_MAP,
    "nerp": {"PPL": "ACTOR", "IND": "ACTOR", "PLC": "LOCATION"},
}
DROP = {"nergrit": [], "nerp": ["EVT", "FNB"]}
SCHEME = {"nergrit": "iob2", "nerp": "iob1"}


def read(dataset: str, part: str, status: str, sentences: int, drop: tuple[str, ...] = ()):
    label_map = dict(MAPS[dataset])
    for lab in (*DROP[dataset], *drop):
        label_map[lab] = "-"
    return conll.read(
        DATA / dataset / f"{part}.iob",
        sentences_per_article=sentences,
        scheme=SCHEME[dataset],
        label_map=label_map,
        status=status,
        lang="id",
        annotator="bench",
    )


def parse_set(items: list[str]) -> dict:
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        try:
            out[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            out[key] = value
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="nergrit", choices=sorted(MAPS))
    ap.add_argument(
        "--extra", choices=sorted(MAPS), help="add this corpus's train split as extra training data"
    )
    ap.add_argument(
        "--extra-drop", nargs="*", default=[], help="labels of the extra corpus to drop, e.g. IND"
    )
    ap.add_argument("--sentences", type=int, default=20)
    ap.add_argument("--max-epochs", type=int, default=40)
    ap.add_argument("--eval-split", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], help="TrainSettings field=value")
    ap.add_argument("--out", default="")
    ap.add_argument("--json", default="", help="append the result as one JSON line to this file")
    args = ap.parse_args()

    t0 = time.monotonic()
    settings = TrainSettings(**parse_set(args.set))
    tmp = Path(tempfile.mkdtemp(prefix="sorot-bench-"))
    store = Store.open(tmp / "bench.sorot")
    store.ensure_labels(["ACTOR", "LOCATION"])
    docs = read(args.dataset, "train", "done", args.sentences)
    store.import_documents(docs, annotator="bench")
    extra = []
    if args.extra:
        extra = read(args.extra, "train", "done", args.sentences, tuple(args.extra_drop))
    valid = read(args.dataset, "valid", "new", args.sentences)
    print(
        f"{args.dataset}: {len(docs)} train articles, {len(valid)} valid articles; extra {len(extra)}; "
        f"settings {settings.to_dict()}",
        flush=True,
    )

    out = Path(args.out) if args.out else tmp / "model"
    result = train(
        store,
        out,
        eval_split=args.eval_split,
        max_epochs=args.max_epochs,
        seed=args.seed,
        settings=settings,
        extra_documents=extra,
        on_epoch=lambda e: print(e.line(), flush=True),
    )
    t_train = time.monotonic() - t0
    scores = evaluate(out, valid)
    t_all = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n== {args.dataset} valid ({len(valid)} articles)"
        + (f", trained with extra {args.extra}" if args.extra else "")
    )
    for lab, s in sorted(scores["per_label"].items()):
        print(
            f"  {lab:<10} P {s['p'] * 100:5.1f}  R {s['r'] * 100:5.1f}  F1 {s['f'] * 100:5.1f}  (gold {s['support']})"
        )
    print(
        f"  ALL        P {scores['ents_p'] * 100:5.1f}  R {scores['ents_r'] * 100:5.1f}  F1 {scores['ents_f'] * 100:5.1f}"
    )
    print(
        f"  epochs {len(result.epochs)} (stopped: {result.stopped}); train {t_train:.0f}s, "
        f"total {t_all:.0f}s; peak memory {peak:.0f} MB"
    )
    for w in result.warnings:
        print("  warning:", w)
    if args.json:
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps(
                    {
                        "dataset": args.dataset,
                        "extra": args.extra,
                        "extra_drop": args.extra_drop,
                        "settings": settings.to_dict(),
                        "max_epochs": args.max_epochs,
                        "epochs": len(result.epochs),
                        "stopped": result.stopped,
                        "valid": scores,
                        "train_s": round(t_train, 1),
                        "total_s": round(t_all, 1),
                        "peak_mb": round(peak),
                        "dev_best": result.scores,
                    }
                )
                + "\n"
            )
    store.close()
    if not args.out:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
