"""The annotation desk window: layout and menu wiring only. The logic lives in
``DeskController`` (edits, keys), ``Operations`` (import/export jobs) and
``SuggestService`` (the suggestion thread)."""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.changes import Changes
from annotator.errors import StoreError
from annotator.suggest import DEFAULT_SPEC
from ui import appearance, guidelines, i18n, keymap, retrain, team
from ui import settings as user_settings
from ui.article_list import ArticleListPanel
from ui.article_view import ArticleView
from ui.desk import DeskController
from ui.events import StoreEvents
from ui.find_bar import FindBar
from ui.i18n import translate
from ui.operations import Operations
from ui.palette import LabelPalette
from ui.span_panel import SpanPanel
from ui.suggest_service import SuggestService

log = logging.getLogger(__name__)

SPAN_ACTIONS = ("span", "suggest", "relation", "article.status", "article.language")


class MainWindow(QMainWindow):
    project_requested = Signal(str)  # New/Open project: the app swaps windows

    def __init__(
        self,
        store,
        *,
        suggester_factory=None,
        first_run: bool = True,
        show_summaries: bool = True,
        auto_suggest: bool = True,
    ) -> None:
        super().__init__()
        self.store = store
        self.setObjectName("sorotMain")
        name = user_settings.annotator_name()
        if name:
            store.annotator = name
        self.events = StoreEvents(store, self)
        self.view = ArticleView()
        self.keymap = keymap.Keymap.load(parent=self)
        self.desk = DeskController(store, self.view, self.events, keymap=self.keymap, parent=self)
        self.suggest = SuggestService(
            store, store.setting("suggesters", DEFAULT_SPEC) or DEFAULT_SPEC, suggester_factory, parent=self
        )
        self.ops = Operations(store, self, show_summaries=show_summaries)
        self.auto_suggest = auto_suggest and not store.read_only
        self._closed = False
        self._last_progress = (0, 0, "")

        # -- layout --------------------------------------------------------------------------
        self.articles = ArticleListPanel(store)
        self.find_bar = FindBar(self.view)
        self.palette = LabelPalette(self.desk)
        self.spans_panel = SpanPanel(self.desk)
        self.banner = QLabel("")
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setVisible(bool(store.read_only))
        self.title = QLabel("")
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        middle = QWidget()
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 0, 0, 0)
        mid.addWidget(self.title)
        mid.addWidget(self.view, 1)
        mid.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.articles)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.spans_panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([300, 720, 380])
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.banner)
        lay.addWidget(self.palette)
        lay.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.resize(1400, 820)
        self._build_status_bar()
        self._build_menus()
        self.look = appearance.install(self)  # repaint on a theme change; zoom keys are in ui.keymap
        guidelines.install(self)  # the Guidelines panel, Shift+F1
        self.team = team.install(self)  # File > Join team project…; a linked project syncs in the background
        self.retrain = retrain.install(self)  # background retraining, View > Model versions…
        self.retranslate()

        # -- wiring ----------------------------------------------------------------------------
        self.articles.article_activated.connect(self.open_article)
        self.articles.title_edited.connect(self.desk.rename_article)
        self.articles.order_chosen.connect(self.desk.follow_order)
        self.desk.follow_order(self.articles.model.queue_order)  # read once, by the list
        self.desk.article_opened.connect(self._on_article_opened)
        self.desk.saved.connect(lambda: self._set_saved(True))
        self.events.synced.connect(self._synced)
        self.desk.save_failed.connect(lambda msg: self._set_saved(False, msg))
        self.desk.message.connect(lambda msg: self.statusBar().showMessage(msg, 4000))
        self.desk.suggest_wanted.connect(self._suggest_opened)
        self.desk.gazetteer_changed.connect(self._on_learned)
        self.desk.labels_changed.connect(self.palette.rebuild)
        self.desk.spans_changed.connect(lambda: self._show_title(self.desk.article))
        self.desk.undo_stack.canUndoChanged.connect(self.act_undo.setEnabled)
        self.desk.undo_stack.canRedoChanged.connect(self.act_redo.setEnabled)
        self.events.changed.connect(self._on_store_changed)
        self.suggest.worker.progress.connect(self._suggest_progress)
        self.suggest.worker.failed.connect(self._suggest_failed)
        self._suggest_error = ""
        self.ops.imported.connect(self._after_import)
        self._list_dirty: set[int] = set()
        self._list_reset = False
        self._list_timer = QTimer(self, singleShot=True, interval=50)
        self._list_timer.timeout.connect(self._flush_list)
        self._restore_layout()  # (the progress line was set by retranslate above)
        self.review_panel = None
        self._maybe_first_run(first_run)
        if self.desk.article is None:
            order = self.articles.model.queue_order  # the queue order the list shows (annotator.queue)
            first = store.neighbour_article(0, 1, skip_done=True, order=order) or store.neighbour_article(
                0, 1, order=order
            )
            if first is not None:
                self.open_article(first)
        self.view.setFocus()

    # -- building -----------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress_label = QLabel("")
        self.suggest_label = QLabel("")
        self.suggest_cancel = QPushButton("")
        self.suggest_cancel.setFlat(True)
        self.suggest_cancel.hide()
        self.suggest_cancel.clicked.connect(self.suggest.cancel)
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("savedLabel")
        self._save_error: str | None = None  # an edit's save that failed, until one succeeds
        self.retry_button = QPushButton("")
        self.retry_button.hide()
        self.retry_button.clicked.connect(self._retry)
        for w in (
            self.suggest_label,
            self.suggest_cancel,
            self.progress_label,
            self.saved_label,
            self.retry_button,
        ):
            bar.addPermanentWidget(w)

    def _action(self, menu, action_id: str) -> QAction:
        """The menu entry of a keymap action. A window action gets its keys as shortcuts; a
        desk action only shows its keys (the article text handles them, so no key is bound twice)."""
        spec = keymap.BY_ID[action_id]
        act = QAction(keymap.name_of(spec), self)
        act.setObjectName(action_id)
        if spec.where == keymap.WINDOW:
            act.triggered.connect(lambda _c=False, run=spec.run: run(self))
            self.keymap.bind(action_id, act.trigger)
        else:
            act.triggered.connect(lambda _c=False, run=spec.run: run(self.desk))
        if spec.edits and self.store.read_only:
            act.setEnabled(False)
        menu.addAction(act)
        self.actions_by_id[action_id] = act
        return act

    def _bind_keys(self) -> None:
        """(Re)bind every menu action's keys from the keymap: at start and after a remap."""
        for action_id, act in self.actions_by_id.items():
            spec = keymap.BY_ID[action_id]
            name = keymap.name_of(spec)
            if spec.where == keymap.WINDOW:
                act.setShortcuts(self.keymap.sequences(action_id))
                act.setText(name)
            else:
                keys = self.keymap.text(action_id, " / ")
                act.setText(f"{name}\t{keys}" if keys else name)

    def _actions(self, menu, *action_ids: str | None) -> None:
        """Menu entries of keymap actions, in this order (None: a separator)."""
        for action_id in action_ids:
            if action_id is None:
                menu.addSeparator()
            else:
                self._action(menu, action_id)

    def _build_menus(self) -> None:
        self.actions_by_id: dict[str, QAction] = {}
        mb = self.menuBar()
        f = self.file_menu = mb.addMenu("")
        self._actions(f, "file.new", "file.open")
        self.recent_menu = f.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._actions(f, None, "file.import", "file.export", None, "file.quit")

        e = self.edit_menu = mb.addMenu("")
        self._actions(e, "edit.undo", "edit.redo", None, "edit.find", "edit.find_next", "edit.find_previous")
        self.act_undo = self.actions_by_id["edit.undo"]
        self.act_redo = self.actions_by_id["edit.redo"]
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)

        a = self.article_menu = mb.addMenu("")
        self._actions(a, "article.done_next", "article.skip", "article.flag", "article.next", "article.previous",
                      None, "article.suggest_again", "article.suggest_project", "span.accept_all")  # fmt: skip

        v = self.view_menu = mb.addMenu("")
        self._actions(v, "view.articles")
        self._add_review_hooks(v)
        self._actions(v, None, "view.zoom_in", "view.zoom_out", "view.zoom_reset")

        s = self.settings_menu = mb.addMenu("")
        self._actions(s, "settings.general", "settings.suggesters", "settings.keys", "settings.labels")

        h = self.help_menu = mb.addMenu("")
        self._actions(h, "help.keyboard", "help.guidelines", "help.about")
        # the keys are bound by retranslate(), which the window calls once it is built
        self.keymap.changed.connect(self._bind_keys)

    def retranslate(self) -> None:
        """Every text the window sets itself, in the desk's language: at start and after a
        language change (its panels follow the same ``LanguageChange`` on their own)."""
        where = Path(self.store.path).name if self.store.path else translate("MainWindow", "in memory")
        title = translate("MainWindow", "Sorot — {project}").format(project=where)
        if self.store.read_only:
            title += " " + translate("MainWindow", "[read-only]")
        self.setWindowTitle(title)
        self.banner.setText(
            translate(
                "MainWindow", "Read-only: this project is open in another Sorot. You can look, not change."
            )
        )
        self.suggest_cancel.setText(translate("MainWindow", "Cancel"))
        self.retry_button.setText(translate("MainWindow", "Retry"))
        self._show_saved()
        for menu, text in (
            (self.file_menu, translate("MainWindow", "&File")),
            (self.edit_menu, translate("MainWindow", "&Edit")),
            (self.article_menu, translate("MainWindow", "&Article")),
            (self.view_menu, translate("MainWindow", "&View")),
            (self.settings_menu, translate("MainWindow", "&Settings")),
            (self.help_menu, translate("MainWindow", "&Help")),
        ):
            menu.setTitle(text)
        self.recent_menu.setTitle(translate("MainWindow", "Recent projects"))
        self._bind_keys()
        if not self._closed:
            self._update_progress()
            self._show_title(self.desk.article)
            if self.suggest_label.text():
                self._suggest_progress(*self._last_progress)

    def changeEvent(self, e) -> None:  # noqa: N802 - Qt override
        if e.type() == QEvent.Type.LanguageChange and hasattr(self, "file_menu"):
            self.retranslate()
            if not self._closed:  # a closed window's store is closed too
                self._renew_review()
        super().changeEvent(e)

    def _renew_review(self) -> None:
        """The review window is built in one language: after a change it is built again
        (shown again if it was open)."""
        panel, self.review_panel = self.review_panel, None
        if panel is None:
            return
        was_open = panel.isVisible()
        panel.close()
        panel.deleteLater()
        if was_open:
            self.show_review()

    def _add_review_hooks(self, menu) -> None:
        """Review and training; their modules (matplotlib, spaCy) load when first opened, not at start-up."""
        self._actions(menu, "view.review", "view.train")

    # -- articles and status ------------------------------------------------------------------

    def open_article(self, article_id: int | None) -> None:
        self.desk.open_article(article_id)

    def open_span(self, article_id: int, span_id: int) -> None:
        """From the review screen: show the span in its article."""
        self.desk.open_article(article_id)
        self.desk.select_span(span_id)
        self.view.setFocus()

    def _on_article_opened(self, article) -> None:
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        self._show_title(article)
        if article is not None and self.auto_suggest:
            # The gazetteer may have learned since this article was suggested: cheap to redo.
            self.suggest.refresh_gazetteer(article.id)

    def _show_title(self, article) -> None:
        if article is None:
            self.title.setText(translate("MainWindow", "No article open"))
            return
        chars = translate("MainWindow", "{count} characters").format(
            count=QLocale().toString(len(article.text))
        )
        self.title.setText(
            f"<b>{article.title or article.uid}</b> &nbsp; <span>{article.language or '?'} · "
            f"{i18n.status_name(article.status)} · {chars}</span>"
        )
        self.articles.show_article(article.id)

    def _on_store_changed(self, changes: Changes) -> None:
        if changes.project or changes.labels or {"import", "article.assign"} & changes.actions:
            self._list_reset = True
        else:
            self._list_dirty.update(changes.article_ids)
        if not changes.only_labels_or_settings:
            self._set_saved(True)
        if changes.settings:
            self.articles.follow_order_setting()  # another desk of the team chose the queue order
        self._list_timer.start()

    def _flush_list(self) -> None:
        if self._list_reset:
            self._list_reset = False
            self._list_dirty.clear()
            self.articles.model.refresh()
        else:
            for aid in self._list_dirty:
                self.articles.model.update_article(aid)
            self._list_dirty.clear()
        if self.desk.article is not None:
            self.articles.show_article(self.desk.article.id)
            self._show_title(self.desk.article)
        self._update_progress()

    def _update_progress(self) -> None:
        total = self.store.count_articles()
        done = self.store.count_articles(statuses=("done", "reviewed"))
        self.progress_label.setText(
            translate("MainWindow", "Done {done} / {total}").format(
                done=QLocale().toString(done), total=QLocale().toString(total)
            )
        )

    def _set_saved(self, ok: bool, message: str = "") -> None:
        """An edit was committed (``ok``), or refused (``message``: kept until it is saved)."""
        if not ok:
            self._save_error = message
        elif self.desk.pending is None:
            self._save_error = None
        self._show_saved()

    def _synced(self, _error: str | None) -> None:
        """News from the project's fsync thread (a failure stays in ``wal_sync.failed``)."""
        self._show_saved()

    def _show_saved(self) -> None:
        """The status bar's word on saving, from where things stand: read-only; not on disk
        (an fsync failed: final for the session, storage.durable, nothing to retry); an edit
        refused (Retry); commits waiting for the disk ("Saving…"); else all saved."""
        sync = self.store.wal_sync
        tip, failed, retry = "", True, False
        if self.store.read_only:
            text, failed = translate("MainWindow", "Read-only"), False
        elif sync is not None and sync.failed is not None:
            text = translate("MainWindow", "Not saved to disk")
            advice = translate(
                "MainWindow",
                "Your last changes may not be on the disk. Close Sorot and open the project again.",
            )
            tip = f"{advice}\n{sync.failed}"
        elif self._save_error is not None:
            text, tip, retry = translate("MainWindow", "Saving failed — retry"), self._save_error, True
        elif sync is not None and sync.pending > 0:
            text, failed = translate("MainWindow", "Saving…"), False
        else:
            text, failed = translate("MainWindow", "All changes saved"), False
        self.saved_label.setText(text)
        self.saved_label.setToolTip(tip)
        self.retry_button.setVisible(retry)
        if self.saved_label.property("failed") is not failed:
            self.saved_label.setProperty("failed", failed)
            self.saved_label.style().unpolish(self.saved_label)
            self.saved_label.style().polish(self.saved_label)

    def _retry(self) -> None:
        self.desk.retry()

    # -- suggestions ------------------------------------------------------------------------------

    def _suggest_opened(self, article_id: int) -> None:
        if self.auto_suggest:
            self.suggest.enqueue([article_id], first=True)

    def _on_learned(self, deltas: list) -> None:
        """The analyst taught the gazetteer: update it, and highlight the same text elsewhere
        in the open article at once."""
        self.suggest.update_gazetteer(deltas)
        if self.auto_suggest and self.desk.article is not None:
            self.suggest.refresh_gazetteer(self.desk.article.id)

    def _suggest_progress(self, done: int, total: int, message: str) -> None:
        if self._suggest_error and self.suggest.worker.spec == self._suggest_error:
            return  # the failure stays in view until the suggesters change
        self._suggest_error = ""
        self._last_progress = (done, total, message)
        if total <= 0:
            self.suggest_label.setText("")
            self.suggest_cancel.hide()
            return
        spec = self.suggest.worker.spec
        self.suggest_label.setText(
            translate("MainWindow", "Suggesting ({suggesters}): {done} / {total}").format(
                suggesters=spec, done=QLocale().toString(done), total=QLocale().toString(total)
            )
        )
        self.suggest_cancel.show()

    def _suggest_failed(self, message: str) -> None:
        """A suggester that fails (a missing or broken model) is said in the status bar, not only logged."""
        first_line = message.splitlines()[0] if message else translate("MainWindow", "suggesting failed")
        self._suggest_error = self.suggest.worker.spec
        failed = translate("MainWindow", "Suggesting failed: {reason}")
        self.suggest_label.setText(failed.format(reason=first_line[:120]))
        self.suggest_label.setToolTip(
            message + "\n\n" + translate("MainWindow", "Change the suggesters in Settings > Suggesters.")
        )
        self.statusBar().showMessage(failed.format(reason=first_line[:160]), 15000)

    def suggest_again(self) -> None:
        if self.desk.article is not None:
            self.suggest.enqueue([self.desk.article.id], first=True, force=True)

    def suggest_project(self) -> None:
        ids = self.store.article_ids(statuses=("new", "in_progress"))
        if not ids:
            QMessageBox.information(
                self,
                translate("MainWindow", "Suggest"),
                translate("MainWindow", "No article is waiting (new or in progress)."),
            )
            return
        from PySide6.QtWidgets import QProgressDialog

        dlg = QProgressDialog(
            translate("MainWindow", "Suggesting spans for {count} articles…").format(
                count=QLocale().toString(len(ids))
            ),
            translate("MainWindow", "Cancel"),
            0,
            len(ids),
            self,
        )
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setAutoClose(True)
        from ui.operations import ProgressRelay

        worker = self.suggest.worker
        relay = ProgressRelay(dlg)
        worker.progress.connect(relay.update)
        worker.idle.connect(dlg.close)
        dlg.canceled.connect(self.suggest.cancel)
        self.suggest.enqueue(ids)
        dlg.show()

    # -- project, import, export ----------------------------------------------------------------

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("MainWindow", "New project"),
            "project.sorot",
            translate("MainWindow", "Sorot projects (*.sorot)"),
        )
        if path:
            if not path.endswith(".sorot"):
                path += ".sorot"
            self.project_requested.emit(path)

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("MainWindow", "Open project"),
            "",
            translate("MainWindow", "Sorot projects (*.sorot)")
            + ";;"
            + translate("MainWindow", "All files (*)"),
        )
        if path:
            self.project_requested.emit(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in user_settings.recent_projects():
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _c=False, p=path: self.project_requested.emit(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(translate("MainWindow", "(none)")).setEnabled(False)

    def import_dialog(self) -> None:
        from ui.dialogs import ImportDialog

        dlg = ImportDialog(self, annotator=self.store.annotator)
        if dlg.exec() and dlg.values()[0]:
            paths, fmt, options, annotator = dlg.values()
            self.ops.annotator = lambda: annotator or self.store.annotator
            self.ops.run_import(paths, fmt, options)

    def _after_import(self, summary) -> None:
        self.articles.model.refresh()
        self._update_progress()
        if summary.article_ids and self.auto_suggest:
            self.suggest.enqueue(summary.article_ids)
        if self.desk.article is None and summary.article_ids:
            self.open_article(summary.article_ids[0])

    def export_dialog(self) -> None:
        from ui.dialogs import ExportDialog

        dlg = ExportDialog(self.desk.labels, self)
        if dlg.exec():
            out, fmt, flt = dlg.values()
            if out:
                self.ops.run_export(out, fmt, flt)

    def _maybe_first_run(self, enabled: bool) -> None:
        if not enabled or os.environ.get("SOROT_NO_FIRST_RUN") or self.store.read_only:
            return
        if self.store.count_articles():
            return
        answer = QMessageBox.question(
            self,
            translate("MainWindow", "Welcome to Sorot"),
            translate(
                "MainWindow",
                "This project is empty. Import the sample article (an Indonesian news report) to try the desk?",
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.import_sample()

    def import_sample(self):
        path = str(resources.files("resources").joinpath("belousov-kim-pyongyang.id.txt"))
        return self.ops.run_import([path], "auto", {})

    # -- settings ------------------------------------------------------------------------------

    def settings_dialog(self, *, suggesters: bool = False, keys: bool = False) -> None:
        """Your name, the suggesters and the keys; ``suggesters``/``keys``: start there."""
        from ui.dialogs import SettingsDialog, suggester_choices

        spec = self.store.setting("suggesters", DEFAULT_SPEC) or DEFAULT_SPEC
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            choices = suggester_choices(self.store)  # imports spaCy to list its pipelines
        finally:
            QApplication.restoreOverrideCursor()
        dlg = SettingsDialog(
            self.store.annotator,
            spec,
            self,
            choices=choices,
            keymap=self.keymap,
            labels=self.desk.labels,
            language=i18n.language_setting(),
        )
        if suggesters:
            dlg.suggesters.list.setFocus()
        if keys:
            dlg.show_keys()
        if not dlg.exec():
            return
        if dlg.language() != i18n.language_setting():
            i18n.set_language(dlg.language())  # every window sets its texts again, now
        if dlg.key_overrides() != self.keymap.overrides():
            self.keymap.set_overrides(dlg.key_overrides())  # the desk and the menus follow at once
        name, new_spec = dlg.values()
        new_spec = new_spec or DEFAULT_SPEC
        if name:
            self.store.annotator = name
            user_settings.set_annotator_name(name)
        if new_spec and new_spec != spec and not self.store.read_only:
            try:
                self.store.set_setting("suggesters", new_spec)
            except StoreError as exc:
                QMessageBox.warning(self, translate("MainWindow", "Settings"), str(exc))
                return
            self.suggest.worker.set_spec(new_spec)

    def label_dialog(self) -> None:
        from ui.dialogs import LabelEditor

        dlg = LabelEditor(self.store.labels(), self, keymap=self.keymap)
        if not dlg.exec():
            return
        try:
            for lab, old in dlg.labels():
                self.store.save_label(lab, rename_from=old)
        except StoreError as exc:
            QMessageBox.warning(self, translate("MainWindow", "Label set"), str(exc))
        self.desk.reload_labels()
        self.spans_panel.refresh()

    def cheat_sheet(self) -> None:
        from ui.dialogs import CheatSheet

        CheatSheet(self.keymap, self.desk.labels, self).exec()

    def about(self) -> None:
        QMessageBox.about(
            self,
            translate("MainWindow", "About Sorot"),
            translate(
                "MainWindow",
                "<b>Sorot</b> — an annotation desk for news analysts: actors, locations and claims.",
            ),
        )

    def show_review(self) -> None:
        """The review window (spans, history, compare, agreement, adjudicate, stats), sharing the desk's undo."""
        from ui.review import ReviewWindow

        if self.review_panel is None:
            self.review_panel = ReviewWindow(self.store, self.desk.undo_stack, self)
            self.review_panel.setWindowFlag(Qt.WindowType.Window, True)
            self.review_panel.review.open_span.connect(self.open_span)
        self.review_panel.show()
        self.review_panel.raise_()

    def train_dialog(self) -> None:
        from ui.train_dialog import TrainDialog

        TrainDialog(self.store, self).exec()

    # -- closing ---------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        from ui import layout  # fitted to the screen it opens on (a smaller one than it was saved on too)

        layout.restore(self, self.splitter, user_settings.app_settings())

    def shutdown(self) -> None:
        """Wait for every worker, then close the store. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        from ui import jobs

        s = user_settings.app_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()
        self.retrain.cancel()
        self.suggest.shutdown()
        if self.team is not None:
            self.team.shutdown()
        jobs.wait_all()
        self.events.detach()
        self._list_timer.stop()
        self.desk.close()
        self.articles.model.detach()
        self.store.close()

    def closeEvent(self, e) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(e)
