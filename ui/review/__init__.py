"""Review screens: the span table, history, comparison, agreement, adjudication, stats."""

from ui.review.panels import AdjudicationPanel, AgreementPanel, ComparePanel, HistoryPanel
from ui.review.stats import StatsPanel
from ui.review.table import ReviewPanel, ReviewTableModel
from ui.review.window import ReviewWindow

__all__ = [
    "AdjudicationPanel",
    "AgreementPanel",
    "ComparePanel",
    "HistoryPanel",
    "ReviewPanel",
    "ReviewTableModel",
    "ReviewWindow",
    "StatsPanel",
]
