"""Span painting: a ``QSyntaxHighlighter`` fed from a per-block span index.

Setting thousands of ``ExtraSelection``s costs 50-500 ms per change; a highlighter that
looks up only the spans of the block it paints costs a few ms for a whole article, and a
change repaints just the blocks it touches (``rehighlightBlock``).

Layers, so nesting stays legible: an accepted entity has a solid background in its
label colour; a suggestion has a pale tint with a dashed underline; a claim is an
underline band (wave when accepted, dotted when suggested) in the claim colour, so the
actors inside it keep their backgrounds. Rejected spans are not painted.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from annotator.model import Label, Span
from ui.textmap import TextMap


@dataclass(slots=True)
class Painted:
    """A span as painted: UTF-16 offsets and what decides its look."""

    qstart: int
    qend: int
    label: str
    status: str
    claim: bool
    span_id: int | None


def mix(colour: QColor, alpha: float, background: QColor | None = None) -> QColor:
    """``colour`` blended over the background (the theme's text background unless given):
    tints that stay opaque (cheaper to paint, printable), pale in the light theme and deep
    in the dark one, so the theme's text stays readable on them."""
    if background is None:
        background = (
            QGuiApplication.palette().color(QPalette.ColorRole.Base)
            if QGuiApplication.instance() is not None
            else QColor("#ffffff")
        )
    r, g, b = colour.red(), colour.green(), colour.blue()
    br, bgreen, bb = background.red(), background.green(), background.blue()
    return QColor(round(br + (r - br) * alpha), round(bgreen + (g - bgreen) * alpha), round(bb + (b - bb) * alpha))


class SpanIndex:
    """Spans bucketed by the text blocks (lines) they touch."""

    def __init__(self) -> None:
        self.by_block: dict[int, list[Painted]] = {}
        self.block_of: dict[int, tuple[int, int]] = {}

    @classmethod
    def build(
        cls, spans: Iterable[Span], tmap: TextMap, block_starts: Sequence[int], claim_labels: set[str]
    ) -> SpanIndex:
        index = cls()
        for sp in spans:
            if sp.status != "rejected":
                index.add(sp, tmap, block_starts, claim_labels)
        return index

    def add(self, sp: Span, tmap: TextMap, block_starts: Sequence[int], claim_labels: set[str]) -> range:
        """Index one span; returns the blocks it touches."""
        p = Painted(
            tmap.to_qt(sp.start), tmap.to_qt(sp.end), sp.label, sp.status, sp.label in claim_labels, sp.id
        )
        first = max(bisect_right(block_starts, p.qstart) - 1, 0)
        last = bisect_right(block_starts, p.qend - 1) - 1
        by_block = self.by_block
        for b in range(first, last + 1):
            bucket = by_block.get(b)
            if bucket is None:
                by_block[b] = [p]
            else:
                bucket.append(p)
        if sp.id is not None:
            self.block_of[sp.id] = (first, last)
        return range(first, last + 1)


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.index = SpanIndex()
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._colours: dict[str, QColor] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._colours = {lab.name: QColor(lab.colour) for lab in labels}
        self._formats.clear()

    def colour(self, label: str) -> QColor:
        return self._colours.get(label) or QColor("#888888")

    def set_index(self, index: SpanIndex, blocks: Iterable[int] | None = None) -> None:
        """New spans; repaint all blocks, or only ``blocks`` when the caller knows which changed."""
        self.index = index
        if blocks is None:
            self.rehighlight()
            return
        doc = self.document()
        for b in sorted(set(blocks)):
            block = doc.findBlockByNumber(b)
            if block.isValid():
                self.rehighlightBlock(block)

    def _format(self, bg: tuple[str, str] | None, line: tuple[str, str] | None) -> QTextCharFormat:
        key = (bg, line)
        fmt = self._formats.get(key)
        if fmt is not None:
            return fmt
        fmt = QTextCharFormat()
        if bg is not None:
            label, status = bg
            colour = self.colour(label)
            if status == "accepted":
                fmt.setBackground(mix(colour, 0.55))
            else:
                fmt.setBackground(mix(colour, 0.22))
                if line is None:
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                    fmt.setUnderlineColor(colour)
                fmt.setFontItalic(True)
        if line is not None:
            label, status = line
            colour = self.colour(label)
            style = (
                QTextCharFormat.UnderlineStyle.WaveUnderline
                if status == "accepted"
                else QTextCharFormat.UnderlineStyle.DotLine
            )
            fmt.setUnderlineStyle(style)
            fmt.setUnderlineColor(colour)
            if bg is None:
                fmt.setBackground(mix(colour, 0.10 if status == "accepted" else 0.05))
            if status != "accepted":
                fmt.setFontWeight(QFont.Weight.Normal)
        self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        block = self.currentBlock()
        spans = self.index.by_block.get(block.blockNumber())
        if not spans:
            return
        base = block.position()
        length = len(text.encode("utf-16-le")) // 2 if not text.isascii() else len(text)
        cuts = {0, length}
        local = []
        for p in spans:
            s = max(p.qstart - base, 0)
            e = min(p.qend - base, length)
            if e <= s:
                continue
            cuts.add(s)
            cuts.add(e)
            local.append((s, e, p))
        ordered = sorted(cuts)
        local.sort(key=lambda t: t[0])
        active: list[tuple[int, int, Painted]] = []
        i, n = 0, len(local)
        for a, b in zip(ordered, ordered[1:], strict=False):
            while i < n and local[i][0] <= a:
                active.append(local[i])
                i += 1
            if active:
                active = [t for t in active if t[1] > a]
            if not active:
                continue
            bg = line = None
            bg_len = line_len = 1 << 30
            for _s, _e, p in active:
                size = p.qend - p.qstart
                if p.claim:
                    if size < line_len:
                        line, line_len = (p.label, p.status), size
                elif size < bg_len or (size == bg_len and p.status == "accepted"):
                    bg, bg_len = (p.label, p.status), size
            self.setFormat(a, b - a, self._format(bg, line))


def selected_format(colour: QColor) -> QTextCharFormat:
    """The selected span: its label colour at full strength, white text."""
    fmt = QTextCharFormat()
    fmt.setBackground(colour.darker(115))
    fmt.setForeground(Qt.GlobalColor.white)
    return fmt
