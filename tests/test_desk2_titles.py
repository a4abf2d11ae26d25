"""[desk-2] Titles that mean something: derived on import, filled in old projects by a
migration, renamed as an undoable command. No Qt here (the desk's part is in
test_desk2_desk.py)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlite_utils import Database

from annotator import commands as C
from annotator.model import Article, Document
from annotator.titles import TITLE_MAX, derived_title
from ops.workflows import import_paths
from storage.schema import migrations
from storage.store import Store

LEAD = "Polisi menangkap dua tersangka pencurian sepeda motor di Jl. Sudirman pada Senin malam."
BODY = LEAD + " Keduanya kini ditahan di Polsek Tanah Abang. " + "Kapolsek mengatakan penyidikan berlanjut. " * 5


# -- the rule ---------------------------------------------------------------------------------


def test_a_short_first_line_is_the_title():
    assert derived_title("Banjir rendam Jakarta Utara\n\nHujan deras sejak pagi...") == "Banjir rendam Jakarta Utara"


def test_a_long_first_line_gives_its_first_sentence_and_the_file_name():
    # Given a dateline, an abbreviation with a stop ("Jl.") and a long paragraph
    title = derived_title("JAKARTA, KOMPAS.com - " + BODY, "berita.jsonl")
    # Then the dateline goes, the sentence is whole (not cut at "Jl."), without its stop
    assert title == LEAD[:-1] + " — berita.jsonl"


def test_a_sentence_longer_than_the_maximum_is_cut_at_a_word():
    text = "Presiden meresmikan bendungan baru " + "yang diharapkan mengairi ribuan hektare sawah " * 4
    title = derived_title(text)
    assert len(title) <= TITLE_MAX and title.endswith("…")
    assert text.startswith(title[:-1]) and text[len(title) - 1] == " "  # a whole word before the "…"


def test_an_address_line_and_blank_lines_are_skipped():
    assert derived_title("\ufeff\n  \ngeosurvey.co.id\n\nKim Jong Un tiba di Pyongyang\nIsi berita.") == (
        "Kim Jong Un tiba di Pyongyang"
    )


def test_tokenised_text_reads_as_written():
    assert derived_title("Ia berkata , \" kami siap \" ( 5/2 ) .", "nerp.conll") == (
        'Ia berkata, " kami siap " (5/2) — nerp.conll'
    )


def test_no_words_gives_the_file_name_or_nothing():
    assert derived_title("...\n---", "a.csv") == "a.csv"
    assert derived_title("...") == ""


# -- on import --------------------------------------------------------------------------------


def titles(store):
    return sorted(store.article(i).title for i in store.article_ids())


def test_jsonl_csv_and_conll_imports_derive_titles(tmp_path):
    # Given articles without titles in JSON lines, CSV and CoNLL, and one JSON line with a title
    (tmp_path / "berita.jsonl").write_text(
        json.dumps({"text": "JAKARTA, KOMPAS.com - " + BODY}) + "\n"
        + json.dumps({"text": "Gempa di Cianjur. Warga mengungsi.", "meta": {"title": "Gempa Cianjur"}}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "tabel.csv").write_text(
        "id,text\n1,\"Harga beras naik lagi. Pedagang mengeluh.\"\n", encoding="utf-8"
    )
    (tmp_path / "ner.conll").write_text(
        "-DOCSTART- -X- O O\n\nJokowi B-PER\ntiba O\ndi O\nBali B-LOC\n. O\n", encoding="utf-8"
    )
    store = Store.memory()
    # When they are imported
    summary = import_paths(store, [tmp_path / "berita.jsonl", tmp_path / "tabel.csv", tmp_path / "ner.conll"])
    assert not summary.failures and summary.articles_added == 4
    # Then each untitled article has its first line or sentence and its file name; a title stays
    assert titles(store) == sorted([
        LEAD[:-1] + " — berita.jsonl",
        "Gempa Cianjur",
        "Harga beras naik lagi. Pedagang mengeluh — tabel.csv",
        "Jokowi tiba di Bali — ner.conll",
    ])  # fmt: skip
    # And the full-text index knows the titles
    assert [h["title"] for h in store.search_articles("Sudirman")] == [LEAD[:-1] + " — berita.jsonl"]


# -- renaming as a command ------------------------------------------------------------------------


def test_renaming_is_a_command_with_an_inverse_and_an_event():
    store = Store.memory()
    [aid] = store.import_documents([Document(Article(BODY, title="lama"))]).article_ids
    heard = []
    store.subscribe(heard.append)
    # When the article is renamed through the command layer
    inverse = C.apply(store, C.SetArticleTitle(aid, "  Dua   maling ditangkap "))
    # Then the title is tidied and stored, the change is told, and the history says before/after
    assert store.article(aid).title == "Dua maling ditangkap"
    assert heard[-1].article_ids == {aid} and "article.title" in heard[-1].actions and not heard[-1].span_ids
    event = store.events(article_id=aid)[0]
    assert (event["action"], event["before"], event["after"]) == (
        "article.title", {"title": "lama"}, {"title": "Dua maling ditangkap"}
    )
    assert [h["id"] for h in store.search_articles("maling")] == [aid]
    assert store.search_articles("lama") == []
    # When the inverse is applied, the old title is back, and its inverse renames again
    again = C.apply(store, inverse)
    assert store.article(aid).title == "lama" and again == C.SetArticleTitle(aid, "Dua maling ditangkap", "Rename article")
    assert store.search_articles("maling") == []


# -- the migration ----------------------------------------------------------------------------------


def test_migration_fills_empty_titles_of_an_old_project(tmp_path):
    # Given a project made before m005, with two untitled articles (one from a file) and a titled one
    path = tmp_path / "old.sorot"
    db = Database(sqlite3.connect(str(path), check_same_thread=False))
    migrations.apply(db, stop_before="m005_derived_titles")
    old = Store(db, path, read_only=False, lock=None)
    old.import_documents([Document(Article("Harga cabai naik.\nPedagang mengeluh."))], source="/data/pasar.jsonl")
    old.import_documents([Document(Article("Banjir di Medan. Warga mengungsi."))])
    old.import_documents([Document(Article("Teks lain.", title="Sudah berjudul"))], source="x.csv")
    old.close()
    # When it is opened with this version
    store = Store.open(path)
    try:
        # Then the empty titles are derived (with the file name from the import's history)
        assert titles(store) == ["Banjir di Medan. Warga mengungsi", "Harga cabai naik — pasar.jsonl", "Sudah berjudul"]
        # And each renaming is in the history, and the search finds the new titles
        renamed = [e for i in store.article_ids() for e in store.events(article_id=i) if e["action"] == "article.title"]
        assert len(renamed) == 2 and all(e["before"] == {"title": ""} for e in renamed)
        assert len(store.search_articles("cabai")) == 1
        assert store.query("SELECT count(*) FROM articles_fts")[0][0] == 3
    finally:
        store.close()


@pytest.mark.parametrize("title", ["", "Judul"])
def test_migration_leaves_a_new_project_alone(title):
    store = Store.memory()
    store.import_documents([Document(Article("Teks.", title=title))])
    assert titles(store) == [title]  # imports through the store itself keep what they are given
