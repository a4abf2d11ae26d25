"""Small pieces the review panels share: the undo wrapper, store-change relay, menus."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from annotator.commands import Command, apply
from storage.store import Store


class StoreCommand(QUndoCommand):
    """A thin ``QUndoCommand`` over ``annotator.commands``: redo applies, undo applies the inverse."""

    def __init__(self, store: Store, command: Command) -> None:
        super().__init__(getattr(command, "text", "Edit"))
        self._store = store
        self._command = command
        self._inverse: Command | None = None

    def redo(self) -> None:
        self._inverse = apply(self._store, self._command)

    def undo(self) -> None:
        assert self._inverse is not None
        self._command = apply(self._store, self._inverse)


def push(stack: QUndoStack, store: Store, command: Command) -> None:
    """Do ``command`` now, as one step on ``stack``."""
    stack.push(StoreCommand(store, command))


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
            self.setText(f"{self._title}: any")
        elif len(picked) <= 2:
            self.setText(f"{self._title}: {', '.join(picked)}")
        else:
            self.setText(f"{self._title}: {len(picked)}")


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
