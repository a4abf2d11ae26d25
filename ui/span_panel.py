"""The current article's spans as a table, kept in step with the text both ways,
with the selected span's note and (for a claim) its claimant actor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Span
from ui.desk import DeskController
from ui.highlight import mix

COLUMNS = ("Label", "Text", "Status", "Origin", "Annotator")
Index = QModelIndex | QPersistentModelIndex


class SpanTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.spans: list[Span] = []
        self.colours: dict[str, str] = {}

    def set_spans(self, spans: list[Span], colours: dict[str, str]) -> None:
        self.beginResetModel()
        self.spans = sorted(
            (sp for sp in spans if sp.status != "rejected"), key=lambda sp: (sp.start, -sp.end)
        )
        self.colours = colours
        self.endResetModel()

    def row_of(self, span_id: int | None) -> int | None:
        return next((i for i, sp in enumerate(self.spans) if sp.id == span_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.spans)):
            return None
        sp = self.spans[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            text = " ".join(sp.text.split())
            return (
                sp.label,
                text if len(text) <= 80 else text[:79] + "…",
                sp.status,
                sp.origin,
                sp.annotator or "",
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return sp.text
        if role == Qt.ItemDataRole.BackgroundRole and col == 0:
            colour = QColor(self.colours.get(sp.label, "#888888"))
            return mix(colour, 0.55 if sp.status == "accepted" else 0.2)
        if role == Qt.ItemDataRole.UserRole:
            return sp.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None


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
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Fixed widths: ResizeToContents measures every row on each change (slow at 2,000 spans).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 82), (2, 78), (3, 60), (4, 72)):
            self.table.setColumnWidth(col, width)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note on the selected span (saved when you leave the field)")
        self.claimant_combo = QComboBox()
        self.claimant_label = QLabel("Claimant")
        form = QFormLayout()
        form.addRow("Note", self.note_edit)
        form.addRow(self.claimant_label, self.claimant_combo)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addLayout(form)
        self._syncing = False
        self.table.selectionModel().selectionChanged.connect(self._table_selected)
        self.note_edit.editingFinished.connect(self._note_done)
        self.claimant_combo.activated.connect(self._claimant_picked)
        desk.spans_changed.connect(self.refresh)
        desk.selection_changed.connect(self.show_selected)
        self.refresh()

    def refresh(self) -> None:
        self._syncing = True
        try:
            colours = {lab.name: lab.colour for lab in self.desk.labels}
            self.model.set_spans(self.desk.spans, colours)
        finally:
            self._syncing = False
        self.show_selected(self.desk.selected)

    def show_selected(self, span_id: int | None) -> None:
        self._syncing = True
        try:
            row = self.model.row_of(span_id)
            sel = self.table.selectionModel()
            if row is None:
                sel.clearSelection()
            else:
                sel.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(self.model.index(row, 0))
            sp = self.desk.span(span_id)
            self.note_edit.setEnabled(sp is not None and not self.desk.read_only)
            self.note_edit.setText(sp.note if sp else "")
            self._fill_claimants(sp)
        finally:
            self._syncing = False

    def _fill_claimants(self, sp: Span | None) -> None:
        is_claim = sp is not None and self.desk.is_claim(sp.label)
        self.claimant_combo.setVisible(is_claim)
        self.claimant_label.setVisible(is_claim)
        self.claimant_combo.clear()
        if not is_claim:
            return
        self.claimant_combo.addItem("— no claimant —", None)
        current = self.desk.claimant_of(sp.id)
        offered = self.desk.suggested_claimant(sp)
        if current is None and offered is not None:
            current = offered.id  # shown until the claim is accepted (with it) or another is picked
        for actor in self.desk.visible_spans():
            if actor.id == sp.id or self.desk.is_claim(actor.label):
                continue
            hint = "suggested claimant, accepted with the claim" if offered is not None and actor.id == offered.id else ""
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
