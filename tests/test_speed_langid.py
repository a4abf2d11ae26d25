"""annotator.fast_langid (py3langid's DFA walked for many texts at once, its model kept in a
cache folder) gives exactly what stock py3langid gives."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import fast_langid, lang
from tests.test_speed_import import _texts

MANY_LANGUAGES = [
    "Presiden Joko Widodo mengatakan bahwa pemerintah akan membangun jalan tol baru di Sumatra.",
    "The minister said on Saturday that the talks would continue next week in Geneva.",
    "Kerajaan Malaysia akan mengumumkan bajet baharu pada minggu hadapan, kata menteri.",
    "Le gouvernement a annoncé mardi une nouvelle réforme des retraites très contestée.",
    "Die Bundesregierung hat am Dienstag ein neues Klimaschutzgesetz beschlossen.",
    "El presidente anunció el martes un nuevo plan de infraestructuras para el país.",
    "De regering heeft dinsdag een nieuw klimaatakkoord gepresenteerd in Den Haag.",
    "Президент заявил во вторник, что переговоры продолжатся на следующей неделе.",
    "国家主席周二表示，谈判将在下周继续进行。",
    "首相は火曜日、交渉は来週も続くと述べた。",
    "O presidente anunciou na terça-feira um novo plano de infraestrutura.",
    "Il governo ha annunciato martedì una nuova riforma delle pensioni.",
    "Cumhurbaşkanı salı günü müzakerelerin gelecek hafta devam edeceğini söyledi.",
    "대통령은 화요일 협상이 다음 주에도 계속될 것이라고 말했다.",
    "قال الرئيس يوم الثلاثاء إن المحادثات ستستمر الأسبوع المقبل.",
    "Jokowi said on Monday bahwa pemerintah akan membangun jalan. 大統領 Президент",
    "",
    "a",
    "OK",
    "123 456 !!!",
    "HELLO WORLD THIS IS ALL UPPER CASE",
    "\ud800 a lone surrogate",
    "emoji 🎉🎉 and \x00 nul \x7f",
    "x" * 5000,
]


@pytest.fixture(scope="module")
def stock():
    return lang.stock_identifier()


@pytest.fixture(scope="module")
def fast():
    return fast_langid.identifier(fast_langid.build(lang.LANGUAGES))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = _texts()
    rng = random.Random(3)
    # news, prose, every language, their starts, and pieces of them glued together
    out = found + MANY_LANGUAGES + [t[:600] for t in found] + [t[:40] for t in found]
    out += [rng.choice(MANY_LANGUAGES) + " " + rng.choice(found)[:300] for _ in range(40)]
    return out


def test_many_at_once_rank_as_the_stock_identifier(stock, fast, texts):
    # Given texts in many languages and scripts, long, short, empty and mixed
    # When the fast identifier ranks them together, and one by one
    expected = [stock.rank(t) for t in texts]
    # Then the rankings are the very same (languages and probabilities), in any batch size
    assert fast.rank_many(texts) == expected
    for size in (fast_langid.BATCH_FROM, 37, 256):
        got = []
        for first in range(0, len(texts), size):
            got += fast.rank_many(texts[first : first + size])
        assert got == expected
    for text, want in zip(texts[:60], expected, strict=False):
        assert fast.rank(text) == want


SCRIPTS = st.sampled_from(
    [
        "abcdefghijklmnopqrstuvwxyz ",
        "aeiou nmkgbtrsl ABC.,",
        "абвгдежзийклмнопрстуфхцчшщыэюя ",
        "的一是不了人我在有他这中大来上国",
        "あいうえおかきくけこアイウエオ漢字",
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوي ",
        "éèêëàâäôöûüçñß ",
    ]
)


@st.composite
def samples(draw) -> str:
    alphabet = draw(SCRIPTS)
    if draw(st.booleans()):
        return draw(st.text(alphabet=alphabet, max_size=700))
    return draw(st.text(max_size=300))  # any code point, surrogates and controls too


@settings(max_examples=150, deadline=None)
@given(st.lists(samples(), min_size=0, max_size=20))
def test_any_texts_rank_as_the_stock_identifier(stock, fast, batch):
    # Given any texts (any script, any code points); Then ranked together they rank as stock
    assert fast.rank_many(batch) == [stock.rank(t) for t in batch]


def test_detect_languages_is_detect_language_for_each(texts):
    # Given texts, some with nothing to go on; Then detecting them together gives each one's answer
    sample = texts[:80] + ["", " 12 ", "ab1"] + texts[-20:]
    assert lang.detect_languages(sample, default="") == [lang.detect_language(t, default="") for t in sample]
    assert lang.detect_languages([]) == []
    assert lang.detect_languages(["  ", "1"]) == ["xx", "xx"]


def test_the_cache_is_written_once_and_read_after(tmp_path, stock, monkeypatch, texts):
    # Given an empty cache folder; When the model is loaded twice
    first = fast_langid.load(lang.LANGUAGES, tmp_path)
    (folder,) = [p for p in tmp_path.iterdir()]
    assert folder.name == fast_langid.cache_name(lang.LANGUAGES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{a}.npy" for a in fast_langid.ARRAYS)

    def no_build(languages):
        raise AssertionError("the cache was not read")

    monkeypatch.setattr(fast_langid, "build", no_build)
    second = fast_langid.load(lang.LANGUAGES, tmp_path)
    # Then the second comes from the cache, and both rank as stock
    sample = texts[:50]
    expected = [stock.rank(t) for t in sample]
    assert first.rank_many(sample) == second.rank_many(sample) == expected
    assert second.rank(sample[0]) == expected[0]


def test_a_cache_of_another_model_is_removed_when_the_new_one_is_written(tmp_path):
    # Given the cache of another py3langid (another name) and a stray file
    stale = tmp_path / "langid-0.0.1-1-1-f1-en"
    stale.mkdir()
    (stale / "ptc.npy").write_bytes(b"old")
    (tmp_path / "other.txt").write_text("kept")
    # When the model is cached anew; Then the stale folder is gone, the rest kept
    fast_langid.load(lang.LANGUAGES, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [fast_langid.cache_name(lang.LANGUAGES), "other.txt"]
    )


def test_a_broken_cache_is_rebuilt(tmp_path, stock, texts):
    # Given a cache whose table was cut short, and one whose folder holds a stray file
    fast_langid.load(lang.LANGUAGES, tmp_path)
    folder = tmp_path / fast_langid.cache_name(lang.LANGUAGES)
    table = folder / "ptc.npy"
    table.write_bytes(table.read_bytes()[:1000])
    # When it is loaded; Then the model is decoded again, ranks as stock, and the cache is whole again
    again = fast_langid.load(lang.LANGUAGES, tmp_path)
    assert again.rank_many(texts[:20]) == [stock.rank(t) for t in texts[:20]]
    assert table.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # no temporary folder left


def test_a_cache_whose_steps_lead_nowhere_is_rebuilt(tmp_path, stock, texts):
    # Given a cache whose transition table names a state that does not exist
    fast_langid.load(lang.LANGUAGES, tmp_path)
    table = tmp_path / fast_langid.cache_name(lang.LANGUAGES) / "nextmove.npy"
    nextmove = np.load(table)
    nextmove[12345] = len(nextmove)
    np.save(table, nextmove)
    # When it is loaded; Then it is not used: the model is decoded again and ranks as stock
    again = fast_langid.load(lang.LANGUAGES, tmp_path)
    assert again.rank_many(texts[:20]) == [stock.rank(t) for t in texts[:20]]
    assert int(np.load(table).max()) < len(nextmove)


def test_an_unwritable_cache_is_done_without(tmp_path, stock, texts):
    # Given a cache "folder" that is a file; Then the model is decoded, and works
    blocker = tmp_path / "file"
    blocker.write_text("x")
    ident = fast_langid.load(lang.LANGUAGES, blocker)
    assert ident.rank_many(texts[:20]) == [stock.rank(t) for t in texts[:20]]


def test_tests_keep_their_cache_under_their_own_folder(monkeypatch, tmp_path_factory):
    # Given the test session (tests/conftest.py); Then the cache is under its temporary folder
    assert fast_langid.cache_dir().is_relative_to(tmp_path_factory.getbasetemp())
    monkeypatch.setenv("SOROT_CACHE_DIR", "/somewhere")
    assert str(fast_langid.cache_dir()) == "/somewhere"
    monkeypatch.delenv("SOROT_CACHE_DIR")
    assert fast_langid.cache_dir().name == "sorot"  # the user's cache folder
