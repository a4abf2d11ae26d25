"""The project's articles as a lazily fetched table (after Anki's browser table model).

Rows arrive in pages of 200 through ``canFetchMore``/``fetchMore``; sorting and filtering
re-query the store, so a project of 100,000 articles never loads whole.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import ARTICLE_STATUSES

PAGE = 200
COLUMNS = (
    ("title", "Title", "title"),
    ("status", "Status", "status"),
    ("language", "Lang", "language"),
    ("accepted", "Spans", None),
    ("suggested", "Suggested", None),
    ("updated_at", "Last change", "updated"),
)
Index = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractTableModel):
    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.statuses: tuple[str, ...] = ()
        self.search = ""
        self.order = "id"
        self.descending = False
        self._row_of: dict[int, int] = {}
        self.refresh()

    # -- querying ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = []
        self._row_of = {}
        self.total = self.store.count_articles(statuses=self.statuses, search=self.search)
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def detach(self) -> None:
        """The store is closing: become an empty model that asks it nothing."""
        self.beginResetModel()
        self.rows, self._row_of, self.total = [], {}, 0
        self.endResetModel()

    def set_filter(self, *, statuses: tuple[str, ...] | None = None, search: str | None = None) -> None:
        if statuses is not None:
            self.statuses = statuses
        if search is not None:
            self.search = search.strip()
        self.refresh()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008 - Qt API
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008 - Qt API
        if parent.isValid():
            return
        page = self.store.article_rows(
            len(self.rows),
            PAGE,
            statuses=self.statuses,
            search=self.search,
            order=self.order,
            descending=self.descending,
        )
        if not page:
            self.total = len(self.rows)
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for i, row in enumerate(page):
            self._row_of[row["id"]] = first + i
        self.rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        self.order = key or "id"
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def update_article(self, article_id: int) -> None:
        """One article changed: refresh its row in place, if loaded."""
        row = self._row_of.get(article_id)
        if row is None:
            return
        try:
            art = self.store.article(article_id)
        except Exception:  # noqa: BLE001 - deleted meanwhile
            self.refresh()
            return
        counts = {"accepted": 0, "suggested": 0}
        for sp in self.store.spans(article_id, statuses=("accepted", "suggested")):
            counts[sp.status] += 1
        self.rows[row].update(
            title=art.title, status=art.status, language=art.language, updated_at=art.updated_at, **counts
        )
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def article_id(self, row: int) -> int | None:
        return self.rows[row]["id"] if 0 <= row < len(self.rows) else None

    def row_of(self, article_id: int) -> int | None:
        return self._row_of.get(article_id)

    # -- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        field = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            value = row.get(field)
            if field == "title":
                return value or row.get("uid") or f"article {row['id']}"
            if field == "status":
                return str(value).replace("_", " ")
            if field == "updated_at":
                return (value or "")[:16].replace("T", " ")
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and field == "title":
            return f"{row.get('title') or row.get('uid')} — {row.get('length', 0)} characters"
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][1]
        return None


class ArticleListPanel(QWidget):
    """Filter bar above the article table. Emits ``article_activated(id)``."""

    article_activated = Signal(int)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ArticleListModel(store, self)
        self.status_combo = QComboBox()
        self.status_combo.addItem("All statuses", ())
        self.status_combo.addItem("To do (new, in progress)", ("new", "in_progress"))
        for status in ARTICLE_STATUSES:
            self.status_combo.addItem(status.replace("_", " ").capitalize(), (status,))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search articles…")
        self.search_edit.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.status_combo)
        top.addWidget(self.search_edit, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.table)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: self.model.set_filter(search=self.search_edit.text()))
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(statuses=tuple(self.status_combo.currentData() or ()))
        )
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)

    def _activated(self, index: QModelIndex) -> None:
        aid = self.model.article_id(index.row())
        if aid is not None:
            self.article_activated.emit(aid)

    def show_article(self, article_id: int | None) -> None:
        """Select the article's row if it is loaded (without emitting ``article_activated``)."""
        row = self.model.row_of(article_id) if article_id is not None else None
        if row is None:
            self.table.clearSelection()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
