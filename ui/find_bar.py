"""Find in the current article: hits painted as extra selections (a handful of overlays)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ui.article_view import ArticleView
from ui.i18n import translate


class FindBar(QWidget):
    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel("")
        prev_btn, next_btn, close_btn = QToolButton(), QToolButton(), QToolButton()
        prev_btn.setText("▲")
        next_btn.setText("▼")
        close_btn.setText("✕")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.find_label = QLabel("")
        self.prev_btn, self.next_btn, self.close_btn = prev_btn, next_btn, close_btn
        for w in (self.find_label, self.edit, self.count, prev_btn, next_btn, close_btn):
            lay.addWidget(w)
        self.hits: list[tuple[int, int]] = []
        self.current = -1
        self.edit.textChanged.connect(self.search)
        self.edit.returnPressed.connect(lambda: self.step(1))
        prev_btn.clicked.connect(lambda: self.step(-1))
        next_btn.clicked.connect(lambda: self.step(1))
        close_btn.clicked.connect(self.close_bar)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(translate("find_bar", "Find in article"))
        self.find_label.setText(translate("find_bar", "Find:"))
        self.prev_btn.setToolTip(translate("find_bar", "Previous hit"))
        self.next_btn.setToolTip(translate("find_bar", "Next hit"))
        self.close_btn.setToolTip(translate("find_bar", "Close"))

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():
                self._show()
        super().changeEvent(e)

    def open_bar(self) -> None:
        self.show()
        sel = self.view.selection()
        if sel is not None:
            self.edit.setText(self.view.tmap.text[sel[0] : sel[1]])
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hits = []
        self.view.set_hits([])
        self.hide()
        self.view.setFocus()

    def keyPressEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(e)

    def search(self) -> None:
        needle = self.edit.text()
        text = self.view.tmap.text
        self.hits = []
        if needle:
            hay, low = text.casefold(), needle.casefold()
            if len(hay) == len(text):  # casefold kept offsets (almost always): search case-insensitively
                text, needle = hay, low
            i = text.find(needle)
            while i >= 0 and len(self.hits) < 10000:
                self.hits.append((i, i + len(needle)))
                i = text.find(needle, i + max(len(needle), 1))
        self.current = 0 if self.hits else -1
        self._show()

    def step(self, direction: int) -> None:
        if not self.hits:
            return
        self.current = (self.current + direction) % len(self.hits)
        self._show()

    def _show(self) -> None:
        self.view.set_hits(self.hits, self.current)
        loc = QLocale()
        self.count.setText(
            translate("find_bar", "{current} of {total}").format(
                current=loc.toString(self.current + 1), total=loc.toString(len(self.hits))
            )
            if self.hits
            else (translate("find_bar", "no hits") if self.edit.text() else "")
        )
        if self.current >= 0:
            s, _ = self.hits[self.current]
            self.view.place_cursor(s)
            self.view.ensureCursorVisible()
