"""Tables that fit their panel: every column readable, never a horizontal scroll bar.

``ColumnFit`` sizes a table's columns from what they can hold, measured with the table's
own font (so text zoom refits them): each *fixed* column gets the width of its widest
possible value or its header, up to a cap beyond which the value is elided in the middle
(the full text is in the cell's tooltip); one *main* column takes the rest. When the rest
is narrower than the main column's minimum, the table turns *compact*: the fixed columns
named as details leave the header, and their values show as a second, smaller line under
the main text (``TwoLineDelegate``), so a narrow window rearranges the table instead of
cutting columns off.

Only a few distinct values are measured per column (statuses, labels, the origins and
annotators present), never every row: measuring 2,000 rows on each change is what made
``ResizeToContents`` slow.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

#: The model role a main column answers with its details line (the compact layout's second line).
DETAIL_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ELIDE = Qt.TextElideMode.ElideMiddle
_SELECTED = QStyle.StateFlag.State_Selected
_ACTIVE = QStyle.StateFlag.State_Active

Index = QModelIndex | QPersistentModelIndex


def text_margin(table: QTableView) -> int:
    """What a cell adds to its text's width (the style's margins either side, the grid line)."""
    style = table.style()
    return 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 2


def detail_font(font: QFont) -> QFont:
    small = QFont(font)
    if font.pointSizeF() > 0:
        small.setPointSizeF(max(font.pointSizeF() * 0.88, 6.0))
    elif font.pixelSize() > 0:
        small.setPixelSize(max(round(font.pixelSize() * 0.88), 8))
    return small


def dim(palette: QPalette, group: QPalette.ColorGroup = QPalette.ColorGroup.Normal) -> QColor:
    """Secondary text: the text colour two thirds of the way from the background, which keeps
    a contrast above 4.5:1 (WCAG AA) in the light and the dark palette alike (the palette's
    placeholder grey does not)."""
    text, base = palette.color(group, QPalette.ColorRole.Text), palette.color(group, QPalette.ColorRole.Base)
    return QColor(
        *(round(b + (t - b) * 0.68) for t, b in zip(text.getRgb()[:3], base.getRgb()[:3], strict=True))
    )


class ColumnFit(QObject):
    """Keep ``table``'s columns inside its viewport; see the module docstring.

    ``samples(column)`` gives the values a fixed column may show (measured on each refit);
    ``caps`` caps a fixed column's width in characters (its values elide beyond it);
    ``details`` are the fixed columns that move under the main text when compact.
    """

    compact_changed = Signal(bool)

    def __init__(
        self,
        table: QTableView,
        *,
        main: int,
        samples: Callable[[int], Iterable[str]],
        main_min_chars: int = 18,
        caps: dict[int, int] | None = None,
        details: Sequence[int] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or table)
        self.table = table
        self.main = main
        self.samples = samples
        self.main_min_chars = main_min_chars
        self.caps = dict(caps or {})
        self.details = tuple(details)
        self.compact = False
        self._fitting = False
        self._fitted: tuple | None = None  # what the last refit measured
        self.delegate = TwoLineDelegate(self, table)
        table.setItemDelegateForColumn(main, self.delegate)
        table.setTextElideMode(ELIDE)
        table.setWordWrap(False)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(16)
        header.setTextElideMode(ELIDE)
        for col in range(header.count()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(main, QHeaderView.ResizeMode.Stretch)
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        model = table.model()
        model.modelReset.connect(self.remeasure)  # a reset also shows the hidden columns again
        model.rowsInserted.connect(self.refit)
        model.rowsRemoved.connect(self.refit)
        model.dataChanged.connect(self.refit)
        self.refit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Show):
            self.remeasure()
        return False

    def remeasure(self, *_args) -> None:
        """Refit, measuring again even if nothing measured changed."""
        self._fitted = None
        self.refit()

    # -- measuring -------------------------------------------------------------------------------

    def column_width(self, col: int) -> int:
        """The width a fixed column needs for its widest value and its header, capped."""
        fm = self.table.fontMetrics()
        widest = max((fm.horizontalAdvance(s) for s in self.samples(col)), default=0)
        need = widest + text_margin(self.table)
        header = self.header_width(col)
        cap = self.caps.get(col)
        if cap is not None:
            need = min(need, fm.averageCharWidth() * cap + text_margin(self.table))
        return max(need, header)

    def header_width(self, col: int) -> int:
        """The header's text, its padding and, in a sortable table, the sort arrow."""
        header = self.table.horizontalHeader()
        text = str(self.table.model().headerData(col, Qt.Orientation.Horizontal) or "")
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        width = header.fontMetrics().horizontalAdvance(text) + 2 * margin + 12  # the style sheet's padding
        if self.table.isSortingEnabled():
            width += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin
        return width

    def needed(self) -> tuple[dict[int, int], int]:
        """(fixed column -> width, the main column's minimum)."""
        cols = self.table.model().columnCount()
        widths = {c: self.column_width(c) for c in range(cols) if c != self.main}
        main_min = self.table.fontMetrics().averageCharWidth() * self.main_min_chars + text_margin(self.table)
        return widths, main_min

    def refit(self, *_args) -> None:
        """Size the columns for the viewport's width now; go compact (or back) if needed."""
        if self._fitting:
            return
        self._fitting = True
        try:
            table = self.table
            room = table.viewport().width()
            # A refit follows every edited row: measuring is skipped while the room, the font,
            # the headers' words and the values measured are the ones measured last time.
            model = table.model()
            cols = model.columnCount()
            key = (room, table.font().key(), table.isSortingEnabled(),
                   tuple(str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(cols)),
                   tuple(tuple(self.samples(c)) for c in range(cols) if c != self.main))  # fmt: skip
            if key == self._fitted:
                return
            self._fitted = key
            widths, main_min = self.needed()
            compact = sum(widths.values()) + main_min > room
            header = table.horizontalHeader()
            # Each setter below repaints the whole table, even when nothing changes: only
            # what differs is set (a refit follows every edited row).
            for col, width in widths.items():
                hidden = compact and col in self.details
                if table.isColumnHidden(col) != hidden:
                    table.setColumnHidden(col, hidden)
                if not hidden and header.sectionSize(col) != width:
                    header.resizeSection(col, width)
            rows = table.verticalHeader()
            fm = table.fontMetrics()
            one = fm.height() + 8
            two = fm.height() + QFontMetrics(detail_font(table.font())).height() + 10
            if rows.defaultSectionSize() != (two if compact else one):
                rows.setDefaultSectionSize(two if compact else one)
            if rows.minimumSectionSize() != min(one, 16):
                rows.setMinimumSectionSize(min(one, 16))
            if compact != self.compact:
                self.compact = compact
                table.viewport().update()
                self.compact_changed.emit(compact)
        finally:
            self._fitting = False


class TwoLineDelegate(QStyledItemDelegate):
    """The main column: elided in the middle; when compact, its details line underneath.

    A row's two lines of text are drawn once into a pixmap and reused while the row shows the
    same words at the same size and colours (``TEXT_CACHE`` of them): an edit inserts or
    removes a row, and every row below it is painted again, each costing two elisions and two
    text layouts in Python; from the cache, one ``drawPixmap`` (bench: ``bench_retrain.py``)."""

    #: Text pixmaps kept, the least recently used dropped first: a screenful of rows many times.
    TEXT_CACHE = 512

    def __init__(self, fit: ColumnFit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fit = fit
        self._texts: OrderedDict[tuple, QPixmap] = OrderedDict()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not self.fit.compact:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        detail = index.data(DETAIL_ROLE) or ""
        main = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = opt.rect.adjusted(margin, 3, -margin, -3)
        if rect.width() <= 0 or rect.height() <= 0:
            return
        selected = bool(opt.state & _SELECTED)
        active = bool(opt.state & _ACTIVE)
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        key = (main, detail, rect.width(), rect.height(), opt.palette.cacheKey(), selected, active,
               opt.font.key(), ratio)  # fmt: skip
        pixmap = self._texts.get(key)
        if pixmap is None:
            group = QPalette.ColorGroup.Normal if active else QPalette.ColorGroup.Inactive
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            pen = opt.palette.color(group, role)
            small_pen = pen if selected else dim(opt.palette, group)
            pixmap = self._draw_texts(main, detail, rect.size(), opt.font, pen, small_pen, ratio)
            self._texts[key] = pixmap
            if len(self._texts) > self.TEXT_CACHE:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(key)
        painter.drawPixmap(rect.topLeft(), pixmap)

    @staticmethod
    def _draw_texts(
        main: str, detail: str, size: QSize, font: QFont, pen: QColor, small_pen: QColor, ratio: float
    ) -> QPixmap:
        """The two lines, elided to ``size``'s width, on a transparent pixmap of ``size``."""
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            fm = QFontMetrics(font)
            painter.setFont(font)
            painter.setPen(pen)
            top = QRect(0, 0, size.width(), fm.height())
            painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             fm.elidedText(main, ELIDE, size.width()))  # fmt: skip
            small = detail_font(font)
            sfm = QFontMetrics(small)
            painter.setFont(small)
            painter.setPen(small_pen)
            bottom = QRect(0, top.bottom() + 1, size.width(), sfm.height())
            painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             sfm.elidedText(detail, ELIDE, size.width()))  # fmt: skip
        finally:
            painter.end()
        return pixmap

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt override
        size = super().sizeHint(option, index)
        if self.fit.compact:
            size.setHeight(self.fit.table.verticalHeader().defaultSectionSize())
        return size
