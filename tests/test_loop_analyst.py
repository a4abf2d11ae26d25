"""The simulated analyst of bench/bench_loop.py: the desk's commands, and the cost it counts."""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.model import Article, Document, Span
from storage.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_loop import COST, cost, work_article  # noqa: E402

TEXT = "Presiden Joko Widodo tiba di Jakarta Pusat bersama Sri Mulyani dari Bandung ."


def where(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def test_the_analyst_accepts_fixes_rejects_draws_and_marks_done():
    # Given an article with four gold spans and three pending suggestions:
    # one exact, one a token short, one wrong
    store = Store.memory()
    store.annotator = "analyst"
    store.ensure_labels(["ACTOR", "LOCATION"])
    store.import_documents([Document(Article(text=TEXT, language="id"), [])], annotator="analyst")
    [aid] = store.article_ids()
    gold = {
        (*where("Joko Widodo"), "ACTOR"),
        (*where("Jakarta Pusat"), "LOCATION"),
        (*where("Sri Mulyani"), "ACTOR"),
        (*where("Bandung"), "LOCATION"),
    }
    suggested = [
        Span(*where("Joko Widodo"), "ACTOR", status="suggested", origin="rules"),
        Span(*where("Jakarta"), "LOCATION", status="suggested", origin="rules"),
        Span(*where("Presiden"), "ACTOR", status="suggested", origin="rules"),
        Span(0, len(TEXT), "CLAIM", status="suggested", origin="rules"),
    ]
    store.add_spans(aid, suggested)
    # When the analyst works through it
    acts = work_article(store, aid, gold)
    # Then: accept 1, fix 1, reject 1, draw 2 (Sri Mulyani, Bandung), done; the claim is left alone
    assert dict(acts) == {"accept": 1, "fix": 1, "reject": 1, "draw": 2, "done": 1}
    assert cost(acts) == COST["accept"] + COST["fix"] + COST["reject"] + 2 * COST["draw"] + COST["done"] == 11
    accepted = {(s.start, s.end, s.label) for s in store.spans(aid, statuses=("accepted",))}
    assert accepted == gold
    assert store.article(aid).status == "done"
    assert [s.label for s in store.spans(aid, statuses=("suggested",))] == ["CLAIM"]
