"""What the desk's table models share: columns whose headers are English, marked for
translation where the model lists them, and shown in the desk's language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.i18n import translate

_ROOT = QModelIndex()


class ColumnsModel(QAbstractTableModel):
    """A table model over ``COLUMNS``, headers marked ``QT_TRANSLATE_NOOP(CONTEXT, …)``: shown
    translated, and said again (cells too) by ``retranslate`` after a language change."""

    COLUMNS: tuple[str, ...] = ()
    CONTEXT = ""

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def header(self, column: int) -> str:
        return translate(self.CONTEXT, self.COLUMNS[column])

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.header(section)
        return None

    def rows_changed(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last``, every column, repaint."""
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.COLUMNS) - 1))

    def retranslate(self) -> None:
        """The language changed: every header and cell says it again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self.rowCount():
            self.rows_changed(0, self.rowCount() - 1)
