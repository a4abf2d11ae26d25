"""The project's articles as a lazily fetched table (after Anki's browser table model).

Rows arrive in pages of 200 through ``canFetchMore``/``fetchMore``; sorting and filtering
re-query the store, so a project of 100,000 articles never loads whole.

The columns fit the panel (``ui.fit.ColumnFit``): a narrow panel shows each article's
status, language, counts and last change on a second line under its title. The title is
edited in place (double-click or F2); the edit goes to the desk as one undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QDate,
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import ARTICLE_STATUSES
from annotator.queue import QUEUE_ORDER_SETTING, QUEUE_ORDERS, chosen_order
from ui.fit import DETAIL_ROLE, ColumnFit
from ui.i18n import local_time, status_name, translate
from ui.tables import ColumnsModel

PAGE = 200
COLUMNS = (
    ("title", QT_TRANSLATE_NOOP("article_list", "Title"), "title"),
    ("status", QT_TRANSLATE_NOOP("article_list", "Status"), "status"),
    ("language", QT_TRANSLATE_NOOP("article_list", "Lang"), "language"),
    ("accepted", QT_TRANSLATE_NOOP("article_list", "Spans"), None),
    ("suggested", QT_TRANSLATE_NOOP("article_list", "Suggested"), None),
    ("updated_at", QT_TRANSLATE_NOOP("article_list", "Last change"), "updated"),
)
Index = QModelIndex | QPersistentModelIndex
# The queue orders (``annotator.queue.QUEUE_ORDERS``) in the analyst's words: name, tooltip.
ORDER_TEXTS = {
    "import": (QT_TRANSLATE_NOOP("article_list", "Import order"),
               QT_TRANSLATE_NOOP("article_list", "The articles as they were imported.")),
    "useful": (QT_TRANSLATE_NOOP("article_list", "Most useful first"),
               QT_TRANSLATE_NOOP("article_list", "Where the suggesters disagree, or the project's model is least "
                                 "sure, first. Articles not suggested yet come after, as imported.")),
    "quick": (QT_TRANSLATE_NOOP("article_list", "Quickest first"),
              QT_TRANSLATE_NOOP("article_list", "Short articles with few suggestions to decide and few spans to "
                                "draw first.")),
}  # fmt: skip
TITLE, STATUS, LANGUAGE, ACCEPTED, SUGGESTED, UPDATED = range(len(COLUMNS))


def list_order(queue_order: str) -> str:
    """The store's list order (``Store.article_rows(order=...)``) for a queue order."""
    return "id" if queue_order == "import" else queue_order


def order_text(name: str) -> str:
    return translate("article_list", ORDER_TEXTS[name][0])


def column_name(col: int) -> str:
    return translate("article_list", COLUMNS[col][1])


def when_text(value: str | None, today: QDate | None = None) -> str:
    """A change's time as short as it stays clear, in the locale's words: the time today,
    the day and month this year, the date before (the tooltip has the whole timestamp)."""
    local = local_time(value)
    if local is None:
        return (value or "")[:16].replace("T", " ")
    today = today or QDate.currentDate()
    locale = QLocale()
    if local.date() == today:
        return locale.toString(local.time(), locale.timeFormat(QLocale.FormatType.ShortFormat))
    if local.date().year() == today.year():
        return locale.toString(local.date(), "d MMM")
    return locale.toString(local.date(), locale.dateFormat(QLocale.FormatType.ShortFormat))


def when_samples() -> list[str]:
    """The widest things the last-change column may show."""
    today = QDate.currentDate()
    times = [QDateTime(today, QTime(h, 58)).toUTC().toString(Qt.DateFormat.ISODate) for h in (10, 22)]
    days = [QDateTime(QDate(today.year(), m, 28), QTime(12, 0)).toUTC().toString(Qt.DateFormat.ISODate)
            for m in range(1, 13)]  # fmt: skip
    older = [QDateTime(QDate(today.year() - 1, 12, 28), QTime(12, 0)).toUTC().toString(Qt.DateFormat.ISODate)]
    return [when_text(v, today) for v in times + days + older]


class ArticleListModel(ColumnsModel):
    title_edited = Signal(int, str)  # article id, new title
    COLUMNS = COLUMNS  # (name, header marked for translation, sort key): header() reads the second

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.editable = not getattr(store, "read_only", False)
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.statuses: tuple[str, ...] = ()
        self.search = ""
        # The project's queue order (``annotator.queue``): what the list shows when no column
        # sorts it, and what "done, next" follows.
        self.queue_order = chosen_order(store)
        self.order = list_order(self.queue_order)
        self.descending = False
        #: Whose list this is: their articles (assigned to them) come first, and the Status
        #: column shows their own state where they have one.
        self.annotator: str | None = getattr(store, "annotator", None)
        self._part, self._part_offset = "mine", 0  # where the next page starts
        self._after: tuple[float, int] | None = None  # in a queue order: the last row's key
        self._row_of: dict[int, int] = {}
        self.refresh()

    # -- querying ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = []
        self._row_of = {}
        self._part, self._part_offset, self._after = "mine", 0, None
        self.total = self.store.count_articles(
            statuses=self.statuses, search=self.search, annotator=self.annotator
        )
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
        page = self._next_page()
        # In a queue order a suggest run can move a loaded article's key past the last row
        # shown: it comes again in a later page, and is shown once (where it first was).
        while page and all(row["id"] in self._row_of for row in page):
            page = self._next_page()
        page = [row for row in page if row["id"] not in self._row_of]
        if not page:
            self.total = len(self.rows)
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for i, row in enumerate(page):
            self._row_of[row["id"]] = first + i
        self.rows.extend(page)
        self.endInsertRows()

    def _next_page(self) -> list[dict[str, Any]]:
        """The next rows: the analyst's own articles first, then the rest, each part paged on
        its own (``Store.article_rows(part=...)``), so no page counts where the parts meet.
        A queue order pages on from the last row's key (``after``), not by counting rows."""
        query = {"statuses": self.statuses, "search": self.search, "order": self.order,
                 "descending": self.descending, "annotator": self.annotator}  # fmt: skip
        keyed = self.order in QUEUE_ORDERS

        def fetch(part: str, size: int) -> list[dict[str, Any]]:
            if keyed:
                rows = self.store.article_rows(0, size, part=part, after=self._after, **query)
                if rows:
                    self._after = (rows[-1]["queue_key"], rows[-1]["id"])
            else:
                rows = self.store.article_rows(self._part_offset, size, part=part, **query)
            self._part_offset += len(rows)
            return rows

        page: list[dict[str, Any]] = []
        if self._part == "mine":
            page = fetch("mine", PAGE)
            if len(page) == PAGE:
                return page
            self._part, self._part_offset, self._after = "rest", 0, None
        return page + fetch("rest", PAGE - len(page))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        self.order = key or list_order(self.queue_order)
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def set_queue_order(self, name: str) -> None:
        """List the articles in a queue order (``annotator.queue.QUEUE_ORDERS``)."""
        self.queue_order = name if name in QUEUE_ORDERS else "import"
        self.order, self.descending = list_order(self.queue_order), False
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
        found = self.store.span_counts(article_id)
        counts = {"accepted": found.get("accepted", 0), "suggested": found.get("suggested", 0)}
        own = self.store.annotator_state(article_id, self.annotator) if self.annotator else None
        self.rows[row].update(
            title=art.title,
            status=own[0] if own else art.status,
            overall=art.status,
            language=art.language,
            updated_at=art.updated_at,
            **counts,
        )
        self.rows_changed(row, row)

    def article_id(self, row: int) -> int | None:
        return self.rows[row]["id"] if 0 <= row < len(self.rows) else None

    def row_of(self, article_id: int) -> int | None:
        return self._row_of.get(article_id)

    # -- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def title_of(self, row: dict[str, Any]) -> str:
        return (
            row.get("title")
            or row.get("uid")
            or translate("article_list", "article {id}").format(id=row["id"])
        )

    def details_of(self, row: dict[str, Any]) -> str:
        """The compact layout's second line: every other column, in words."""
        accepted, suggested = row.get("accepted", 0), row.get("suggested", 0)
        loc = QLocale()
        spans = (
            translate("article_list", "{count} span")
            if accepted == 1
            else translate("article_list", "{count} spans")
        ).format(count=loc.toString(accepted))
        waiting = translate("article_list", "{count} suggested").format(count=loc.toString(suggested))
        parts = [status_name(row.get("status", "")), row.get("language") or "?",
                 spans, waiting if suggested else "",
                 when_text(row.get("updated_at"))]  # fmt: skip
        return " · ".join(p for p in parts if p)

    def display(self, row: dict[str, Any], field: str) -> str:
        value = row.get(field)
        if field == "title":
            return self.title_of(row)
        if field == "status":
            return status_name(value or "")
        if field == "updated_at":
            return when_text(value)
        return "" if value is None else str(value)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.isValid() and index.column() == TITLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        field = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, field)
        if role == Qt.ItemDataRole.FontRole and field == "title" and row.get("mine"):
            font = QFont()
            font.setBold(True)  # the analyst's own articles (assigned to them), listed first
            return font
        if role == Qt.ItemDataRole.EditRole and field == "title":
            return row.get("title") or ""
        if role == DETAIL_ROLE and field == "title":
            return self.details_of(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            # the whole value, whatever the column's width cut off
            if field == "title":
                chars = translate("article_list", "{count} characters").format(
                    count=QLocale().toString(row.get("length", 0))
                )
                tip = f"{self.title_of(row)}\n{self.details_of(row)} · {chars}"
                return tip + (
                    "\n" + translate("article_list", "Double-click or F2: rename") if self.editable else ""
                )
            if field == "updated_at":
                return row.get("updated_at") or ""
            return f"{column_name(index.column())}: {self.display(row, field)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (ACCEPTED, SUGGESTED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt API
        """A title typed in the list: asked of the desk (``title_edited``); the row shows it
        once the store says it changed."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != TITLE:
            return False
        aid = self.article_id(index.row())
        title = " ".join(str(value or "").split())
        if aid is None or not title or title == self.rows[index.row()].get("title"):
            return False
        self.title_edited.emit(aid, title)
        return True

    def header(self, column: int) -> str:
        return column_name(column)


class ArticleListPanel(QWidget):
    """Filter bar above the article table. Emits ``article_activated(id)``, and
    ``title_edited(id, title)`` when the analyst renames an article in the list."""

    article_activated = Signal(int)
    title_edited = Signal(int, str)
    order_chosen = Signal(str)  # a queue order's name, once stored

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.model = ArticleListModel(store, self)
        self.model.title_edited.connect(self.title_edited)
        self._when_samples: list[str] | None = None
        self.status_combo = QComboBox()
        self.status_combo.addItem("", ())
        self.status_combo.addItem("", ("new", "in_progress"))
        for status in ARTICLE_STATUSES:
            self.status_combo.addItem("", (status,))
        self.status_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_combo.setMinimumContentsLength(8)
        self.order_combo = QComboBox()
        self.order_combo.setObjectName("queueOrder")
        for name in QUEUE_ORDERS:
            self.order_combo.addItem("", name)
        self.order_combo.setCurrentIndex(self.order_combo.findData(self.model.queue_order))
        self.order_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.order_combo.setMinimumContentsLength(8)
        self.search_edit = QLineEdit()

        self.search_edit.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.fit = ColumnFit(
            self.table,
            main=TITLE,
            samples=self._samples,
            main_min_chars=30,
            caps={LANGUAGE: 5},
            details=(STATUS, LANGUAGE, ACCEPTED, SUGGESTED, UPDATED),
            parent=self,
        )
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._sort_menu)

        top = QHBoxLayout()
        top.addWidget(self.status_combo)
        top.addWidget(self.search_edit, 1)
        # The queue order on a line of its own: its names stay whole in a narrow panel.
        self.order_label = QLabel()
        self.order_label.setBuddy(self.order_combo)
        order_row = QHBoxLayout()
        order_row.addWidget(self.order_label)
        order_row.addWidget(self.order_combo, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addLayout(order_row)
        lay.addWidget(self.table)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: self.model.set_filter(search=self.search_edit.text()))
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(statuses=tuple(self.status_combo.currentData() or ()))
        )
        self.order_combo.activated.connect(lambda i: self.choose_order(self.order_combo.itemData(i)))
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.retranslate()

    def retranslate(self) -> None:
        combo = self.status_combo
        combo.setItemText(0, translate("article_list", "All statuses"))
        combo.setItemText(1, translate("article_list", "To do (new, in progress)"))
        for i, status in enumerate(ARTICLE_STATUSES, start=2):
            text = status_name(status)
            combo.setItemText(i, text[:1].upper() + text[1:])
        for i in range(self.order_combo.count()):
            name = self.order_combo.itemData(i)
            self.order_combo.setItemText(i, order_text(name))
            self.order_combo.setItemData(
                i, translate("article_list", ORDER_TEXTS[name][1]), Qt.ItemDataRole.ToolTipRole
            )
        self.order_label.setText(translate("article_list", "&Order:"))
        self.order_combo.setToolTip(
            translate(
                "article_list",
                "What to annotate next: the list and Ctrl+Enter (done, next) follow this order",
            )
        )
        self.search_edit.setPlaceholderText(translate("article_list", "Search articles…"))
        self.table.horizontalHeader().setToolTip(
            translate(
                "article_list",
                "Click to sort; right-click to sort by a column the panel is too narrow to show",
            )
        )

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._when_samples = None
            self.model.retranslate()
            self.fit.remeasure()
        super().changeEvent(e)

    def _samples(self, col: int) -> list[str]:
        """What a column may show: measured to size it (see ``ui.fit``)."""
        # Fixed samples, not the loaded rows: measuring 100,000 rows on every page fetched
        # would cost more than the page (the headers are wider than these anyway).
        if col == STATUS:
            return [status_name(s) for s in ARTICLE_STATUSES]
        if col == LANGUAGE:
            return ["mmm"]  # codes are two or three letters; a longer one elides, whole in the tooltip
        if col in (ACCEPTED, SUGGESTED):
            return ["99999"]
        if col == UPDATED:
            if self._when_samples is None:
                self._when_samples = when_samples()
            return self._when_samples
        return []

    def _sort_menu(self, pos: QPoint) -> None:
        self.sort_menu().popup(self.table.horizontalHeader().mapToGlobal(pos))

    def choose_order(self, name: str) -> None:
        """The analyst chose a queue order: the project keeps it (so "done, next" follows it,
        and it is there next time), and the list shows it (no column sorts it any more)."""
        if name not in QUEUE_ORDERS:
            return
        # The list's own order first: the setting's Changes reach follow_order_setting at
        # once, which must find it already chosen (not choose it a second time).
        self.model.queue_order = name
        if not getattr(self.store, "read_only", False) and chosen_order(self.store) != name:
            self.store.set_setting(QUEUE_ORDER_SETTING, name)
        self.order_combo.setCurrentIndex(self.order_combo.findData(name))
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # no column sorts it now, and one query (below), not two
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.model.set_queue_order(name)
        self.order_chosen.emit(name)

    def follow_order_setting(self) -> None:
        """The project's queue order changed (a team sync, another window): show it."""
        name = chosen_order(self.store)
        if name != self.model.queue_order:
            self.choose_order(name)

    def sort_menu(self) -> QMenu:
        """The queue orders, then sorting by any column, also one the compact layout moved
        under the title."""
        menu = QMenu(self)
        for name in QUEUE_ORDERS:
            act = menu.addAction(order_text(name))
            act.setCheckable(True)
            act.setChecked(self.model.order == list_order(name) and not self.model.descending)
            act.triggered.connect(lambda _c=False, n=name: self.choose_order(n))
        menu.addSeparator()
        for col, (_field, _name, key) in enumerate(COLUMNS):
            if key is None:
                continue
            name = column_name(col).lower()
            for order, arrow in ((Qt.SortOrder.AscendingOrder, "↑"), (Qt.SortOrder.DescendingOrder, "↓")):
                act = menu.addAction(
                    translate("article_list", "Sort by {column} {arrow}").format(column=name, arrow=arrow)
                )
                act.triggered.connect(lambda _c=False, c=col, o=order: self.table.sortByColumn(c, o))
        return menu

    def _activated(self, index: QModelIndex) -> None:
        aid = self.model.article_id(index.row())
        if aid is not None:
            self.article_activated.emit(aid)

    def edit_title(self, article_id: int | None = None) -> bool:
        """Start editing an article's title in the list (the selected one by default)."""
        if article_id is None:
            rows = self.table.selectionModel().selectedRows()
            article_id = self.model.article_id(rows[0].row()) if rows else None
        row = self.model.row_of(article_id) if article_id is not None else None
        if row is None or not self.model.editable:
            return False
        index = self.model.index(row, TITLE)
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        return True

    def show_article(self, article_id: int | None) -> None:
        """Select the article's row if it is loaded (without emitting ``article_activated``)."""
        row = self.model.row_of(article_id) if article_id is not None else None
        if row is None:
            self.table.clearSelection()
            return
        sel = self.table.selectionModel()
        if sel.currentIndex().row() == row and sel.isRowSelected(row) and len(sel.selectedRows()) == 1:
            return  # already shown: selecting again repaints the row after every edit
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
