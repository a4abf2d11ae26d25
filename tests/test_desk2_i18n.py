"""[desk-2] The desk in Indonesian and English, switchable (Settings > General > Language).

Each screen checked here (the menus, the status bar, the article list, Help > Keyboard, the
Settings dialog) is read back string by string: none is empty, and none is still one of the
English source texts the catalogue translates (a few words are the same in both languages:
"OK", "Label", "Status"... their translation says so). The language applies at once.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.paths import ROOT, SAMPLE

pytestmark = pytest.mark.gui

TS = ROOT / "resources" / "i18n" / "sorot_id.ts"
#: Words that give English away (none is Indonesian); key names are not checked (keys are keys).
ENGLISH_WORDS = {
    "the", "and", "of", "to", "with", "or", "is", "in", "on", "for", "by", "from", "all", "no", "not",
    "article", "articles", "span", "spans", "select", "selected", "file", "edit", "view", "help",
    "settings", "undo", "redo", "cancel", "close", "next", "previous", "find", "export", "import",
    "keys", "key", "done", "saved", "changes", "new", "open", "project", "suggestion", "suggestions",
    "accept", "reject", "delete", "text", "name", "language", "general", "action", "where", "labels",
}  # fmt: skip


def catalogue() -> tuple[set[str], set[str]]:
    """(English texts the catalogue changes, texts it keeps as they are), mnemonics taken out."""
    changed, same = set(), set()
    for msg in ET.parse(TS).getroot().iter("message"):
        src, tr = msg.findtext("source") or "", msg.findtext("translation") or ""
        (same if src == tr else changed).add(plain(src))
    return changed - same, same


def plain(text: str) -> str:
    """A shown text as words: no mnemonic, no keys after a tab, no markup."""
    if "<" in text:  # rich text: its words
        return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ").strip()
    return text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def check_indonesian(texts: list[str], where: str) -> None:
    """None empty, none left in English."""
    english, _same = catalogue()
    assert texts, f"{where}: nothing was read"
    for raw in texts:
        text = plain(raw)
        assert text, f"{where}: an empty string among {texts}"
        assert text not in english, f"{where}: {text!r} is still English"
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
        assert not words & ENGLISH_WORDS, f"{where}: {text!r} has English words {sorted(words & ENGLISH_WORDS)}"


@pytest.fixture
def sample_project(project_path: Path) -> Path:
    """A project holding the sample article (an Indonesian news report)."""
    from ops.workflows import import_paths
    from storage.store import Store

    store = Store.open(project_path)
    try:
        import_paths(store, [str(SAMPLE)])
    finally:
        store.close()
    return project_path


@pytest.fixture
def language(qapp, sorot_env):
    """The application's language switch; English again after the test (tests share one application)."""
    from ui import i18n

    lang = i18n.Language.of(qapp)
    yield lang
    lang.restore()


@pytest.fixture
def indonesian(language):
    """The analyst chose Bahasa Indonesia (stored in their settings, as Settings does)."""
    from ui import i18n

    assert i18n.set_language("id") == "id"
    return language


def menu_texts(menu) -> list[str]:
    out = [menu.title()]
    for act in menu.actions():
        if act.isSeparator():
            continue
        out.append(act.text())
        if act.menu() is not None:
            out += menu_texts(act.menu())
    return out


def desk_texts(w) -> list[str]:
    """What the desk shows in words, apart from the project's own data."""
    from PySide6.QtCore import Qt

    texts = []
    w._fill_recent()  # Recent projects, as when the menu opens
    for act in w.menuBar().actions():
        texts += menu_texts(act.menu())
    texts += [w.progress_label.text(), w.saved_label.text(), w.look_button.toolTip()]
    texts += [act.text() for act in w.look_button.menu().actions() if not act.isSeparator()]
    texts += [w.retry_button.text(), w.suggest_cancel.text()]
    article_list, spans = w.articles, w.spans_panel
    texts += [article_list.status_combo.itemText(i) for i in range(article_list.status_combo.count())]
    texts += [article_list.search_edit.placeholderText(), article_list.table.horizontalHeader().toolTip()]
    for model in (article_list.model, spans.model):
        texts += [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    texts += [spans.note_edit.placeholderText(), spans.note_label.text(), w.find_bar.find_label.text()]
    texts += [w.find_bar.edit.placeholderText(), w.guidelines.windowTitle()]
    return texts


def test_the_desk_in_indonesian_has_no_english_left(qtbot, indonesian, open_window, sample_project, tmp_path):
    # Given Bahasa Indonesia chosen, and a project with the sample article
    w = open_window(sample_project, auto_suggest=False)
    # Then the menus say so, each with its own mnemonic
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles == ["&Berkas", "&Sunting", "&Artikel", "&Tampilan", "&Pengaturan", "Ba&ntuan"]
    assert w.actions_by_id["edit.undo"].text() == "Batalkan"
    assert w.actions_by_id["span.accept_all"].text() == "Terima semua saran\tShift+A"
    # And the status bar, the panels and the menus hold no English and no empty string
    check_indonesian(desk_texts(w), "the desk")
    assert w.progress_label.text() == "Selesai 0 / 1"
    qtbot.waitUntil(lambda: w.saved_label.text() == "Semua perubahan tersimpan")
    # And numbers and statuses follow the language: "3.370 karakter", "baru"
    article = w.desk.article
    count = f"{len(article.text):,}".replace(",", ".")
    assert f"{article.language} · baru · {count} karakter" in plain(w.title.text())
    details = w.articles.model.details_of(w.articles.model.rows[0])
    assert details.startswith("baru · id · 0 rentang")
    # And the project's own words stay as they are: label names, the article's title
    assert [b.text().split()[-1] for b in w.palette.buttons.values()] == ["ACTOR", "LOCATION", "CLAIM"]
    assert w.palette.caption.text() == "Label:"


def test_help_keyboard_in_indonesian(indonesian, open_window, sample_project, monkeypatch):
    from ui import dialogs

    # Given the desk in Indonesian
    w = open_window(sample_project, auto_suggest=False)
    shown = []
    monkeypatch.setattr(dialogs.CheatSheet, "exec", lambda self: shown.append(self) or 0)
    # When the analyst opens Help > Keyboard (F1)
    w.actions_by_id["help.keyboard"].trigger()
    sheet = shown[0]
    # Then its title, headings and every line of what a key does are Indonesian, none empty
    assert sheet.windowTitle() == "Papan ketik"
    page = dialogs.cheat_sheet_html(w.keymap, w.desk.labels)  # what the sheet shows
    rows = re.findall(r"<tr><td><b>(.*?)</b></td><td>(.*?)</td></tr>", page)
    headings = re.findall(r"<h3>(.*?)</h3>|<b style='font-size:large'>(.*?)</b>", page)
    notes = re.findall(r"<p>(.*?)</p>", page)
    assert len(rows) >= len(dialogs.keymap.ACTIONS) - 10 and len(headings) == 3 and notes
    check_indonesian([what for _keys, what in rows], "Help > Keyboard: what each key does")
    check_indonesian([h for pair in headings for h in pair if h] + notes, "Help > Keyboard: headings")
    assert all(keys.strip() for keys, _what in rows)
    text = sheet.view.toPlainText()
    assert "Di teks artikel" in text and "terima saran yang dipilih (lalu pindah ke berikutnya)" in text
    # And its button is Qt's own, translated too
    from PySide6.QtWidgets import QDialogButtonBox

    box = sheet.findChild(QDialogButtonBox)
    assert [b.text() for b in box.buttons()] == ["Tutup"]


def settings_texts(dlg) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QFormLayout, QLabel, QTabWidget

    texts = [dlg.windowTitle()]
    tabs = dlg.findChild(QTabWidget)
    texts += [tabs.tabText(i) for i in range(tabs.count())]
    for form in dlg.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if label is not None and label.widget() is not None:
                texts.append(label.widget().text())
    texts += [b.text() for b in dlg.findChildren(QAbstractButton) if b.text()]
    texts += [lab.text() for lab in dlg.findChildren(QLabel) if lab.text() and lab.isVisibleTo(dlg)]
    combo = dlg.language_combo
    texts += [combo.itemText(0)]  # "Follow the system"; the languages are named in their own words
    table = dlg.keys.table
    texts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    for r in range(table.rowCount()):
        texts += [table.item(r, 0).text(), table.item(r, 1).text()]  # the action and where it works
    texts += [dlg.suggesters.list.item(r).text() for r in range(dlg.suggesters.list.count())]
    return texts


def test_the_settings_dialog_in_indonesian(indonesian, open_window, sample_project, monkeypatch):
    from ui import dialogs

    # Given the desk in Indonesian
    w = open_window(sample_project, auto_suggest=False)
    monkeypatch.setattr(dialogs, "suggester_choices", lambda store=None: list(dialogs.BUILTIN_CHOICES))
    seen = []
    monkeypatch.setattr(dialogs.SettingsDialog, "exec", lambda self: seen.append(self) or 0)
    # When the analyst opens Settings
    w.actions_by_id["settings.general"].trigger()
    dlg = seen[0]
    # Then every word of it is Indonesian, Qt's OK and Cancel too, and nothing is empty
    check_indonesian(settings_texts(dlg), "Settings")
    from PySide6.QtWidgets import QDialogButtonBox

    box = dlg.findChild(QDialogButtonBox)
    assert sorted(b.text() for b in box.buttons()) == ["Batal", "OK"]
    # And the language choice names each language in its own words
    combo = dlg.language_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Ikuti sistem", "English", "Bahasa Indonesia"]
    assert combo.currentData() == "id"


def test_switching_language_in_settings_applies_at_once(qtbot, language, open_window, sample_project, monkeypatch):
    from PySide6.QtCore import QLocale

    from ui import dialogs, i18n

    # Given the desk in English (the system's language here, and its numbers)
    w = open_window(sample_project, auto_suggest=False)
    assert w.menuBar().actions()[0].text() == "&File"
    article = w.desk.article
    assert f"{QLocale().toString(len(article.text))} characters" in plain(w.title.text())
    monkeypatch.setattr(dialogs, "suggester_choices", lambda store=None: list(dialogs.BUILTIN_CHOICES))

    def choose(choice: str):
        def run(dlg) -> int:
            dlg.language_combo.setCurrentIndex(dlg.language_combo.findData(choice))
            return 1  # OK

        monkeypatch.setattr(dialogs.SettingsDialog, "exec", run)
        w.actions_by_id["settings.general"].trigger()

    w.show_review()  # the review window is open too
    assert w.review_panel.tabs.tabText(0) == "Spans"
    # When the analyst picks Bahasa Indonesia in Settings and presses OK
    choose("id")
    # Then the desk speaks Indonesian at once, the window it is in included
    qtbot.waitUntil(lambda: w.menuBar().actions()[0].text() == "&Berkas")
    qtbot.waitUntil(lambda: w.saved_label.text() == "Semua perubahan tersimpan")
    assert w.progress_label.text() == "Selesai 0 / 1"
    assert w.articles.model.headerData(0, _horizontal()) == "Judul"
    assert w.spans_panel.note_label.text() == "Catatan"
    assert w.palette.caption.text() == "Label:"
    assert w.look_button.toolTip() == "Ukuran teks dan tema"
    check_indonesian(desk_texts(w), "the desk after the switch")
    # And the review window, built again in the new language, is still open
    qtbot.waitUntil(lambda: w.review_panel is not None and w.review_panel.isVisible())
    review = w.review_panel
    assert [review.tabs.tabText(i) for i in range(review.tabs.count())][:3] == ["Rentang", "Riwayat", "Bandingkan"]
    assert review.review.accept_btn.text() == "Terima"
    # And numbers follow: 3.370, not 3,370
    assert f"{len(article.text):,} karakter".replace(",", ".") in plain(w.title.text())
    assert QLocale().language() == QLocale.Language.Indonesian
    # And the choice is remembered for the next start
    assert i18n.language_setting() == "id"
    # When the analyst goes back to English
    choose("en")
    # Then the desk is English again, at once
    qtbot.waitUntil(lambda: w.menuBar().actions()[0].text() == "&File")
    qtbot.waitUntil(lambda: w.saved_label.text() == "All changes saved")
    assert w.actions_by_id["edit.undo"].text() == "Undo"
    assert f"{len(article.text):,} characters" in plain(w.title.text())  # en_US
    # When English follows the system again (whose locale writes numbers its own way)
    choose("system")
    # Then the words stay and the numbers follow the system's locale, at once
    system = i18n.locale_for("system").toString(len(article.text))
    qtbot.waitUntil(lambda: f"{system} characters" in plain(w.title.text()))


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_a_missing_translation_falls_back_to_english_never_to_an_empty_string(indonesian):
    from PySide6.QtCore import QCoreApplication

    from ui.i18n import status_name, translate

    # Given Indonesian: a translated string is Indonesian
    assert translate("MainWindow", "&File") == "&Berkas"
    assert status_name("in_progress") == "sedang dikerjakan"
    # Then one the catalogue lacks is the English, whole
    assert translate("MainWindow", "A sentence nobody translated yet") == "A sentence nobody translated yet"
    assert QCoreApplication.translate("nowhere", "Plain English") == "Plain English"
    assert status_name("archived") == "archived"
    # And no Indonesian translation is empty
    for ctx in ET.parse(TS).getroot().iter("context"):
        for msg in ctx.iter("message"):
            assert translate(ctx.findtext("name") or "", msg.findtext("source") or "x").strip()


def test_the_language_follows_the_system_locale(qapp):
    from PySide6.QtCore import QLocale

    from ui.i18n import locale_for, resolve

    assert resolve("system", QLocale("id_ID")) == "id"
    assert resolve("system", QLocale("en_GB")) == "en"
    assert resolve("system", QLocale("fr_FR")) == "en"  # a language the desk does not speak: English
    assert resolve("id", QLocale("en_GB")) == "id"  # a choice in Settings wins over the system
    # Numbers and dates: the system's own locale when it speaks the language shown
    assert locale_for("system", QLocale("en_GB")).name() == "en_GB"
    assert locale_for("id", QLocale("en_GB")).name() == "id_ID"


def test_every_built_in_suggester_word_is_marked_for_translation(qapp):
    from ui.dialogs import BUILTIN_CHOICES, BUILTIN_WORDS

    # The registry's English (annotator.suggest) is what the list would show untranslated
    for _item, label, tip in BUILTIN_CHOICES:
        assert label in BUILTIN_WORDS and tip in BUILTIN_WORDS


def test_the_compiled_catalogue_is_built_from_the_ts_when_missing_or_older(qapp, tmp_path, monkeypatch):
    from ui import i18n

    # Given a catalogue source with no compiled catalogue beside it
    ts = tmp_path / "i18n" / "sorot_id.ts"
    ts.parent.mkdir()
    shutil.copy(TS, ts)
    monkeypatch.setattr(i18n, "ts_file", lambda lang: ts)
    # When the desk needs it, lrelease builds it beside the source
    qm = i18n.qm_file("id")
    assert qm == ts.with_suffix(".qm") and qm.stat().st_size > 1000
    built = qm.stat().st_mtime_ns
    # And it is used as it is while the source is unchanged
    assert i18n.qm_file("id") == qm and qm.stat().st_mtime_ns == built
    # When the source is newer, it is built again
    later = time.time() + 10
    os.utime(ts, (later, later))
    assert i18n.qm_file("id") == qm and qm.stat().st_mtime_ns != built
    # And an installed, read-only package builds into the user's cache instead
    qm.unlink()
    monkeypatch.setattr(i18n, "_writable", lambda folder: False)
    monkeypatch.setattr(i18n, "_cache_dir", lambda: tmp_path / "cache")
    cached = i18n.qm_file("id")
    assert cached is not None and cached.parent == tmp_path / "cache" and cached.is_file()
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(cached)) and translator.translate("MainWindow", "&File") == "&Berkas"
