"""The project store: schema, writes with events, refusals, locking, durability."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator import commands as C
from annotator.errors import ProjectLocked, SpanError, StoreError
from annotator.model import Article, Document, Relation, Span
from storage.store import ArticleFilter, Store

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Presiden Joko Widodo mengatakan di Jakarta bahwa ekonomi tumbuh."


def doc(text: str = TEXT, spans=()) -> Document:
    return Document(Article(text, title="t"), list(spans))


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "p.sorot")
    yield s
    s.close()


def test_new_project_has_the_default_labels(store):
    names = {lab.name: lab for lab in store.labels()}
    assert set(names) == {"ACTOR", "LOCATION", "CLAIM"}
    assert names["CLAIM"].kind == "claim"
    assert "PERSON" in names["ACTOR"].maps_from and "GPE" in names["LOCATION"].maps_from
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_import_twice_does_not_duplicate_and_merges_spans_per_annotator(store):
    store.import_documents([doc(spans=[Span(9, 20, "ACTOR")])], annotator="alice")
    store.import_documents([doc(spans=[Span(9, 20, "ACTOR"), Span(35, 42, "LOCATION")])], annotator="bob")
    store.import_documents([doc(spans=[Span(9, 20, "ACTOR")])], annotator="alice")
    assert store.count_articles() == 1
    aid = store.article_ids()[0]
    spans = store.spans(aid)
    assert sorted((s.text, s.annotator) for s in spans) == [
        ("Jakarta", "bob"),
        ("Joko Widodo", "alice"),
        ("Joko Widodo", "bob"),
    ]


def test_crlf_is_normalised_and_offsets_count_code_points(store):
    text = "Halo 🙂 dunia\r\nKim Jong Un tiba."
    d = Document(Article(text), [Span(13, 24, "ACTOR", text="Kim Jong Un")])
    store.import_documents([d])
    art = store.article(d.article.id)
    assert "\r" not in art.text
    assert store.spans(art.id)[0].text == "Kim Jong Un"


def test_spans_outside_the_text_or_empty_are_refused_naming_article_and_offsets(store):
    with pytest.raises(SpanError, match=r"\[60, 99\)"):
        store.import_documents([doc(spans=[Span(60, 99, "ACTOR")])])
    assert store.count_articles() == 0  # nothing half-imported
    with pytest.raises(SpanError):
        Span(5, 5, "ACTOR")
    with pytest.raises(SpanError):
        Span(-1, 3, "ACTOR")
    store.import_documents([doc()])
    aid = store.article_ids()[0]
    with pytest.raises(SpanError, match="article"):
        store.add_spans(aid, [Span(0, 1000, "ACTOR")])


def test_every_write_is_an_event_and_events_are_append_only(store):
    store.import_documents([doc()])
    aid = store.article_ids()[0]
    [sp] = store.add_spans(aid, [Span(9, 20, "ACTOR")])
    store.update_spans([(sp.id, {"label": "LOCATION"})])
    store.delete_spans([sp.id])
    store.set_article_status(aid, "done")
    actions = [e["action"] for e in reversed(store.events(article_id=aid))]
    assert actions == ["article.import", "span.add", "span.update", "span.delete", "article.status"]
    update = store.events(span_id=sp.id)[1]
    assert update["before"]["label"] == "ACTOR" and update["after"]["label"] == "LOCATION"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM events")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE events SET action = 'x'")


def test_undo_layer_round_trips_add_delete_relabel_and_batches(store):
    store.import_documents([doc()])
    aid = store.article_ids()[0]
    undo_add = C.apply(store, C.AddSpans(aid, [Span(9, 20, "ACTOR"), Span(0, 64, "CLAIM")]))
    claim = [s for s in store.spans(aid) if s.label == "CLAIM"][0]
    actor = [s for s in store.spans(aid) if s.label == "ACTOR"][0]
    C.apply(store, C.AddRelation(claim.id, actor.id))
    undo_delete = C.apply(store, C.DeleteSpans([actor.id]))
    assert store.relations(aid) == []
    C.apply(store, undo_delete)
    assert [r.tail for r in store.relations(aid)] == [actor.id]
    undo_relabel = C.apply(store, C.UpdateSpans([(actor.id, {"label": "LOCATION"})]))
    assert store.span(actor.id).label == "LOCATION"
    C.apply(store, undo_relabel)
    assert store.span(actor.id).label == "ACTOR"
    C.apply(store, undo_add)
    assert store.spans(aid) == []


def test_export_iteration_filters_by_status_label_annotator(store):
    store.import_documents([doc(spans=[Span(9, 20, "ACTOR"), Span(35, 42, "LOCATION")])], annotator="alice")
    store.import_documents([doc("Menteri Retno tiba di Bali.", [Span(8, 13, "ACTOR")])], annotator="bob")
    first, second = store.article_ids()
    store.set_article_status(first, "done")
    docs = list(store.iter_documents(ArticleFilter(statuses=("done",))))
    assert [d.article.id for d in docs] == [first]
    docs = list(store.iter_documents(ArticleFilter(labels=("ACTOR",), annotators=("bob",))))
    assert [[s.text for s in d.spans] for d in docs] == [[], ["Retno"]]


def test_relations_survive_import_and_iteration(store):
    d = doc(spans=[Span(0, 64, "CLAIM"), Span(9, 20, "ACTOR")])
    d.relations = [Relation(0, 1, "claimant")]
    store.import_documents([d], annotator="a")
    [back] = list(store.iter_documents())
    assert [(back.spans[r.head].label, back.spans[r.tail].label) for r in back.relations] == [
        ("CLAIM", "ACTOR")
    ]


def test_full_text_search_finds_articles_and_counts(store):
    store.import_documents([doc(), doc("Kim Jong Un tiba di Pyongyang.")])
    hits = store.search_articles("pyongyang")
    assert [h["title"] for h in hits] == ["t"] and "Pyongyang" in hits[0]["snippet"]
    assert store.count_articles(search="Pyong") == 1
    assert store.count_articles(search='"; DROP TABLE') == 0


def test_second_writer_is_refused_clearly_and_read_only_works(tmp_path):
    path = tmp_path / "p.sorot"
    first = Store.open(path)
    first.import_documents([doc()])
    with pytest.raises(ProjectLocked, match="open in another Sorot"):
        Store.open(path)
    ro = Store.open(path, read_only=True)
    assert ro.count_articles() == 1
    with pytest.raises(StoreError, match="read-only"):
        ro.set_article_status(ro.article_ids()[0], "done")
    ro.close()
    first.close()
    Store.open(path).close()  # the lock is released on close


def test_not_sqlite_and_read_only_files_get_clear_errors(tmp_path):
    bad = tmp_path / "notes.sorot"
    bad.write_text("this is not a database, just notes\n" * 10)
    with pytest.raises(StoreError, match="not a Sorot project"):
        Store.open(bad)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(StoreError, match="not a Sorot project"):
        Store.open(other)
    good = tmp_path / "good.sorot"
    Store.open(good).close()
    os.chmod(good, 0o444)
    if os.geteuid() == 0:
        # root writes through file modes; the refusal is checked through os.access, simulate it
        import storage.db as st

        real = st.os.access
        st.os.access = lambda p, mode: False if Path(p) == good else real(p, mode)
        try:
            with pytest.raises(StoreError, match="read-only"):
                Store.open(good)
        finally:
            st.os.access = real
    else:
        with pytest.raises(StoreError, match="read-only"):
            Store.open(good)


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from annotator import commands as C
    from annotator.model import Article, Document, Span
    from storage.store import Store
    s = Store.open(sys.argv[1])
    if not s.article_ids():
        s.import_documents([Document(Article("Kim Jong Un bertemu Putin di Moskow. " * 20))])
    aid = s.article_ids()[0]
    run = int(sys.argv[2])
    print("ready", flush=True)
    i = 0
    while True:
        start = (i * 7) % 600
        [sp] = s.add_spans(aid, [Span(start, start + 5, "ACTOR", note=f"edit-{{run}}-{{i}}")])
        print("add", sp.id, flush=True)  # acknowledged: committed
        # a suggester re-run (moving its suggestions along), then a note on one of its pending ones
        shift = (i + run) % 5
        fresh = [Span(k * 36 + shift, k * 36 + shift + 3, "LOCATION", origin="rules", status="suggested")
                 for k in range(10)]
        s.replace_suggestions(aid, fresh, origins=["rules"])
        pending = [x for x in s.spans(aid, statuses=["suggested"]) if x.annotator is None]
        if pending:
            target = pending[i % len(pending)]
            note = f"{{run:03d}}-{{i:05d}}"
            C.apply(s, C.UpdateSpans([(target.id, {{"note": note}})], "Edit note"))
            print("note", target.id, note, flush=True)
        i += 1
    """
)


def test_killing_a_writer_at_random_moments_loses_no_acknowledged_edit(tmp_path):
    path = tmp_path / "kill.sorot"
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    rng = random.Random(7)
    acknowledged: set[int] = set()
    noted: dict[int, str] = {}  # span id -> the last note acknowledged on it

    def take(line: str) -> None:
        kind, sid, *rest = line.split()
        if kind == "add":
            acknowledged.add(int(sid))
        else:
            noted[int(sid)] = rest[0]

    for run in range(100):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(path), str(run)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "ready"
        for _ in range(rng.randint(0, 40)):
            line = proc.stdout.readline()
            if not line:
                break
            take(line)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # whatever was acknowledged before the kill but still in the pipe counts too
        for line in proc.stdout.read().splitlines():
            if re.fullmatch(r"add \d+|note \d+ \d{3}-\d{5}", line):  # whole lines only
                take(line)
        proc.stdout.close()
    store = Store.open(path)
    stored = {r[0]: r[1] for r in store.db.execute("SELECT id, note FROM spans")}
    assert acknowledged <= set(stored)
    assert store.integrity_check() == "ok"
    events = {r[0] for r in store.db.execute("SELECT span_id FROM events WHERE action = 'span.add'")}
    assert acknowledged <= events
    # every note acknowledged on a pending suggestion is there (or a later one), however the
    # suggester moved its other suggestions meanwhile
    assert noted, "the writer never noted a suggestion"
    for sid, note in noted.items():
        assert sid in stored and stored[sid] >= note, (sid, note, stored.get(sid))
    store.close()


def test_full_text_index_follows_every_span_write(store):
    store.import_documents([doc(spans=[Span(9, 20, "ACTOR")])])
    aid = store.article_ids()[0]

    def hits(word):
        return sorted(
            r[0] for r in store.db.execute("SELECT rowid FROM spans_fts WHERE spans_fts MATCH ?", (word,))
        )

    [imported] = store.spans(aid)
    assert hits("widodo") == [imported.id]
    [added] = store.add_spans(aid, [Span(35, 42, "LOCATION")])
    assert hits("jakarta") == [added.id]
    store.update_spans([(added.id, {"start": 32, "end": 34})])
    assert hits("jakarta") == [] and hits("di") == [added.id]
    store.delete_spans([imported.id])
    assert hits("widodo") == []
    store.replace_suggestions(
        aid, [Span(35, 42, "LOCATION", origin="rules", status="suggested")], origins=["rules"]
    )
    store.replace_suggestions(
        aid, [Span(35, 42, "LOCATION", origin="rules", status="suggested")], origins=["rules"]
    )
    assert len(hits("jakarta")) == 1
    store.db.execute("INSERT INTO spans_fts (spans_fts) VALUES ('integrity-check')")
    store.delete_article(aid)
    assert hits("jakarta") == [] and store.search_articles("jakarta") == []


def test_import_fits_an_old_sqlite_limit_of_999_bound_variables(store):
    store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # SQLite before 3.32
    docs = []
    for i in range(700):
        text = f"Berita {i}: Presiden Joko Widodo mengatakan di Jakarta."
        who, where = text.index("Joko Widodo"), text.index("Jakarta")
        docs.append(doc(text, [Span(who, who + 11, "ACTOR"), Span(where, where + 7, "LOCATION")]))
    report = store.import_documents(docs, annotator="ana")
    assert (report.articles_added, report.spans_added) == (700, 1400)
    again = store.import_documents(docs, annotator="ana")  # 700 hashes looked up in parts
    assert (again.articles_merged, again.spans_added, again.spans_skipped) == (700, 0, 1400)
    assert store.integrity_check() == "ok"


def test_reads_during_another_threads_write_do_not_wait(store):
    import threading

    store.import_documents([doc()])
    inside, finish = threading.Event(), threading.Event()

    def long_write():
        with store.write("import"):
            store.db.execute("UPDATE articles SET title = 'changed, not yet committed'")
            inside.set()
            finish.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    assert inside.wait(10)
    try:
        # answered from the last committed state, while the write is still open
        assert store.count_articles() == 1
        assert store.article(store.article_ids()[0]).title == "t"
    finally:
        finish.set()
        writer.join()
    assert store.article(store.article_ids()[0]).title == "changed, not yet committed"
