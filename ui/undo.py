"""The one ``QUndoCommand`` of Sorot: a thin wrapper over the pure command layer (after
Orange's paint data), used by the desk and the review window alike.

A command is applied before it is pushed (``StoreCommand.applied``), so a save that fails
never reaches the stack; the first ``redo``, run by ``QUndoStack.push``, is skipped.
``undo`` applies the inverse ``apply`` returned and keeps *its* inverse for the next redo.

When an undo or redo cannot be done the stack stays true to the project:

* the world moved on (a span was deleted since, by the review window, a sync or another
  step): the command says so in words and leaves the stack (``setObsolete``); the steps
  before it can still be undone;
* the project could not be written (locked, disk full): nothing changed, the message says
  why, and the stack's index is put back, so the same undo can be tried again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.commands import Command, apply
from annotator.errors import SpanGone, StoreError
from ui.i18n import translate

#: The domain's own names for its commands (``annotator.commands``, English), for the
#: translation of a step the desk did not name itself (the review window's, say).
COMMAND_TEXTS = (
    QT_TRANSLATE_NOOP("undo", "Add span"),
    QT_TRANSLATE_NOOP("undo", "Delete span"),
    QT_TRANSLATE_NOOP("undo", "Restore span"),
    QT_TRANSLATE_NOOP("undo", "Change span"),
    QT_TRANSLATE_NOOP("undo", "Link spans"),
    QT_TRANSLATE_NOOP("undo", "Unlink spans"),
    QT_TRANSLATE_NOOP("undo", "Set article status"),
    QT_TRANSLATE_NOOP("undo", "Set my article state"),
    QT_TRANSLATE_NOOP("undo", "Assign articles"),
    QT_TRANSLATE_NOOP("undo", "Rename article"),
    QT_TRANSLATE_NOOP("undo", "Edit"),
)


def command_text(text: str) -> str:
    """A step's name as the undo messages show it: translated if it is one of the domain's."""
    return translate("undo", text)


def _ignore(*_args) -> None:
    return None


class UndoStack(QUndoStack):
    """The one undo stack of a window and its review screens. ``message`` says why a step
    could not be undone or redone, for whichever window the analyst pressed Ctrl+Z in."""

    message = Signal(str)


class StoreCommand(QUndoCommand):
    def __init__(
        self,
        store,
        forward: Command,
        inverse: Command,
        stack: QUndoStack,
        *,
        article_id: int | None = None,
        on_done: Callable[[int | None, Command], None] = _ignore,
        on_error: Callable[[str], None] = _ignore,
        on_gone: Callable[[str], None] = _ignore,
    ) -> None:
        super().__init__(command_text(getattr(forward, "text", "Edit")))
        self.store = store
        self.forward = forward
        self.inverse = inverse
        self.article_id = article_id
        self._stack = stack
        self._on_done = on_done
        self._on_error = on_error
        self._on_gone = on_gone
        self._applied = True

    @classmethod
    def applied(cls, store, command: Command, stack: QUndoStack, **kwargs) -> StoreCommand:
        """Apply ``command`` now (raising ``StoreError`` if it cannot be saved) and wrap it."""
        return cls(store, command, apply(store, command), stack, **kwargs)

    def redo(self) -> None:
        if self._applied:
            return
        if self._step(self.forward, "redo"):
            self._applied = True
            self._on_done(self.article_id, self.forward)

    def undo(self) -> None:
        if not self._applied:
            return
        if self._step(self.inverse, "undo"):
            self._applied = False
            self._on_done(self.article_id, self.inverse)

    def _step(self, command: Command, verb: str) -> bool:
        try:
            result = apply(self.store, command)
        except SpanGone as exc:
            self.setObsolete(True)  # QUndoStack drops it once this call returns
            said = (
                translate("undo", "Cannot undo “{step}”: {reason}. That step is off the undo list.")
                if verb == "undo"
                else translate("undo", "Cannot redo “{step}”: {reason}. That step is off the undo list.")
            )
            message = said.format(step=self.text(), reason=exc)
            self._tell(message)
            self._on_gone(message)
            return False
        except StoreError as exc:
            # Put the stack's index back where it was once QUndoStack has moved it: the
            # other step is a no-op on this command (``_applied`` did not change).
            QTimer.singleShot(0, self._stack.redo if verb == "undo" else self._stack.undo)
            said = (
                translate("undo", "Cannot undo “{step}”: {reason}")
                if verb == "undo"
                else translate("undo", "Cannot redo “{step}”: {reason}")
            )
            self._tell(said.format(step=self.text(), reason=exc))
            self._on_error(str(exc))
            return False
        if verb == "undo":
            self.forward = result
        else:
            self.inverse = result
        return True


    def _tell(self, message: str) -> None:
        if isinstance(self._stack, UndoStack):
            self._stack.message.emit(message)


def push(stack: QUndoStack, store, command: Command, **kwargs) -> None:
    """Do ``command`` now, as one step on ``stack`` (nothing is pushed if it fails)."""
    stack.push(StoreCommand.applied(store, command, stack, **kwargs))
