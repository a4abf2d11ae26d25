"""The desk's side of a team project: background sync, its word in the status bar, and
File > Join team project….

``SyncThread`` syncs off the UI thread (never blocking an edit): every few seconds, a moment
after each edit (at once for an article marked done), and when the server announces someone's push
(LISTEN/NOTIFY on its own psycopg connection). It writes to the project through the store,
whose lock makes it the one writer with the desk; what it pulls reaches the views as any
other write does (a ``Changes`` carried to the UI thread by ``ui.events``).

``TeamStatus`` says "Synced", "N changes to send" or "Offline since HH:MM", and shows a
sync's notices (a change of yours replaced, or put back) in the status bar.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.changes import Changes
from annotator.errors import SorotError, TeamError, TeamOffline

#: Seconds between syncs when nothing asks for one sooner.
INTERVAL = 3.0
#: An edit is sent this long after it was saved (a burst of edits goes in one push).
KICK_DELAY_MS = 150
#: Seconds between attempts while the server cannot be reached.
OFFLINE_RETRY = 5.0


def tr(text: str) -> str:
    return QCoreApplication.translate("Team", text)


class SyncThread(QThread):
    """Push and pull in a loop, on its own thread and its own server connection."""

    synced = Signal(object)  # storage.team.sync.SyncResult
    offline = Signal(str, int)  # the reason, changes waiting
    failed = Signal(str)  # the server refused (credentials, a write): the reason

    def __init__(self, store, link, interval: float = INTERVAL, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.link = link
        self.interval = interval
        self._kick = threading.Event()
        self._stop = threading.Event()

    def kick(self) -> None:
        """Sync now (from any thread)."""
        self._kick.set()

    def stop(self, timeout_ms: int = 15000) -> None:
        self._stop.set()
        self._kick.set()
        self.wait(timeout_ms)

    def run(self) -> None:
        from storage.team import sync

        conn = None
        while not self._stop.is_set():
            wait = self.interval
            try:
                if conn is None or conn.closed:
                    conn = sync.connect_link(self.link, timeout=3)
                    conn.execute(f"LISTEN {sync.NOTIFY_CHANNEL}")
                result = sync.sync(self.store, conn, link=self.link)
                self._set_offline_since("")
                self.synced.emit(result)
            except TeamOffline as exc:
                conn = self._drop(conn)
                self._set_offline_since(datetime.now().isoformat(timespec="minutes"), keep=True)
                self.offline.emit(str(exc), self._pending())
                wait = OFFLINE_RETRY
            except TeamError as exc:
                conn = self._drop(conn)
                self.failed.emit(str(exc))
                wait = OFFLINE_RETRY * 4
            except SorotError:  # the project is closing
                if self._stop.is_set():
                    break
                wait = OFFLINE_RETRY
            self._wait(conn, wait)
        self._drop(conn)

    def _pending(self) -> int:
        from storage.team import local

        try:
            return local.pending(self.store)
        except SorotError:
            return 0

    def _set_offline_since(self, value: str, *, keep: bool = False) -> None:
        from storage.team import local

        have = local.get_value(self.store, "offline_since")
        if (keep and have) or have == value:
            return
        with self.store.transaction() as db:
            local.set_values(db, {"offline_since": value})

    @staticmethod
    def _drop(conn):
        if conn is not None:
            try:
                conn.close()
            except Exception:  # closing a broken connection: nothing more to do
                pass
        return None

    def _wait(self, conn, seconds: float) -> None:
        """Until a kick, a stop, someone else's push announced, or ``seconds``."""
        import psycopg

        deadline = time.monotonic() + seconds
        while not self._stop.is_set() and not self._kick.is_set() and time.monotonic() < deadline:
            if conn is None:
                self._kick.wait(0.2)
                continue
            try:
                heard = [n for n in conn.notifies(timeout=0.2, stop_after=1) if n.payload != self.link.client_id]
            except psycopg.Error:
                break
            if heard:
                break
        self._kick.clear()


class TeamStatus(QLabel):
    """The status-bar word on the team sync."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamStatus")
        self.store = store
        self.offline_since: str | None = None
        self.pending = 0
        self.show_state()

    def show_state(self) -> None:
        if self.offline_since:
            text = tr("Offline since {time}").format(time=self.offline_since)
            if self.pending:
                text += " · " + tr("{count} changes to send").format(count=self.pending)
        elif self.pending:
            text = tr("{count} changes to send").format(count=self.pending)
        else:
            text = tr("Synced")
        self.setText(text)

    def on_synced(self, result) -> None:
        self.offline_since = None
        self.pending = result.pending
        self.setToolTip(tr("Last synced at {time}").format(time=datetime.now().strftime("%H:%M:%S")))
        self.show_state()

    def on_offline(self, reason: str, pending: int) -> None:
        if not self.offline_since:
            self.offline_since = datetime.now().strftime("%H:%M")
        self.pending = pending
        self.setToolTip(reason)
        self.show_state()

    def on_failed(self, reason: str) -> None:
        self.setText(tr("Not synced: the server refused"))
        self.setToolTip(reason)

    def on_local_change(self) -> None:
        from storage.team import local

        self.pending = local.pending(self.store)
        self.show_state()

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange:
            self.show_state()
        super().changeEvent(e)


class TeamSync:
    """What ``install`` adds to a window of a linked project: the thread and the status word."""

    def __init__(self, window, link) -> None:
        self.window = window
        self.store = window.store
        self.link = link
        self.status = TeamStatus(window.store, window)
        window.statusBar().addPermanentWidget(self.status)
        self._closed = False
        self.thread = SyncThread(window.store, link, parent=window)
        self.thread.synced.connect(self._on_synced)
        self.thread.offline.connect(self.status.on_offline)
        self.thread.failed.connect(self.status.on_failed)
        self._count_timer = QTimer(window, singleShot=True, interval=300)
        self._count_timer.timeout.connect(self._count)
        self._kick_timer = QTimer(window, singleShot=True, interval=KICK_DELAY_MS)
        self._kick_timer.timeout.connect(self.thread.kick)
        window.events.changed.connect(self._on_changes)
        self.thread.start()

    def _on_synced(self, result) -> None:
        if self._closed:  # queued before the shutdown: the store is closed
            return
        self.status.on_synced(result)
        from storage.team import local

        for note in local.notices(self.store, mark_seen=True)[-3:]:
            self.window.statusBar().showMessage(note, 10000)

    def _on_changes(self, changes: Changes) -> None:
        if self._closed:
            return
        if "sync.pull" in changes.actions and len(changes.actions) == 1:
            return
        self._count_timer.start()
        # Every edit is sent within a moment (the interval is only the fallback), an article
        # marked done at once; edits in a burst go in one push.
        if {"article.state", "article.status"} & changes.actions:
            self.thread.kick()
        else:
            self._kick_timer.start()

    def sync_now(self) -> None:
        self.thread.kick()

    def _count(self) -> None:
        if not self._closed:
            self.status.on_local_change()

    def shutdown(self) -> None:
        """Stop the thread (it finishes the sync it is in) before the store closes."""
        self._closed = True
        self._count_timer.stop()
        self._kick_timer.stop()
        for signal in (self.thread.synced, self.thread.offline, self.thread.failed):
            signal.disconnect()
        self.thread.stop()


class JoinDialog(QDialog):
    """File > Join team project…: the server, your name, the new local file, and a password
    used for this join (kept, if asked, only in libpq's password file)."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Join team project"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://server.example.org/newsroom")
        self.member = QLineEdit()
        self.path = QLineEdit(str((folder or Path.home()) / "team.sorot"))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("empty: the one in your password file"))
        self.remember = QCheckBox(tr("Remember it in my libpq password file (~/.pgpass)"))
        self.error = QLabel("")
        self.error.setObjectName("joinError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(tr("Server"), self.url)
        form.addRow(tr("Your name on the team"), self.member)
        form.addRow(tr("Local copy"), where)
        form.addRow(tr("Password"), self.password)
        form.addRow("", self.remember)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Join"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Local copy"), self.path.text(), "Sorot projects (*.sorot)")
        if path:
            self.path.setText(path if path.endswith(".sorot") else path + ".sorot")

    def values(self) -> tuple[str, str, Path, str, bool]:
        return (self.url.text().strip(), self.member.text().strip(), Path(self.path.text().strip()),
                self.password.text(), self.remember.isChecked())  # fmt: skip


def join_project(url: str, member: str, path: Path, password: str = "", remember: bool = False) -> Path:
    """The join itself (in a job, off the UI thread): a new local file linked to ``url``."""
    from storage.team import sync

    if path.exists() and path.stat().st_size > 0:
        raise TeamError(tr("{path} exists already: choose a new file for the local copy").format(path=path))
    sync.join_file(url, member, path, password=password or None)
    if password and remember:
        sync.save_password(url, member, password)
    return path


def join_dialog(window) -> None:
    """Ask, join in the background, then open the local copy in place of this project."""
    from ui import jobs

    dlg = JoinDialog(window, Path(window.store.path).parent if window.store.path else None)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return
    url, member, path, password, remember = dlg.values()
    if not url or not member:
        window.statusBar().showMessage(tr("Joining needs the server and your name"), 8000)
        return
    window.statusBar().showMessage(tr("Joining {url}…").format(url=url))
    job = jobs.start_job(lambda _progress: join_project(url, member, path, password, remember), "team.join")
    job.succeeded.connect(lambda p: window.project_requested.emit(str(p)))
    job.failed.connect(lambda msg: window.statusBar().showMessage(tr("Could not join: {reason}").format(reason=msg), 15000))
    window.team_join_job = job


def sync_now(window) -> None:
    """File > Sync now (F9)."""
    if window.team is not None:
        window.team.sync_now()
        window.statusBar().showMessage(tr("Syncing…"), 3000)
    else:
        window.statusBar().showMessage(tr("This project is not a team project: File > Join team project…"), 8000)


def install(window) -> TeamSync | None:
    """File > Join team project… and Sync now (rows of ``ui.keymap``, placed before Quit), and for
    a linked project the background sync and its status."""
    quit_action = window.actions_by_id.get("file.quit")
    for action_id in ("file.join_team", "file.sync"):
        act = window._action(window.file_menu, action_id)
        window.file_menu.removeAction(act)
        window.file_menu.insertAction(quit_action, act)
    window.file_menu.insertSeparator(quit_action)
    window.join_team_action = window.actions_by_id["file.join_team"]
    if window.store.read_only:
        return None
    from storage.team import local

    link = local.get_link(window.store)
    if link is None:
        return None
    window.store.annotator = link.member  # in a team project the desk works as its member
    return TeamSync(window, link)
