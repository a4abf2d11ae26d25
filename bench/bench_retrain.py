"""The desk while the next model trains in the background (issue [loop], item 2).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_retrain.py [--articles 400] [--minutes 3]

A project of NERGRIT training articles (10 sentences each, marked done, PERSON+ORGANISATION ->
ACTOR, PLACE -> LOCATION) plus one 50,000-character article with 2,000 spans, opened in the
real MainWindow. Span edits on the big article (create with snapping, relabel, delete, each
with its SQLite commit and repaint) are timed before any training, then again while the
desk's RetrainService trains in its background process (View > Retrain now), until the
training ends. Goal: edit p95 <= 16 ms during a training run. Also prints the training's
wall time and the version it made. Run by hand; the machine is shared, so the load is printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SOROT_NO_FIRST_RUN", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_desk import fmt, make_article, p95  # noqa: E402
from shared_data import SHARED_DATA  # noqa: E402 - bench/ is on sys.path when run

DATA = SHARED_DATA / "nergrit" / "train.iob"
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable


def build(tmp: Path, articles: int) -> tuple[Path, int]:
    project = tmp / "retrain.sorot"
    lines = DATA.read_text(encoding="utf-8").split("\n")
    # the first `articles` x 10 sentences
    out, sentences = [], 0
    for line in lines:
        out.append(line)
        if not line.strip():
            sentences += 1
            if sentences >= articles * 10:
                break
    src = tmp / "train.iob"
    src.write_text("\n".join(out) + "\n", encoding="utf-8")
    subprocess.run(
        [PY, str(ROOT / "main.py"), "--db", str(project), "--annotator", "bench", "import", str(src),
         "--format", "conll", "--sentences-per-article", "10", "--status", "done",
         "--label-map", "PERSON=ACTOR", "ORGANISATION=ACTOR", "PLACE=LOCATION"],
        check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    from annotator.model import Article, Document
    from storage.store import Store

    text, spans = make_article()
    for sp in spans:
        sp.id = None
    with Store.open(project) as store:
        store.set_setting("suggesters", "rules")
        store.set_setting("loop.retrain_every", "0")  # only the one asked for below
        [big] = store.import_documents([Document(Article(text, title="bench", language="id"), spans)]).article_ids
    return project, big


def edit_cycle(app, desk, view, starts: list[int], out: dict[str, list[float]]) -> None:
    for i in starts:
        t = time.perf_counter()
        sp = desk.create_span("ACTOR", i + 2, i + 6)
        app.processEvents()
        out["create"].append((time.perf_counter() - t) * 1000)
        if sp is None:
            continue
        t = time.perf_counter()
        desk.relabel(sp.id, "LOCATION")
        app.processEvents()
        out["relabel"].append((time.perf_counter() - t) * 1000)
        desk.select_span(sp.id, reveal=False)
        t = time.perf_counter()
        desk.delete_selected()
        app.processEvents()
        out["delete"].append((time.perf_counter() - t) * 1000)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--bare", action="store_true",
                    help="time the edits on the desk alone (controller + article view, as bench_desk.py "
                         "does), not the whole window with its panels")  # fmt: skip
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from ui.app import apply_style

    apply_style(app)  # the look `main.py` gives the desk: its style sheet changes what a paint costs
    tmp = Path(tempfile.mkdtemp(prefix="sorot-bench-retrain-"))
    os.environ["SOROT_SETTINGS"] = str(tmp / "settings.ini")
    t0 = time.perf_counter()
    project, big = build(tmp, args.articles)
    print(f"project: {args.articles} done articles + one of 50,000 chars / 2,000 spans, built in "
          f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
    from storage.store import Store
    from ui.main_window import MainWindow

    store = Store.open(project)
    store.set_setting("loop.max_minutes", f"{args.minutes:g}")
    if args.bare:
        from ui.article_view import ArticleView
        from ui.desk import DeskController
        from ui.events import StoreEvents
        from ui.retrain import RetrainService

        view = ArticleView()
        view.resize(900, 800)
        view.show()
        desk = DeskController(store, view, StoreEvents(store))
        desk.open_article(big)
        service = RetrainService(store)
        label = None
    else:
        w = MainWindow(store, show_summaries=False, auto_suggest=False)
        w.resize(1366, 768)
        w.show()
        w.open_article(big)
        desk, view, service, label = w.desk, w.view, w.retrain, w.retrain_label
    print("edits timed on", "the desk alone (controller + view)" if args.bare else "the whole window")
    app.processEvents()
    text = desk.article.text
    taken = [(sp.start, sp.end) for sp in store.spans(big)]
    free = [i for i in range(0, len(text) - 20, 97) if not any(s < i + 12 and i < e for s, e in taken)][:40]
    desk.snapper(text, 0, 5, "id")

    before: dict[str, list[float]] = {"create": [], "relabel": [], "delete": []}
    for _ in range(3):
        edit_cycle(app, desk, view, free[:30], before)
    print(f"load before: {os.getloadavg()}")
    for name in before:
        print(fmt(f"{name}, no training", before[name]))

    during: dict[str, list[float]] = {"create": [], "relabel": [], "delete": []}
    made: list = []
    service.version_made.connect(made.append)
    t_train = time.perf_counter()
    service.start("manual")
    loads = []
    while service.running:
        edit_cycle(app, desk, view, free[:30], during)
        loads.append(os.getloadavg()[0])
    seconds = time.perf_counter() - t_train
    app.processEvents()
    print(f"training ran {seconds:.0f} s; load during: max {max(loads or [0]):.2f}")
    for name in during:
        print(fmt(f"{name}, while training", during[name]))
    every = [x for xs in during.values() for x in xs]
    print(f"edit p95 while training: {p95(every):.2f} ms (goal <= 16 ms) over {len(every)} edits")
    if made:
        print("version:", made[0].message())
    else:
        print("no version made:", label.text() if label is not None else "")
    if not args.bare:
        w.shutdown()


if __name__ == "__main__":
    main()
