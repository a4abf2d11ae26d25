"""The one edit path: a user action of many steps is one transaction (a failure or a kill
between its steps leaves nothing half-applied), listeners hear it once after the commit,
and undoing a bulk action reads its spans in a few chunked queries, not one per span."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator import commands as C
from annotator.errors import SpanGone
from annotator.model import HUMAN, Article, Document, Span
from storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Presiden Joko Widodo bertemu Retno Marsudi di Jakarta. " * 4


def project(store: Store) -> int:
    [aid] = store.import_documents([Document(Article(TEXT, language="id"))]).article_ids
    return aid


def state(store: Store, aid: int):
    spans = [(sp.id, sp.key, sp.status, sp.note) for sp in store.spans(aid)]
    return store.article(aid).status, spans, store.relations(aid), store.events(limit=1)[0]["id"]


def test_a_failing_step_rolls_back_the_whole_action():
    with Store.memory() as store:
        aid = project(store)
        [kept] = store.add_spans(aid, [Span(9, 20, "ACTOR")])
        heard = []
        store.subscribe(heard.append)
        before = state(store, aid)
        # Given a first edit on a new article (status, then a span), then a step on a deleted span
        action = C.Batch(
            [
                C.SetArticleStatus(aid, "in_progress"),
                C.AddSpans(aid, [Span(29, 42, "ACTOR", origin=HUMAN)]),
                C.UpdateSpans([(kept.id, {"note": "ok"})]),
                C.UpdateSpans([(kept.id + 1000, {"note": "gone"})]),
            ]
        )
        # When it is applied, Then it fails as a whole: nothing stored, nothing announced
        with pytest.raises(SpanGone):
            C.apply(store, action)
        assert state(store, aid) == before
        assert heard == []
        # And the same action without the bad step is heard once per kind of change, after commit
        C.apply(store, C.Batch(action.commands[:3]))
        assert store.article(aid).status == "in_progress"
        [changes] = heard  # one Changes for the whole action
        assert changes.actions == {"article.status", "span.add", "span.update"}
        assert changes.article_ids == {aid} and kept.id in changes.span_ids and len(changes.span_ids) == 2


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from annotator import commands as C
    from annotator.model import Span
    from storage.store import Store
    store = Store.open(sys.argv[1])
    aid = store.article_ids()[0]
    real = store.add_spans
    def add_then_die(*args, **kwargs):
        out = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)  # between the steps, before the action commits
        return out
    store.add_spans = add_then_die
    C.apply(store, C.Batch([C.SetArticleStatus(aid, "in_progress"), C.AddSpans(aid, [Span(9, 20, "ACTOR")]),
                            C.SetArticleStatus(aid, "done")]))
    """
)


def test_a_kill_between_the_steps_leaves_nothing_half_applied(tmp_path):
    path = tmp_path / "kill.sorot"
    with Store.open(path) as store:
        aid = project(store)
        before = state(store, aid)
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(root=str(ROOT)))
    proc = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with Store.open(path) as store:
        assert state(store, aid) == before
        assert store.integrity_check() == "ok"


def test_undo_and_redo_of_a_20000_span_bulk_relabel_read_in_chunks():
    with Store.memory() as store:
        docs = []
        for i in range(400):
            text = f"Berita {i}. " + TEXT
            offset = len(f"Berita {i}. ")
            spans = [Span(offset + k * 56 + 9, offset + k * 56 + 20, "ACTOR") for k in range(4)]
            spans += [Span(offset + k * 56 + s, offset + k * 56 + s + 2, "LOCATION")
                      for k in range(4) for s in range(0, 46, 4)]  # fmt: skip
            docs.append(Document(Article(text), spans[:50]))
        store.import_documents(docs, annotator="ana")
        ids = [r[0] for r in store.db.execute("SELECT id FROM spans")]
        assert len(ids) == 20000
        inverse = C.apply(store, C.UpdateSpans([(sid, {"label": "CLAIM"}) for sid in ids], "Relabel 20,000"))

        reads: list[str] = []
        store.db.conn.set_trace_callback(
            lambda sql: reads.append(sql) if sql.lstrip().upper().startswith("SELECT") else None
        )
        redo = C.apply(store, inverse)  # undo
        undo_reads = len(reads)
        reads.clear()
        C.apply(store, redo)  # redo
        store.db.conn.set_trace_callback(None)
        # 20,000 spans are read in chunks of 500: 40 queries, not 20,000
        assert undo_reads <= 45 and len(reads) <= 45, (undo_reads, len(reads))
        assert {r[0] for r in store.db.execute("SELECT DISTINCT label FROM spans")} == {"CLAIM"}


def test_deleting_an_article_records_every_span_it_takes_along():
    with Store.memory() as store:
        aid = project(store)
        spans = store.add_spans(aid, [Span(9, 20, "ACTOR"), Span(45, 52, "LOCATION")])
        store.delete_article(aid)
        for sp in spans:
            [gone] = [e for e in store.events(span_id=sp.id) if e["action"] == "span.delete"]
            assert gone["before"]["text"] == sp.text
            with pytest.raises(SpanGone, match="deleted it"):
                store.span(sp.id)
