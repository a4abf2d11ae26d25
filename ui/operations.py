"""Long project operations from the desk: import, export, suggest everything.

Each runs the Qt-free workflow function in ``ui.jobs.start_job`` behind a modal-less
``QProgressDialog`` with Cancel, so the window keeps painting; the summary is shown at
the end and emitted for whoever wants it (tests, the status bar).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QLocale, QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ui.i18n import translate
from ui.jobs import Job, start_job


class ProgressRelay(QObject):
    """Lives on the UI thread, so worker progress reaches a dialog through a queued call."""

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def update(self, done: int, total: int, message: str) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if message:
            self.dialog.setLabelText(message)


class Operations(QObject):
    imported = Signal(object)  # ImportSummary
    exported = Signal(object)  # ExportSummary
    failed = Signal(str)

    def __init__(
        self,
        store,
        parent_widget: QWidget | None = None,
        *,
        annotator: Callable[[], str] | None = None,
        show_summaries: bool = True,
    ) -> None:
        super().__init__(parent_widget)
        self.store = store
        self.parent_widget = parent_widget
        self.annotator = annotator or (lambda: store.annotator)
        self.show_summaries = show_summaries

    def _progress_dialog(self, job: Job, title: str) -> QProgressDialog:
        dlg = QProgressDialog(title, translate("operations", "Cancel"), 0, 0, self.parent_widget)
        dlg.setWindowTitle(title)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        relay = ProgressRelay(dlg)
        job.progress.connect(relay.update)
        dlg.canceled.connect(job.cancel)
        job.finished.connect(dlg.close)
        job.finished.connect(dlg.deleteLater)
        return dlg

    def _run(
        self,
        work: Callable[[Any], Any],
        name: str,
        title: str,
        finished: SignalInstance,
        show: Callable[[Any], None],
    ) -> Job:
        """``work`` on a worker thread behind a progress dialog. Its summary is emitted on
        ``finished`` (its error on ``failed``), then shown by ``show`` unless summaries are off."""
        job = start_job(work, name)
        self._progress_dialog(job, title)
        # Both reach the UI thread, in this order: the listeners first, then the modal box.
        job.succeeded.connect(finished)
        job.failed.connect(self.failed)
        if self.show_summaries:
            job.succeeded.connect(show)
            job.failed.connect(self._show_failure)
        return job

    def _summary_box(
        self, icon: QMessageBox.Icon, title: str, text: str, details: list[str], informative: str
    ) -> None:
        """The summary at the end; ``informative`` and the ``details`` only when there are details."""
        box = QMessageBox(icon, title, text, parent=self.parent_widget)
        if details:
            box.setInformativeText(informative)
            box.setDetailedText("\n".join(details))
        box.exec()

    def run_import(
        self, paths: Sequence[str], fmt: str = "auto", options: dict[str, Any] | None = None
    ) -> Job:
        from ops.workflows import import_paths

        store, annotator = self.store, self.annotator()
        return self._run(
            lambda p: import_paths(
                store, list(paths), fmt=fmt, options=options, annotator=annotator, progress=p
            ),
            "import",
            translate("operations", "Importing…"),
            self.imported,
            self._show_import,
        )

    def _show_import(self, summary) -> None:
        lines = summary.lines() if hasattr(summary, "lines") else [str(summary)]
        self._summary_box(
            QMessageBox.Icon.Information if not summary.failures else QMessageBox.Icon.Warning,
            translate("operations", "Import finished"),
            lines[0],
            lines[1:],
            translate("operations", "{count} file(s) could not be read; see the details.").format(
                count=len(summary.failures)
            ),
        )

    def run_export(self, out: str, fmt: str, flt) -> Job:
        from ops.workflows import export_project

        store = self.store
        return self._run(
            lambda p: export_project(store, out, fmt=fmt, flt=flt, progress=p),
            "export",
            translate("operations", "Exporting…"),
            self.exported,
            self._show_export,
        )

    def _show_export(self, summary) -> None:
        self._summary_box(
            QMessageBox.Icon.Information,
            translate("operations", "Export finished"),
            translate("operations", "{articles} article(s), {spans} span(s) written.").format(
                articles=QLocale().toString(summary.articles), spans=QLocale().toString(summary.spans)
            ),
            summary.problems,
            translate("operations", "{count} problem(s); see the details.").format(
                count=len(summary.problems)
            ),
        )

    def _show_failure(self, message: str) -> None:
        QMessageBox.warning(self.parent_widget, "Sorot", message)
