"""The desk in English or Indonesian: Qt's translation, switched at once.

Every string the analyst reads goes through ``translate(context, text)`` (a name
``pyside6-lupdate`` recognises), or is marked with ``QT_TRANSLATE_NOOP`` where it sits in a
table (``ui.keymap``, the statuses below) and translated where it is shown. The Indonesian
source is ``resources/i18n/sorot_id.ts``, kept in the repository and reviewed as text; the
compiled ``.qm`` is never committed: ``pyside6-lrelease`` (shipped with PySide6) builds it
beside the ``.ts`` the first time the desk needs it, and again whenever the ``.ts`` is newer
(or into the user cache dir when the installed package is read-only). ``python -m ui.i18n``
builds it ahead of time, for a packager.

The language follows the system locale unless the analyst chose one in Settings (stored per
user as ``language``: ``system``, ``en`` or ``id``); a choice applies at once: Qt sends every
widget a ``LanguageChange`` and the desk's widgets set their texts again. Numbers and dates
follow the language's locale (the system's own when the language follows the system).

A string without a translation shows in English, never empty: Qt falls back to the source
text, and ``translate`` does too. Project data (label names, article text, guidelines) is
never translated. The command line speaks English.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection
from importlib import resources
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDateTime,
    QEvent,
    QLocale,
    QObject,
    Qt,
    QTimeZone,
    QTranslator,
    Signal,
)

from ui import settings as user_settings

log = logging.getLogger(__name__)

#: What Settings offers: follow the system, or one of the languages the desk speaks.
CHOICES = ("system", "en", "id")
#: The languages that have a translation file (English is the source).
TRANSLATED = ("id",)
SETTING = "language"
CATALOGUE = "sorot"

#: Statuses are data (stored in English, ``in_progress`` with an underscore); they are
#: translated where they are shown, under their names with spaces.
STATUS_NAMES = (
    QT_TRANSLATE_NOOP("status", "new"),
    QT_TRANSLATE_NOOP("status", "in progress"),
    QT_TRANSLATE_NOOP("status", "done"),
    QT_TRANSLATE_NOOP("status", "reviewed"),
    QT_TRANSLATE_NOOP("status", "skipped"),
    QT_TRANSLATE_NOOP("status", "flagged"),
    QT_TRANSLATE_NOOP("status", "suggested"),
    QT_TRANSLATE_NOOP("status", "accepted"),
    QT_TRANSLATE_NOOP("status", "rejected"),
)
#: Label kinds, likewise.
KIND_NAMES = (
    QT_TRANSLATE_NOOP("status", "entity"),
    QT_TRANSLATE_NOOP("status", "claim"),
)


#: Qt's own words on the desk's screens (standard buttons, message boxes, the text fields'
#: menus). Qt ships no Indonesian catalogue, so Sorot's carries these in Qt's own contexts.
QT_STRINGS = (
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Open"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Yes to &All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "N&o to All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Abort"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Retry"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Ignore"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Apply"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Reset"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Restore Defaults"),
    QT_TRANSLATE_NOOP("QMessageBox", "Show Details..."),
    QT_TRANSLATE_NOOP("QMessageBox", "Hide Details..."),
    QT_TRANSLATE_NOOP("QMessageBox", "About Qt"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Undo"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Redo"),
    QT_TRANSLATE_NOOP("QLineEdit", "Cu&t"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Copy"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Paste"),
    QT_TRANSLATE_NOOP("QLineEdit", "Delete"),
    QT_TRANSLATE_NOOP("QLineEdit", "Select All"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Undo"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Redo"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Cu&t"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Copy"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Copy &Link Location"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Paste"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Delete"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Select All"),
    QT_TRANSLATE_NOOP("QKeySequenceEdit", "Press shortcut"),
)


def translate(context: str, text: str, disambiguation: str | None = None) -> str:
    """``text`` in the desk's language; the English ``text`` when it has no translation."""
    return QCoreApplication.translate(context, text, disambiguation) or text


def marked_word(context: str, words: Collection[str], word: str) -> str:
    """``word`` in the desk's language when it is one of ``words`` (a table whose words are
    marked ``QT_TRANSLATE_NOOP(context, …)``); any other word as it is."""
    return translate(context, word) if word in words else word


def status_name(status: str) -> str:
    """An article's or a span's status as the analyst reads it ("in progress", "sedang dikerjakan")."""
    return marked_word("status", STATUS_NAMES, str(status).replace("_", " "))


def kind_name(kind: str) -> str:
    return marked_word("status", KIND_NAMES, str(kind))


def local_time(value: str | None) -> QDateTime | None:
    """A stored UTC timestamp (ISO 8601, read to the second) in the analyst's time zone; None
    for no value or one that is not a time."""
    if not value:
        return None
    stamp = QDateTime.fromString(value[:19], Qt.DateFormat.ISODate)
    if not stamp.isValid():
        return None
    stamp.setTimeZone(QTimeZone.utc())
    return stamp.toLocalTime()


def choice_names() -> dict[str, str]:
    """The Settings list: each language in its own words, "System" in the desk's."""
    return {
        "system": translate("i18n", "Follow the system"),
        "en": "English",
        "id": "Bahasa Indonesia",
    }


# -- the analyst's choice --------------------------------------------------------------------------


def language_setting() -> str:
    value = str(user_settings.app_settings().value(SETTING, "system") or "system")
    return value if value in CHOICES else "system"


def store_language_setting(choice: str) -> None:
    if choice not in CHOICES:
        raise ValueError(f"language must be one of {', '.join(CHOICES)}, not {choice!r}")
    s = user_settings.app_settings()
    s.setValue(SETTING, choice)
    s.sync()


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language a choice means: ``system`` is Indonesian on an Indonesian system, else English."""
    if choice in ("en", "id"):
        return choice
    system = system or QLocale.system()
    if system.language() == QLocale.Language.Indonesian:
        return "id"
    # LANGUAGE=id:en and friends: the first language the system prefers that the desk speaks
    for name in system.uiLanguages():
        code = name.replace("-", "_").split("_")[0].lower()
        if code in ("id", "in"):
            return "id"
        if code == "en":
            return "en"
    return "en"


def locale_for(choice: str, system: QLocale | None = None) -> QLocale:
    """Numbers and dates: the system's locale when it speaks the language shown, else the language's own."""
    system = system or QLocale.system()
    lang = resolve(choice, system)
    wanted = QLocale.Language.Indonesian if lang == "id" else QLocale.Language.English
    if system.language() == wanted:
        return system
    if lang == "id":
        return QLocale("id_ID")
    return QLocale("en_US")


# -- the .qm: built from the .ts by lrelease --------------------------------------------------------


def ts_file(lang: str) -> Path:
    return Path(str(resources.files("resources").joinpath("i18n", f"{CATALOGUE}_{lang}.ts")))


def qt_tool(name: str) -> Path | None:
    """A Qt tool PySide6 ships (``lrelease``, ``lupdate``), or None."""
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    for candidate in (
        base / name,
        base / f"{name}.exe",
        base / "Qt" / "bin" / name,
        base / "Qt" / "libexec" / name,
    ):
        if candidate.is_file():
            return candidate
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(
        f"pyside6-{name}"
    )
    return Path(found) if found else None


def compile_ts(ts: Path, qm: Path) -> bool:
    """``lrelease ts -qm qm``, written whole or not at all; False when it could not be."""
    tool = qt_tool("lrelease")
    if tool is None:
        log.warning("pyside6-lrelease not found: the desk stays in English")
        return False
    try:
        qm.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{qm.stem}-", suffix=".qm", dir=qm.parent)
        os.close(fd)
    except OSError:
        return False
    try:
        done = subprocess.run(
            [str(tool), "-silent", str(ts), "-qm", tmp],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or not Path(tmp).stat().st_size:
            log.warning("lrelease failed on %s: %s", ts, done.stderr.strip() or done.stdout.strip())
            return False
        os.replace(tmp, qm)
        return True
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("lrelease failed on %s: %s", ts, exc)
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def _cache_dir() -> Path:
    from annotator.user_cache import cache_dir

    return cache_dir() / "i18n"


def qm_file(lang: str) -> Path | None:
    """The compiled catalogue of ``lang``, built now if it is missing or older than its ``.ts``."""
    ts = ts_file(lang)
    if not ts.is_file():
        return None
    beside = ts.with_suffix(".qm")
    if beside.is_file() and beside.stat().st_mtime >= ts.stat().st_mtime:
        return beside
    if _writable(ts.parent) and compile_ts(ts, beside):
        return beside
    # an installed, read-only package: the user's cache, named by the .ts's content
    digest = hashlib.sha1(ts.read_bytes()).hexdigest()[:12]
    cached = _cache_dir() / f"{CATALOGUE}_{lang}-{digest}.qm"
    if cached.is_file() or compile_ts(ts, cached):
        return cached
    return None


# -- switching ---------------------------------------------------------------------------------------


class Catalogue(QTranslator):
    """Sorot's compiled catalogue. A string lupdate read outside a class from a module's own
    helper (``def tr(text): return translate("Team", text)``) is filed without a context; it is
    found whatever context the code asks with. Nothing found: None, so Qt shows the English."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ANN001, ANN201 - Qt's signature
        found = super().translate(context, source, disambiguation, n)
        if not found and context:
            found = super().translate("", source, disambiguation, n)
        return found or None


class Language(QObject):
    """The application's one translator and locale. ``apply(choice)`` installs them; Qt then
    sends ``LanguageChange`` to every widget; ``changed`` is emitted too, for texts set outside
    a widget of their own (``follow``)."""

    changed = Signal(str)  # the language now shown

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName("sorotLanguage")
        self.app = app
        self.choice = "system"
        self.language = "en"
        self._translator: QTranslator | None = None

    @classmethod
    def of(cls, app: QCoreApplication | None = None) -> Language:
        app = app or QCoreApplication.instance()
        found = app.findChild(Language, "sorotLanguage")
        if found is None:
            found = Language(app)
        return found

    def apply(self, choice: str) -> str:
        """Show the desk in ``choice`` (``system``, ``en``, ``id``); returns the language shown."""
        if choice not in CHOICES:
            raise ValueError(f"language must be one of {', '.join(CHOICES)}, not {choice!r}")
        lang = resolve(choice)
        before = QLocale().name()
        QLocale.setDefault(locale_for(choice))
        self.choice = choice
        if lang == self.language and (lang == "en" or self._translator is not None):
            if QLocale().name() != before:  # the same words, other numbers and dates: shown again
                QCoreApplication.postEvent(self.app, QEvent(QEvent.Type.LanguageChange))
                self.changed.emit(lang)
            return lang
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
            self._translator = None
        if lang in TRANSLATED:
            qm = qm_file(lang)
            translator = Catalogue(self)
            if qm is not None and translator.load(str(qm)):
                self.app.installTranslator(translator)
                self._translator = translator
            else:
                log.warning("no Indonesian catalogue could be loaded: the desk stays in English")
                lang = "en"
        self.language = lang
        self.changed.emit(lang)
        return lang

    def restore(self) -> None:
        """Back to English (tests share one application)."""
        self.apply("en")
        QLocale.setDefault(QLocale.c() if QLocale.system().name() == "C" else QLocale.system())
        self.setParent(None)
        self.deleteLater()


def follow(owner: QObject, update: Callable[[], object]) -> None:
    """Run ``update`` (which sets some texts with ``translate``) now and after every language
    change while ``owner`` lives: for actions and labels a module adds to a window it does not
    own (the window's own texts follow ``LanguageChange`` in its ``retranslate``)."""
    update()
    language = Language.of()
    language.changed.connect(update)

    def forget(*_args) -> None:
        try:
            language.changed.disconnect(update)
        except (RuntimeError, TypeError):  # the language went first (tests restore it)
            pass

    owner.destroyed.connect(forget)


def install(app: QCoreApplication | None = None) -> Language:
    """At start: the language the analyst chose, or the system's."""
    language = Language.of(app)
    language.apply(language_setting())
    return language


def set_language(choice: str, app: QCoreApplication | None = None) -> str:
    """The analyst chose a language in Settings: remember it and show it now."""
    store_language_setting(choice)
    return Language.of(app).apply(choice)


if __name__ == "__main__":  # python -m ui.i18n: build the .qm files ahead of time
    for code in TRANSLATED:
        source = ts_file(code)
        target = source.with_suffix(".qm")
        print(f"{source} -> {target}: {'ok' if compile_ts(source, target) else 'FAILED'}")
