"""The window's layout: a first size that fits the screen it opens on, and a saved layout
restored sensibly on a smaller screen than it was saved on.

A saved geometry is clamped to the screen's available area (a window saved at 1920×1080
reopens inside a 1366×768 laptop screen, not past its edges). The splitter between the
article list, the text and the span panel is restored as *proportions* of the window, not
pixels, each pane kept at a usable minimum while the window is wide enough for all three:
a 500-pixel article list saved on a wide screen would otherwise leave the text a sliver.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, QSize, QTimer
from PySide6.QtWidgets import QSplitter, QWidget

#: The panes' share of the splitter when nothing was saved: article list, text, spans.
PROPORTIONS = (0.25, 0.45, 0.30)
#: The narrowest each pane stays usable at, in average character widths of its font.
MIN_CHARS = (52, 44, 34)
#: The first window: this size, or less on a small screen.
FIRST_SIZE = QSize(1400, 860)
#: Of the screen's available area, at most this share on first opening.
SCREEN_SHARE = 0.94


def first_geometry(available: QRect) -> QRect:
    """Centred on the screen, ``FIRST_SIZE`` or less."""
    width = min(FIRST_SIZE.width(), round(available.width() * SCREEN_SHARE))
    height = min(FIRST_SIZE.height(), round(available.height() * SCREEN_SHARE))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


def clamp(frame: QRect, available: QRect) -> QRect:
    """``frame`` shrunk to fit ``available`` and moved inside it."""
    rect = QRect(frame)
    rect.setWidth(min(rect.width(), available.width()))
    rect.setHeight(min(rect.height(), available.height()))
    if rect.right() > available.right():
        rect.moveRight(available.right())
    if rect.bottom() > available.bottom():
        rect.moveBottom(available.bottom())
    if rect.left() < available.left():
        rect.moveLeft(available.left())
    if rect.top() < available.top():
        rect.moveTop(available.top())
    return rect


def pane_sizes(total: int, proportions: Sequence[float], minimums: Sequence[int]) -> list[int]:
    """Split ``total`` pixels by ``proportions``. When the total allows it, every open pane
    gets at least its minimum and the others share the rest in proportion; a pane at 0 stays
    closed."""
    shares = [max(p, 0.0) for p in proportions]
    open_ = [i for i, p in enumerate(shares) if p > 0]
    if not open_:
        return [0] * len(shares)
    if sum(minimums[i] for i in open_) > total:
        whole = sum(shares)
        return _exact([round(total * p / whole) for p in shares], total)
    fixed: dict[int, int] = {}
    sizes: dict[int, float] = {}
    while True:
        free = [i for i in open_ if i not in fixed]
        if not free:
            break
        room = total - sum(fixed.values())
        whole = sum(shares[i] for i in free)
        sizes = {i: room * shares[i] / whole for i in free}
        short = [i for i in free if sizes[i] < minimums[i]]
        if not short:
            break
        fixed.update((i, minimums[i]) for i in short)
        sizes = {}
    out = [0] * len(shares)
    for i, v in fixed.items():
        out[i] = v
    for i, v in sizes.items():
        out[i] = round(v)
    return _exact(out, total)


def _exact(sizes: list[int], total: int) -> list[int]:
    """Rounding leaves a pixel or two: the widest pane takes them."""
    if sizes:
        sizes[sizes.index(max(sizes))] += total - sum(sizes)
    return sizes


class SplitterProportions(QObject):
    """Keeps the splitter's panes at proportions of its width, each at its minimum while
    the width allows: when the window is resized (a screen change, a maximise) the panes
    scale together instead of the text taking or giving all the difference. Dragging a
    handle sets new proportions."""

    def __init__(self, splitter: QSplitter, proportions: Sequence[float]) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        self.proportions = list(proportions)
        splitter.installEventFilter(self)
        splitter.splitterMoved.connect(self.remember)

    def minimums(self) -> list[int]:
        out = []
        for i in range(self.splitter.count()):
            widget = self.splitter.widget(i)
            chars = MIN_CHARS[i] if i < len(MIN_CHARS) else 10
            out.append(widget.fontMetrics().averageCharWidth() * chars)
        return out

    def remember(self, *_args) -> None:
        sizes = self.splitter.sizes()
        if sum(sizes) > 0:
            self.proportions = [s / sum(sizes) for s in sizes]

    def apply(self) -> None:
        splitter = self.splitter
        handles = splitter.handleWidth() * (splitter.count() - 1)
        total = splitter.width() - handles
        if total > 0 and splitter.isVisible():
            sizes = pane_sizes(total, self.proportions, self.minimums())
            if sizes != splitter.sizes():
                splitter.setSizes(sizes)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.splitter and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            # after the splitter's own handling of the event, which shares the change by stretch
            QTimer.singleShot(0, self, self.apply)
        return False


class OnScreen(QObject):
    """Once the window is shown (its frame known), keep the frame inside the screen's
    available area; a maximised or full-screen window is the platform's business."""

    def __init__(self, window: QWidget, available: QRect) -> None:
        super().__init__(window)
        self.window, self.available = window, available
        window.installEventFilter(self)

    def apply(self) -> None:
        window = self.window
        if window.isMaximized() or window.isFullScreen():
            return
        frame = window.frameGeometry()
        fitted = clamp(frame, self.available)
        if fitted != frame:
            window.resize(window.width() - (frame.width() - fitted.width()),
                          window.height() - (frame.height() - fitted.height()))  # fmt: skip
            window.move(fitted.topLeft())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.window and event.type() == QEvent.Type.Show:
            self.window.removeEventFilter(self)
            self.apply()  # the platform window exists now, so its frame is known
        return False


def restore(window: QWidget, splitter: QSplitter, settings: QSettings) -> None:
    """Restore the window and splitter saved in ``settings`` (``window/geometry``,
    ``window/splitter``), fitted to the screen the window opens on."""
    screen = window.screen()
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)
    geometry = settings.value("window/geometry")
    if not (isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)):
        first = first_geometry(available)
        window.resize(first.size())
        window.move(first.topLeft())
    OnScreen(window, available)
    proportions: Sequence[float] = PROPORTIONS
    state = settings.value("window/splitter")
    if isinstance(state, QByteArray) and splitter.restoreState(state):
        sizes = splitter.sizes()
        if len(sizes) == len(PROPORTIONS) and sum(sizes) > 0:
            proportions = [s / sum(sizes) for s in sizes]
    SplitterProportions(splitter, proportions)
