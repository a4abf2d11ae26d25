"""The article text with its spans painted. Layout and painting only: the desk controller
decides what keys and clicks mean (``key_handler``, ``clicked``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.model import Label, Span
from ui.highlight import SpanHighlighter, SpanIndex, selected_format
from ui.textmap import TextMap


class FormatChangeLayout(QPlainTextDocumentLayout):
    """The plain text layout, told that a repainted span's line is one block.

    A highlighter's ``rehighlightBlock`` marks the block's characters dirty as ``(position,
    n removed, n added)``; QPlainTextDocumentLayout adds the two counts, finds the change
    running into the next block and repaints the whole viewport (about 4 ms for a page of
    highlighted text) after every edit. With no text removed the same block is re-laid out
    and only its lines repaint. A new text of the same length (``setPlainText``) is laid out
    from its first block on, as the layout does for any change that spans blocks. tests/test_article_view_repaint.py checks that the
    picture equals a view painted whole."""

    def documentChanged(self, position: int, removed: int, added: int) -> None:  # noqa: N802 - Qt override
        super().documentChanged(position, 0 if removed == added else removed, added)


class ArticleView(QPlainTextEdit):
    """Read-only text; offsets in and out of this class are Python code points."""

    clicked = Signal(int)  # code point offset of a plain click (no selection made)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        self.tmap = TextMap("")
        doc = self.document()
        doc.setDocumentLayout(FormatChangeLayout(doc))
        self.setDocument(doc)
        self.highlighter = SpanHighlighter(self.document())
        self.spans: dict[int, Span] = {}
        self.claim_labels: set[str] = set()
        self.key_handler: Callable[[QKeyEvent], bool] | None = None
        self._block_starts: list[int] = [0]
        self._selected: int | None = None
        self._hits: list[tuple[int, int]] = []
        self._current_hit = -1

    # -- content ----------------------------------------------------------------------------

    def set_labels(self, labels: Sequence[Label]) -> None:
        self.highlighter.set_labels(labels)
        self.claim_labels = {lab.name for lab in labels if lab.kind == "claim"}

    def set_article(self, text: str, spans: Sequence[Span]) -> None:
        self._selected = None
        self._hits = []
        self.tmap = TextMap(text)
        # Index first, then text: setPlainText paints once, with the spans already there.
        self.highlighter.setDocument(None)
        self.setPlainText(text)
        self._block_starts = self._compute_block_starts()
        self.spans = {sp.id: sp for sp in spans if sp.id is not None}
        self.highlighter.index = SpanIndex.build(spans, self.tmap, self._block_starts, self.claim_labels)
        self.highlighter.setDocument(self.document())
        # setDocument only schedules a repaint; paint now so the article shows complete.
        self.highlighter.rehighlight()
        self._refresh_overlays()

    def _compute_block_starts(self) -> list[int]:
        starts = []
        block = self.document().begin()
        while block.isValid():
            starts.append(block.position())
            block = block.next()
        return starts or [0]

    def update_spans(self, spans: Sequence[Span]) -> None:
        """New span list for the same text: repaint only the lines whose spans changed."""
        old = self.spans
        new = {sp.id: sp for sp in spans if sp.id is not None}
        old_index = self.highlighter.index
        index = SpanIndex.build(spans, self.tmap, self._block_starts, self.claim_labels)
        blocks: set[int] = set()

        def look(sp: Span) -> tuple:
            return (sp.start, sp.end, sp.label, sp.status)

        for sid in old.keys() | new.keys():
            a, b = old.get(sid), new.get(sid)
            if a is not None and b is not None and look(a) == look(b):
                continue
            for idx in (old_index, index):
                rng = idx.block_of.get(sid)
                if rng:
                    blocks.update(range(rng[0], rng[1] + 1))
        self.spans = new
        self.highlighter.set_index(index, blocks)
        if self._selected is not None and self._selected not in new:
            self._selected = None
        self._refresh_overlays()

    def patch_spans(self, changed: dict[int, Span | None]) -> None:
        """A few spans changed (None: deleted): update the index in place, repaint their lines."""
        index = self.highlighter.index
        blocks: set[int] = set()
        for sid, sp in changed.items():
            rng = index.block_of.pop(sid, None)
            if rng is not None:
                for b in range(rng[0], rng[1] + 1):
                    bucket = index.by_block.get(b)
                    if bucket:
                        bucket[:] = [p for p in bucket if p.span_id != sid]
                    blocks.add(b)
            if sp is None:
                self.spans.pop(sid, None)
                continue
            self.spans[sid] = sp
            if sp.status == "rejected":
                continue
            blocks.update(index.add(sp, self.tmap, self._block_starts, self.claim_labels))
        self.highlighter.set_index(index, blocks)
        if self._selected is not None and self._selected not in self.spans:
            self._selected = None
        self._refresh_overlays()

    # -- offsets ----------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        return self.tmap.to_py(cur.selectionStart()), self.tmap.to_py(cur.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        cur = self.textCursor()
        cur.setPosition(self.tmap.to_qt(start))
        cur.setPosition(self.tmap.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)

    def place_cursor(self, pos: int) -> None:
        cur = self.textCursor()
        cur.setPosition(self.tmap.to_qt(pos))
        self.setTextCursor(cur)

    def cursor_pos(self) -> int:
        return self.tmap.to_py(self.textCursor().position())

    def pos_at(self, point: QPoint) -> int:
        return self.tmap.to_py(self.cursorForPosition(point).position())

    def point_of(self, pos: int) -> QPoint:
        """Viewport point at code point ``pos`` (mid-height of the line); for tests and tooltips."""
        cur = QTextCursor(self.document())
        cur.setPosition(self.tmap.to_qt(pos))
        rect = self.cursorRect(cur)
        return QPoint(rect.x() + 1, rect.center().y())

    def spans_at(self, pos: int) -> list[Span]:
        """Visible spans covering ``pos``, innermost (shortest) first."""
        found = [sp for sp in self.spans.values() if sp.status != "rejected" and sp.start <= pos < sp.end]
        found.sort(key=lambda sp: (sp.end - sp.start, sp.label in self.claim_labels))
        return found

    # -- overlays (a handful of extra selections) ------------------------------------------

    def set_selected_span(self, span_id: int | None, *, reveal: bool = True) -> None:
        self._selected = span_id
        self._refresh_overlays()
        if reveal and span_id in self.spans:
            sp = self.spans[span_id]
            cur = self.textCursor()
            cur.setPosition(self.tmap.to_qt(sp.start))
            self.setTextCursor(cur)
            self.ensureCursorVisible()

    def set_hits(self, hits: Sequence[tuple[int, int]], current: int = -1) -> None:
        self._hits = list(hits)
        self._current_hit = current
        self._refresh_overlays()

    def _refresh_overlays(self) -> None:
        extras = []
        hit_fmt = QTextCharFormat()
        hit_fmt.setBackground(QColor("#fff176"))
        cur_fmt = QTextCharFormat()
        cur_fmt.setBackground(QColor("#ffb300"))
        for i, (s, e) in enumerate(self._hits[:500]):
            extras.append(self._extra(s, e, cur_fmt if i == self._current_hit else hit_fmt))
        if self._selected is not None and self._selected in self.spans:
            sp = self.spans[self._selected]
            extras.append(self._extra(sp.start, sp.end, selected_format(self.highlighter.colour(sp.label))))
        self.setExtraSelections(extras)

    def _extra(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.document())
        cur.setPosition(self.tmap.to_qt(start))
        cur.setPosition(self.tmap.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        sel.format = fmt
        return sel

    # -- events -----------------------------------------------------------------------------

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.KeyPress and e.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            if self.key_handler is not None and self.key_handler(e):
                return True
        if e.type() == QEvent.Type.ShortcutOverride and self.key_handler is not None:
            # Keys the desk uses (digits, A, X, Delete, PageUp...) must reach keyPressEvent,
            # not the read-only text control's default handling.
            if self._desk_key(e):
                e.accept()
                return True
        return super().event(e)

    def _desk_key(self, e: QKeyEvent) -> bool:
        return e.key() in (
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Delete,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        )

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.key_handler is not None and self.key_handler(e):
            e.accept()
            return
        super().keyPressEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(e)
        if e.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            self.clicked.emit(self.pos_at(e.position().toPoint()))

    def viewportEvent(self, e: QEvent) -> bool:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.ToolTip:
            pos = self.pos_at(e.pos())
            spans = self.spans_at(pos)
            if spans:
                QToolTip.showText(
                    e.globalPos(), "<br>".join(span_tooltip(sp) for sp in spans[:3]), self.viewport()
                )
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(e)


def span_tooltip(sp: Span) -> str:
    from html import escape

    from ui.i18n import status_name, translate

    who = sp.annotator or "—"
    source = translate("article_view", "from {origin} · by {annotator}").format(
        origin=sp.origin, annotator=who
    )
    return f"<b>{escape(sp.label)}</b> · {escape(status_name(sp.status))} · {escape(source)}" + (
        f"<br><i>{escape(sp.note)}</i>" if sp.note else ""
    )
