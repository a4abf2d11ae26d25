"""Desk benchmarks (offscreen). Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_desk.py

1. open a 50,000-character article with 2,000 spans, fully painted (goal: median <= 50 ms, p95 <= 100 ms)
2. create / relabel / delete one span, with the SQLite commit and the repaint (goal: p95 <= 16 ms)
3. start to interactive window, in a fresh process (goal: <= 1.0 s)
4. scroll the article list over a 100,000-article project (fetch page times), in import order
   and in the queue orders (most useful first, quickest first), with Ctrl+Enter's next article

``bench_desk.py list`` runs the fourth alone.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SOROT_NO_FIRST_RUN", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = (
    "Presiden Menteri Jakarta Bandung mengatakan bahwa pemerintah akan segera membangun jalan baru "
    "di wilayah Papua dan Kalimantan Timur untuk mendukung ekonomi rakyat kecil"
).split()


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def fmt(name: str, xs: list[float]) -> str:
    return f"{name:<44} median {statistics.median(xs):7.2f} ms   p95 {p95(xs):7.2f} ms   (n={len(xs)})"


def ms(call: Callable[..., object], /, *args: object, **kwargs: object) -> float:
    """How long ``call(*args, **kwargs)`` takes, in milliseconds."""
    t = time.perf_counter()
    call(*args, **kwargs)
    return (time.perf_counter() - t) * 1000


def fetch_pages(model, rows: int) -> list[float]:
    """The time of each page the article list fetches as it is scrolled down to ``rows``."""
    from PySide6.QtCore import QModelIndex

    pages = []
    while model.rowCount() < rows and model.canFetchMore(QModelIndex()):
        pages.append(ms(model.fetchMore, QModelIndex()))
    return pages


def deep_pages(store, name: str, **order: object) -> str:
    """A page far down the list (at 50k and 99.8k), fetched straight: one line."""
    deep = [ms(store.article_rows, offset, 200, **order) for offset in (50_000, 99_800)]
    return f"{name + ': page at offset 50k / 99.8k':<44} {deep[0]:7.2f} ms / {deep[1]:.2f} ms"


def make_article(n_chars: int = 50_000, n_spans: int = 2_000, seed: int = 1):
    rnd = random.Random(seed)
    parts, pos, words = [], 0, []
    while pos < n_chars:
        w = rnd.choice(WORDS)
        words.append((pos, pos + len(w)))
        parts.append(w)
        pos += len(w)
        sep = "\n" if rnd.random() < 0.015 else " "
        parts.append(sep)
        pos += 1
    text = "".join(parts)[:n_chars]
    words = [w for w in words if w[1] <= len(text)]
    from annotator.model import Span

    spans = []
    chosen = sorted(rnd.sample(range(len(words) - 3), n_spans))
    for i, wi in enumerate(chosen):
        s, e = words[wi][0], words[wi + (1 if i % 4 == 0 else 0)][1]
        label = ("ACTOR", "LOCATION", "CLAIM")[i % 3] if i % 10 else "CLAIM"
        if label == "CLAIM":
            e = words[min(wi + 8, len(words) - 1)][1]
        spans.append(Span(s, e, label, status="suggested" if i % 2 else "accepted", origin="rules", id=i + 1))
    return text, spans


def bench_open(app) -> None:
    from storage.store import Store
    from ui.article_view import ArticleView

    labels = Store.memory().labels()
    text, spans = make_article()
    view = ArticleView()
    view.resize(900, 800)
    view.show()
    view.set_labels(labels)
    times = []
    for _ in range(20):
        view.set_article("", [])
        app.processEvents()
        t = time.perf_counter()
        view.set_article(text, spans)
        view.viewport().repaint()
        times.append((time.perf_counter() - t) * 1000)
    print(fmt("open 50k chars / 2,000 spans, painted", times))
    view.close()


def bench_edits(app, tmp: Path) -> None:
    from annotator.model import Article, Document
    from storage.store import Store
    from ui.article_view import ArticleView
    from ui.desk import DeskController
    from ui.events import StoreEvents

    text, spans = make_article()
    for sp in spans:
        sp.id = None
    store = Store.open(tmp / "edits.sorot")
    aid = store.import_documents([Document(Article(text, title="bench", language="id"), spans)]).article_ids[
        0
    ]
    view = ArticleView()
    view.resize(900, 800)
    view.show()
    events = StoreEvents(store)
    desk = DeskController(store, view, events)
    desk.open_article(aid)
    app.processEvents()
    # Free stretches (no span yet) to create spans in.
    taken = [(sp.start, sp.end) for sp in store.spans(aid)]
    free = [i for i in range(0, len(text) - 20, 97) if not any(s < i + 12 and i < e for s, e in taken)][:40]
    desk.snapper(text, 0, 5, "id")  # tokenizer warm-up (the app does it in the background)
    create, relabel, delete = [], [], []
    full = os.environ.get("BENCH_FULL_REPAINT") == "1"

    def paint() -> None:
        # Default: let Qt paint the dirty region (what the app does); BENCH_FULL_REPAINT=1: whole viewport.
        if full:
            view.viewport().repaint()
        app.processEvents()

    for i in free[:30]:
        t = time.perf_counter()
        sp = desk.create_span("ACTOR", i + 2, i + 6)
        paint()
        create.append((time.perf_counter() - t) * 1000)
        if sp is None:
            continue
        t = time.perf_counter()
        desk.relabel(sp.id, "LOCATION")
        paint()
        relabel.append((time.perf_counter() - t) * 1000)
        desk.select_span(sp.id, reveal=False)
        t = time.perf_counter()
        desk.delete_selected()
        paint()
        delete.append((time.perf_counter() - t) * 1000)
    print(fmt("create span (snap + commit + repaint)", create))
    print(fmt("relabel span (commit + repaint)", relabel))
    print(fmt("delete span (commit + repaint)", delete))
    events.detach()
    store.close()


STARTUP = r"""
import os, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
os.environ["SOROT_SETTINGS"] = sys.argv[3]
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.app import apply_style
apply_style(app)
from storage.store import Store
from ui.main_window import MainWindow
w = MainWindow(Store.open(sys.argv[1]), show_summaries=False)
w.show()
app.processEvents()
print(f"{(time.perf_counter() - t0) * 1000:.1f}")
print("spacy loaded:", "spacy" in sys.modules)
w.shutdown()
"""


def bench_startup(tmp: Path) -> None:
    from annotator.model import Article, Document
    from storage.store import Store

    path = tmp / "start.sorot"
    with Store.open(path) as store:
        store.import_documents([Document(Article(" ".join(WORDS) * 20, title="start", language="id"))])
    walls, inner = [], []
    for _ in range(5):
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, str(path), str(ROOT), str(tmp / "s.ini")],
            capture_output=True,
            text=True,
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        )
        walls.append((time.perf_counter() - t) * 1000)
        lines = out.stdout.split("\n")
        inner.append(float(lines[0]))
    print(fmt("start to interactive window (in process)", inner))
    print(fmt("start to interactive, incl. interpreter+exit", walls), "|", lines[1])


def bench_list(app, tmp: Path) -> None:
    from annotator.model import Article, Document
    from storage.store import Store
    from ui.article_list import ArticleListModel

    path = tmp / "big.sorot"
    store = Store.open(path)
    t = time.perf_counter()
    batch = []
    for i in range(100_000):
        batch.append(
            Document(
                Article(f"Artikel {i}: " + " ".join(WORDS[i % 7 : i % 7 + 12]), title=f"Artikel {i:06d}")
            )
        )
        if len(batch) == 5000:
            store.import_documents(batch)
            batch = []
    print(f"(built a 100,000-article project in {time.perf_counter() - t:.1f} s)")
    t = time.perf_counter()
    model = ArticleListModel(store)
    first = (time.perf_counter() - t) * 1000
    pages = fetch_pages(model, 20_000)
    print(f"{'article list: count + first page':<44} {first:7.2f} ms")
    print(fmt("article list: fetch next 200 (to row 20,000)", pages))
    model.set_filter(statuses=(), search="")
    model.offset_probe = []
    print(deep_pages(store, "article list"))
    print(f"{'article list: sort by title (re-query)':<44} {ms(model.sort, 0):7.2f} ms")
    took = ms(model.set_filter, search="Artikel 4242")
    print(f"{'article list: text filter (FTS)':<44} {took:7.2f} ms")
    bench_my_articles(store, model)
    bench_queue(store, model)
    store.close()


def bench_queue(store, model) -> None:
    """The queue orders (``annotator.queue``) over the same 100k articles, as if every one was
    suggested: random usefulness (a third of them 0: ties) and effort; the analyst's 40k first."""
    rnd = random.Random(7)
    with store.transaction():
        store.db.conn.executemany(
            "UPDATE article_queue SET usefulness = ?, effort = ? WHERE article_id = ?",
            [(max(0, rnd.randint(-5, 10)), rnd.uniform(5, 600), aid) for aid in store.article_ids()],
        )
    for name in ("useful", "quick"):
        first = ms(model.set_queue_order, name)
        pages = fetch_pages(model, 41_000)
        print(f"{f'queue {name}, mine first: count + first page':<44} {first:7.2f} ms")
        print(fmt(f"queue {name}, mine first: next 200 (to 41,000)", pages))
        print(deep_pages(store, f"queue {name}", order=name))
        ids = [r["id"] for r in model.rows[:: len(model.rows) // 50]]
        nexts = [
            ms(store.neighbour_article, aid, 1, skip_done=True, annotator=store.annotator, order=name)
            for aid in ids
        ]
        print(fmt(f"queue {name}: next not done (Ctrl+Enter)", nexts))
        filtered = ms(model.set_filter, statuses=("new", "in_progress"))
        pages = fetch_pages(model, 10_000)
        print(f"{f'queue {name}: filter to do (own state)':<44} {filtered:7.2f} ms")
        print(fmt(f"queue {name}: to do, next 200 (to 10,000)", pages))
        model.set_filter(statuses=())
    model.set_queue_order("import")


def bench_my_articles(store, model) -> None:
    """[team] The analyst's own articles first: 100k articles shared by three analysts, a fifth
    of them by two (40k each), 3,000 of theirs with a state; the list pages each part alone."""
    from annotator import commands as C
    from ops.team_assign import assign_command, plan_assignment

    me = store.annotator
    C.apply(store, assign_command(store, plan_assignment(store, [me, "b", "c"], 0.2, seed=1)))
    with store.transaction():
        for aid in store.assigned_article_ids(me)[:3000]:
            store.set_annotator_state(aid, me, "done" if aid % 2 else "in_progress")
    model.search, model.order, model.descending = "", "id", False  # import order, as the list opens
    first = ms(model.refresh)
    pages = fetch_pages(model, 41_000)  # through their 40k articles and into the rest
    print(f"{'my articles first: count + first page':<44} {first:7.2f} ms")
    print(fmt("my articles first: next 200 (to row 41,000)", pages))
    for label, statuses in (("to do", ("new", "in_progress")), ("done", ("done",))):
        took = ms(model.set_filter, statuses=statuses)
        print(f"{'my articles first: filter ' + label + ' (own state)':<44} {took:7.2f} ms")
    model.set_filter(statuses=())
    print(f"{'my articles first: sort by title (re-query)':<44} {ms(model.sort, 0):7.2f} ms")


def bench_scroll_bar(app) -> None:
    """What one paint of a 500-pixel scroll bar costs in Qt's Fusion style and in Sorot's style
    sheet (resources/style.qss): the span table's and the article view's bars repaint on most edits."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollBar

    from ui.appearance import style_sheet

    for name, sheet in (("Fusion", ""), ("Sorot's style sheet", style_sheet(0, False))):
        app.setStyleSheet(sheet)
        bar = QScrollBar(Qt.Orientation.Vertical)
        bar.resize(12, 500)
        bar.setRange(0, 2000)
        bar.setPageStep(17)
        bar.show()
        app.processEvents()
        times = []
        for i in range(200):
            bar.setValue(i * 5)
            t = time.perf_counter()
            bar.repaint()
            times.append((time.perf_counter() - t) * 1000)
        bar.close()
        print(fmt(f"scroll bar paint, {name}", times))
    app.setStyleSheet("")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from ui.app import apply_style

    bench_scroll_bar(app)
    apply_style(app)  # the look `main.py` gives the desk: its style sheet changes what a paint costs
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["SOROT_SETTINGS"] = str(tmp / "settings.ini")
        if sys.argv[1:] != ["list"]:
            bench_open(app)
            bench_edits(app, tmp)
            bench_startup(tmp)
        bench_list(app, tmp)


if __name__ == "__main__":
    main()
