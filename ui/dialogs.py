"""The desk's dialogs: import, export, settings, label set, keyboard cheat-sheet. Layout only;
each returns plain values for a controller to act on."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.model import ARTICLE_STATUSES, LABEL_KINDS, SPAN_STATUSES, Label
from annotator.suggest import DEFAULT_SPEC, builtin_choices, spec_items, spec_problem
from ui import i18n, keymap
from ui.i18n import translate

log = logging.getLogger(__name__)



def ok_cancel(dialog: QDialog, on_ok) -> QDialogButtonBox:
    """OK and Cancel: OK calls ``on_ok`` (``dialog.accept`` or a check that accepts), Cancel rejects."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, annotator: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("dialogs", "Import articles"))
        self.paths_edit = QLineEdit()
        self.paths_edit.setPlaceholderText(translate("dialogs", "Files or a folder (separate several with ;)"))
        files_btn = QPushButton(translate("dialogs", "Files…"))
        folder_btn = QPushButton(translate("dialogs", "Folder…"))
        files_btn.clicked.connect(self._pick_files)
        folder_btn.clicked.connect(self._pick_folder)
        row = QHBoxLayout()
        row.addWidget(self.paths_edit, 1)
        row.addWidget(files_btn)
        row.addWidget(folder_btn)
        self.format_combo = QComboBox()
        from annotator.formats import import_choices  # the registry; formats load on first use

        self.format_combo.addItems(import_choices())
        self.lang_edit = QLineEdit()
        self.lang_edit.setPlaceholderText(translate("dialogs", "detect"))
        self.annotator_edit = QLineEdit(annotator)
        self.sentences_spin = QSpinBox()
        self.sentences_spin.setRange(0, 10000)
        self.sentences_spin.setSpecialValueText(translate("dialogs", "one document = one article"))
        self.text_column_edit = QLineEdit()
        self.text_column_edit.setPlaceholderText(translate("dialogs", "text"))
        form = QFormLayout(self)
        form.addRow(translate("dialogs", "Import from"), row)
        form.addRow(translate("dialogs", "Format"), self.format_combo)
        form.addRow(translate("dialogs", "Language"), self.lang_edit)
        form.addRow(translate("dialogs", "Annotator of imported spans"), self.annotator_edit)
        form.addRow(translate("dialogs", "Sentences per article (CoNLL)"), self.sentences_spin)
        form.addRow(translate("dialogs", "Text column (CSV)"), self.text_column_edit)
        buttons = ok_cancel(self, self.accept)
        form.addRow(buttons)

    def _pick_files(self) -> None:
        from annotator.formats import file_filters

        files, _ = QFileDialog.getOpenFileNames(
            self,
            translate("dialogs", "Import files"),
            "",
            ";;".join([*file_filters("import"), translate("dialogs", "All files (*)")]),
        )
        if files:
            self.paths_edit.setText(";".join(files))

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("dialogs", "Import a folder"))
        if folder:
            self.paths_edit.setText(folder)

    def values(self) -> tuple[list[str], str, dict[str, Any], str]:
        paths = [p.strip() for p in self.paths_edit.text().split(";") if p.strip()]
        options: dict[str, Any] = {}
        if self.lang_edit.text().strip():
            options["lang"] = self.lang_edit.text().strip()
        if self.sentences_spin.value():
            options["sentences_per_article"] = self.sentences_spin.value()
        if self.text_column_edit.text().strip():
            options["text_column"] = self.text_column_edit.text().strip()
        return paths, self.format_combo.currentText(), options, self.annotator_edit.text().strip()


class ExportDialog(QDialog):
    def __init__(self, labels: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("dialogs", "Export"))
        self.out_edit = QLineEdit()
        browse = QPushButton(translate("dialogs", "Browse…"))
        browse.clicked.connect(self._pick)
        row = QHBoxLayout()
        row.addWidget(self.out_edit, 1)
        row.addWidget(browse)
        self.format_combo = QComboBox()
        from annotator.formats import export_choices

        self.format_combo.addItems(export_choices())
        self.status_boxes = self._boxes(ARTICLE_STATUSES, {"done", "reviewed"}, i18n.status_name)
        self.label_boxes = self._boxes([lab.name for lab in labels], {lab.name for lab in labels}, str)
        self.span_boxes = self._boxes(SPAN_STATUSES, {"accepted"}, i18n.status_name)
        form = QFormLayout(self)
        form.addRow(translate("dialogs", "Export to"), row)
        form.addRow(translate("dialogs", "Format"), self.format_combo)
        form.addRow(translate("dialogs", "Articles with status"), self._group(self.status_boxes))
        form.addRow(translate("dialogs", "Labels"), self._group(self.label_boxes))
        form.addRow(translate("dialogs", "Spans with status"), self._group(self.span_boxes))
        buttons = ok_cancel(self, self.accept)
        form.addRow(buttons)

    @staticmethod
    def _boxes(names, checked, shown) -> dict[str, QCheckBox]:
        """A box per name; ``shown`` gives its text (a status in the desk's language, a label as it is)."""
        out = {}
        for name in names:
            box = QCheckBox(shown(name))
            box.setChecked(name in checked)
            out[name] = box
        return out

    @staticmethod
    def _group(boxes: dict[str, QCheckBox]) -> QGroupBox:
        group = QGroupBox()
        lay = QHBoxLayout(group)
        for box in boxes.values():
            lay.addWidget(box)
        return group

    def _pick(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, translate("dialogs", "Export to"))
        if path:
            self.out_edit.setText(path)

    def values(self):
        from storage.store import ArticleFilter

        def chosen(boxes):
            return tuple(n for n, b in boxes.items() if b.isChecked())

        all_labels = len(chosen(self.label_boxes)) == len(self.label_boxes)
        flt = ArticleFilter(
            statuses=chosen(self.status_boxes),
            labels=() if all_labels else chosen(self.label_boxes),
            span_statuses=chosen(self.span_boxes),
        )
        return self.out_edit.text().strip(), self.format_combo.currentText(), flt


#: A suggester the analyst can pick: (spec item, what the list shows, tooltip).
Choice = tuple[str, str, str]

#: Always offered, no import needed (the kinds that take no argument).
BUILTIN_CHOICES: tuple[Choice, ...] = tuple(builtin_choices())
#: The built-in suggesters' words (the registry's English, ``annotator.suggest``), for the
#: translation: a registry text not listed here shows in English (a test checks they match).
BUILTIN_WORDS = (
    QT_TRANSLATE_NOOP("suggesters", "Rules (built in: names, places, quotes)"),
    QT_TRANSLATE_NOOP("suggesters", "Hand-written rules; fast, no model needed."),
    QT_TRANSLATE_NOOP("suggesters", "Learned gazetteer (what you labelled)"),
    QT_TRANSLATE_NOOP("suggesters", "Suggests again every text you accepted or labelled."),
)


def shown_choices(choices: Iterable[Choice]) -> list[Choice]:
    """The list's words in the desk's language (the spec items stay as they are)."""
    return [(item, translate("suggesters", label), translate("suggesters", tip)) for item, label, tip in choices]


def suggester_choices(store=None) -> list[Choice]:
    """Rules, the gazetteer, every installed spaCy pipeline and the project's trained models.

    Imports spaCy to list its pipelines: call it when the dialog opens, not at start-up.
    """
    choices: list[Choice] = list(BUILTIN_CHOICES)
    try:
        from annotator.suggest.spacy_pipeline import installed_pipelines

        pipelines = installed_pipelines()
    except Exception:  # noqa: BLE001 - no spaCy, or a broken one: offer the rest
        log.exception("listing spaCy pipelines failed")
        pipelines = []
    choices += [
        (
            f"spacy:{name}",
            translate("dialogs", "spaCy pipeline: {name}").format(name=name),
            translate("dialogs", "The installed package {name}.").format(name=name),
        )
        for name in pipelines
    ]
    if store is not None:
        try:
            from annotator.train import registered_models

            models = registered_models(store)
        except Exception:  # noqa: BLE001 - a project without (readable) trained models
            log.exception("listing trained models failed")
            models = []
        for m in models:
            path = str(m.get("path") or "")
            if not path:
                continue
            name = m.get("name") or path
            f = m.get("f")
            score = f" (F {float(f):.2f})" if isinstance(f, int | float) else ""
            choices.append((f"spacy:{path}", translate("dialogs", "Trained model: {name}").format(name=name) + score, path))
    seen: set[str] = set()
    return [c for c in choices if not (c[0] in seen or seen.add(c[0]))]


class SuggesterChooser(QWidget):
    """The suggesters to run, in order: a checkable list with Up/Down, and the spec as text.

    The two stay in step: ticking or moving an item rewrites the text, editing the text
    re-ticks and re-orders the list (items the list does not know are added to it).
    """

    spec_changed = Signal(str)

    def __init__(self, spec: str, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = {item: (label, tip) for item, label, tip in shown_choices(choices)}
        self._order = [item for item, _label, _tip in choices]
        self._syncing = False
        self.list = QListWidget()
        self.list.setObjectName("suggesterList")
        self.list.setMinimumHeight(120)
        self.up_button = QPushButton(translate("dialogs", "Up"))
        self.down_button = QPushButton(translate("dialogs", "Down"))
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.edit = QLineEdit()
        self.edit.setObjectName("suggesterSpec")
        self.edit.setToolTip(translate("dialogs", "Suggesters in order, comma separated: rules, gazetteer, spacy:NAME_OR_PATH"))
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        buttons = QVBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.edit)
        lay.addWidget(self.hint)
        self.list.itemChanged.connect(lambda _item: self._list_to_text())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.edit.textEdited.connect(self._text_to_list)
        self.set_spec(spec)

    # -- the two views of one spec --------------------------------------------------------------

    def spec(self) -> str:
        return self.edit.text().strip()

    def checked_items(self) -> list[str]:
        return [
            self.list.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.list.count())
            if self.list.item(r).checkState() == Qt.CheckState.Checked
        ]

    def set_spec(self, spec: str) -> None:
        self.edit.setText(spec)
        self._text_to_list(spec)

    def _text_to_list(self, text: str) -> None:
        chosen = list(dict.fromkeys(spec_items(text)))
        rest = [item for item in self._order if item not in chosen]
        current = self.list.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self._syncing = True
        try:
            self.list.clear()
            for item in chosen + rest:
                self._add_item(item, item in chosen)
            for r in range(self.list.count()):
                if self.list.item(r).data(Qt.ItemDataRole.UserRole) == keep:
                    self.list.setCurrentRow(r)
        finally:
            self._syncing = False
        self._update_hint()
        self._update_buttons()
        self.spec_changed.emit(self.spec())

    def _add_item(self, item: str, checked: bool) -> None:
        label, tip = self.choices.get(
            item,
            (
                translate("dialogs", "{item} (typed)").format(item=item),
                translate("dialogs", "Not one of the suggesters Sorot found."),
            ),
        )
        row = QListWidgetItem(label)
        row.setData(Qt.ItemDataRole.UserRole, item)
        row.setToolTip(f"{item}\n{tip}" if tip else item)
        row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        row.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(row)
        if item not in self._order:
            self._order.append(item)

    def _list_to_text(self) -> None:
        if self._syncing:
            return
        self.edit.setText(",".join(self.checked_items()))
        self._update_hint()
        self.spec_changed.emit(self.spec())

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if row < 0 or not 0 <= to < self.list.count():
            return
        self._syncing = True
        try:
            item = self.list.takeItem(row)
            self.list.insertItem(to, item)
            self.list.setCurrentRow(to)
        finally:
            self._syncing = False
        moved = [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())]
        self._order = moved + [i for i in self._order if i not in moved]
        self._list_to_text()
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)

    def _update_hint(self) -> None:
        problem = spec_problem(self.spec())
        if problem:
            self.hint.setText(problem)
        elif not self.spec():
            self.hint.setText(translate("dialogs", "Nothing ticked: Sorot uses {spec}.").format(spec=DEFAULT_SPEC))
        else:
            self.hint.setText(translate("dialogs", "Run in this order; where two overlap, the earlier one wins."))


class KeysPage(QWidget):
    """Settings > Keys: every action with its keys. Pick an action, press its new key; a key
    another action or a label already has is refused with the reason. Label keys are shown
    (greyed) but changed in Settings > Label set."""

    ACTION, WHERE, KEYS = range(3)

    def __init__(self, km: keymap.Keymap | None, labels: Iterable[Label] = (),
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.keys: dict[str, tuple[str, ...]] = km.all_keys() if km is not None else keymap.effective({})
        self.labels = list(labels)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("keysTable")
        self.table.setHorizontalHeaderLabels(
            (translate("dialogs", "Action"), translate("dialogs", "Where"), translate("dialogs", "Keys"))
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setObjectName("keyEdit")
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setToolTip(translate("dialogs", "Click here, then press the new key for the chosen action"))
        self.clear_button = QPushButton(translate("dialogs", "No key"))
        self.reset_button = QPushButton(translate("dialogs", "Reset to defaults"))
        self.message = QLabel(translate("dialogs", "Choose an action, click the key box and press its new key."))
        self.message.setObjectName("keysMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(translate("dialogs", "New key:")))
        row.addWidget(self.key_edit, 1)
        row.addWidget(self.clear_button)
        row.addWidget(self.reset_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.message)
        self._fill()
        self.key_edit.editingFinished.connect(lambda: self.assign(self.key_edit.keySequence()))
        self.clear_button.clicked.connect(self.clear_keys)
        self.reset_button.clicked.connect(self.reset)
        self.table.currentCellChanged.connect(lambda *_: self._on_row())

    def _fill(self) -> None:
        current = self.current_action()
        self.table.setRowCount(0)
        for action in keymap.ACTIONS:
            self._add_row(action.id, keymap.name_of(action), keymap.where_text(action.where), self._text(action.id))
        for lab in self.labels:
            if lab.shortcut:
                self._add_row("", translate("dialogs", "Label {name}").format(name=lab.name),
                              keymap.where_text(keymap.DESK), lab.shortcut,
                              tip=translate("dialogs", "A label key: change it in Settings > Label set."))  # fmt: skip
        self.table.resizeColumnsToContents()
        if current:
            self.select(current)

    def _add_row(self, action_id: str, name: str, where: str, keys: str, *, tip: str = "") -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for col, text in ((self.ACTION, name), (self.WHERE, where), (self.KEYS, keys)):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, action_id)
            if not action_id:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setForeground(self.palette().placeholderText())
                item.setToolTip(tip)
            self.table.setItem(r, col, item)

    def _text(self, action_id: str) -> str:
        return ", ".join(keymap.shown(k) for k in self.keys[action_id])

    def _row_of(self, action_id: str) -> int:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == action_id:
                return r
        raise KeyError(action_id)

    def _on_row(self) -> None:
        self.key_edit.clear()
        action_id = self.current_action()
        if action_id:
            action = keymap.BY_ID[action_id]
            self.message.setText(
                translate("dialogs", "{action}: {help}. Press its new key in the box.").format(
                    action=keymap.name_of(action), help=keymap.help_of(action)
                )
            )

    # -- what the analyst does ------------------------------------------------------------------

    def select(self, action_id: str) -> None:
        self.table.setCurrentCell(self._row_of(action_id), self.ACTION)

    def current_action(self) -> str:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def assign(self, key) -> bool:
        """Give the chosen action this key (its only key), or say why not."""
        action_id = self.current_action()
        seq = keymap.sequence(key)
        if seq.isEmpty():
            return False
        if not action_id:
            self.message.setText(
                translate("dialogs", "Choose an action first (label keys are changed in Settings > Label set).")
            )
            self.key_edit.clear()
            return False
        problem = keymap.refusal(seq, action_id, self.keys, self.labels)
        if problem:
            self.message.setText(problem)
            self.key_edit.clear()
            return False
        self.keys[action_id] = (keymap.portable(seq),)
        self.table.item(self._row_of(action_id), self.KEYS).setText(self._text(action_id))
        self.message.setText(
            translate("dialogs", "{action}: now {key}.").format(
                action=keymap.name_of(keymap.BY_ID[action_id]), key=keymap.shown(seq)
            )
        )
        self.key_edit.clear()
        return True

    def clear_keys(self) -> None:
        action_id = self.current_action()
        if action_id:
            self.keys[action_id] = ()
            self.table.item(self._row_of(action_id), self.KEYS).setText("")
            self.message.setText(
                translate("dialogs", "{action}: no key (the menu still has it).").format(
                    action=keymap.name_of(keymap.BY_ID[action_id])
                )
            )

    def reset(self) -> None:
        self.keys = keymap.effective({})
        self._fill()
        self.message.setText(translate("dialogs", "Every action has its default keys again."))

    def overrides(self) -> dict[str, tuple[str, ...]]:
        defaults = keymap.effective({})
        return {a: keys for a, keys in self.keys.items() if keys != defaults[a]}


class SettingsDialog(QDialog):
    """Annotator name and the suggesters (spec "rules,gazetteer,spacy:NAME_OR_PATH"), and the keys.

    ``choices``: what the suggester list offers (``suggester_choices(store)``); None
    offers only the built-in rules and gazetteer (and whatever ``spec`` names). ``keymap``:
    the keys now (None: the defaults); ``labels``: whose keys the Keys page also guards.
    """

    def __init__(
        self,
        annotator: str,
        spec: str,
        parent: QWidget | None = None,
        *,
        choices: list[Choice] | None = None,
        keymap: keymap.Keymap | None = None,
        labels: Iterable[Label] = (),
        language: str = "system",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("dialogs", "Settings"))
        self.annotator_edit = QLineEdit(annotator)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for choice, name in i18n.choice_names().items():
            self.language_combo.addItem(name, choice)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(language), 0))
        self.language_combo.setToolTip(translate("dialogs", "The language of the desk; it changes as soon as you press OK."))
        self.suggesters = SuggesterChooser(spec, list(BUILTIN_CHOICES) if choices is None else choices)
        self.spec_edit = self.suggesters.edit
        general = QWidget()
        form = QFormLayout(general)
        form.addRow(translate("dialogs", "Your name (annotator)"), self.annotator_edit)
        form.addRow(translate("dialogs", "Language"), self.language_combo)
        form.addRow(translate("dialogs", "Suggesters"), self.suggesters)
        self.keys = KeysPage(keymap, labels)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, translate("dialogs", "General"))
        self.tabs.addTab(self.keys, translate("dialogs", "Keys"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(ok_cancel(self, self._check))

    def show_keys(self) -> None:
        self.tabs.setCurrentWidget(self.keys)
        self.keys.table.setFocus()

    def _check(self) -> None:
        problem = spec_problem(self.suggesters.spec())
        if problem:
            self.tabs.setCurrentIndex(0)
            QMessageBox.warning(self, translate("dialogs", "Suggesters"), problem)
            return
        self.accept()

    def values(self) -> tuple[str, str]:
        return self.annotator_edit.text().strip(), ",".join(spec_items(self.suggesters.spec()))

    def key_overrides(self) -> dict[str, tuple[str, ...]]:
        """The keys chosen, as changes from the defaults (what ``Keymap.set_overrides`` takes)."""
        return self.keys.overrides()

    def language(self) -> str:
        """The language chosen: ``system``, ``en`` or ``id`` (``ui.i18n.CHOICES``)."""
        return str(self.language_combo.currentData() or "system")


class LabelEditor(QDialog):
    """Name, colour, key, kind and spaCy mapping of every label. Renames relabel the spans."""

    HEAD = (
        QT_TRANSLATE_NOOP("dialogs", "Name"),
        QT_TRANSLATE_NOOP("dialogs", "Colour"),
        QT_TRANSLATE_NOOP("dialogs", "Key"),
        QT_TRANSLATE_NOOP("dialogs", "Kind"),
        QT_TRANSLATE_NOOP("dialogs", "spaCy labels (comma separated)"),
        QT_TRANSLATE_NOOP("dialogs", "Description"),
    )

    def __init__(self, labels: list[Label], parent: QWidget | None = None, *,
                 keymap: keymap.Keymap | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(translate("dialogs", "Label set"))
        self.keymap = keymap
        self.resize(760, 320)
        self.originals = [lab.name for lab in labels]
        self.table = QTableWidget(0, len(self.HEAD))
        self.table.setHorizontalHeaderLabels([translate("dialogs", h) for h in self.HEAD])
        self.table.horizontalHeader().setStretchLastSection(True)
        for lab in labels:
            self._add_row(lab)
        add = QPushButton(translate("dialogs", "Add label"))
        add.clicked.connect(lambda: self._add_row(None))
        buttons = ok_cancel(self, self._check)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        row.addWidget(buttons)
        lay.addLayout(row)

    def _add_row(self, lab: Label | None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(lab.name if lab else "NEW_LABEL"))
        colour = QPushButton(lab.colour if lab else "#888888")
        colour.clicked.connect(lambda _c=False, b=colour: self._pick_colour(b))
        self._paint_button(colour)
        self.table.setCellWidget(r, 1, colour)
        self.table.setItem(r, 2, QTableWidgetItem(lab.shortcut if lab else ""))
        kind = QComboBox()
        for k in LABEL_KINDS:
            kind.addItem(i18n.kind_name(k), k)  # shown in the desk's language, stored as it is
        kind.setCurrentIndex(max(kind.findData(lab.kind if lab else "entity"), 0))
        self.table.setCellWidget(r, 3, kind)
        self.table.setItem(r, 4, QTableWidgetItem(", ".join(lab.maps_from) if lab else ""))
        self.table.setItem(r, 5, QTableWidgetItem(lab.description if lab else ""))
        if lab is None:
            self.originals.append("")

    @staticmethod
    def _paint_button(btn: QPushButton) -> None:
        btn.setStyleSheet(f"background: {btn.text()};")

    def _pick_colour(self, btn: QPushButton) -> None:
        colour = QColorDialog.getColor(QColor(btn.text()), self)
        if colour.isValid():
            btn.setText(colour.name())
            self._paint_button(btn)

    def labels(self) -> list[tuple[Label, str | None]]:
        """(label, the name it had before or None when new)."""
        out = []
        for r in range(self.table.rowCount()):
            lab = Label(
                name=self.table.item(r, 0).text().strip(),
                colour=self.table.cellWidget(r, 1).text(),
                shortcut=self.table.item(r, 2).text().strip(),
                kind=self.table.cellWidget(r, 3).currentData(),
                maps_from=[s.strip() for s in self.table.item(r, 4).text().split(",") if s.strip()],
                description=self.table.item(r, 5).text().strip(),
            )
            out.append((lab, self.originals[r] or None))
        return out

    def _check(self) -> None:
        try:
            labs = self.labels()
        except ValueError as exc:
            QMessageBox.warning(self, translate("dialogs", "Label set"), str(exc))
            return
        keys = [lab.shortcut.lower() for lab, _ in labs if lab.shortcut]
        if len(keys) != len(set(keys)):
            QMessageBox.warning(self, translate("dialogs", "Label set"), translate("dialogs", "Two labels share a key."))
            return
        km = self.keymap if self.keymap is not None else keymap.Keymap()
        problem = keymap.clash(km.all_keys(), [lab for lab, _ in labs])
        if problem:
            QMessageBox.warning(
                self,
                translate("dialogs", "Label set"),
                translate("dialogs", "{problem} Choose another label key.").format(problem=problem),
            )
            return
        self.accept()


def cheat_sheet_html(km: keymap.Keymap | None = None, labels: Iterable[Label] = ()) -> str:
    """The keys as they are now (after any remapping), from the keymap: the article text's
    keys and label keys first, then the window's."""
    from html import escape

    km = km if km is not None else keymap.Keymap()
    labels = list(labels)

    def row(keys: str, what: str) -> str:
        return f"<tr><td><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"

    desk = [row(k, v) for k, v in keymap.mouse()]
    label_help = translate("dialogs", "label the selected text as {label} (snapped to whole words), or relabel the selected span")
    desk += [row(lab.shortcut.upper(), label_help.format(label=lab.name)) for lab in labels if lab.shortcut]
    unbound = []
    window = []
    for action in keymap.ACTIONS:
        keys = km.text(action.id, translate("dialogs", " or "))
        if not keys:
            unbound.append(keymap.name_of(action).rstrip("…"))
            continue
        (desk if action.where == keymap.DESK else window).append(row(keys, keymap.help_of(action)))
    problems = keymap.conflicts(km.all_keys(), labels)
    both = translate("keymap", " and ")
    warn = "".join(
        "<p style='color:#b00020'>"
        + escape(
            translate("dialogs", "{key} does two things ({holders}): change one in Settings.").format(
                key=key, holders=both.join(keymap.holder_name(h) for h in who)
            )
        )
        + "</p>"
        for key, who in problems
    )
    rest = "<p>" + escape(
        translate("dialogs", "No key (in the menus; give them one in Settings > Keys): {actions}.").format(
            actions=", ".join(unbound)
        )
    ) + "</p>"

    def head(title: str) -> str:
        return f"<tr><td colspan=2><br><b style='font-size:large'>{escape(title)}</b></td></tr>"

    rows = (
        head(translate("dialogs", "In the article text"))
        + "".join(desk)
        + head(translate("dialogs", "Anywhere in the window"))
        + "".join(window)
    )
    title = escape(translate("dialogs", "Keyboard"))
    change = escape(translate("dialogs", "Change keys in Settings > Keys."))
    return (
        f"<h3>{title}</h3>{warn}<table cellspacing=6>{rows}</table>"
        f"{rest if unbound else ''}<p><i>{change}</i></p>"
    )


class CheatSheet(QDialog):
    """Help > Keyboard: the keymap as it is now; follows a remap while it is open."""

    def __init__(self, km: keymap.Keymap | None = None, labels: Iterable[Label] = (),
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(translate("dialogs", "Keyboard"))
        self.resize(640, 560)
        self.keymap = km
        self.labels = list(labels)
        self.view = QTextBrowser()
        self.view.setObjectName("cheatSheet")
        self.refresh()
        if km is not None:
            km.changed.connect(self.refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view)
        lay.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)

    def refresh(self) -> None:
        self.view.setHtml(cheat_sheet_html(self.keymap, self.labels))
