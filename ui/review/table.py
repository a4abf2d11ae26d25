"""The review table: every span of the project, filtered, fetched a page at a time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import SorotError
from annotator.model import ARTICLE_STATUSES, NEEDS_REASON, SPAN_STATUSES
from ops.review import bulk_command, status_command
from storage import review
from storage.review import SpanFilter
from storage.store import Store
from ui.events import StoreEvents
from ui.i18n import status_name, translate
from ui.review.assign import AssignButton
from ui.review.common import ChoiceButton, EditingPanel, push, stamp_text
from ui.tables import ColumnsModel

COLUMNS = (
    QT_TRANSLATE_NOOP("review", "Article"),
    QT_TRANSLATE_NOOP("review", "Label"),
    QT_TRANSLATE_NOOP("review", "Before"),
    QT_TRANSLATE_NOOP("review", "Span"),
    QT_TRANSLATE_NOOP("review", "After"),
    QT_TRANSLATE_NOOP("review", "Status"),
    QT_TRANSLATE_NOOP("review", "Origin"),
    QT_TRANSLATE_NOOP("review", "Annotator"),
    QT_TRANSLATE_NOOP("review", "Updated"),
)
PAGE = 200
COUNT_CAP = 1000
STATUS_COLOURS = {"suggested": "#8a6d00", "rejected": "#b03030", "accepted": "#1d6b2a"}
NONE = QT_TRANSLATE_NOOP("review", "(none)")
_ROOT = QModelIndex()


class ReviewTableModel(ColumnsModel):
    """Rows come from ``storage.review.span_rows`` by keyset pages; nothing is loaded ahead."""

    COLUMNS = COLUMNS
    CONTEXT = "review"

    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.filter = SpanFilter()
        self._rows: list[dict[str, Any]] = []
        self._exhausted = True
        self._fetching = False
        self._colours = {lab.name: lab.colour for lab in store.labels()}

    # -- loading -------------------------------------------------------------------------

    def set_filter(self, flt: SpanFilter) -> None:
        self.beginResetModel()
        self.filter = flt
        self._rows = review.span_rows(self.store, flt, limit=PAGE)
        self._exhausted = len(self._rows) < PAGE
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the rows already shown (after an edit), keeping the table where it was."""
        self._colours = {lab.name: lab.colour for lab in self.store.labels()}
        want = max(PAGE, len(self._rows))  # read PAGE at call time: tests shrink it
        rows = review.span_rows(self.store, self.filter, limit=want)
        if [r["id"] for r in rows] == [r["id"] for r in self._rows]:
            self._rows = rows
            if rows:
                self.rows_changed(0, len(rows) - 1)
            return
        self.beginResetModel()
        self._rows = rows
        self._exhausted = len(rows) < want
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        # Views (and model testers) may ask again while rows are being inserted: once is enough.
        if parent.isValid() or self._exhausted or self._fetching:
            return
        self._fetching = True
        try:
            after = self._rows[-1]["id"] if self._rows else None
            more = review.span_rows(self.store, self.filter, limit=PAGE, after_id=after)
            self._exhausted = len(more) < PAGE
            if more:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
                self._rows.extend(more)
                self.endInsertRows()
        finally:
            self._fetching = False

    # -- the model interface ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def row(self, i: int) -> dict[str, Any]:
        return self._rows[i]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = (
                r["title"] or f"#{r['article_id']}", r["label"], r["left"], r["text"], r["right"],
                status_name(r["status"]), r["origin"], r["annotator"] or translate("review", NONE), stamp_text(r["updated_at"], seconds=False),
            )[col]  # fmt: skip
            value = (value or "").replace("\n", " ⏎ ")
            if role == Qt.ItemDataRole.ToolTipRole and col in (2, 3, 4):
                return f"{r['left']}[{r['text']}]{r['right']}".replace("\n", " ")
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 5:
                return QBrush(QColor(STATUS_COLOURS.get(r["status"], "#000000")))
            if col in (2, 4):
                return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.BackgroundRole and col in (1, 3):
            colour = QColor(self._colours.get(r["label"], "#888888"))
            colour.setAlpha(60)
            return QBrush(colour)
        if role == Qt.ItemDataRole.UserRole:
            return r["id"]
        return None


class ReviewPanel(EditingPanel):
    """All spans of the project in one table: filter, bulk accept/reject/relabel/delete, open."""

    open_span = Signal(int, int)  # article id, span id
    counted = Signal(int)  # the (possibly capped) count shown

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None
    ) -> None:
        super().__init__(store, parent, undo_stack=undo_stack)
        self.model = ReviewTableModel(store, self)
        self._relay = StoreEvents(store, self)
        self._relay.changed.connect(self._on_store_changed)
        self._refresh_pending = False
        self.confirm = self._confirm  # tests replace this with a stub
        self._build()
        self.reload_choices()
        self.apply_filter()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit(
            placeholderText=translate("review", "Search span text…"), clearButtonEnabled=True
        )
        self.labels = ChoiceButton(translate("review", "Label"))
        self.statuses = ChoiceButton(translate("review", "Status"))
        self.annotators = ChoiceButton(translate("review", "Annotator"))
        self.origins = ChoiceButton(translate("review", "Origin"))
        self.article_statuses = ChoiceButton(translate("review", "Article"))
        self.use_dates = QCheckBox(translate("review", "Updated"))
        self.since = QDateEdit(
            QDate.currentDate().addMonths(-1), calendarPopup=True, displayFormat="yyyy-MM-dd"
        )
        self.until = QDateEdit(QDate.currentDate(), calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.statuses.set_choices([(status_name(s), s) for s in SPAN_STATUSES])
        self.article_statuses.set_choices([(status_name(s), s) for s in ARTICLE_STATUSES])

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        for w in (self.labels, self.statuses, self.annotators, self.origins, self.article_statuses):
            top.addWidget(w)
        top.addWidget(self.use_dates)
        top.addWidget(self.since)
        top.addWidget(QLabel("–"))
        top.addWidget(self.until)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((160, 80, 220, 160, 220, 80, 70, 80, 120)):
            self.view.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(self._on_double_click)

        self.count_label = QLabel()
        self.accept_btn = QPushButton(translate("review", "Accept"))
        self.reject_btn = QPushButton(translate("review", "Reject"))
        self.relabel_btn = QToolButton(
            text=translate("review", "Relabel as…"), popupMode=QToolButton.ToolButtonPopupMode.InstantPopup
        )
        self.relabel_btn.setMenu(QMenu(self.relabel_btn))
        self.delete_btn = QPushButton(translate("review", "Delete"))
        self.status_btn = QToolButton(
            text=translate("review", "Mark article…"), popupMode=QToolButton.ToolButtonPopupMode.InstantPopup
        )
        menu = QMenu(self.status_btn)
        for status in ARTICLE_STATUSES:
            menu.addAction(status_name(status), lambda s=status: self._mark_article(s))
        self.status_btn.setMenu(menu)
        self.assign_btn = AssignButton(self.store, self.selected_article_ids, self.undo_stack, self)
        for btn in (self.accept_btn, self.reject_btn, self.relabel_btn, self.delete_btn):
            btn.setToolTip(
                translate(
                    "review",
                    "Acts on the selected rows, or on every span the filter shows when none is selected",
                )
            )
        self.accept_btn.clicked.connect(lambda: self.bulk("accept"))
        self.reject_btn.clicked.connect(lambda: self.bulk("reject"))
        self.delete_btn.clicked.connect(lambda: self.bulk("delete"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        for w in (self.accept_btn, self.reject_btn, self.relabel_btn, self.delete_btn, self.status_btn,
                  self.assign_btn):  # fmt: skip
            bottom.addWidget(w)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)

        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for w in (self.labels, self.statuses, self.annotators, self.origins, self.article_statuses):
            w.changed.connect(self.apply_filter)
        self.use_dates.toggled.connect(self.apply_filter)
        self.since.dateChanged.connect(lambda *_: self.use_dates.isChecked() and self.apply_filter())
        self.until.dateChanged.connect(lambda *_: self.use_dates.isChecked() and self.apply_filter())

    def reload_choices(self) -> None:
        labels = [lab.name for lab in self.store.labels()]
        labels += [x for x in review.distinct_values(self.store, "label") if x not in labels]
        self.labels.set_choices([(x, x) for x in labels])
        annotators = review.distinct_values(self.store, "annotator")
        self.annotators.set_choices([(x, x) for x in annotators] + [(translate("review", NONE), None)])
        self.origins.set_choices([(x, x) for x in review.distinct_values(self.store, "origin")])
        menu = self.relabel_btn.menu()
        menu.clear()
        for name in labels:
            menu.addAction(name, lambda n=name: self.bulk("relabel", label=n))

    # -- filtering --------------------------------------------------------------------------

    def current_filter(self) -> SpanFilter:
        dates = self.use_dates.isChecked()
        return SpanFilter(
            labels=self.labels.values(),
            text=self.search.text().strip(),
            annotators=self.annotators.values(),
            origins=self.origins.values(),
            statuses=self.statuses.values(),
            article_statuses=self.article_statuses.values(),
            since=self.since.date().toString("yyyy-MM-dd") if dates else "",
            until=self.until.date().toString("yyyy-MM-dd") if dates else "",
        )

    def set_filter(self, flt: SpanFilter) -> None:
        """Show ``flt`` (also sets the filter widgets)."""
        for w, values in (
            (self.labels, flt.labels), (self.statuses, flt.statuses), (self.annotators, flt.annotators),
            (self.origins, flt.origins), (self.article_statuses, flt.article_statuses),
        ):  # fmt: skip
            w.blockSignals(True)
            w.set_values(values)
            w.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(flt.text)
        self.search.blockSignals(False)
        self.model.set_filter(flt)
        self._update_count()

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self) -> None:
        n = review.count_spans(self.store, self.model.filter, cap=COUNT_CAP)
        loc = QLocale()
        if n > COUNT_CAP:
            said = translate("review", "{count}+ spans").format(count=loc.toString(COUNT_CAP))
        elif n == 1:
            said = translate("review", "{count} span").format(count=loc.toString(n))
        else:
            said = translate("review", "{count} spans").format(count=loc.toString(n))
        self.count_label.setText(said)
        self.counted.emit(n)

    # -- actions ----------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row(r)["id"] for r in rows]

    def selected_article_ids(self) -> list[int]:
        """The articles of the selected rows (what "Assign to…" acts on)."""
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        return sorted({self.model.row(r)["article_id"] for r in rows})

    def bulk(self, action: str, *, label: str = "") -> bool:
        """Do ``action`` to the selected spans (or all the filter shows) as one undo step."""
        ids = self.selected_ids() or review.span_ids(self.store, self.model.filter)
        if not ids:
            return False
        questions = {
            "accept": translate("review", "Accept {count} spans?"),
            "reject": translate("review", "Reject {count} spans?"),
            "delete": translate("review", "Delete {count} spans?"),
            "relabel": translate("review", "Relabel {count} spans as {label}?"),
        }
        question = questions.get(action, f"{action.capitalize()} {{count}} spans?")
        if len(ids) > 1 and not self.confirm(
            question.format(count=QLocale().toString(len(ids)), label=label)
        ):
            return False
        try:
            push(self.undo_stack, self.store, bulk_command(self.store, self.model.filter, action, label=label,
                                                                  ids=ids))  # fmt: skip
        except SorotError as exc:
            QMessageBox.warning(self, translate("review", "Review"), str(exc))
            return False
        return True

    def _mark_article(self, status: str) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        article_id = self.model.row(rows[0].row())["article_id"]
        reason = ""
        if status in NEEDS_REASON:
            reason, ok = QInputDialog.getText(
                self,
                translate("review", "Article"),
                translate("review", "Why is this article {status}?").format(status=status_name(status)),
            )
            if not ok:
                return
        self.mark_article(article_id, status, reason)

    def mark_article(self, article_id: int, status: str, reason: str = "") -> None:
        try:
            push(self.undo_stack, self.store, status_command(self.store, article_id, status, reason))
        except SorotError as exc:
            QMessageBox.warning(self, translate("review", "Review"), str(exc))

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, translate("review", "Review"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _on_double_click(self, index: QModelIndex) -> None:
        r = self.model.row(index.row())
        self.open_span.emit(r["article_id"], r["id"])

    def _on_store_changed(self, changes: object) -> None:
        # Writes of a worker may arrive several at once: refresh once.
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self._refresh)

    def _refresh(self) -> None:
        self._refresh_pending = False
        self.model.refresh()
        self._update_count()
