"""The span table follows edits row by row (no reset per key press), and always shows what a
reset would: the desk's spans in text order without the rejected ones."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from annotator.model import Span, span_order
from ui.span_panel import RESET_FROM, SpanTableModel

pytestmark = pytest.mark.gui

COLOURS = {"ACTOR": "#1f77b4", "LOCATION": "#2ca02c"}


def spans_of(n: int) -> list[Span]:
    out = [Span(i * 10, i * 10 + 4, "ACTOR", status="accepted", origin="rules", id=i + 1) for i in range(n)]
    for sp in out:
        sp.text = f"w{sp.id}"
    return out


class Signals:
    def __init__(self, model: SpanTableModel) -> None:
        self.resets = self.inserted = self.removed = self.changed = 0
        model.modelReset.connect(lambda: self.count("resets"))
        model.rowsInserted.connect(lambda *_: self.count("inserted"))
        model.rowsRemoved.connect(lambda *_: self.count("removed"))
        model.dataChanged.connect(lambda *_: self.count("changed"))

    def count(self, what: str) -> None:
        setattr(self, what, getattr(self, what) + 1)


def shown(model: SpanTableModel) -> list[tuple]:
    return [
        (model.data(model.index(r, 0), Qt.ItemDataRole.UserRole), model.data(model.index(r, 0)),
         model.data(model.index(r, 2)))
        for r in range(model.rowCount())
    ]  # fmt: skip


def test_one_edit_touches_one_row_not_the_table(qtmodeltester):
    # Given a table of 2,000 spans
    model = SpanTableModel()
    spans = spans_of(2000)
    model.set_spans(spans, COLOURS)
    qtmodeltester.check(model)
    seen = Signals(model)

    # When a span is added, one relabelled and one deleted (each a new list, as the desk gives)
    added = Span(1005, 1007, "LOCATION", status="accepted", origin="human", id=5000)
    spans = sorted([*spans, added], key=span_order)
    model.set_spans(spans, COLOURS)
    spans = [replace(sp, label="LOCATION") if sp.id == 7 else sp for sp in spans]
    model.set_spans(spans, COLOURS)
    spans = [sp for sp in spans if sp.id != 300]
    model.set_spans(spans, COLOURS)

    # Then the model was patched (one insert, one change, one removal), never reset
    assert (seen.resets, seen.inserted, seen.changed, seen.removed) == (0, 1, 1, 1)
    assert [sp.id for sp in model.spans] == [sp.id for sp in spans]
    row = model.row_of(7)
    assert model.data(model.index(row, 0)) == "LOCATION"
    qtmodeltester.check(model)


def test_random_edits_show_what_a_reset_shows(qtmodeltester):
    rnd = random.Random(5)
    model = SpanTableModel()
    spans = spans_of(300)
    model.set_spans(spans, COLOURS)
    seen = Signals(model)
    next_id = 1000
    for _ in range(300):
        kind = rnd.choice(("add", "delete", "relabel", "reject", "move", "many"))
        if kind == "add":
            start = rnd.randrange(0, 3000)
            spans.append(
                Span(
                    start, start + rnd.randint(1, 30), "ACTOR", status="suggested", origin="rules", id=next_id
                )
            )
            next_id += 1
        elif kind == "delete" and spans:
            spans.pop(rnd.randrange(len(spans)))
        elif kind == "relabel" and spans:
            i = rnd.randrange(len(spans))
            spans[i] = replace(spans[i], label=rnd.choice(("ACTOR", "LOCATION")))
        elif kind == "reject" and spans:
            i = rnd.randrange(len(spans))
            spans[i] = replace(spans[i], status=rnd.choice(("rejected", "accepted")))
        elif kind == "move" and spans:
            i = rnd.randrange(len(spans))
            start = rnd.randrange(0, 3000)
            spans[i] = replace(spans[i], start=start, end=start + 5)
        elif kind == "many":
            spans = [replace(sp, status="accepted") for sp in spans]
        spans.sort(key=span_order)
        model.set_spans(list(spans), COLOURS)
        fresh = SpanTableModel()
        fresh.set_spans(list(spans), COLOURS)
        assert shown(model) == shown(fresh)
    assert seen.inserted + seen.removed + seen.changed > seen.resets > 0  # both paths were taken
    qtmodeltester.check(model)


def test_many_changes_reset_once():
    model = SpanTableModel()
    spans = spans_of(RESET_FROM * 3)
    model.set_spans(spans, COLOURS)
    seen = Signals(model)
    model.set_spans([replace(sp, status="suggested") for sp in spans], COLOURS)
    assert (seen.resets, seen.changed) == (1, 0)


def test_the_desks_patch_moves_one_row_and_shows_what_a_reset_shows(qtmodeltester):
    """The desk says what one write did (``SpansPatch``): the table moves that span's row by
    bisection instead of comparing 2,000 rows, and still shows what a reset would."""
    import bisect

    from annotator.model import position_in
    from ui.desk import SpansPatch

    rnd = random.Random(7)
    model = SpanTableModel()
    spans = sorted(spans_of(300), key=span_order)
    model.set_spans(spans, COLOURS)
    seen = Signals(model)
    next_id, patched = 1000, 0
    for _ in range(400):
        kind = rnd.choice(("add", "delete", "relabel", "reject", "move"))
        old = None if kind == "add" or not spans else spans[rnd.randrange(len(spans))]
        if kind == "add":
            start = rnd.randrange(0, 3000)
            new = Span(start, start + rnd.randint(1, 30), "ACTOR", status="suggested", origin="rules", id=next_id)
            next_id += 1
        elif old is None or kind == "delete":
            new = None
        elif kind == "relabel":
            new = replace(old, label=rnd.choice(("ACTOR", "LOCATION")))
        elif kind == "reject":
            new = replace(old, status=rnd.choice(("rejected", "accepted")))
        else:
            start = rnd.randrange(0, 3000)
            new = replace(old, start=start, end=start + 5)
        after = list(spans)  # as the desk makes it: out by bisection, back in by insort
        if old is not None:
            del after[position_in(after, old)]
        if new is not None:
            bisect.insort(after, new, key=span_order)
        done = model.patch(SpansPatch(spans, after, ((old, new),)), COLOURS)
        patched += done
        if not done:
            model.set_spans(after, COLOURS)
        spans = after
        fresh = SpanTableModel()
        fresh.set_spans(list(spans), COLOURS)
        assert shown(model) == shown(fresh)
    assert patched == 400 and seen.resets == 0
    qtmodeltester.check(model)
    # a patch of a list the table does not show, or of two spans, is left to set_spans
    assert not model.patch(SpansPatch(list(spans), spans, ((None, None),)), COLOURS)
    assert not model.patch(SpansPatch(spans, spans, ((None, None), (None, None))), COLOURS)
