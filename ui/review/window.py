"""The review window: every review panel in tabs, sharing one store and one undo stack."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from storage.store import Store
from ui.i18n import translate
from ui.review.panels import AdjudicationPanel, AgreementPanel, ComparePanel, HistoryPanel
from ui.review.stats import StatsPanel
from ui.review.table import ReviewPanel
from ui.undo import UndoStack


class ReviewWindow(QMainWindow):
    """Review, History, Compare, Agreement, Adjudicate and Stats tabs.

    Pass the desk's undo stack so review edits undo from the desk too. ``open_span``
    is re-emitted by ``self.review.open_span`` (article id, span id); double-clicking a
    row also shows the article's history.
    """

    def __init__(
        self, store: Store, undo_stack: QUndoStack | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("review", "Sorot — Review"))
        self.store = store
        self.undo_stack = undo_stack or QUndoStack(self)
        self.tabs = QTabWidget()
        self.review = ReviewPanel(store, undo_stack=self.undo_stack)
        self.history = HistoryPanel(store, undo_stack=self.undo_stack)
        self.compare = ComparePanel(store)
        self.agreement = AgreementPanel(store)
        self.adjudication = AdjudicationPanel(store, undo_stack=self.undo_stack)
        self.stats = StatsPanel(store, auto=False)
        for widget, name in (
            (self.review, translate("review", "Spans")), (self.history, translate("review", "History")),
            (self.compare, translate("review", "Compare")), (self.agreement, translate("review", "Agreement")),
            (self.adjudication, translate("review", "Adjudicate")), (self.stats, translate("review", "Stats")),
        ):  # fmt: skip
            self.tabs.addTab(widget, name)
        self.setCentralWidget(self.tabs)
        self.review.open_span.connect(lambda article_id, _span: self.history.show_article(article_id))
        self.tabs.currentChanged.connect(self._on_tab)
        edit = self.menuBar().addMenu(translate("review", "&Edit"))
        undo = self.undo_stack.createUndoAction(self, translate("review", "&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, translate("review", "&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(undo)
        edit.addAction(redo)
        if isinstance(self.undo_stack, UndoStack):
            self.undo_stack.message.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self.resize(1200, 760)

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.stats and self.stats.tables is None and self.stats.job is None:
            self.stats.refresh()
