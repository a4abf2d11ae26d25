"""The claimant, suggested with the claim: one key accepts both and links them; "no
claimant" turns the suggestion down for good. Checked in the SQLite file."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from tests.test_desk_learning import settle

pytestmark = pytest.mark.gui

TEXT = (
    "Presiden Joko Widodo mengatakan bahwa ekonomi Indonesia tumbuh lima persen tahun ini. "
    "Hujan turun di Bogor sepanjang sore."
)
CLAIM = TEXT[: TEXT.index(" Hujan")]


def make_project(path) -> int:
    from annotator.model import Article, Document
    from storage.store import Store

    with Store.open(path) as store:
        store.set_setting("suggesters", "rules")
        [aid] = store.import_documents([Document(Article(TEXT, title="Ekonomi", language="id"))]).article_ids
    return aid


def stored(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        spans = {r[0]: r[1:] for r in con.execute("SELECT id, text, label, status, annotator FROM spans")}
        rels = con.execute("SELECT head_span_id, tail_span_id, label FROM relations").fetchall()
        return spans, rels
    finally:
        con.close()


def select_claim(qtbot, w):
    desk, view = w.desk, w.view
    # the suggestions are in the project once settled; the desk has them when their Changes arrive
    qtbot.waitUntil(lambda: any(sp.label == "CLAIM" for sp in desk.spans))
    view.setFocus()
    for _ in range(len(desk.spans) + 1):
        sp = desk.span(desk.selected)
        if sp is not None and sp.label == "CLAIM":
            return sp
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    raise AssertionError("no claim suggested")


def test_enter_accepts_the_claim_with_its_suggested_claimant(qtbot, open_window, project_path):
    aid = make_project(project_path)
    w = open_window(project_path)
    settle(qtbot, w, aid)
    # Given the suggested claim selected: the span panel shows its suggested claimant
    claim = select_claim(qtbot, w)
    assert claim.text == CLAIM and claim.status == "suggested"
    combo = w.spans_panel.claimant_combo
    assert combo.isVisible() and combo.currentText().startswith("Joko Widodo")
    assert "suggested claimant" in combo.currentText()

    # When I press Enter
    qtbot.keyClick(w.view, Qt.Key.Key_Return)

    # Then the claim and Joko Widodo are accepted and linked, in one undo step
    spans, rels = stored(project_path)
    actor = next(i for i, r in spans.items() if r[0] == "Joko Widodo")
    assert spans[claim.id][2:] == ("accepted", "tester") and spans[actor][2:] == ("accepted", "tester")
    assert rels == [(claim.id, actor, "claimant")]
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    spans, rels = stored(project_path)
    assert rels == [] and spans[claim.id][2] == "suggested" and spans[actor][2] == "suggested"


def test_no_claimant_turns_the_suggested_one_down(qtbot, open_window, project_path):
    aid = make_project(project_path)
    w = open_window(project_path)
    settle(qtbot, w, aid)
    claim = select_claim(qtbot, w)
    # When I pick "no claimant" and then accept the claim
    combo = w.spans_panel.claimant_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # the first entry: "— no claimant —"
    assert w.spans_panel.claimant_combo.currentIndex() == 0
    assert "claimant" not in w.desk.span(claim.id).attrs
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Return)
    # Then the claim is accepted alone; the actor stays a suggestion and nothing is linked
    spans, rels = stored(project_path)
    assert spans[claim.id][2] == "accepted" and rels == []
    assert next(r for r in spans.values() if r[0] == "Joko Widodo")[2] == "suggested"


def test_the_claimant_list_offers_the_entities_near_the_claim_and_keeps_the_current_one():
    from annotator.model import Span
    from ui.span_panel import CLAIMANT_CHOICES, CLAIMANT_REACH, claimant_choices

    claim = Span(10_000, 10_200, "CLAIM", id=1)
    near = [Span(10_000 - 20 * i - 10, 10_000 - 20 * i - 5, "ACTOR", id=100 + i) for i in range(60)]
    far = Span(10_200 + CLAIMANT_REACH + 50, 10_200 + CLAIMANT_REACH + 60, "ACTOR", id=2)
    other_claim = Span(10_300, 10_400, "CLAIM", id=3)
    spans = sorted([claim, far, other_claim, *near], key=lambda s: s.start)
    offered = claimant_choices(spans, claim, lambda label: label == "CLAIM")
    assert len(offered) == CLAIMANT_CHOICES
    assert {s.id for s in offered} == {100 + i for i in range(CLAIMANT_CHOICES)}, "the nearest"
    assert [s.start for s in offered] == sorted(s.start for s in offered), "in text order"
    # the current claimant is offered wherever it is
    assert far in claimant_choices(spans, claim, lambda label: label == "CLAIM", keep=(far.id,))


def test_the_claimant_list_looks_near_the_claim_and_offers_what_a_scan_of_all_would():
    import random

    from annotator.model import Span, span_order
    from ui.span_panel import CLAIMANT_CHOICES, CLAIMANT_REACH, claimant_choices

    def scan_all(spans, claim, keep):  # every span looked at, as a reference
        def distance(sp):
            return max(0, claim.start - sp.end, sp.start - claim.end)

        near = [sp for sp in spans if sp.id != claim.id and sp.label != "CLAIM" and distance(sp) <= CLAIMANT_REACH]
        chosen = {sp.id for sp in sorted(near, key=distance)[:CLAIMANT_CHOICES]} | set(keep)
        return [sp for sp in spans if sp.id in chosen and sp.id != claim.id and sp.label != "CLAIM"]

    rnd = random.Random(3)
    for _ in range(50):
        spans = []
        for i in range(2000):
            start = rnd.randrange(0, 50_000)
            label = rnd.choice(("ACTOR", "LOCATION", "CLAIM"))
            spans.append(Span(start, start + (rnd.randint(50, 400) if label == "CLAIM" else rnd.randint(2, 40)),
                              label, id=i + 1))  # fmt: skip
        spans.sort(key=span_order)
        claim = rnd.choice([sp for sp in spans if sp.label == "CLAIM"])
        keep = (rnd.choice(spans).id,)
        assert claimant_choices(spans, claim, lambda label: label == "CLAIM", keep=keep) == scan_all(spans, claim, keep)
