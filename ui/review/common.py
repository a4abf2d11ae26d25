"""Small pieces the review panels share: the editing panel's base, the undo wrapper, menus."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from storage.store import Store
from ui.i18n import local_time, translate
from ui.undo import push  # noqa: F401  (the review panels' one way to edit)


class EditingPanel(QWidget):
    """A review tab that edits the project: its edits go on the window's undo stack (or, alone,
    its own)."""

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = undo_stack or QUndoStack(self)


class ChoiceButton(QToolButton):
    """A drop-down of checkable choices ("Labels ▾"); empty selection means "any"."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self._actions: list[tuple[QAction, Any]] = []
        self._refresh_text()

    def set_choices(self, choices: Sequence[tuple[str, Any]]) -> None:
        chosen = set(self.values())
        menu = self.menu()
        menu.clear()
        self._actions = []
        for text, value in choices:
            act = QAction(text, menu, checkable=True)
            act.setChecked(value in chosen)
            act.toggled.connect(self._toggled)
            menu.addAction(act)
            self._actions.append((act, value))
        self._refresh_text()

    def values(self) -> tuple[Any, ...]:
        return tuple(v for act, v in self._actions if act.isChecked())

    def set_values(self, values: Sequence[Any]) -> None:
        for act, v in self._actions:
            act.blockSignals(True)
            act.setChecked(v in values)
            act.blockSignals(False)
        self._refresh_text()
        self.changed.emit()

    def _toggled(self) -> None:
        self._refresh_text()
        self.changed.emit()

    def _refresh_text(self) -> None:
        picked = [act.text() for act, _ in self._actions if act.isChecked()]
        if not picked:
            self.setText(translate("review", "{title}: any").format(title=self._title))
        elif len(picked) <= 2:
            self.setText(f"{self._title}: {', '.join(picked)}")
        else:
            self.setText(f"{self._title}: {len(picked)}")


def stamp_text(value: str | None, *, seconds: bool = True) -> str:
    """A stored UTC timestamp as the analyst reads it: local time, the locale's date, to the second
    (or the minute)."""
    local = local_time(value)
    if local is None:
        return (value or "")[:19].replace("T", " ")
    locale = QLocale()
    clock = local.time().toString("HH:mm:ss" if seconds else "HH:mm")
    return f"{locale.toString(local.date(), QLocale.FormatType.ShortFormat)} {clock}"


def fmt_score(value: float | None) -> str:
    return "—" if value is None else QLocale().toString(float(value), "f", 3)
