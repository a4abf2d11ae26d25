"""``QUndoCommand``s as thin wrappers over the pure command layer (after Orange's paint data).

``redo`` applies the forward command and keeps the inverse ``apply`` returned; ``undo``
applies that inverse and keeps *its* inverse for the next redo. The first redo, run by
``QUndoStack.push``, is skipped: the desk applied the command already so that a failed
save never reaches the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.commands import Command, apply
from annotator.errors import StoreError


class StoreCommand(QUndoCommand):
    def __init__(
        self,
        store,
        forward: Command,
        inverse: Command,
        article_id: int | None,
        on_done: Callable[[int | None, Command], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(getattr(forward, "text", "Edit"))
        self.store = store
        self.forward = forward
        self.inverse = inverse
        self.article_id = article_id
        self._on_done = on_done
        self._on_error = on_error
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        try:
            self.inverse = apply(self.store, self.forward)
            self._applied = True
        except StoreError as exc:
            self._on_error(str(exc))
            return
        self._on_done(self.article_id, self.forward)

    def undo(self) -> None:
        try:
            self.forward = apply(self.store, self.inverse)
            self._applied = False
        except StoreError as exc:
            self._on_error(str(exc))
            return
        self._on_done(self.article_id, self.inverse)
