"""Easy on the eyes: a light and a dark theme (following the system unless the analyst
chose one) and a text zoom (Ctrl+= / Ctrl+- / Ctrl+0), both remembered per user in the
settings file (``appearance/theme``, ``appearance/zoom``).

The theme is a palette: the style sheet (``resources/style.qss``) takes its colours from
``palette(...)``, and span tints are blended over the palette's text background
(``ui.highlight.mix``), so one set of label colours serves both themes. The default label
colours (Okabe & Ito's colour-blind-safe set) are checked in ``tests/test_desk2_eyes.py``
under simulated protanopia and deuteranopia in both themes (``annotator.colours``).

The zoom scales the application font and the article text together; tables refit their
columns to the new size (``ui.fit``).
"""

from __future__ import annotations

from importlib import resources
from string import Template

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
)
from PySide6.QtWidgets import QApplication, QMenu, QToolButton, QWidget

from ui import settings as user_settings
from ui.i18n import translate

THEMES = ("system", "light", "dark")
#: Zoom steps either side of 100 %: each is about a tenth bigger or smaller.
ZOOM_MIN, ZOOM_MAX = -4, 10
ZOOM_FACTOR = 1.1
#: The article text and its title at 100 %, in pixels.
TEXT_PX, TITLE_PX = 15, 14
#: The dark theme: a text background of #1e1f22 and text of #e6e6e6 (contrast 13.8:1).
DARK = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#2b2d31",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#9a9ca3",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#33363b",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Light: "#45484f",
    QPalette.ColorRole.Midlight: "#3a3d43",
    QPalette.ColorRole.Mid: "#2f3136",
    QPalette.ColorRole.Dark: "#18191b",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#3d6fb6",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7aa7ff",
    QPalette.ColorRole.LinkVisited: "#b69cff",
}
DARK_DISABLED_TEXT = "#7d8088"


def theme_setting() -> str:
    value = str(user_settings.app_settings().value("appearance/theme", "system") or "system")
    return value if value in THEMES else "system"


def zoom_setting() -> int:
    try:
        value = int(user_settings.app_settings().value("appearance/zoom", 0) or 0)
    except (TypeError, ValueError):
        return 0
    return min(max(value, ZOOM_MIN), ZOOM_MAX)


def _store(key: str, value: object) -> None:
    s = user_settings.app_settings()
    s.setValue(key, value)
    s.sync()


def system_is_dark(app: QGuiApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(DARK_DISABLED_TEXT))
    return palette


def scaled(px: int, zoom: int) -> int:
    return max(round(px * ZOOM_FACTOR**zoom), 6)


def style_sheet(zoom: int, dark: bool) -> str:
    """``resources/style.qss`` at this zoom and theme."""
    try:
        text = resources.files("resources").joinpath("style.qss").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""
    return Template(text).safe_substitute(
        text_px=f"{scaled(TEXT_PX, zoom)}px",
        title_px=f"{scaled(TITLE_PX, zoom)}px",
        ok_colour="#7bc67e" if dark else "#2e7d32",
        error_colour="#ff8a80" if dark else "#c62828",
    )


class Appearance(QObject):
    """The application's theme and zoom: applied at start, changed by the analyst (and the
    system's colour scheme when the theme follows it); ``changed`` after each change."""

    changed = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.theme = theme_setting()
        self.zoom = zoom_setting()
        self._base_font = QFont(app.font())
        self._light = QPalette(app.palette())
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    @classmethod
    def of(cls, app: QApplication | None = None, *, apply: bool = True) -> Appearance:
        """The one ``Appearance`` of the application, made on first use (and then applied,
        unless ``apply`` is False: the look then changes only when the analyst changes it)."""
        app = app or QApplication.instance()
        found = app.findChild(Appearance)
        if found is None:
            found = Appearance(app)
            if apply:
                found.apply()
        return found

    @property
    def dark(self) -> bool:
        return self.theme == "dark" or (self.theme == "system" and system_is_dark(self.app))

    def apply(self) -> None:
        app = self.app
        app.setPalette(dark_palette() if self.dark else self._light)
        font = QFont(self._base_font)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * ZOOM_FACTOR**self.zoom)
        elif font.pixelSize() > 0:
            font.setPixelSize(scaled(font.pixelSize(), self.zoom))
        app.setFont(font)
        app.setStyleSheet(style_sheet(self.zoom, self.dark))
        self.changed.emit()

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {theme!r}")
        self.theme = theme
        _store("appearance/theme", theme)
        self.apply()

    def set_zoom(self, zoom: int) -> None:
        zoom = min(max(zoom, ZOOM_MIN), ZOOM_MAX)
        if zoom == self.zoom:
            return
        self.zoom = zoom
        _store("appearance/zoom", zoom)
        self.apply()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def restore(self) -> None:
        """Back to the look the application had before (tests share one application)."""
        self.app.setPalette(self._light)
        self.app.setFont(self._base_font)
        self.app.setStyleSheet("")
        self.setParent(None)
        self.deleteLater()

    def _system_changed(self, *_args) -> None:
        if self.theme == "system":
            self.apply()


THEME_NAMES = {
    "system": QT_TRANSLATE_NOOP("appearance", "Follow the system"),
    "light": QT_TRANSLATE_NOOP("appearance", "Light"),
    "dark": QT_TRANSLATE_NOOP("appearance", "Dark"),
}
ZOOM_ACTIONS = (
    ("zoom_in", QT_TRANSLATE_NOOP("appearance", "Bigger text")),
    ("zoom_out", QT_TRANSLATE_NOOP("appearance", "Smaller text")),
    ("zoom_reset", QT_TRANSLATE_NOOP("appearance", "Text at 100 %")),
)


class LookButton(QToolButton):
    """In the status bar: the zoom in per cent; its menu zooms and picks the theme."""

    def __init__(self, look: Appearance, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.look = look
        self.setObjectName("lookButton")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.zoom_actions: dict[str, QAction] = {}
        for name, _text in ZOOM_ACTIONS:
            act = menu.addAction("")  # its keys: View menu (ui.keymap)
            act.setObjectName(name)
            act.triggered.connect(getattr(look, name))
            self.zoom_actions[name] = act
        menu.addSeparator()
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            act = menu.addAction("")
            act.setCheckable(True)
            act.setActionGroup(group)
            act.triggered.connect(lambda _c=False, t=theme: look.set_theme(t))
            self.theme_actions[theme] = act
        self.setMenu(menu)
        look.changed.connect(self.show_look)
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(translate("appearance", "Text size and theme"))
        for name, text in ZOOM_ACTIONS:
            self.zoom_actions[name].setText(translate("appearance", text))
        for theme, act in self.theme_actions.items():
            act.setText(translate("appearance", "Theme: {name}").format(name=translate("appearance", THEME_NAMES[theme])))
        self.show_look()

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    def show_look(self) -> None:
        self.setText(f"{QLocale().toString(round(100 * ZOOM_FACTOR**self.look.zoom))} %")
        self.theme_actions[self.look.theme].setChecked(True)


def install(window: QWidget, app: QApplication | None = None) -> Appearance:
    """The window's look button (status bar) and its repaint (span tints, label buttons)
    when the look changes. Returns the application's ``Appearance``; the zoom keys are
    View menu actions in ``ui.keymap``."""
    look = Appearance.of(app, apply=False)  # ui.app.run applied it at start
    status = getattr(window, "statusBar", None)
    if status is not None:
        window.look_button = LookButton(look, window)
        status().addPermanentWidget(window.look_button)
    # the zoom keys are View menu actions of ui.keymap (one table of keys, remappable)
    desk = getattr(window, "desk", None)
    if desk is not None:
        # the highlighter caches its formats and the palette its buttons: both blend over the theme
        def repaint() -> None:
            if not getattr(desk, "_closed", False):  # a closed desk's store is closed too
                desk.reload_labels()

        look.changed.connect(repaint)
        window.destroyed.connect(lambda *_: _disconnect(look.changed, repaint))
    return look


def _disconnect(signal, slot) -> None:
    try:
        signal.disconnect(slot)
    except (RuntimeError, TypeError):
        pass
