"""The review window's "Assign to…": the lead gives the articles of the selected rows to an
annotator by hand (``team assign`` shares a whole project out). One undo step each; the
work is ``ops.team_assign``'s."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QToolButton, QWidget

from annotator.errors import SorotError
from ops.team_assign import assign_to_command, team_names, unassign_command
from storage.store import Store
from ui.review.common import push


class AssignButton(QToolButton):
    """A drop-down: one entry per annotator the project knows, "Someone else…", and "Take
    back assignments". ``selected`` gives the article ids it acts on."""

    def __init__(
        self,
        store: Store,
        selected: Callable[[], list[int]],
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.selected = selected
        self.undo_stack = undo_stack
        self.setText(self.tr("Assign to…"))
        self.setToolTip(
            self.tr("Give the articles of the selected rows to an annotator: they come first in that annotator's list")
        )
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        menu.aboutToShow.connect(self.fill_menu)
        self.setMenu(menu)

    def fill_menu(self) -> None:
        """The annotators as they are now (someone may have joined since the window opened)."""
        menu = self.menu()
        menu.clear()
        for name in team_names(self.store):
            menu.addAction(name, lambda n=name: self.assign([n]))
        menu.addSeparator()
        menu.addAction(self.tr("Someone else…"), self.ask)
        menu.addAction(self.tr("Take back assignments"), self.unassign)

    def _articles(self) -> list[int]:
        ids = self.selected()
        if not ids:
            QMessageBox.information(self, self.tr("Assign"), self.tr("Select rows of the articles to assign first."))
        return ids

    def assign(self, names: list[str], *, replace: bool = False) -> bool:
        ids = self._articles()
        if not ids:
            return False
        return self._push(lambda: assign_to_command(self.store, ids, names, replace=replace))

    def ask(self) -> bool:
        names, ok = QInputDialog.getText(self, self.tr("Assign"), self.tr("Assign to (names, comma separated):"))
        if not ok:
            return False
        return self.assign([n.strip() for n in names.split(",") if n.strip()])

    def unassign(self) -> bool:
        ids = self._articles()
        if not ids:
            return False
        return self._push(lambda: unassign_command(self.store, ids))

    def _push(self, make) -> bool:
        try:
            push(self.undo_stack, self.store, make())
        except SorotError as exc:
            QMessageBox.warning(self, self.tr("Assign"), str(exc))
            return False
        return True
