"""Every key of the desk in one table: what it does, where, and which key the analyst gave it.

An action is either a **desk** action, which the article text answers while it has the focus
(``DeskController.handle_key`` looks the key up here), or a **window** action, a menu entry
whose ``QAction`` shortcut works anywhere in the main window (``MainWindow`` binds it from
here). No key is bound in two places: Ctrl+Z is the Edit > Undo action and nothing else.

Label keys are data (the label set's shortcuts, 1 to 9 when a label has none); they are not
remappable here, but they are listed with the actions for the cheat-sheet and for conflict
checks: a key belongs to one action or one label, never two.

The analyst's own keys live in the user's QSettings (group ``keys``, one entry per changed
action, ``ui.settings.app_settings``, so ``SOROT_SETTINGS`` isolates tests); everything else
has its default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QKeyCombination, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence

from annotator.model import Label
from ui.i18n import translate

Where = Literal["desk", "window"]
DESK: Where = "desk"
WINDOW: Where = "window"
#: Where an action works; translated where shown (``where_text``), like every name and help of the table.
WHERE_TEXT = {
    DESK: QT_TRANSLATE_NOOP("keymap", "in the article text"),
    WINDOW: QT_TRANSLATE_NOOP("keymap", "anywhere in the window"),
}
#: The menus the table names (``KeyAction.menu``, shown by ``menu_name``).
FILE_MENU = QT_TRANSLATE_NOOP("keymap", "File")
EDIT_MENU = QT_TRANSLATE_NOOP("keymap", "Edit")
ARTICLE_MENU = QT_TRANSLATE_NOOP("keymap", "Article")
VIEW_MENU = QT_TRANSLATE_NOOP("keymap", "View")
SETTINGS_MENU = QT_TRANSLATE_NOOP("keymap", "Settings")
HELP_MENU = QT_TRANSLATE_NOOP("keymap", "Help")

SETTINGS_GROUP = "keys"

Mods = Qt.KeyboardModifier
_MODIFIERS = Mods.ShiftModifier | Mods.ControlModifier | Mods.AltModifier | Mods.MetaModifier
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}


@dataclass(frozen=True, slots=True)
class KeyAction:
    """One thing a key can do.

    ``run`` takes the ``DeskController`` for a desk action and the ``MainWindow`` for a
    window action. ``menu``: the menu the window shows it in ("" for none; a desk action in a
    menu shows its key there but is bound only in the article text). ``edits``: it changes
    the project, so it is off in a read-only project.
    """

    id: str
    name: str
    where: Where
    help: str
    run: Callable[[Any], object]
    keys: tuple[str, ...] = ()
    menu: str = ""
    edits: bool = False

    def __post_init__(self) -> None:
        if self.where not in (DESK, WINDOW):
            raise ValueError(f"{self.id}: where is {self.where!r}, not desk or window")
        for key in self.keys:
            if QKeySequence(key).isEmpty() or QKeySequence(key).count() != 1:
                raise ValueError(f"{self.id}: {key!r} is not one key")


def _team() -> Any:
    from ui import team  # the team sync's desk side, loaded when first asked

    return team


def _clear_selection(desk: Any) -> None:
    desk.select_span(None, reveal=False)
    desk.view.place_cursor(desk.view.cursor_pos())


def _toggle_articles(window: Any) -> None:
    window.articles.setVisible(not window.articles.isVisible())


# fmt: off
ACTIONS: tuple[KeyAction, ...] = (
    # -- the article text (the desk) ------------------------------------------------------------
    KeyAction("span.accept", QT_TRANSLATE_NOOP("keymap", "Accept suggestion"), DESK,
              QT_TRANSLATE_NOOP("keymap", "accept the selected suggestion (and move to the next)"),
              lambda d: d.accept_selected(), ("Return", "Enter", "A")),
    KeyAction("span.reject", QT_TRANSLATE_NOOP("keymap", "Reject suggestion"), DESK,
              QT_TRANSLATE_NOOP("keymap", "reject the selected suggestion (hidden; the learned gazetteer counts it)"),
              lambda d: d.reject_selected(), ("X",)),
    KeyAction("span.accept_all", QT_TRANSLATE_NOOP("keymap", "Accept all suggestions"), DESK,
              QT_TRANSLATE_NOOP("keymap", "accept every suggestion in the article (one undo step)"),
              lambda d: d.accept_all(), ("Shift+A",), menu=ARTICLE_MENU, edits=True),
    KeyAction("span.delete", QT_TRANSLATE_NOOP("keymap", "Delete span"), DESK, QT_TRANSLATE_NOOP("keymap", "delete the selected span"),
              lambda d: d.delete_selected(), ("Delete", "Backspace")),
    KeyAction("span.next", QT_TRANSLATE_NOOP("keymap", "Next span"), DESK, QT_TRANSLATE_NOOP("keymap", "select the next span or suggestion"),
              lambda d: d.step_span(1), ("Tab",)),
    KeyAction("span.previous", QT_TRANSLATE_NOOP("keymap", "Previous span"), DESK, QT_TRANSLATE_NOOP("keymap", "select the previous span or suggestion"),
              lambda d: d.step_span(-1), ("Shift+Tab",)),
    KeyAction("span.start_left", QT_TRANSLATE_NOOP("keymap", "Span start one word left"), DESK,
              QT_TRANSLATE_NOOP("keymap", "move the selected span's start one word left"),
              lambda d: d.resize_selected("start", -1), ("Alt+Left",)),
    KeyAction("span.start_right", QT_TRANSLATE_NOOP("keymap", "Span start one word right"), DESK,
              QT_TRANSLATE_NOOP("keymap", "move the selected span's start one word right"),
              lambda d: d.resize_selected("start", 1), ("Alt+Right",)),
    KeyAction("span.end_left", QT_TRANSLATE_NOOP("keymap", "Span end one word left"), DESK,
              QT_TRANSLATE_NOOP("keymap", "move the selected span's end one word left"),
              lambda d: d.resize_selected("end", -1), ("Alt+Shift+Left",)),
    KeyAction("span.end_right", QT_TRANSLATE_NOOP("keymap", "Span end one word right"), DESK,
              QT_TRANSLATE_NOOP("keymap", "move the selected span's end one word right"),
              lambda d: d.resize_selected("end", 1), ("Alt+Shift+Right",)),
    KeyAction("span.clear_selection", QT_TRANSLATE_NOOP("keymap", "Clear the selection"), DESK, QT_TRANSLATE_NOOP("keymap", "clear the selection"),
              _clear_selection, ("Esc",)),
    KeyAction("article.done_next", QT_TRANSLATE_NOOP("keymap", "Mark done and next"), DESK,
              QT_TRANSLATE_NOOP("keymap", "mark the article done and open the next one not done"),
              lambda d: d.mark_done_next(), ("Ctrl+Return", "Ctrl+Enter"), menu=ARTICLE_MENU, edits=True),
    KeyAction("article.next", QT_TRANSLATE_NOOP("keymap", "Next"), DESK, QT_TRANSLATE_NOOP("keymap", "next article"),
              lambda d: d.go(1), ("PgDown",), menu=ARTICLE_MENU),
    KeyAction("article.previous", QT_TRANSLATE_NOOP("keymap", "Previous"), DESK, QT_TRANSLATE_NOOP("keymap", "previous article"),
              lambda d: d.go(-1), ("PgUp",), menu=ARTICLE_MENU),
    # -- the window (menu actions) ----------------------------------------------------------------
    KeyAction("file.new", QT_TRANSLATE_NOOP("keymap", "New project…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "start a new project"),
              lambda w: w.new_project(), ("Ctrl+N",), menu=FILE_MENU),
    KeyAction("file.open", QT_TRANSLATE_NOOP("keymap", "Open project…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "open another project"),
              lambda w: w.open_project(), ("Ctrl+O",), menu=FILE_MENU),
    KeyAction("file.import", QT_TRANSLATE_NOOP("keymap", "Import…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "import articles"),
              lambda w: w.import_dialog(), ("Ctrl+I",), menu=FILE_MENU, edits=True),
    KeyAction("file.export", QT_TRANSLATE_NOOP("keymap", "Export…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "export spans"),
              lambda w: w.export_dialog(), ("Ctrl+E",), menu=FILE_MENU),
    KeyAction("file.join_team", QT_TRANSLATE_NOOP("keymap", "Join team project…"), WINDOW,
              QT_TRANSLATE_NOOP("keymap", "make a local copy of a team project and open it"),
              lambda w: _team().join_dialog(w), menu=FILE_MENU),
    KeyAction("file.sync", QT_TRANSLATE_NOOP("keymap", "Sync now"), WINDOW,
              QT_TRANSLATE_NOOP("keymap", "send your changes to the team server and fetch the others' now"),
              lambda w: _team().sync_now(w), ("F9",), menu=FILE_MENU),
    KeyAction("file.quit", QT_TRANSLATE_NOOP("keymap", "Quit"), WINDOW, QT_TRANSLATE_NOOP("keymap", "close Sorot (everything is saved already)"),
              lambda w: w.close(), ("Ctrl+Q",), menu=FILE_MENU),
    KeyAction("edit.undo", QT_TRANSLATE_NOOP("keymap", "Undo"), WINDOW, QT_TRANSLATE_NOOP("keymap", "undo the last change"),
              lambda w: w.desk.undo_stack.undo(), ("Ctrl+Z",), menu=EDIT_MENU),
    KeyAction("edit.redo", QT_TRANSLATE_NOOP("keymap", "Redo"), WINDOW, QT_TRANSLATE_NOOP("keymap", "redo what was undone"),
              lambda w: w.desk.undo_stack.redo(), ("Ctrl+Shift+Z", "Ctrl+Y"), menu=EDIT_MENU),
    KeyAction("edit.find", QT_TRANSLATE_NOOP("keymap", "Find…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "find in the article"),
              lambda w: w.find_bar.open_bar(), ("Ctrl+F",), menu=EDIT_MENU),
    KeyAction("edit.find_next", QT_TRANSLATE_NOOP("keymap", "Find next"), WINDOW, QT_TRANSLATE_NOOP("keymap", "next hit of the search"),
              lambda w: w.find_bar.step(1), ("F3",), menu=EDIT_MENU),
    KeyAction("edit.find_previous", QT_TRANSLATE_NOOP("keymap", "Find previous"), WINDOW, QT_TRANSLATE_NOOP("keymap", "previous hit of the search"),
              lambda w: w.find_bar.step(-1), ("Shift+F3",), menu=EDIT_MENU),
    KeyAction("article.skip", QT_TRANSLATE_NOOP("keymap", "Skip"), WINDOW, QT_TRANSLATE_NOOP("keymap", "mark the article skipped and open the next one not done"),
              lambda w: w.desk.set_status("skipped", then_next=True), ("Ctrl+K",), menu=ARTICLE_MENU,
              edits=True),
    KeyAction("article.flag", QT_TRANSLATE_NOOP("keymap", "Flag for review"), WINDOW, QT_TRANSLATE_NOOP("keymap", "flag the article for review"),
              lambda w: w.desk.set_status("flagged"), menu=ARTICLE_MENU, edits=True),
    KeyAction("article.suggest_again", QT_TRANSLATE_NOOP("keymap", "Suggest again"), WINDOW, QT_TRANSLATE_NOOP("keymap", "run the suggesters on the article again"),
              lambda w: w.suggest_again(), ("Ctrl+R",), menu=ARTICLE_MENU, edits=True),
    KeyAction("article.suggest_project", QT_TRANSLATE_NOOP("keymap", "Suggest for the whole project…"), WINDOW,
              QT_TRANSLATE_NOOP("keymap", "run the suggesters on every article waiting"), lambda w: w.suggest_project(),
              menu=ARTICLE_MENU, edits=True),
    KeyAction("view.articles", QT_TRANSLATE_NOOP("keymap", "Articles list"), WINDOW, QT_TRANSLATE_NOOP("keymap", "show or hide the articles list"),
              _toggle_articles, ("Ctrl+L",), menu=VIEW_MENU),
    KeyAction("view.review", QT_TRANSLATE_NOOP("keymap", "Review"), WINDOW, QT_TRANSLATE_NOOP("keymap", "open the review window"),
              lambda w: w.show_review(), ("Ctrl+Shift+R",), menu=VIEW_MENU),
    KeyAction("view.train", QT_TRANSLATE_NOOP("keymap", "Train…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "train a model on the finished articles"),
              lambda w: w.train_dialog(), menu=VIEW_MENU, edits=True),
    KeyAction("view.zoom_in", QT_TRANSLATE_NOOP("keymap", "Bigger text"), WINDOW, QT_TRANSLATE_NOOP("keymap", "make the text bigger (remembered)"),
              lambda w: w.look.zoom_in(), ("Ctrl+=", "Ctrl++", "Ctrl+Shift+="), menu=VIEW_MENU),
    KeyAction("view.zoom_out", QT_TRANSLATE_NOOP("keymap", "Smaller text"), WINDOW, QT_TRANSLATE_NOOP("keymap", "make the text smaller (remembered)"),
              lambda w: w.look.zoom_out(), ("Ctrl+-",), menu=VIEW_MENU),
    KeyAction("view.zoom_reset", QT_TRANSLATE_NOOP("keymap", "Text at 100 %"), WINDOW, QT_TRANSLATE_NOOP("keymap", "text back to its normal size"),
              lambda w: w.look.zoom_reset(), ("Ctrl+0",), menu=VIEW_MENU),
    KeyAction("settings.general", QT_TRANSLATE_NOOP("keymap", "Settings…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "your name, the language, the suggesters and the keys"),
              lambda w: w.settings_dialog(), menu=SETTINGS_MENU),
    KeyAction("settings.suggesters", QT_TRANSLATE_NOOP("keymap", "Suggesters…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "choose the suggesters"),
              lambda w: w.settings_dialog(suggesters=True), menu=SETTINGS_MENU),
    KeyAction("settings.keys", QT_TRANSLATE_NOOP("keymap", "Keys…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "change the keys"),
              lambda w: w.settings_dialog(keys=True), menu=SETTINGS_MENU),
    KeyAction("settings.labels", QT_TRANSLATE_NOOP("keymap", "Label set…"), WINDOW, QT_TRANSLATE_NOOP("keymap", "edit the labels, their colours and keys"),
              lambda w: w.label_dialog(), menu=SETTINGS_MENU, edits=True),
    KeyAction("help.keyboard", QT_TRANSLATE_NOOP("keymap", "Keyboard"), WINDOW, QT_TRANSLATE_NOOP("keymap", "this list of keys"),
              lambda w: w.cheat_sheet(), ("F1",), menu=HELP_MENU),
    KeyAction("help.guidelines", QT_TRANSLATE_NOOP("keymap", "Guidelines"), WINDOW, QT_TRANSLATE_NOOP("keymap", "show or hide the labelling guidelines beside the text"),
              lambda w: w.toggle_guidelines(), ("Shift+F1",), menu=HELP_MENU),
    KeyAction("help.about", QT_TRANSLATE_NOOP("keymap", "About Sorot"), WINDOW, QT_TRANSLATE_NOOP("keymap", "what Sorot is"),
              lambda w: w.about(), menu=HELP_MENU),
)
# fmt: on

BY_ID: dict[str, KeyAction] = {a.id: a for a in ACTIONS}
if len(BY_ID) != len(ACTIONS):
    raise ValueError("two actions share an id")

#: What the mouse does, for the cheat-sheet (not keys, so not remappable).
MOUSE = (
    (
        QT_TRANSLATE_NOOP("keymap", "Select text (mouse, or Shift+arrows)"),
        QT_TRANSLATE_NOOP("keymap", "then a label key"),
    ),
    (
        QT_TRANSLATE_NOOP("keymap", "Click a span"),
        QT_TRANSLATE_NOOP("keymap", "select it (innermost; click again for the span around it)"),
    ),
)


def _shown(text: str) -> str:
    """A text of this module's tables (each marked ``QT_TRANSLATE_NOOP("keymap", …)``, the table
    holds the English) in the desk's language; "" stays ""."""
    return translate("keymap", text) if text else ""


def name_of(action: KeyAction) -> str:
    """The action's name in the desk's language."""
    return _shown(action.name)


def help_of(action: KeyAction) -> str:
    return _shown(action.help)


def where_text(where: Where) -> str:
    return _shown(WHERE_TEXT[where])


def menu_name(action: KeyAction) -> str:
    return _shown(action.menu)


def mouse() -> list[tuple[str, str]]:
    """What the mouse does, in the desk's language."""
    return [(_shown(what), _shown(then)) for what, then in MOUSE]


def sequence(key: str | QKeySequence) -> QKeySequence:
    return key if isinstance(key, QKeySequence) else QKeySequence(key)


def combined(seq: QKeySequence) -> int:
    """The one chord of a one-key sequence as an int (what the lookups are keyed by); 0 if empty."""
    return 0 if seq.isEmpty() else seq[0].toCombined()


def shown(key: str | QKeySequence) -> str:
    """A key as the analyst reads it ("Ctrl+Z", "PgDown")."""
    return sequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def portable(key: str | QKeySequence) -> str:
    return sequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def event_chord(e: QKeyEvent) -> int | None:
    """The key an event presses, as ``combined`` gives it; None for a lone modifier.

    Shift+Tab arrives as Backtab and a keypad Enter with the keypad flag: both are folded to
    the keys the table names."""
    key = Qt.Key(e.key())
    if key in _MODIFIER_KEYS or key == Qt.Key.Key_unknown:
        return None
    mods = e.modifiers() & _MODIFIERS
    if key == Qt.Key.Key_Backtab:
        key, mods = Qt.Key.Key_Tab, mods | Mods.ShiftModifier
    return QKeyCombination(mods, key).toCombined()


def label_chords(shortcut: str) -> list[int]:
    """The keys a label key answers to: its character, and with Shift for a letter (the desk
    matches label keys by the typed character, case-insensitively)."""
    if not shortcut:
        return []
    seq = QKeySequence(shortcut.upper())
    if seq.isEmpty() or seq.count() != 1:
        return []
    chord = seq[0]
    out = [chord.toCombined()]
    if chord.keyboardModifiers() == Mods.NoModifier and shortcut.isalpha():
        out.append(QKeyCombination(Mods.ShiftModifier, chord.key()).toCombined())
    return out


class Keymap(QObject):
    """The keys of every action: the defaults, with the analyst's changes on top.

    ``changed`` is emitted after the keys change; the window rebinds its shortcuts and the
    desk reads the new keys on the next key press.
    """

    changed = Signal()

    def __init__(self, overrides: Mapping[str, Iterable[str]] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._overrides: dict[str, tuple[str, ...]] = {}
        self._by_chord: dict[int, KeyAction] = {}
        self._triggers: dict[str, Callable[[], object]] = {}
        self._set(overrides or {})

    # -- reading and storing ----------------------------------------------------------------------

    @classmethod
    def load(cls, settings: QSettings | None = None, parent: QObject | None = None) -> Keymap:
        """The keys the analyst chose (``ui.settings.app_settings()`` unless told otherwise)."""
        return cls(read_overrides(settings or _app_settings()), parent)

    def overrides(self) -> dict[str, tuple[str, ...]]:
        """The actions whose keys differ from the defaults, and their keys."""
        return dict(self._overrides)

    def set_overrides(
        self, overrides: Mapping[str, Iterable[str]], settings: QSettings | None = None
    ) -> None:
        """Take these keys (refused whole if two actions would share one), store them and say so."""
        keys = effective(overrides)
        problem = clash(keys)
        if problem:
            raise ValueError(problem)
        self._set(overrides)
        write_overrides(settings or _app_settings(), self._overrides)
        self.changed.emit()

    def reset(self, settings: QSettings | None = None) -> None:
        self.set_overrides({}, settings)

    def _set(self, overrides: Mapping[str, Iterable[str]]) -> None:
        clean: dict[str, tuple[str, ...]] = {}
        for action_id, keys in overrides.items():
            action = BY_ID.get(action_id)
            if action is None:
                continue  # an action a newer or older Sorot had
            mine = tuple(portable(k) for k in keys if sequence(k).count() == 1)  # garbage in the file: no key
            if mine != tuple(portable(k) for k in action.keys):
                clean[action_id] = mine
        self._overrides = clean
        self._by_chord = {combined(sequence(k)): a for a in ACTIONS for k in self.keys(a.id)}

    # -- asking ----------------------------------------------------------------------------------

    def keys(self, action_id: str) -> tuple[str, ...]:
        """The keys of an action now, portable text ("Ctrl+Z")."""
        if action_id in self._overrides:
            return self._overrides[action_id]
        return tuple(portable(k) for k in BY_ID[action_id].keys)

    def sequences(self, action_id: str) -> list[QKeySequence]:
        return [QKeySequence(k) for k in self.keys(action_id)]

    def text(self, action_id: str, sep: str = ", ") -> str:
        """The keys of an action as the analyst reads them, "" for none."""
        return sep.join(shown(k) for k in self.keys(action_id))

    def all_keys(self) -> dict[str, tuple[str, ...]]:
        return {a.id: self.keys(a.id) for a in ACTIONS}

    def action_for(self, e: QKeyEvent) -> KeyAction | None:
        """The action a key press means, or None.

        Shift with a key that is not a letter and has no Shift binding of its own does what
        the key does alone (Shift+Enter accepts, Shift+Delete deletes), as the desk always did.
        """
        chord = event_chord(e)
        if chord is None:
            return None
        action = self._by_chord.get(chord)
        if action is not None:
            return action
        combo = QKeyCombination.fromCombined(chord)
        key, mods = combo.key(), combo.keyboardModifiers()
        if mods & Mods.ShiftModifier and not (Qt.Key.Key_A <= key <= Qt.Key.Key_Z or key == Qt.Key.Key_Tab):
            return self._by_chord.get(QKeyCombination(mods & ~Mods.ShiftModifier, key).toCombined())
        return None

    # -- window actions ----------------------------------------------------------------------------

    def bind(self, action_id: str, trigger: Callable[[], object]) -> None:
        """The window's menu action for ``action_id`` (its ``QAction.trigger``)."""
        self._triggers[action_id] = trigger

    def trigger(self, action_id: str) -> bool:
        """Run a window action through its menu action (so a disabled one does nothing);
        False when no window bound it."""
        run = self._triggers.get(action_id)
        if run is None:
            return False
        run()
        return True


# -- the rules, as plain functions over {action id: keys} ---------------------------------------------


def effective(overrides: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """Every action's keys with these overrides on the defaults."""
    out = {a.id: tuple(portable(k) for k in a.keys) for a in ACTIONS}
    for action_id, keys in overrides.items():
        if action_id in out:
            out[action_id] = tuple(portable(k) for k in keys if sequence(k).count() == 1)
    return out


def holders(keys: Mapping[str, Iterable[str]], labels: Iterable[Label] = ()) -> dict[int, list[str]]:
    """Who holds each key: action ids, and ``label:NAME`` for a label key."""
    out: dict[int, list[str]] = {}
    for action_id, seqs in keys.items():
        for k in seqs:
            out.setdefault(combined(sequence(k)), []).append(action_id)
    for lab in labels:
        for chord in label_chords(lab.shortcut):
            out.setdefault(chord, []).append(f"label:{lab.name}")
    out.pop(0, None)
    return out


def conflicts(keys: Mapping[str, Iterable[str]], labels: Iterable[Label] = ()) -> list[tuple[str, list[str]]]:
    """Keys held by more than one action or label: (key as shown, holders)."""
    return [
        (shown(QKeySequence(QKeyCombination.fromCombined(chord))), who)
        for chord, who in holders(keys, labels).items()
        if len(who) > 1
    ]


def holder_name(holder: str) -> str:
    """An action id or ``label:NAME`` in the analyst's words."""
    if holder.startswith("label:"):
        return translate("keymap", "the label {name}").format(name=holder[6:])
    action = BY_ID[holder]
    where = (
        translate("keymap", "{menu} menu").format(menu=menu_name(action))
        if action.menu
        else where_text(action.where)
    )
    return translate("keymap", "“{action}” ({where})").format(action=name_of(action), where=where)


def clash(keys: Mapping[str, Iterable[str]], labels: Iterable[Label] = ()) -> str:
    """Why these keys cannot be: the first key held twice, said plainly; "" when all is well."""
    for key, who in conflicts(keys, labels):
        names = translate("keymap", " and ").join(holder_name(h) for h in who)
        return translate("keymap", "{key} would do two things: {names}.").format(key=key, names=names)
    return ""


def taken_by(key: str | QKeySequence, action_id: str, keys: Mapping[str, Iterable[str]],
             labels: Iterable[Label] = ()) -> str:  # fmt: skip
    """Who else holds ``key`` (an action id or ``label:NAME``), or "" when it is free for ``action_id``."""
    chord = combined(sequence(key))
    for holder in holders(keys, labels).get(chord, []):
        if holder != action_id:
            return holder
    return ""


def refusal(key: str | QKeySequence, action_id: str, keys: Mapping[str, Iterable[str]],
            labels: Iterable[Label] = ()) -> str:  # fmt: skip
    """The message for giving ``key`` to ``action_id``, or "" when it may have it."""
    seq = sequence(key)
    if seq.isEmpty():
        return translate("keymap", "Press a key first.")
    if seq.count() != 1:
        return translate(
            "keymap", "{key} is several keys in a row: choose one key (with Ctrl, Alt or Shift if you like)."
        ).format(key=shown(seq))
    holder = taken_by(seq, action_id, keys, labels)
    if not holder:
        return ""
    if holder.startswith("label:"):
        fix = translate(
            "keymap", "Choose another key, or change that label's key in Settings > Label set first."
        )
    else:
        fix = translate("keymap", "Choose another key, or give that action a different key first.")
    return translate("keymap", "{key} is already taken by {holder}. {fix}").format(
        key=shown(seq), holder=holder_name(holder), fix=fix
    )


# -- QSettings -------------------------------------------------------------------------------------


def _app_settings() -> QSettings:
    from ui.settings import app_settings

    return app_settings()


def read_overrides(settings: QSettings) -> dict[str, tuple[str, ...]]:
    settings.beginGroup(SETTINGS_GROUP)
    try:
        out: dict[str, tuple[str, ...]] = {}
        for action_id in settings.childKeys():
            value = settings.value(action_id, "")
            if value is None:
                value = []
            elif isinstance(value, str):
                value = [value] if value else []
            out[action_id] = tuple(str(v) for v in value if str(v))
        return out
    finally:
        settings.endGroup()


def write_overrides(settings: QSettings, overrides: Mapping[str, tuple[str, ...]]) -> None:
    settings.remove(SETTINGS_GROUP)
    settings.beginGroup(SETTINGS_GROUP)
    try:
        for action_id, keys in overrides.items():
            # one key as a plain string, several as a list, none as "" (QSettings reads an empty list back as None)
            settings.setValue(action_id, list(keys) if len(keys) > 1 else (keys[0] if keys else ""))
    finally:
        settings.endGroup()
    settings.sync()
