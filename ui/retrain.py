"""The model in the loop, in the desk: background retraining and the model versions.

``RetrainService`` watches the project: when enough articles were finished since the newest
version (``ops.retrain.is_due``), or when the analyst asks (View > Retrain now), it trains
the next version in a separate, low-priority process (``ops.retrain.child_argv``: the
project read-only there, one maths thread, ``nice``), so the desk's thread and the other core
stay the analyst's. When the process ends, ``ops.retrain.finish`` makes its result a version
and puts it in use if it scores better; the suggesters then use it for the articles still to
come. Cancel, a crash or a full disk leave only a partial folder, removed at the next start.

``VersionsDialog`` (View > Model versions…) lists the versions with their scores and puts
any of them, or none, in use (rollback).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QProcess, QProcessEnvironment, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.changes import Changes
from annotator.errors import SorotError
from annotator.project import SUGGESTERS_SETTING
from annotator.suggest import DEFAULT_SPEC
from ops import retrain
from ui.i18n import follow, translate

#: Articles still new that are suggested again with a newly swapped-in model, in list order.
RESUGGEST = 50
#: A store change that may make a training due waits this long (many marks in a row: one check).
CHECK_DELAY_MS = 1500
_STATUS_ACTIONS = ("article.status", "article.state", "import")


def child_process(argv: list[str], parent: QObject) -> QProcess:
    """A QProcess ready to start ``argv`` as a background job of the desk (``ops.retrain``'s
    environment: one maths thread), its output and errors on one channel."""
    proc = QProcess(parent)
    env = QProcessEnvironment.systemEnvironment()
    for key, value in retrain.CHILD_ENV.items():
        env.insert(key, value)
    proc.setProcessEnvironment(env)
    proc.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
    proc.setProgram(argv[0])
    proc.setArguments(argv[1:])
    return proc


class RetrainService(QObject):
    """Runs one background training at a time for a project."""

    status = Signal(str)  # one line for the status bar
    version_made = Signal(object)  # ops.retrain.Outcome
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.proc: QProcess | None = None
        self.partial: Path | None = None
        self.cause = "manual"
        self._cancelled = False
        self._last_line = ""
        self._check = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check.timeout.connect(self.check)
        if not store.read_only:
            retrain.clean_partials(store)

    @property
    def running(self) -> bool:
        return self.proc is not None

    def on_changes(self, changes: Changes) -> None:
        if any(a in changes.actions for a in _STATUS_ACTIONS):
            self._check.start()

    def check(self) -> bool:
        """Start a training when one is due; True when it started."""
        if self.store.read_only or self.running or not retrain.is_due(self.store):
            return False
        self.start("auto")
        return True

    def start(self, cause: str = "manual") -> None:
        if self.running or self.store.read_only or self.store.path is None:
            return
        self.cause, self._cancelled, self._last_line = cause, False, ""
        self.partial = retrain.new_partial(self.store)
        proc = child_process(retrain.child_argv(self.store, self.partial), self)
        proc.readyReadStandardOutput.connect(self._read)
        proc.finished.connect(self._finished)
        proc.errorOccurred.connect(self._error)
        self.proc = proc
        proc.start()
        self.status.emit(translate("Retrain", "Training the next model…"))
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Stop a running training (nothing it made is used) and a check about to start one
        (the window calls this as it closes its store)."""
        self._check.stop()
        if self.proc is None:
            return
        self._cancelled = True
        self.proc.terminate()
        if not self.proc.waitForFinished(3000):
            self.proc.kill()
            self.proc.waitForFinished(3000)

    def _read(self) -> None:
        if self.proc is None:
            return
        text = bytes(self.proc.readAllStandardOutput()).decode("utf-8", "replace")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        epochs = [ln for ln in lines if ln.lower().startswith("epoch")]
        if lines:
            self._last_line = lines[-1]
        if epochs:
            self.status.emit(translate("Retrain", "Training the next model: {line}").format(line=epochs[-1][:60]))

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._finished(-1, QProcess.ExitStatus.CrashExit)

    def _finished(self, code: int, exit_status: QProcess.ExitStatus) -> None:
        if self.proc is None:
            return
        self._read()
        proc, partial = self.proc, self.partial
        self.proc = self.partial = None
        proc.deleteLater()
        self.running_changed.emit(False)
        if self._cancelled or code != 0 or exit_status != QProcess.ExitStatus.NormalExit:
            if partial is not None:
                shutil.rmtree(partial, ignore_errors=True)
            if self._cancelled:
                self.status.emit(translate("Retrain", "Training cancelled; the model in use is unchanged"))
            else:
                why = self._last_line or translate("Retrain", "the training process stopped (exit code {code})").format(code=code)
                self.failed.emit(translate("Retrain", "Training failed: {why}. The model in use is unchanged.").format(why=why))
            return
        try:
            outcome = retrain.finish(self.store, partial, cause=self.cause)
        except (SorotError, OSError) as exc:
            self.failed.emit(translate("Retrain", "Training failed: {why}. The model in use is unchanged.").format(why=exc))
            return
        self.version_made.emit(outcome)
        self.status.emit(_outcome_text(outcome))


def _f(f: float | None) -> str:
    return "–" if f is None else f"{f:.2f}"


def _outcome_text(outcome: retrain.Outcome) -> str:
    v, prev = outcome.version, outcome.previous
    if outcome.swapped:
        return translate("Retrain", "Model v{n} in use: F {f} on held-back articles").format(n=v.id, f=_f(v.f)) + (
            translate("Retrain", " (v{m} had {g})").format(m=prev.id, g=_f(prev.f)) if prev else ""
        )
    if prev is None:
        return translate("Retrain", "Model v{n} kept aside: it has no held-out score").format(n=v.id)
    return translate("Retrain", "Model v{n} kept aside: F {f} is not better than v{m}'s {g}").format(
        n=v.id, f=_f(v.f), m=prev.id, g=_f(prev.f)
    )


class VersionsDialog(QDialog):
    """The versions of the project's model, newest first; any of them, or none, can be put in use."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("Retrain", "Version"),
        QT_TRANSLATE_NOOP("Retrain", "Trained"),
        QT_TRANSLATE_NOOP("Retrain", "Why"),
        QT_TRANSLATE_NOOP("Retrain", "Articles"),
        QT_TRANSLATE_NOOP("Retrain", "Spans"),
        QT_TRANSLATE_NOOP("Retrain", "F"),
        QT_TRANSLATE_NOOP("Retrain", "Per label"),
        QT_TRANSLATE_NOOP("Retrain", "In use"),
    )

    def __init__(self, store, service: RetrainService | None = None, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.service = service
        self.setWindowTitle(translate("Retrain", "Model versions"))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([translate("Retrain", c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.use_button = QPushButton(translate("Retrain", "Use this version"))
        self.none_button = QPushButton(translate("Retrain", "Use no model"))
        self.train_button = QPushButton(translate("Retrain", "Retrain now"))
        self.use_button.clicked.connect(self.use_selected)
        self.none_button.clicked.connect(lambda: self._use(None))
        self.train_button.clicked.connect(lambda: service and service.start("manual"))
        self.table.itemSelectionChanged.connect(self._enable)
        buttons = QHBoxLayout()
        for b in (self.use_button, self.none_button, self.train_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.info)
        lay.addLayout(buttons)
        self.resize(860, 360)
        if service is not None:
            service.version_made.connect(lambda _o: self.refresh())
            service.running_changed.connect(lambda _r: self._enable())
        self.refresh()

    def refresh(self) -> None:
        versions = self.store.model_versions()
        self.table.setRowCount(len(versions))
        for row, v in enumerate(versions):
            labels = ", ".join(f"{lab} {s.get('f', 0):.2f}" for lab, s in sorted(v.scores.items()))
            cells = (
                f"v{v.id}",
                v.created_at[:16].replace("T", " "),
                translate("Retrain", "automatic") if v.cause == "auto" else translate("Retrain", "asked for"),
                f"{v.articles:,}",
                f"{v.spans:,}",
                _f(v.f),
                labels,
                "✓" if v.active else "",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.id)
                if col == 6:
                    item.setToolTip(labels.replace(", ", "\n"))
                self.table.setItem(row, col, item)
        active = self.store.active_model_version()
        every = retrain.retrain_every(self.store)
        self.info.setText(
            (translate("Retrain", "In use: v{n}.").format(n=active.id) if active else translate("Retrain", "No model of the project's own is in use."))
            + " "
            + (translate("Retrain", "A new version is trained after every {n} finished articles, and used only when it scores "
                  "better on the articles it held back.").format(n=every) if every else translate("Retrain", "Automatic retraining is off."))
        )  # fmt: skip
        self._enable()

    def _enable(self) -> None:
        self.use_button.setEnabled(bool(self.table.selectedItems()) and not self.store.read_only)
        self.none_button.setEnabled(self.store.active_model_version() is not None and not self.store.read_only)
        self.train_button.setEnabled(
            self.service is not None and not self.service.running and not self.store.read_only
        )

    def selected_version(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def use_selected(self) -> None:
        self._use(self.selected_version())

    def _use(self, version_id: int | None) -> None:
        try:
            self.store.activate_model_version(version_id)
        except SorotError as exc:
            self.info.setText(str(exc))
            return
        self.refresh()


def install(window) -> RetrainService:
    """The service, its status-bar line and View > Retrain now / Model versions… on ``window``."""
    service = RetrainService(window.store, window)
    label = QLabel("")
    label.setObjectName("retrainLabel")
    window.statusBar().addPermanentWidget(label)
    service.status.connect(label.setText)
    service.failed.connect(label.setText)
    service.failed.connect(lambda msg: window.statusBar().showMessage(msg, 15000))

    def on_changes(changes: Changes) -> None:
        service.on_changes(changes)
        if "model.activate" in changes.actions:
            spec = window.store.setting(SUGGESTERS_SETTING, DEFAULT_SPEC) or DEFAULT_SPEC
            window.suggest.worker.set_spec(spec)

    def on_version(outcome: retrain.Outcome) -> None:
        if outcome.swapped and window.auto_suggest:
            # the articles still to come get the better model's suggestions (the analyst's
            # own spans and decisions are never replaced by a re-run)
            upcoming = window.store.article_ids(statuses=("new",))[:RESUGGEST]
            window.suggest.enqueue(upcoming, force=True)

    window.events.changed.connect(on_changes)
    service.version_made.connect(on_version)

    retrain_act = QAction(window)
    retrain_act.setObjectName("loop.retrain")
    retrain_act.triggered.connect(lambda: service.start("manual"))
    retrain_act.setEnabled(not window.store.read_only)
    service.running_changed.connect(lambda running: retrain_act.setEnabled(not running))
    versions_act = QAction(window)
    versions_act.setObjectName("loop.versions")
    versions_act.triggered.connect(lambda: VersionsDialog(window.store, service, window).exec())
    window.view_menu.addSeparator()
    window.view_menu.addAction(retrain_act)
    window.view_menu.addAction(versions_act)

    def texts() -> None:  # now, and again when the analyst changes the language
        retrain_act.setText(translate("Retrain", "Retrain now"))
        versions_act.setText(translate("Retrain", "Model versions…"))

    follow(retrain_act, texts)
    window.retrain_label = label
    return service
