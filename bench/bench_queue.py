"""The queue orders' cost in storage (issue #14, "What to annotate next").

    nice -n 15 .venv/bin/python bench/bench_queue.py [ARTICLES] [SPANS_PER_ARTICLE]

1. m011_article_queue on a project made before it: ARTICLES (100,000) articles of ~600
   characters with SPANS_PER_ARTICLE (20) pending suggestions each (2M spans), a tenth of
   them a spaCy pipeline's with a score: the migration's time (its back-fill included).
2. Importing the same articles into a project with and without the trigger that gives each
   new article its queue row (what the trigger costs an import).
3. Storing suggestions: ``replace_suggestions_many`` over 64-article batches with and without
   the queue keys (what computing and storing them costs a suggest run).

The list's pages in the queue orders are in ``bench/bench_desk.py list``.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlite_utils import Database  # noqa: E402

from annotator.model import Article, Document, Span  # noqa: E402
from storage.schema import migrations  # noqa: E402
from storage.store import Store  # noqa: E402

WORDS = (
    "Presiden Menteri Jakarta Bandung mengatakan bahwa pemerintah akan segera membangun jalan baru "
    "di wilayah Papua dan Kalimantan Timur untuk mendukung ekonomi rakyat kecil"
).split()


def documents(n: int, spans: int, seed: int = 1, suggested: bool = True):
    rnd = random.Random(seed)
    for i in range(n):
        words = [rnd.choice(WORDS) for _ in range(80)]
        text = f"Artikel {i}: " + " ".join(words)
        found = []
        if suggested:
            pos = 0
            starts = []
            for w in words:
                starts.append((len(f"Artikel {i}: ") + pos, len(w)))
                pos += len(w) + 1
            for k in sorted(rnd.sample(range(len(starts)), spans)):
                s, length = starts[k]
                model = k % 10 == 0
                found.append(Span(s, s + length, "ACTOR" if k % 2 else "LOCATION", status="suggested",
                                  origin="spacy:m" if model else "rules",
                                  score=rnd.random() if model else None))  # fmt: skip
        yield Document(Article(text, title=f"Artikel {i:06d}"), found)


def batched(docs, size: int = 5000):
    batch = []
    for d in docs:
        batch.append(d)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def old_store(path: Path) -> Store:
    db = Database(sqlite3.connect(str(path), check_same_thread=False))
    migrations.apply(db, stop_before="m011_article_queue")
    return Store(db, path, read_only=False, lock=None)


def bench_migration(tmp: Path, n: int, spans: int) -> None:
    path = tmp / "old.sorot"
    store = old_store(path)
    t = time.perf_counter()
    store.import_batches(batched(documents(n, spans)))
    print(
        f"(built a pre-m011 project: {n:,} articles, {n * spans:,} suggestions in {time.perf_counter() - t:.0f} s)"
    )
    store.close()
    t = time.perf_counter()
    with Store.open(path) as fresh:
        took = time.perf_counter() - t
        rows = fresh.query("SELECT count(*), sum(usefulness > 0) FROM article_queue")[0]
    print(f"{'open, m011 included (back-fill)':<48} {took:7.2f} s   ({rows[0]:,} rows, {rows[1]:,} useful)")
    t = time.perf_counter()
    with Store.open(path):
        pass
    print(f"{'open again (no migration)':<48} {time.perf_counter() - t:7.2f} s")


def bench_import(tmp: Path, n: int) -> None:
    for name, make in (("without the queue trigger", old_store), ("with it", Store.open)):
        path = tmp / f"import-{name.split()[0]}.sorot"
        store = make(path)
        t = time.perf_counter()
        store.import_batches(batched(documents(n, 0, suggested=False)))
        print(f"{f'import {n:,} articles, {name}':<48} {time.perf_counter() - t:7.2f} s")
        store.close()


def bench_suggest_store(tmp: Path, n: int, spans: int) -> None:
    from annotator.queue import effort

    path = tmp / "suggest.sorot"
    store = Store.open(path)
    ids = store.import_batches(batched(documents(n, 0, suggested=False))).article_ids
    items = [(aid, d.spans) for aid, d in zip(ids, documents(n, spans, seed=2), strict=True)]
    t = time.perf_counter()
    for first in range(0, n, 64):
        batch = items[first : first + 64]
        store.replace_suggestions_many(
            batch, origins=["rules", "spacy:m"], usefulness={aid: 1.0 for aid, _ in batch}
        )
    total = time.perf_counter() - t
    # The queue's part of it: the same upserts alone, batch by batch, in one transaction (what
    # they add to the suggest run's own transactions).
    t = time.perf_counter()
    with store.transaction():
        for first in range(0, n, 64):
            store.db.conn.executemany(
                "INSERT INTO article_queue (article_id, usefulness, effort) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET effort = excluded.effort, "
                "usefulness = CASE WHEN ? THEN excluded.usefulness ELSE usefulness END",
                [(aid, 1.0, effort(600, spans), True) for aid, _ in items[first : first + 64]],
            )
    queue = time.perf_counter() - t
    print(f"{f'store suggestions of {n:,} articles (64 a batch)':<48} {total:7.2f} s; "
          f"the queue keys' upserts alone {queue:.2f} s")  # fmt: skip
    store.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    spans = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_migration(tmp, n, spans)
        bench_import(tmp, n)
        bench_suggest_store(tmp, min(n, 5_000), spans)


if __name__ == "__main__":
    main()
