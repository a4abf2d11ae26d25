"""The import's speed tricks give what the stock library paths give: orjson for reading JSON
lines (annotator.fast_json.loads) and the compact language table (annotator.lang)."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import fast_json, lang
from tests.paths import DATA, SAMPLE

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too: orjson refuses them, json reads them
    | st.floats()  # NaN and infinities too: json reads them, orjson does not
    | st.text()  # lone surrogates too
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


def _same(a, b) -> bool:
    """Equal as JSON values, NaN equal to NaN and -0.0 told from 0.0."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) and type(a) is type(b)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.booleans())
def test_loads_reads_what_json_reads(value, ascii_only):
    # Given any value as json writes it, escaped or not
    text = json.dumps(value, ensure_ascii=ascii_only)
    # Then fast_json reads the same value from the text and from its bytes
    expected = json.loads(text)
    assert _same(fast_json.loads(text), expected)
    if ascii_only:  # a lone surrogate is only writable escaped
        assert _same(fast_json.loads(text.encode()), expected)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?", fullmatch=True))
def test_numbers_read_as_json_reads_them(number):
    # Given a number spelt any way JSON allows (floats orjson rounds itself)
    # Then it reads as the same value json gives (big ones, inf, and all)
    assert _same(fast_json.loads(f"[{number}]"), json.loads(f"[{number}]"))


def test_what_orjson_refuses_is_read_or_refused_as_json_does():
    # Given texts orjson refuses
    for text in (
        '{"a": NaN}',
        "[1e400]",
        f"[{2**70}]",
        '"\\ud800"',
        "[" * 2000 + "]" * 2000,
        '{"a": 1,}',
        "{",
    ):
        try:
            expected = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            # Then json's own error comes out (a reader's message names its line and column)
            with pytest.raises(type(exc)) as got:
                fast_json.loads(text)
            assert str(got.value) == str(exc)
        else:
            assert _same(fast_json.loads(text), expected)


def test_duplicate_keys_keep_the_last_as_json_does():
    assert fast_json.loads('{"a": 1, "a": 2}') == json.loads('{"a": 1, "a": 2}') == {"a": 2}


# --------------------------------------------------------------------------- language


def _iob_articles() -> list[str]:
    """Indonesian news of ~3,000 characters, made of the test corpora's sentences."""
    sentences = []
    for path in sorted(DATA.glob("*/*.iob")):
        words: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if not line.strip():
                if words:
                    sentences.append(" ".join(words))
                words = []
                continue
            words.append(line.rsplit("\t", 1)[0] if "\t" in line else line)
    rng = random.Random(7)
    out = []
    for _ in range(40):
        parts: list[str] = []
        while sum(map(len, parts)) < 3000:
            parts.append(rng.choice(sentences))
        out.append(" ".join(parts))
    return out


def _english() -> list[str]:
    """English news-style prose, a paragraph each."""
    return (DATA / "en-news.txt").read_text(encoding="utf-8").strip().split("\n\n")


def _texts() -> list[str]:
    indonesian = _iob_articles()
    novel = SAMPLE.read_text(encoding="utf-8")
    return indonesian + _english() + [novel[i : i + 1000] for i in range(0, len(novel), 1000)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = _texts()
    assert len(found) > 50
    return found


def test_the_compact_table_ranks_as_the_stock_identifier(texts):
    # Given the stock identifier and ours (its table copied to contiguous float32)
    stock, ours = lang.stock_identifier(), lang._get_identifier()
    assert ours is not stock
    # When both rank news, prose, short and mixed texts
    samples = [t[:600] for t in texts] + [t[:4000] for t in texts] + [t[:40] for t in texts]
    samples += ["Jokowi said on Monday bahwa pemerintah akan membangun jalan.", "OK", "123 456 !!!"]
    # Then the rankings are the very same (languages and probabilities)
    for sample in samples:
        assert ours.rank(sample) == stock.rank(sample), sample[:80]


def test_fixtures_are_told_right(texts):
    # Given the Indonesian and English fixtures; Then each is told as its language
    assert {lang.detect_language(t) for t in _iob_articles()} == {"id"}
    assert {lang.detect_language(t) for t in _english()} == {"en"}


def test_the_import_sample_tells_what_the_whole_text_tells(texts):
    # Given articles; When only the first 600 characters are looked at (as the import does)
    # Then the answer is the one the whole text (its first 4,000 characters) gives
    for text in texts:
        assert lang.detect_language(text[:600], default="") == lang.detect_language(text, default="")


def test_nothing_to_go_on():
    # Given fewer than three letters in the first 400 characters; Then the default comes out
    assert lang.detect_language("  12 a 34 b ") == "xx"
    assert lang.detect_language(" " * 400 + "abcdef", default="") == ""
    assert lang.detect_language("ab1c") != "xx"


# --------------------------------------------------------------------------- streamed JSON lines


def test_the_first_pass_counts_what_reading_every_line_counts(tmp_path):
    from collections import Counter

    from annotator.formats import jsonl

    # Given a file of Prodigy tasks: input without answers, answered tasks (text first or
    # not, with meta), an ignored one, one whose key is spelt with escapes, a broken line
    text_a, text_b = "Jokowi tiba di Medan.", "Prabowo berkunjung ke Surabaya."
    lines = [
        json.dumps({"text": text_a, "spans": []}),
        json.dumps({"meta": {"title": "a"}, "text": text_a, "spans": [], "answer": "accept"}),
        json.dumps({"text": text_a, "spans": [], "meta": {"x": 1}, "answer": "reject"}),
        json.dumps({"text": text_b, "spans": [], "answer": "ignore", "meta": {}}),
        '{"meta": {}, "text": "' + text_b + '", "spans": [], "\\u0061nswer": "accept"}',
        json.dumps({"meta": {}, "text": text_b, "spans": []}),
        '{"meta": {}, "text": "broken',
    ]
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # When the first pass counts the answered tasks of each text
    for keep_ignored in (False, True):
        # Then it counts what parsing every line counts
        expected: Counter[int] = Counter()
        for line in lines:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if jsonl.is_answer(obj) and (keep_ignored or obj.get("answer") != "ignore"):
                expected[jsonl._text_key(obj)] += 1
        assert jsonl._tasks_per_text(path, keep_ignored) == +expected
        assert sum(expected.values()) == (4 if keep_ignored else 3)
