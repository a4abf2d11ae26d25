"""Guidelines at hand: the project's labelling guidelines (Markdown, kept in the project's
settings as ``guidelines``) in a panel beside the text, shown and hidden with Shift+F1.

A project without guidelines of its own shows one made from its labels (name, key, kind,
description) followed by Sorot's guideline for claims (``resources/claims/GUIDELINE.md``);
"Edit…" starts from whatever is shown, and what is saved is the project's from then on,
for everyone who opens it. Each label's description is also the tooltip of its button in
the label palette (``ui.palette``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.changes import Changes
from annotator.errors import StoreError
from annotator.model import Label
from ui import keymap
from ui.i18n import kind_name, translate

SETTING = "guidelines"
#: Beside F1 (the keyboard cheat sheet): the other thing to look up while working.


def claims_guideline() -> str:
    try:
        return resources.files("resources").joinpath("claims/GUIDELINE.md").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""


def default_guidelines(labels: Iterable[Label]) -> str:
    """The labels, each with its key and description, then the claims guideline."""
    lines = ["# " + translate("guidelines", "Labels"), ""]
    for lab in labels:
        key = translate("guidelines", " (key {key})").format(key=lab.shortcut) if lab.shortcut else ""
        description = lab.description or translate("guidelines", "no description yet")
        lines.append(f"- **{lab.name}**{key}, {kind_name(lab.kind)}: {description}")
    claims = claims_guideline()
    if claims:
        lines += ["", re.sub(r"^#", "##", claims, flags=re.MULTILINE)]  # its headings under the labels' level
    return "\n".join(lines).rstrip() + "\n"


class GuidelinesEditor(QDialog):
    """The guidelines' Markdown, edited as text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("guidelines", "Edit the guidelines"))
        self.edit = QPlainTextEdit(text)
        self.edit.setObjectName("guidelinesSource")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(
                translate(
                    "guidelines", "Markdown: # headings, **bold**, - lists. Saved in the project, for everyone who opens it."
                )
            )
        )
        lay.addWidget(self.edit, 1)
        lay.addWidget(buttons)
        self.resize(640, 560)

    def text(self) -> str:
        return self.edit.toPlainText()


class GuidelinesPanel(QWidget):
    """The guidelines, rendered; "Edit…" changes the project's."""

    def __init__(self, store, desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.desk = store, desk
        self.browser = QTextBrowser()
        self.browser.setObjectName("guidelines")
        self.browser.setOpenExternalLinks(True)
        self.edit_button = QPushButton("")
        self.edit_button.setEnabled(not store.read_only)
        self.edit_button.clicked.connect(self.edit)
        self.hint = hint = QLabel("")
        hint.setWordWrap(True)
        self.browser.setMinimumWidth(160)
        top = QHBoxLayout()
        top.addWidget(hint, 1)
        top.addWidget(self.edit_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.browser, 1)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.edit_button.setText(translate("guidelines", "Edit…"))
        self.hint.setText(
            translate("guidelines", "{key} (Help > Guidelines) shows or hides them").format(
                key=keymap.BY_ID["help.guidelines"].keys[0]
            )
        )

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if not getattr(self.desk, "_closed", False):
                self.refresh()  # the guidelines made from the labels speak the desk's language
        super().changeEvent(e)

    def markdown(self) -> str:
        own = self.store.setting(SETTING) if not getattr(self.desk, "_closed", False) else None
        return own if own and own.strip() else default_guidelines(self.desk.labels)

    def refresh(self) -> None:
        self.browser.setMarkdown(self.markdown())

    def on_changes(self, changes: Changes) -> None:
        if (changes.settings or changes.labels) and not getattr(self.desk, "_closed", False):
            self.refresh()

    def edit(self) -> None:
        dlg = GuidelinesEditor(self.markdown(), self)
        if not dlg.exec():
            return
        try:
            self.store.set_setting(SETTING, dlg.text())
        except StoreError as exc:
            QMessageBox.warning(self, translate("guidelines", "Guidelines"), str(exc))


class GuidelinesDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("guidelines", "Guidelines"), parent)

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(translate("guidelines", "Guidelines"))
        super().changeEvent(e)


def install(window) -> QDockWidget:
    """A Guidelines dock on the window's right, hidden until Shift+F1."""
    panel = GuidelinesPanel(window.store, window.desk)
    dock = GuidelinesDock(window)
    dock.setObjectName("guidelinesDock")
    dock.setWidget(panel)
    dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    window.events.changed.connect(panel.on_changes)
    window.desk.labels_changed.connect(panel.refresh)

    def toggle() -> None:
        dock.setVisible(not dock.isVisible())
        if dock.isVisible():
            # a quarter of the window: the text and the two tables keep the rest
            window.resizeDocks([dock], [max(240, window.width() // 4)], Qt.Orientation.Horizontal)
            panel.browser.setFocus()
        else:
            window.view.setFocus()

    window.toggle_guidelines = toggle  # Help > Guidelines (Shift+F1) in ui.keymap
    window.guidelines = dock
    return dock
