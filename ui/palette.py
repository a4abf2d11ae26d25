"""A button per label, in its colour, with its key."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ui.desk import DeskController
from ui.highlight import mix
from ui.i18n import kind_name, translate


class LabelPalette(QWidget):
    def __init__(self, desk: DeskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("labelPalette")
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(4, 2, 4, 2)
        self.buttons: dict[str, QPushButton] = {}
        self.rebuild()

    def rebuild(self) -> None:
        from PySide6.QtGui import QColor

        while self._lay.count():
            item = self._lay.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.buttons.clear()
        self.caption = QLabel(translate("palette", "Labels:"))
        self._lay.addWidget(self.caption)
        for lab in self.desk.labels:
            key = f"{lab.shortcut}  " if lab.shortcut else ""
            btn = QPushButton(f"{key}{lab.name}")
            description = lab.description or translate("palette", "no description yet")
            key_line = translate("palette", "Key: {key} ({kind}) · Guidelines: Shift+F1").format(
                key=lab.shortcut or "—", kind=kind_name(lab.kind)
            )
            btn.setToolTip(f"<b>{lab.name}</b>: {escape(description)}<br>{escape(key_line)}")
            colour = QColor(lab.colour)
            btn.setStyleSheet(
                f"QPushButton {{ background: {mix(colour, 0.55).name()}; border: 1px solid {colour.name()};"
                f" border-radius: 4px; padding: 3px 10px; }}"
            )
            btn.setFocusPolicy(btn.focusPolicy().NoFocus)
            btn.clicked.connect(lambda _c=False, name=lab.name: self.desk.apply_label(name))
            self._lay.addWidget(btn)
            self.buttons[lab.name] = btn
        self._lay.addStretch(1)

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange and not getattr(self.desk, "_closed", False):
            self.rebuild()
        super().changeEvent(e)
