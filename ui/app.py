"""Start the desk: ``run(db_path, read_only) -> exit code`` (called by main.py).

Nothing heavy is imported before the window shows: spaCy loads in the suggestion
worker, and is warmed up for token snapping in the background after the first paint.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.errors import ProjectLocked, StoreError
from storage.store import Store, default_project_path

log = logging.getLogger(__name__)


def ask_read_only(message: str, parent=None) -> bool:
    """The project is in use: "Open read-only" (True) or "Cancel" (False)."""
    from ui.i18n import translate

    box = QMessageBox(QMessageBox.Icon.Warning, translate("app", "Project in use"), message, parent=parent)
    ro = box.addButton(translate("app", "Open read-only"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ro


def open_store(path: Path, read_only: bool = False, parent=None, *, ask=ask_read_only) -> Store | None:
    """Open the project; when another Sorot holds it, offer read-only. None when the person gives up."""
    try:
        return Store.open(path, read_only=read_only)
    except ProjectLocked as exc:
        if not ask(str(exc), parent):
            return None
        try:
            return Store.open(path, read_only=True)
        except StoreError as exc2:
            QMessageBox.critical(parent, "Sorot", str(exc2))
            return None
    except StoreError as exc:
        QMessageBox.critical(parent, "Sorot", str(exc))
        return None


def apply_style(app: QApplication) -> None:
    """The analyst's theme and zoom, and the style sheet at them (``ui.appearance``)."""
    from ui.appearance import Appearance

    Appearance.of(app)


def warm_up_spacy() -> None:
    """Import spaCy off the UI thread so the first label key does not stall."""

    def work() -> None:
        try:
            import annotator.snap  # noqa: F401 - imports spaCy
        except Exception:  # noqa: BLE001 - snapping then loads on first use
            log.exception("spaCy warm-up failed")

    threading.Thread(target=work, name="sorot-warmup", daemon=True).start()


class DeskApp:
    """Holds the one window; New/Open project swaps it for a window on the other project."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.window = None

    def show(self, store: Store) -> None:
        from ui import settings as user_settings
        from ui.main_window import MainWindow

        if store.path is not None:
            user_settings.add_recent(str(store.path))
        window = MainWindow(store)
        window.project_requested.connect(self.switch)
        window.show()
        self.window = window

    def switch(self, path: str) -> None:
        old = self.window
        if (
            old is not None
            and old.store.path is not None
            and Path(path).resolve() == Path(old.store.path).resolve()
        ):
            return
        store = open_store(Path(path), parent=old)
        if store is None:
            return
        if old is not None:
            old.shutdown()
            old.close()
            old.deleteLater()
        self.show(store)


def run(db_path: Path | None, read_only: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Sorot")
    app.setOrganizationName("sorot")
    apply_style(app)
    from ui import i18n

    i18n.install(app)  # the language chosen in Settings, or the system's
    store = open_store(Path(db_path) if db_path else default_project_path(), read_only)
    if store is None:
        return 1
    desk = DeskApp(app)
    desk.show(store)
    QTimer.singleShot(0, warm_up_spacy)
    code = app.exec()
    if desk.window is not None:
        desk.window.shutdown()
    return code
