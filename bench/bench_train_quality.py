"""Model quality through the command line, as an analyst gets it (issue #14, "Model quality goal").

    nice -n 15 .venv/bin/python bench/bench_train_quality.py                  # mapped labels (ACTOR, LOCATION)
    nice -n 15 .venv/bin/python bench/bench_train_quality.py --labels nergrit # PERSON, ORGANISATION, PLACE
    nice -n 15 .venv/bin/python bench/bench_train_quality.py -- --max-epochs 20   # extra `main.py train` options
    ... --keep /tmp/q    # keep the project and the model; run again with it: the import is skipped

What runs, each as its own process:
    main.py --db P import nergrit/train.iob --format conll --lang id --sentences-per-article 10 \
        --status done [--label-map PERSON=ACTOR ORGANISATION=ACTOR PLACE=LOCATION]
    main.py --db P train OUT --no-register          (all defaults unless options follow `--`)
then the model in OUT is scored on nergrit/valid (exact spans) with annotator.train.evaluate.

Prints P/R/F1 per label and overall on valid, the held-back score the training reported, the
wall time of `main.py train` and its peak memory (max RSS of the child, resource.RUSAGE_CHILDREN:
the largest one process), and the training's own count of its process and its helpers together
(``meta.json`` ``sorot.peak_memory_mb``: with two models side by side, both run at once).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared_data import NERGRIT_MAP, SHARED_DATA  # noqa: E402 - bench/ is on sys.path when run

from annotator.formats import conll  # noqa: E402
from annotator.train import evaluate  # noqa: E402

DATA = SHARED_DATA
MAPPED = NERGRIT_MAP


def run(cmd: list[str]) -> tuple[float, str]:
    t0 = time.monotonic()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    took = time.monotonic() - t0
    if out.returncode != 0:
        print(out.stdout, out.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"failed ({out.returncode}): {' '.join(cmd)}")
    return took, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", choices=("mapped", "nergrit"), default="mapped")
    ap.add_argument("--sentences", type=int, default=10)
    ap.add_argument(
        "--keep",
        default="",
        help="keep the project and the model in this folder (a project already there is reused)",
    )
    ap.add_argument("train_args", nargs="*", help="extra `main.py train` options (after --)")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sorot-quality-"))
    work.mkdir(parents=True, exist_ok=True)
    db, out = work / "bench.sorot", work / "model"
    py = sys.executable
    label_map = [f"{a}={b}" for a, b in MAPPED.items()] if args.labels == "mapped" else []
    imp = [py, "main.py", "--db", str(db), "import", str(DATA / "nergrit" / "train.iob"), "--format", "conll"]
    imp += ["--lang", "id", "--sentences-per-article", str(args.sentences), "--status", "done"]
    if label_map:
        imp += ["--label-map", *label_map]
    t_import = 0.0
    if db.exists():
        print(f"reusing the project {db} (no import)")
        if out.exists():
            shutil.rmtree(out)
    else:
        t_import, _ = run(imp)
    t_train, log = run([py, "main.py", "--db", str(db), "train", str(out), "--no-register", *args.train_args])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(log, flush=True)

    valid = conll.read(
        DATA / "nergrit" / "valid.iob",
        sentences_per_article=args.sentences,
        scheme="iob2",
        label_map=dict(MAPPED) if args.labels == "mapped" else {},
        status="new",
        lang="id",
    )
    scores = evaluate(out, valid)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))["sorot"]
    print(f"== nergrit/valid, {len(valid)} articles, labels {args.labels}, exact spans")
    print(f"  {'label':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for lab, s in sorted(scores["per_label"].items()):
        print(f"  {lab:<14} {s['p'] * 100:6.1f} {s['r'] * 100:6.1f} {s['f'] * 100:6.1f} {s['support']:>6}")
    print(
        f"  {'overall':<14} {scores['ents_p'] * 100:6.1f} {scores['ents_r'] * 100:6.1f} {scores['ents_f'] * 100:6.1f}"
    )
    held = meta.get("scores", {})
    print(
        f"held-back score reported by training: F {held.get('ents_f', 0) * 100:.1f} (epoch {held.get('epoch')}); "
        f"counts {json.dumps({k: v for k, v in meta['counts'].items() if k.endswith('articles')})}; "
        f"stopped: {meta.get('stopped')}"
    )
    print(
        f"import {t_import:.0f}s; main.py train {t_train:.0f}s wall; peak memory {peak:.0f} MB (max RSS of a child); "
        f"{meta.get('peak_memory_mb', 0):.0f} MB in all (the training's own count: its process and its helpers, "
        f"which run at once); members {meta.get('final', {}).get('members', 1)}"
    )


if __name__ == "__main__":
    main()
