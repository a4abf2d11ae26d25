"""Review benchmarks on a big project: 100,000 articles, 2 million spans.

    .venv/bin/python bench/bench_review.py [--rebuild] [--path /tmp/sorot-bench-review.sorot]

Targets: any filter or search in the review table shows its first rows in <= 100 ms;
agreement over 1,000 doubly annotated articles <= 2 s; an article's timeline with
1,000 events <= 50 ms. The project is built once with bulk SQL and cached under /tmp.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.agreement import agreement  # noqa: E402
from annotator.history import timeline  # noqa: E402
from storage import review  # noqa: E402
from storage.store import Store  # noqa: E402

N_ARTICLES = 100_000
SPANS_PER_ARTICLE = 20
DOUBLE = 1_000  # articles annotated by both alice and bob
TIMELINE_ARTICLE = 7
TIMELINE_EVENTS = 1_000
DEFAULT_PATH = Path("/tmp/sorot-bench-review.sorot")

PEOPLE = ["Joko Widodo", "Prabowo Subianto", "Anies Baswedan", "Sri Mulyani", "Ganjar Pranowo", "Puan Maharani",
          "Retno Marsudi", "Mahfud MD", "Erick Thohir", "Budi Gunadi"]  # fmt: skip
ORGS = ["KPK", "DPR", "Bank Indonesia", "Pertamina", "PDI-P", "Gerindra", "Polri", "TNI", "Garuda", "Telkom"]
PLACES = [
    "Jakarta",
    "Surabaya",
    "Bandung",
    "Medan",
    "Makassar",
    "Bali",
    "Papua",
    "Aceh",
    "Nusantara",
    "Semarang",
]
FILLER = ("the minister said on Monday that the plan would go ahead despite concerns raised by critics "
          "in parliament and among regional officials who asked for more time ").split()  # fmt: skip


def _article(rng: random.Random, i: int) -> tuple[str, list[tuple[int, int, str, str]]]:
    parts: list[str] = []
    spans: list[tuple[int, int, str, str]] = []
    pos = 0
    for _ in range(SPANS_PER_ARTICLE):
        filler = " ".join(rng.choices(FILLER, k=rng.randint(3, 8))) + " "
        parts.append(filler)
        pos += len(filler)
        r = rng.random()
        if r < 0.45:
            name, label = rng.choice(PEOPLE), "ACTOR"
        elif r < 0.7:
            name, label = rng.choice(ORGS), "ACTOR"
        elif r < 0.97:
            name, label = rng.choice(PLACES), "LOCATION"
        else:
            name, label = "warned that prices would rise", "CLAIM"
        parts.append(name)
        spans.append((pos, pos + len(name), label, name))
        pos += len(name)
        parts.append(". ")
        pos += 2
    return f"Article {i}. " + "".join(parts), [
        (s + len(f"Article {i}. "), e + len(f"Article {i}. "), lab, t) for s, e, lab, t in spans
    ]


def build(path: Path) -> None:
    t0 = time.perf_counter()
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store.open(path)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = OFF")
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    rng = random.Random(42)
    statuses = (
        ["new"] * 50
        + ["in_progress"] * 20
        + ["done"] * 20
        + ["reviewed"] * 5
        + ["skipped"] * 3
        + ["flagged"] * 2
    )
    days = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    art_rows, span_rows, event_rows = [], [], []
    sid = 0
    for i in range(1, N_ARTICLES + 1):
        text, spans = _article(rng, i)
        status = rng.choice(statuses)
        day = rng.choice(days)
        ts = f"{day}T10:00:00.000+00:00"
        art_rows.append((i, f"a{i:06d}", f"h{i:08d}", f"Article {i}", text, status, ts, ts))
        if status in ("done", "reviewed"):
            event_rows.append((ts, "alice", "article.status", i, None, json.dumps({"status": "in_progress"}),
                               json.dumps({"status": status, "reason": ""})))  # fmt: skip
        annotators = ("alice", "bob") if i <= DOUBLE else (rng.choice(("alice", "bob", "carol", None)),)
        for ann in annotators:
            for s, e, label, t in spans:
                if ann == "bob" and rng.random() < 0.1:
                    label = "LOCATION" if label == "ACTOR" else "ACTOR"  # disagreements for agreement
                if ann is None:
                    origin = rng.choice(("rules", "model"))
                    status_s = rng.choice(("suggested", "suggested", "accepted", "rejected"))
                else:
                    origin, status_s = "human", "accepted"
                sid += 1
                who = ann
                if sid % 2000 == 0:
                    who = "dave"  # a rare annotator: the hardest filter for a scan
                span_rows.append((sid, i, s, e, label, t, origin, status_s, who, ts, ts))
        if len(span_rows) > 200_000:
            _flush(conn, art_rows, span_rows, event_rows)
    _flush(conn, art_rows, span_rows, event_rows)
    # One article with a long history: 1,000 relabels of one span.
    first = conn.execute("SELECT id, char_start, char_end, label, text FROM spans WHERE article_id = ? LIMIT 1",
                         (TIMELINE_ARTICLE,)).fetchone()  # fmt: skip
    rec = {"id": first[0], "article_id": TIMELINE_ARTICLE, "start": first[1], "end": first[2], "label": first[3],
           "text": first[4], "origin": "human", "status": "accepted", "annotator": "alice", "note": "", "attrs": {},
           "score": None, "created_at": "2025-01-01T00:00:00.000+00:00"}  # fmt: skip
    rows = []
    for n in range(TIMELINE_EVENTS):
        before = dict(rec)
        rec = dict(rec, label="LOCATION" if rec["label"] == "ACTOR" else "ACTOR")
        rows.append((f"2025-06-01T10:{n // 60 % 60:02d}:{n % 60:02d}.000+00:00", "alice", "span.update",
                     TIMELINE_ARTICLE, first[0], json.dumps(before), json.dumps(rec)))  # fmt: skip
    conn.executemany(
        "INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) VALUES (?,?,?,?,?,?,?)",
        rows,
    )
    conn.execute("UPDATE spans SET label = ? WHERE id = ?", (rec["label"], first[0]))
    conn.commit()
    for fts in ("articles_fts", "spans_fts"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    for _, sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    print(f"built {path} in {time.perf_counter() - t0:.1f} s ({sid:,} spans)")


def _flush(conn: sqlite3.Connection, arts: list, spans: list, events: list) -> None:
    conn.executemany(
        "INSERT INTO articles (id, uid, hash, title, text, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        arts,
    )
    conn.executemany(
        "INSERT INTO spans (id, article_id, char_start, char_end, label, text, origin, status, annotator, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        spans,
    )
    conn.executemany(
        "INSERT INTO events (ts, annotator, action, article_id, span_id, before, after) VALUES (?,?,?,?,?,?,?)",
        events,
    )
    conn.commit()
    arts.clear()
    spans.clear()
    events.clear()


def timed(fn, repeat: int = 5, *, cold=None) -> tuple[float, object]:
    """Median milliseconds; ``cold`` (a store) forgets its cached query plans before each run."""
    times, result = [], None
    for _ in range(repeat):
        if cold is not None:
            cold.caches.clear()  # no plan kept: a cold query
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


FILTERS = {
    "no filter": review.SpanFilter(),
    "label CLAIM (3%)": review.SpanFilter(labels=("CLAIM",)),
    "labels ACTOR+LOCATION": review.SpanFilter(labels=("ACTOR", "LOCATION")),
    "status rejected": review.SpanFilter(statuses=("rejected",)),
    "origin rules, suggested": review.SpanFilter(origins=("rules",), statuses=("suggested",)),
    "annotator dave (rare)": review.SpanFilter(annotators=("dave",)),
    "no annotator": review.SpanFilter(annotators=(None,)),
    "article flagged": review.SpanFilter(article_statuses=("flagged",)),
    "article reviewed + CLAIM": review.SpanFilter(article_statuses=("reviewed",), labels=("CLAIM",)),
    "one day": review.SpanFilter(since="2025-03-14", until="2025-03-14"),
    "year to date": review.SpanFilter(since="2025-01-01"),
    "search 'jakarta'": review.SpanFilter(text="jakarta"),
    "search 'warned prices'": review.SpanFilter(text="warned prices"),
    "search 'zzz' (none)": review.SpanFilter(text="zzz"),
    "search 'sri' + bob + LOCATION": review.SpanFilter(text="sri", annotators=("bob",), labels=("LOCATION",)),
    "dave + CLAIM + rejected (empty)": review.SpanFilter(
        annotators=("dave",), labels=("CLAIM",), statuses=("rejected",)
    ),
    "carol + CLAIM + flagged": review.SpanFilter(
        annotators=("carol",), labels=("CLAIM",), article_statuses=("flagged",)
    ),
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--path", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    if args.rebuild or not args.path.exists():
        build(args.path)
    store = Store.open(args.path)
    try:
        total = store.query("SELECT count(*) FROM spans")[0][0]
        print(f"project: {store.query('SELECT count(*) FROM articles')[0][0]:,} articles, {total:,} spans")
        worst = 0.0
        print(f"{'review table filter':36} {'first 200 (cold)':>15} {'next page':>10} {'count≤1000':>11}")
        for name, flt in FILTERS.items():
            ms, rows = timed(lambda flt=flt: review.span_rows(store, flt, 0, 200), cold=store)
            nxt = 0.0
            if rows:
                last = rows[-1]["id"]
                nxt, _ = timed(
                    lambda flt=flt, last=last: review.span_rows(store, flt, limit=200, after_id=last)
                )
            cms, n = timed(lambda flt=flt: review.count_spans(store, flt, cap=1000), cold=store)
            worst = max(worst, ms, nxt)
            shown = f"{n:,}+" if n > 1000 else f"{n:,}"
            print(f"{name:36} {ms:12.1f} ms {nxt:7.1f} ms {cms:7.1f} ms  ({shown} rows)")
        print(f"worst first/next page: {worst:.1f} ms (target 100 ms) -> {'OK' if worst <= 100 else 'SLOW'}")

        t0 = time.perf_counter()
        arts = list(review.annotated_articles(store, annotators=("alice", "bob")))
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        rep = agreement(arts)
        calc = time.perf_counter() - t0
        print(
            f"agreement over {len(arts):,} doubly annotated articles: load {load * 1000:.0f} ms + compute "
            f"{calc * 1000:.0f} ms = {(load + calc):.2f} s (target 2 s) -> {'OK' if load + calc <= 2 else 'SLOW'}"
        )
        ov = rep.overall
        print(
            f"  F1 exact {ov.f1_exact:.3f}, F1 overlap {ov.f1_overlap:.3f}, kappa {ov.kappa:.3f}, alpha {ov.alpha:.3f}"
        )

        ms, entries = timed(lambda: timeline(store, TIMELINE_ARTICLE, limit=TIMELINE_EVENTS + 100))
        print(
            f"timeline of article {TIMELINE_ARTICLE} ({len(entries):,} events): {ms:.1f} ms (target 50 ms) -> "
            f"{'OK' if ms <= 50 else 'SLOW'}"
        )
        from annotator.history import state_at

        ev = entries[len(entries) // 2]["id"]
        ms, spans = timed(lambda: state_at(store, TIMELINE_ARTICLE, ev))
        print(f"article {TIMELINE_ARTICLE} as it was at event {ev} ({len(spans)} spans): {ms:.1f} ms")
        ms, _ = timed(lambda: review.stats_tables(store), repeat=1)
        print(f"stats tables over the whole project: {ms:.0f} ms (computed in a worker in the UI)")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
