"""The current article's spans as a table, kept in step with the text both ways,
with the selected span's note and (for a claim) its claimant actor.

The columns fit the panel (``ui.fit.ColumnFit``): a span's text is elided in the middle
(names keep their first and last parts) with the whole text in the tooltip, and a narrow
panel shows status, origin and annotator on a second line under the text."""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import SPAN_STATUSES, Span, position_in, span_order
from ui.desk import DeskController, SpansPatch, start_of
from ui.fit import DETAIL_ROLE, ELIDE, ColumnFit
from ui.highlight import mix
from ui.i18n import status_name, translate
from ui.tables import ColumnsModel

COLUMNS = (
    QT_TRANSLATE_NOOP("span_panel", "Label"),
    QT_TRANSLATE_NOOP("span_panel", "Text"),
    QT_TRANSLATE_NOOP("span_panel", "Status"),
    QT_TRANSLATE_NOOP("span_panel", "Origin"),
    QT_TRANSLATE_NOOP("span_panel", "Annotator"),
)
LABEL, TEXT, STATUS, ORIGIN, ANNOTATOR = range(len(COLUMNS))
Index = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
#: The roles the span table answers; Qt asks for many more per cell.
ANSWERED = frozenset({DISPLAY, TOOLTIP, BACKGROUND, int(DETAIL_ROLE), int(Qt.ItemDataRole.UserRole)})
#: More changed rows than this and the table is reset rather than patched row by row.
RESET_FROM = 64


def one_line(text: str) -> str:
    return " ".join(text.split())


class SpanTableModel(ColumnsModel):
    COLUMNS = COLUMNS
    CONTEXT = "span_panel"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.spans: list[Span] = []
        self.source: list[Span] | None = None  # the desk's list the rows were made from
        self.colours: dict[str, str] = {}
        self._cells: dict[int, tuple[Span, tuple[str, ...]]] = {}
        self._tints: dict[tuple[str, bool, int], QColor] = {}
        self.labels: set[str] = set()
        self.origins: set[str] = set()
        self.annotators: set[str] = set()

    def patch(self, patch: SpansPatch, colours: dict[str, str]) -> bool:
        """Show ``patch.after`` when the rows show ``patch.before`` and one span changed: its row
        leaves and comes back at its place (found by bisection), or repaints where it stays.
        False (nothing done) for anything else: ``set_spans`` then compares the lists."""
        if self.source is not patch.before or colours != self.colours or len(patch.pairs) != 1:
            return False
        [(old, new)] = patch.pairs
        spans = self.spans
        row = None
        if old is not None and old.status != "rejected":
            row = position_in(spans, old)
            if row is None or spans[row] is not old:
                return False
            self._cells.pop(old.id, None)
        at = None
        if new is not None and new.status != "rejected":
            self._note_words([new])
            rest = spans if row is None else spans[:row] + spans[row + 1 :]
            at = bisect.bisect_left(rest, span_order(new), key=span_order)
        self.source = patch.after
        if row is not None and at == row:  # changed where it stands
            self.spans = spans[:row] + [new] + spans[row + 1 :]
            self.rows_changed(row, row)
            return True
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            self.spans = spans = spans[:row] + spans[row + 1 :]
            self.endRemoveRows()
        if at is not None:
            self.beginInsertRows(QModelIndex(), at, at)
            self.spans = spans[:at] + [new] + spans[at:]
            self.endInsertRows()
        return True

    def set_spans(self, spans: list[Span], colours: dict[str, str]) -> None:
        """Show ``spans`` (in text order, as the desk keeps them; rejected ones left out).

        An edit changes a row or two of thousands: the rows before and after the changed run
        stay, the run is removed and inserted, and spans replaced in place (new objects for
        the same ids) repaint their run of rows only. A reset would repaint, re-measure and re-elide
        every visible row after each key press."""
        self.source = spans
        new = [sp for sp in spans if sp.status != "rejected"]
        old = self.spans
        if colours != self.colours or not old or not new:
            self.beginResetModel()
            self.spans, self.colours, self._cells = new, colours, {}
            self._note_words(new, reset=True)
            self.endResetModel()
            return
        # The desk keeps an unchanged span the same object: the changed run lies between the
        # longest identical head and tail.
        head, tail, short = 0, 0, min(len(old), len(new))
        while head < short and old[head] is new[head]:
            head += 1
        while tail < short - head and old[-1 - tail] is new[-1 - tail]:
            tail += 1
        gone, came = old[head : len(old) - tail], new[head : len(new) - tail]
        if [sp.id for sp in gone] == [sp.id for sp in came]:  # the same spans, changed in place
            moved, replaced = 0, list(range(head, head + len(came)))
        else:
            moved, replaced = len(gone) + len(came), []
        self._note_words(came)
        for sp in gone:  # their cells can never be asked for again (a new object, or no row)
            self._cells.pop(sp.id, None)
        if moved + len(replaced) > RESET_FROM:
            self.beginResetModel()
            self.spans, self._cells = new, {}
            self.endResetModel()
            return
        if replaced:  # one run of rows: one signal (each one refits the columns)
            self.spans = new
            self.rows_changed(replaced[0], replaced[-1])
            return
        if gone:
            self.beginRemoveRows(QModelIndex(), head, head + len(gone) - 1)
            self.spans = old[:head] + old[len(old) - tail :]
            self.endRemoveRows()
        if came:
            self.beginInsertRows(QModelIndex(), head, head + len(came) - 1)
            self.spans = new
            self.endInsertRows()
        self.spans = new

    def _note_words(self, spans: list[Span], *, reset: bool = False) -> None:
        """The labels, origins and annotators the rows show, for the columns' widths: grown by each
        edit's spans, worked out afresh only when the table is (one gone stays until then:
        a column a little wide, not a scan of every row per key press)."""
        if reset:
            self.labels, self.origins, self.annotators = set(), set(), set()
        self.labels.update(sp.label for sp in spans)
        self.origins.update(sp.origin for sp in spans)
        self.annotators.update(sp.annotator or "" for sp in spans)

    @staticmethod
    def cells(sp: Span) -> tuple[str, str, str, str, str]:
        return (sp.label, one_line(sp.text), status_name(sp.status), sp.origin, sp.annotator or "")

    @staticmethod
    def details(sp: Span) -> str:
        """The compact layout's second line: status, origin and annotator."""
        return " · ".join(p for p in (status_name(sp.status), sp.origin, sp.annotator) if p)

    def row_of(self, span_id: int | None, span: Span | None = None) -> int | None:
        """The row showing ``span_id``; given ``span`` (the desk's object for it, in text order
        like the rows), found by bisection rather than a scan of 2,000 rows."""
        if span is not None and span.id == span_id:
            return position_in(self.spans, span)
        return next((i for i, sp in enumerate(self.spans) if sp.id == span_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.spans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked ~15 times per cell per paint (most roles unanswered): the answered ones are
        # plain ints, and a span's cells are worked out once per span object.
        if role not in ANSWERED or not index.isValid() or not (0 <= index.row() < len(self.spans)):
            return None
        sp = self.spans[index.row()]
        col = index.column()
        if role == DISPLAY:
            return self.cells_of(sp)[col]
        if role == DETAIL_ROLE:
            return self.cells_of(sp)[-1] if col == TEXT else None
        if role == TOOLTIP:
            # the whole value, whatever the column's width cut off
            if col == TEXT:
                return f"{sp.text}\n{sp.label} · {self.details(sp)}"
            return f"{self.header(col)}: {self.cells_of(sp)[col] or '—'}"
        if role == BACKGROUND:
            if col != LABEL:
                return None
            key = (
                self.colours.get(sp.label, "#888888"),
                sp.status == "accepted",
                QGuiApplication.palette().cacheKey(),
            )
            tint = self._tints.get(key)
            if tint is None:  # asked for every label cell painted: a few colours, worked out once
                tint = self._tints[key] = mix(QColor(key[0]), 0.55 if key[1] else 0.2)
            return tint
        return sp.id  # UserRole

    def cells_of(self, sp: Span) -> tuple[str, ...]:
        """``cells(sp)`` and then ``details(sp)``, kept per span object (an edit gives the desk
        a new object)."""
        kept = self._cells.get(sp.id)
        if kept is None or kept[0] is not sp:
            kept = self._cells[sp.id] = (sp, (*self.cells(sp), self.details(sp)))
        return kept[1]

    def retranslate(self) -> None:
        self._cells.clear()  # the statuses' words
        super().retranslate()


class SpanPanel(QWidget):
    def __init__(self, desk: DeskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.model = SpanTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("spanTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.fit = ColumnFit(
            self.table,
            main=TEXT,
            samples=self._samples,
            main_min_chars=24,
            caps={LABEL: 12, ORIGIN: 14, ANNOTATOR: 14},
            details=(STATUS, ORIGIN, ANNOTATOR),
            parent=self,
        )
        self.note_edit = QLineEdit()

        self.claimant_combo = QComboBox()
        # Long actor names must not widen the panel: the combo elides, its tooltip tells all.
        self.claimant_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.claimant_combo.setMinimumContentsLength(12)
        self.claimant_combo.view().setTextElideMode(ELIDE)
        self.claimant_combo.currentIndexChanged.connect(
            lambda _i: self.claimant_combo.setToolTip(self.claimant_combo.currentText())
        )
        self.claimant_label = QLabel("")
        # Shown for claims only, but its room is kept (a form row that came and went with the
        # selection would resize the panel, and the window's splitter with it, at every step).
        policy = self.claimant_combo.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # honoured by a box layout, not by a form's row
        self.claimant_combo.setSizePolicy(policy)
        claimant_box = QWidget()
        box = QHBoxLayout(claimant_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.claimant_combo)
        self.note_label = QLabel("")
        form = QFormLayout()
        form.addRow(self.note_label, self.note_edit)
        form.addRow(self.claimant_label, claimant_box)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addLayout(form)
        self._syncing = False
        self._claimants_shown: tuple | None = None  # what the claimant combo was filled for
        self._selected_shown: tuple | None = None  # what show_selected showed last
        self.table.selectionModel().selectionChanged.connect(self._table_selected)
        self.note_edit.editingFinished.connect(self._note_done)
        self.claimant_combo.activated.connect(self._claimant_picked)
        desk.spans_changed.connect(self.refresh)
        desk.labels_changed.connect(self.refresh)  # colours, and which labels are claims
        desk.selection_changed.connect(self.show_selected)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.note_edit.setPlaceholderText(
            translate("span_panel", "Note on the selected span (saved when you leave the field)")
        )
        self.note_label.setText(translate("span_panel", "Note"))
        self.claimant_label.setText(translate("span_panel", "Claimant"))

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.retranslate()
            self.fit.remeasure()
            if not getattr(self.desk, "_closed", False):
                self._claimants_shown = self._selected_shown = None  # the combo's words are in the other language
                self.show_selected(self.desk.selected)
        super().changeEvent(e)

    def _samples(self, col: int) -> list[str]:
        """What a column may show: measured to size it (see ``ui.fit``)."""
        if col == LABEL:
            return list({lab.name for lab in self.desk.labels} | self.model.labels)
        if col == STATUS:
            return [status_name(s) for s in SPAN_STATUSES if s != "rejected"]
        if col == ORIGIN:
            return list(self.model.origins)
        if col == ANNOTATOR:
            return list(self.model.annotators)
        return []

    def refresh(self) -> None:
        """Show the desk's spans: the last write's one-span change row by row when the rows show
        what it changed (``SpansPatch``), else by comparing the lists."""
        colours = {lab.name: lab.colour for lab in self.desk.labels}
        patch = self.desk.last_patch
        self._syncing = True
        try:
            if patch is None or patch.after is not self.desk.spans or not self.model.patch(patch, colours):
                self.model.set_spans(self.desk.spans, colours)
        finally:
            self._syncing = False
        self.show_selected(self.desk.selected)

    def show_selected(self, span_id: int | None) -> None:
        sp = self.desk.span(span_id)
        row = self.model.row_of(span_id, sp) if sp is not None else None
        # Asked twice per edit (the spans changed, the selection moved): once is enough while
        # the same span object sits in the same row of the same rows.
        shown = (sp, row, self.model.spans, self.desk.read_only)
        last = self._selected_shown
        if last is not None and sp is last[0] and row == last[1] and shown[2] is last[2] and shown[3] == last[3]:
            return
        self._selected_shown = shown
        self._syncing = True
        try:
            sel = self.table.selectionModel()
            if row is None:
                sel.clearSelection()
            else:
                sel.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(self.model.index(row, 0))
            self.note_edit.setEnabled(sp is not None and not self.desk.read_only)
            self.note_edit.setText(sp.note if sp else "")
            self._fill_claimants(sp)
        finally:
            self._syncing = False

    def _fill_claimants(self, sp: Span | None) -> None:
        # Asked twice per edit (the spans changed, the selection moved): the desk gives a new
        # span object, spans list or relations list for any change, so the same three are
        # the same choices, already in the combo.
        key = (sp, self.desk.spans, self.desk.relations, self.desk.labels, self.desk.read_only)
        if self._claimants_shown is not None and all(
            a is b for a, b in zip(key, self._claimants_shown, strict=True)
        ):
            return
        self._claimants_shown = key
        is_claim = sp is not None and self.desk.is_claim(sp.label)
        self.claimant_combo.setVisible(is_claim)
        self.claimant_label.setEnabled(is_claim)  # kept in place: the form keeps its size
        self.claimant_combo.clear()
        if not is_claim:
            return
        self.claimant_combo.addItem(translate("span_panel", "— no claimant —"), None)
        current = self.desk.claimant_of(sp.id)
        offered = self.desk.suggested_claimant(sp)
        if current is None and offered is not None:
            current = offered.id  # shown until the claim is accepted (with it) or another is picked
        for actor in claimant_choices(self.desk.spans, sp, self.desk.is_claim, keep=(current,)):
            hint = (
                translate("span_panel", "suggested claimant, accepted with the claim")
                if offered is not None and actor.id == offered.id
                else ""
            )
            self.claimant_combo.addItem(f"{actor.text}  ({actor.label}, {actor.start}){'  — ' + hint if hint else ''}",
                                        actor.id)  # fmt: skip
            if actor.id == current:
                self.claimant_combo.setCurrentIndex(self.claimant_combo.count() - 1)
        self.claimant_combo.setEnabled(not self.desk.read_only)

    def _table_selected(self, *_args) -> None:
        if self._syncing:
            return
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.desk.select_span(self.model.spans[rows[0].row()].id)

    def _note_done(self) -> None:
        if self._syncing or self.desk.selected is None:
            return
        self.desk.set_note(self.desk.selected, self.note_edit.text())

    def _claimant_picked(self, index: int) -> None:
        if self.desk.selected is None:
            return
        self.desk.set_claimant(self.desk.selected, self.claimant_combo.itemData(index))


#: How far from a claim its claimant is looked for, and how many are offered: a claim's
#: source is named near it (a 2,000-span article would otherwise fill the list with all).
CLAIMANT_REACH = 1500
CLAIMANT_CHOICES = 40
#: Entity spans are short; one longer than this, starting before the window looked at, could
#: still end within reach of the claim and is not offered (claims themselves never are).
LONGEST_ENTITY = 500


def claimant_choices(spans: list[Span], claim: Span, is_claim, keep: tuple = ()) -> list[Span]:
    """The entity spans offered as a claim's claimant: those within ``CLAIMANT_REACH``
    characters of it, nearest first (at most ``CLAIMANT_CHOICES``), then in text order; the
    spans in ``keep`` (the current claimant) always. ``spans`` are in text order (the desk's):
    only those starting near the claim are looked at, not all 2,000 of a big article."""

    def distance(sp: Span) -> int:
        return max(0, claim.start - sp.end, sp.start - claim.end)

    def offered(sp: Span) -> bool:
        return sp.id != claim.id and sp.status != "rejected" and not is_claim(sp.label)

    first = bisect.bisect_left(spans, claim.start - CLAIMANT_REACH - LONGEST_ENTITY, key=start_of)
    last = bisect.bisect_right(spans, claim.end + CLAIMANT_REACH, key=start_of)
    near = [sp for sp in spans[first:last] if offered(sp) and distance(sp) <= CLAIMANT_REACH]
    chosen = sorted(near, key=distance)[:CLAIMANT_CHOICES]
    wanted = {k for k in keep if k is not None} - {sp.id for sp in chosen}
    if wanted:  # a current claimant further away: looked for in the whole article
        chosen += [sp for sp in spans if sp.id in wanted and offered(sp)]
    return sorted(chosen, key=span_order)
