"""Train a model from the finished articles: options, a live log, Cancel that keeps the best so far.

Training runs in ``ui.jobs.start_job``; per-epoch lines arrive through a Qt signal (queued to
the UI thread), so the dialog never blocks. At the end the scores are shown and the model is
registered as a suggester in the project's ``models`` setting.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.train import EpochReport, TrainResult, TrainSettings, register_model, registered_models, train
from ui.i18n import kind_name, translate
from ui.jobs import Job, start_job


class _Relay(QObject):
    """Lives in the UI thread: emitting from the worker queues the call to the UI thread."""

    line = Signal(str)


def default_outdir(store: Any) -> Path:
    base = Path(store.path).parent if getattr(store, "path", None) else Path.home() / "sorot-models"
    return base / "models" / time.strftime("model-%Y%m%d-%H%M%S")


class TrainDialog(QDialog):
    #: The finished training's result (also on Cancel when a best model was kept).
    trained = Signal(object)
    #: The job ended, whatever happened: "done", "cancelled" or "failed".
    ended = Signal(str)

    def __init__(
        self, store: Any, parent: QWidget | None = None, *, settings: TrainSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("train_dialog", "Train a model"))
        self.store = store
        self.settings = settings
        self.job: Job | None = None
        self.result: TrainResult | None = None
        self._relay = _Relay(self)
        self._relay.line.connect(self._log_line)

        self.labels = QListWidget()
        self.labels.setMaximumHeight(110)
        used = _used_labels(store)
        for lab in store.labels():
            used_here = translate("train_dialog", "{kind}, {count} accepted").format(
                kind=kind_name(lab.kind), count=QLocale().toString(used.get(lab.name, 0))
            )
            item = QListWidgetItem(f"{lab.name}  ({used_here})")
            item.setData(Qt.ItemDataRole.UserRole, lab.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if used.get(lab.name) else Qt.CheckState.Unchecked)
            self.labels.addItem(item)
        self.eval_split = QDoubleSpinBox()
        self.eval_split.setRange(0.0, 0.5)
        self.eval_split.setSingleStep(0.05)
        self.eval_split.setValue(0.2)
        self.base_model = QComboBox()
        self.base_model.setEditable(True)
        self.base_model.addItem("")
        for m in registered_models(store):
            self.base_model.addItem(m["path"])
        self.base_model.setToolTip(
            translate("train_dialog", "empty: train from scratch; or a spaCy pipeline name or folder to fine-tune")
        )
        self.max_epochs = QSpinBox()
        self.max_epochs.setRange(1, 500)
        self.max_epochs.setValue(30)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.outdir = QLineEdit(str(default_outdir(store)))
        browse = QPushButton(translate("train_dialog", "Browse…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.outdir, 1)
        out_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(translate("train_dialog", "Labels"), self.labels)
        form.addRow(translate("train_dialog", "Evaluation share"), self.eval_split)
        form.addRow(translate("train_dialog", "Base model"), self.base_model)
        form.addRow(translate("train_dialog", "Max epochs"), self.max_epochs)
        form.addRow(translate("train_dialog", "Seed"), self.seed)
        form.addRow(translate("train_dialog", "Output folder"), out_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMinimumHeight(160)
        self.status = QLabel(translate("train_dialog", "Trains on the accepted spans of articles marked done or reviewed."))
        self.status.setWordWrap(True)

        self.train_button = QPushButton(translate("train_dialog", "Train"))
        self.train_button.setDefault(True)
        self.train_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(translate("train_dialog", "Close"))
        self.cancel_button.clicked.connect(self._cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.log, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(620, 560)

    # -- options -------------------------------------------------------------------------

    def chosen_labels(self) -> list[str]:
        out = []
        for i in range(self.labels.count()):
            item = self.labels.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("train_dialog", "Output folder"), str(Path(self.outdir.text()).parent))
        if folder:
            self.outdir.setText(folder)

    # -- running -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self) -> None:
        if self.job is not None:
            return
        labels = self.chosen_labels()
        if not labels:
            self.status.setText(translate("train_dialog", "Choose at least one label."))
            return
        options = {
            "labels": labels,
            "eval_split": self.eval_split.value(),
            "base_model": self.base_model.currentText().strip() or None,
            "max_epochs": self.max_epochs.value(),
            "seed": self.seed.value(),
            "settings": self.settings,
        }
        outdir = Path(self.outdir.text().strip()).expanduser()
        relay = self._relay

        def work(progress):  # noqa: ANN001, ANN202 - runs in the worker thread
            return train(
                self.store,
                outdir,
                progress=progress,
                on_epoch=lambda rep: relay.line.emit(_line(rep)),
                **options,
            )

        self.log.clear()
        self._log_line(
            translate("train_dialog", "training {labels} into {folder}").format(labels=", ".join(labels), folder=outdir)
        )
        self.progress.setRange(0, 0)
        self._set_running(True)
        self.job = start_job(work, name="train")
        self.job.progress.connect(self._on_progress)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(translate("train_dialog", "Stopping after the current step; the best model so far is kept…"))

    def _cancel_or_close(self) -> None:
        if self.job is not None:
            self.cancel()
        else:
            self.reject()

    def _set_running(self, running: bool) -> None:
        self.train_button.setEnabled(not running)
        self.cancel_button.setText(translate("train_dialog", "Cancel") if running else translate("train_dialog", "Close"))
        self.cancel_button.setEnabled(True)
        for w in (self.labels, self.eval_split, self.base_model, self.max_epochs, self.seed, self.outdir):
            w.setEnabled(not running)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if message:
            self.status.setText(message)

    def _log_line(self, line: str) -> None:
        self.log.appendPlainText(line)

    def _finish(self, how: str) -> None:
        self.job = None
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if how == "done" else 0)
        self.ended.emit(how)

    def _on_succeeded(self, result: TrainResult) -> None:
        self.result = result
        register_model(self.store, result)
        self._log_line(result.summary())
        if result.cancelled:
            said = translate(
                "train_dialog",
                "Training stopped; the best model so far was kept and is registered as a suggester (spacy:{path}).",
            )
        else:
            said = translate("train_dialog", "Training done; the model is registered as a suggester (spacy:{path}).")
        self.status.setText(said.format(path=result.path))
        self.trained.emit(result)
        self._finish("cancelled" if result.cancelled else "done")

    def _on_failed(self, message: str) -> None:
        self._log_line(translate("train_dialog", "error: {message}").format(message=message))
        self.status.setText(message)
        self._finish("failed")

    def _on_cancelled(self) -> None:
        self._log_line(translate("train_dialog", "cancelled before a first model was made; nothing was written"))
        self.status.setText(translate("train_dialog", "Cancelled."))
        self._finish("cancelled")

    def reject(self) -> None:  # Esc or Close: never leave a running job behind silently
        if self.job is not None:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        if self.job is not None:
            self.cancel()
            event.ignore()
            self.ended.connect(lambda _how: self.close())
            return
        super().closeEvent(event)


def _line(rep: EpochReport) -> str:
    return rep.line()


def _used_labels(store: Any) -> dict[str, int]:
    try:
        stats = store.stats()["spans_by_label"]
    except Exception:  # noqa: BLE001 - counts are a nicety
        return {}
    return {lab: by.get("accepted", 0) for lab, by in stats.items()}
