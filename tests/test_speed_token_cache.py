"""The token cache (``storage.tokens``, ``annotator.tokens``) gives what spaCy's tokenizer gives,
and exports made with it are the bytes exports made without it are."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import NORM, ORTH, SPACY
from sqlite_utils import Database

import annotator.tokens as tokens_mod
from annotator import export_parts, snap
from annotator.formats import docbin, jsonl
from annotator.formats.fast_docbin import tokenized_docs
from annotator.formats.prodigy_tokens import json_of, offsets_for, offsets_many
from annotator.model import Article, Document, Span
from annotator.tokens import TokenCache, TokenOffsets, tokenizer_key
from ops.workflows import export_project, import_paths, keep_tokens
from storage.schema import migrations
from storage.store import ArticleFilter, Store
from tests.paths import DATA
from tests.test_speed_tokens import TEXT, boundaries, stock_tokens

#: Texts the tokenizers treat specially: CRLF, runs of spaces and tabs, emoji, Indonesian
#: reduplications and clitics, and a tokenizer exception with its own norm ("jum'at").
HARD = [
    "Kata-kata  itu\r\n\r\ndiucapkan   oleh\tanak-anak 😀😀 pada hari Jum'at, kata Sri.",
    "  leading spaces, trailing\t\t",
    'mereka berlari-lari ke rumah-rumah (2/1/2024) "kutipan" — selesai\u00a0lagi\n',
    "jum'at yg lalu dlm rapat dgn DPR-RI; U.S.A. e-mail: a@b.id http://x.id/a-b?c=1",
    "\n",
]
WORDS = st.sampled_from(
    ["anak-anak", "Jum'at", "jum'at", "yg", "😀", "  ", "\t", "\r\n", " ", "kata", ".", ",", "DPR-RI"]
)
MIXED = st.one_of(TEXT, st.lists(WORDS, min_size=1, max_size=40).map("".join), st.sampled_from(HARD))


def round_trip(offsets: TokenOffsets, text: str) -> TokenOffsets:
    data = offsets.encode()
    assert data is not None
    back = TokenOffsets.decode(data, len(text))
    assert back is not None
    return back


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(st.sampled_from(["id", "en", "xx"]), MIXED), min_size=1, max_size=5))
def test_cached_tokens_are_the_stock_tokenizers(texts):
    for lang, text in texts:
        # Given a text's tokens as computed, stored compactly and read back
        [computed] = offsets_many([text], lang)
        cached = round_trip(computed, text)
        # Then they are the desk's tokens, and their JSON the stock JSON
        assert cached == computed
        assert list(zip(cached.starts, cached.ends, strict=True)) == boundaries(lang, text)
        assert json.loads(json_of(text, cached)[0]) == stock_tokens(lang, text)
        # And a Doc built from the cached words is the tokenizer's Doc, norms included
        document = Document(Article(text=text, language=lang, id=1))
        text = document.article.text  # an article's line breaks are "\n"
        [computed] = offsets_many([text], lang)
        cache = FakeStore({1: computed.encode()}, tokenizer_key(lang))
        [rebuilt] = tokenized_docs([document], TokenCache(cache))
        assert cache.asked
        stock = snap.tokenize(text, lang)
        assert (rebuilt.to_array([ORTH, NORM, SPACY]) == stock.to_array([ORTH, NORM, SPACY])).all()
        assert rebuilt.text == text


class FakeStore:
    def __init__(self, rows: dict[int, bytes], key: str) -> None:
        self.rows, self.key, self.asked = rows, key, False

    def cached_tokens(self, ids, key):
        self.asked = True
        return {i: self.rows[i] for i in ids if i in self.rows} if key == self.key else {}


def test_a_row_that_does_not_fit_the_text_is_a_miss():
    # Given the tokens of one text
    [offsets] = offsets_many(["satu dua tiga"], "id")
    data = offsets.encode()
    # Then they are no answer for a text of another length, nor for damaged bytes
    assert TokenOffsets.decode(data, len("satu dua tiga")) == offsets
    assert TokenOffsets.decode(data, len("satu dua")) is None
    assert TokenOffsets.decode(b"nonsense", 13) is None
    assert TokenOffsets.decode(zlib.compress(data[:5]), 13) is None
    assert TokenOffsets.decode(zlib.compress(zlib.decompress(data)[:-3]), 13) is None


def test_a_token_of_hundreds_of_characters_is_kept_whole():
    text = "x" * 70_000 + " dan " + "y" * 300
    [offsets] = offsets_many([text], "id")
    assert round_trip(offsets, text) == offsets
    assert offsets.ends[0] == 70_000


# -- a project ----------------------------------------------------------------------------------


def make_project(path: Path) -> list[int]:
    with Store.open(path) as store:
        summary = import_paths(
            store, [DATA / "nergrit" / "valid.iob"], fmt="conll", options={"sentences_per_article": 5}
        )
        assert summary.articles_added >= 30 and not summary.failures
        docs = [Document(Article(text=text, language="id")) for text in HARD[:4]]
        docs[0].spans.append(Span(0, 10, "ACTOR"))
        store.import_documents(docs)
        return store.article_ids()


def rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM token_cache").fetchone()[0]


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.sorot"
    make_project(path)
    return path


@pytest.mark.parametrize("fmt, ext", [("prodigy", ".jsonl"), ("spacy", ".spacy")])
def test_exports_are_the_same_bytes_with_and_without_the_cache(project, tmp_path, fmt, ext):
    # Given the bytes of an export made without any token cache
    with Store.open(project, read_only=True) as store:
        docs = list(store.iter_documents(ArticleFilter()))
    stock = tmp_path / f"stock{ext}"
    if fmt == "prodigy":
        jsonl.write_prodigy(docs, stock)
    else:
        docbin.write(docs, stock)
    # When the project is exported twice: the cache empty, then filled by the first export
    with Store.open(project) as store:
        first = export_project(store, tmp_path / f"first{ext}", fmt=fmt, flt=ArticleFilter(), workers=0)
        assert rows(project) == len(docs) and not first.tokens
        cache = TokenCache(store)
        offsets_for(docs, cache)
        assert cache.hits == len(docs) and not cache.new
        export_project(store, tmp_path / f"second{ext}", fmt=fmt, flt=ArticleFilter(), workers=0)
    # Then all three files are the same bytes
    assert (tmp_path / f"first{ext}").read_bytes() == stock.read_bytes()
    assert (tmp_path / f"second{ext}").read_bytes() == stock.read_bytes()


def test_another_spacy_version_or_language_is_a_miss(project, tmp_path, monkeypatch):
    # Given a project whose cache the Indonesian tokenizer of this spaCy filled
    with Store.open(project) as store:
        export_project(store, tmp_path / "a.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
        ids = store.article_ids()
        assert len(store.cached_tokens(ids, tokenizer_key("id"))) == len(ids)
        # Then another language's tokenizer finds nothing
        assert store.cached_tokens(ids, tokenizer_key("en")) == {}
        # nor the same language under another spaCy version
        monkeypatch.setattr(tokens_mod, "spacy_version", lambda: "0.0.1")
        assert store.cached_tokens(ids, tokenizer_key("id")) == {}
        # and an export then computes every article again, to the same bytes
        cache = TokenCache(store)
        docs = list(store.iter_documents(ArticleFilter()))
        offsets_for(docs, cache)
        assert cache.hits == 0 and len(cache.new) == len(docs)
        export_project(store, tmp_path / "b.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert rows(project) == 2 * len(ids)


def test_an_article_in_another_language_misses(project, tmp_path):
    with Store.open(project) as store:
        export_project(store, tmp_path / "a.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
        first = store.article_ids()[0]
        # When an article's language changes
        store.set_article_language(first, "en")
        # Then its Indonesian tokens are not its tokens any more
        [doc] = list(store.iter_documents(ArticleFilter(article_ids=(first,))))
        cache = TokenCache(store)
        [offsets] = offsets_for([doc], cache)
        assert cache.hits == 0 and cache.new
        assert list(zip(offsets.starts, offsets.ends, strict=True)) == boundaries("en", doc.article.text)


def test_a_read_only_export_works_and_the_command_line_keeps_its_tokens(project, tmp_path):
    # Given a project opened read-only, its cache empty
    with Store.open(project, read_only=True) as store:
        summary = export_project(store, tmp_path / "a.spacy", fmt="spacy", flt=ArticleFilter(), workers=0)
    # Then the export is written, and the tokens it computed are handed back
    assert summary.articles > 30 and len(summary.tokens) == summary.articles
    assert rows(project) == 0
    # and kept once the project can be written
    assert keep_tokens(project, summary) == summary.articles
    assert rows(project) == summary.articles
    with Store.open(project, read_only=True) as store:
        again = export_project(store, tmp_path / "b.spacy", fmt="spacy", flt=ArticleFilter(), workers=0)
    assert not again.tokens
    assert (tmp_path / "a.spacy").read_bytes() == (tmp_path / "b.spacy").read_bytes()


def test_keep_tokens_gives_way_to_a_writer(project, tmp_path):
    with Store.open(project, read_only=True) as store:
        summary = export_project(store, tmp_path / "a.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
    # Given the desk (or another writer) holds the project
    with Store.open(project):
        # Then the command line keeps nothing, and does not wait
        assert keep_tokens(project, summary) == 0
    assert rows(project) == 0


def test_cli_export_fills_the_cache(project, tmp_path, monkeypatch):
    import cli

    monkeypatch.setenv("SOROT_ANNOTATOR", "tester")
    args = cli.parse(["--db", str(project), "export", str(tmp_path / "a.jsonl"), "--format", "prodigy"])
    assert cli.run(args) == 0
    assert rows(project) > 30


def test_helpers_hand_their_tokens_to_the_writer(project, tmp_path, monkeypatch):
    # Given an export in parts by a helper process (the project read-only in the helper)
    monkeypatch.setattr(export_parts, "PARTS_FROM", 0)
    monkeypatch.setattr(export_parts, "WARM_PARTS_FROM", 0)
    monkeypatch.setattr(export_parts, "PART_SIZE", 5)
    monkeypatch.setattr(export_parts, "HELPERS_FIRST", True)
    with Store.open(project) as store:
        n = len(store.article_ids())
        export_project(store, tmp_path / "a.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=1)
        # Then every article's tokens are kept, and the next export in parts reads them
        assert rows(project) == n
        export_project(store, tmp_path / "b.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=1)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_a_warm_cache_keeps_a_few_thousand_articles_in_this_process(project, tmp_path, monkeypatch):
    # Given exports that would use helpers from 10 articles on, and a warm cache from 100
    monkeypatch.setattr(export_parts, "PARTS_FROM", 10)
    monkeypatch.setattr(export_parts, "WARM_PARTS_FROM", 100)
    started = []
    monkeypatch.setattr(export_parts, "HelperPool", lambda n: started.append(n) or pytest.fail("a helper"))
    with Store.open(project) as store:
        assert 10 < len(store.article_ids()) < 100
        export_project(store, tmp_path / "a.spacy", fmt="spacy", flt=ArticleFilter(), workers=0)
        # When the cache is warm, an export of fewer than 100 articles starts no helper
        export_project(store, tmp_path / "b.spacy", fmt="spacy", flt=ArticleFilter(), workers=1)
    assert not started
    assert (tmp_path / "a.spacy").read_bytes() == (tmp_path / "b.spacy").read_bytes()


def test_rows_go_with_their_article_and_its_text(project, tmp_path):
    with Store.open(project) as store:
        export_project(store, tmp_path / "a.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
        first, second = store.article_ids()[:2]
        # When an article is deleted, its rows go
        store.delete_article(first)
        assert not store.query("SELECT 1 FROM token_cache WHERE article_id = ?", (first,))
        # When a team sync replaces an article's text, its rows go too
        with store.transaction() as db:
            db.execute("UPDATE articles SET text = text || ' baru' WHERE id = ?", (second,))
        assert not store.query("SELECT 1 FROM token_cache WHERE article_id = ?", (second,))
        # and rows of a deleted article are never written
        assert store.save_tokens([(first, tokenizer_key("id"), b"x", "")]) == 0
        # nor rows computed from a text the article no longer has (a sync changed it since)
        third = store.article_ids()[2]
        old_hash = store.article(third).hash
        with store.transaction() as db:
            db.execute("UPDATE articles SET text = text || ' lagi', hash = 'changed' WHERE id = ?", (third,))
        assert store.save_tokens([(third, tokenizer_key("id"), b"x", old_hash)]) == 0
        assert store.save_tokens([(third, tokenizer_key("id"), b"x", "changed")]) == 1


def test_migration_on_a_project_from_before_the_cache(tmp_path):
    # Given a project made before m012, with articles
    path = tmp_path / "old.sorot"
    db = Database(sqlite3.connect(str(path), check_same_thread=False))
    migrations.apply(db, stop_before="m012_token_cache")
    old = Store(db, path, read_only=False, lock=None)
    ids = old.import_documents([Document(Article(text=t, language="id")) for t in HARD[:3]]).article_ids
    old.close()
    # Then it cannot be exported read-only before it is upgraded
    with pytest.raises(Exception, match="upgrade"):
        Store.open(path, read_only=True)
    # When it is opened with this version
    with Store.open(path) as store:
        # Then the cache is there, empty, and the first export fills it
        assert store.cached_tokens(ids, tokenizer_key("id")) == {}
        export_project(store, tmp_path / "a.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
        assert len(store.cached_tokens(ids, tokenizer_key("id"))) == 3
