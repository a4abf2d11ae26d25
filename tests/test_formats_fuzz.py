"""Random bytes and random JSON thrown at every reader: a FormatError or sound Documents."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import FormatError
from annotator.formats import FORMATS
from annotator.model import Document

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

READERS = {
    "txt": ".txt",
    "jsonl": ".jsonl",
    "csv": ".csv",
    "conll": ".iob",
    "brat": ".ann",
    "spacy": ".spacy",
}


def check(fmt: str, suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_bytes(data)
        if fmt == "brat":
            (Path(tmp) / "f.txt").write_text(
                "Kim Jong Un met Putin in Pyongyang. 🙂\nSecond line.", encoding="utf-8"
            )
        try:
            docs = list(FORMATS[fmt].read(path))
        except FormatError as exc:
            assert str(path) in str(exc)
            return
    for doc in docs:
        assert isinstance(doc, Document)
        text = doc.article.text
        assert "\r" not in text
        for span in doc.spans:
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == span.text
        for rel in doc.relations:
            assert 0 <= rel.head < len(doc.spans) and 0 <= rel.tail < len(doc.spans)


@pytest.mark.parametrize("fmt", sorted(READERS))
@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(fmt, data):
    check(fmt, READERS[fmt], data)


SPAN = st.fixed_dictionaries(
    {
        "start": st.integers(-2, 30),
        "end": st.integers(-2, 30),
        "label": st.sampled_from(["PER", "", 3, None]),
    },
    optional={
        "token_start": st.integers(-1, 5),
        "token_end": st.integers(-1, 5),
        "status": st.sampled_from(["accepted", "rejected", "maybe", 1]),
        "note": st.one_of(st.text(max_size=5), st.integers()),
        "attrs": st.one_of(
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.text(max_size=2)
        ),
        "text": st.one_of(st.text(max_size=5), st.none()),
    },
)
JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-3, 40), st.text(max_size=12))
JSON_ANY = st.recursive(
    JSON_LEAF,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=10,
)
RECORD = st.fixed_dictionaries(
    {"text": st.one_of(st.text(min_size=0, max_size=30), st.integers())},
    optional={
        "spans": st.one_of(st.lists(SPAN, max_size=4), JSON_ANY),
        "label": st.one_of(
            st.lists(st.lists(st.one_of(st.integers(-1, 30), st.text(max_size=3)), max_size=4), max_size=3),
            JSON_ANY,
        ),
        "entities": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "id": st.integers(0, 3),
                        "start_offset": st.integers(-1, 30),
                        "end_offset": st.integers(-1, 30),
                        "label": st.text(max_size=3),
                    }
                ),
                max_size=3,
            ),
            JSON_ANY,
        ),
        "relations": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {"from_id": st.integers(0, 3), "to_id": st.integers(0, 3), "type": st.text(max_size=3)}
                ),
                max_size=2,
            ),
            JSON_ANY,
        ),
        "answer": st.sampled_from(["accept", "reject", "ignore", "no"]),
        "meta": JSON_ANY,
        "sorot": JSON_ANY,
        "tokens": JSON_ANY,
    },
)


@SETTINGS
@given(records=st.lists(st.one_of(RECORD, JSON_ANY), min_size=1, max_size=4), as_list=st.booleans())
def test_random_json(records, as_list):
    if as_list:
        data = json.dumps(records).encode("utf-8")
        check("jsonl", ".json", data)
    else:
        data = "\n".join(json.dumps(r) for r in records).encode("utf-8")
        check("jsonl", ".jsonl", data)


@SETTINGS
@given(
    lines=st.lists(
        st.one_of(
            st.just(""),
            st.just("-DOCSTART- -X- O O"),
            st.tuples(
                st.text(alphabet="abc 🙂\t", min_size=1, max_size=4),
                st.sampled_from(["O", "B-X", "I-X", "I-Y", "E-X", "S-Y", "L-X", "U-X", "Q"]),
            ).map("\t".join),
        ),
        max_size=20,
    ),
    scheme=st.sampled_from(["auto", "iob1", "iob2", "biluo"]),
)
def test_random_conll(lines, scheme):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.iob"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            docs = list(FORMATS["conll"].read(path, scheme=scheme))
        except FormatError:
            return
    for doc in docs:
        for span in doc.spans:
            assert doc.article.text[span.start : span.end] == span.text and span.text


def check_streamed(data: bytes) -> None:
    """The line-at-a-time JSON-lines reader (for big files): the same promise."""
    from annotator.formats import jsonl

    saved = jsonl.STREAM_FROM
    jsonl.STREAM_FROM = 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "f.jsonl"
            path.write_bytes(data)
            try:
                docs = list(jsonl.stream(path))
            except FormatError as exc:
                assert str(path) in str(exc)
                return
    finally:
        jsonl.STREAM_FROM = saved
    for doc in docs:
        text = doc.article.text
        assert "\r" not in text
        for span in doc.spans:
            assert text[span.start : span.end] == span.text


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_streamed(data):
    check_streamed(data)


@SETTINGS
@given(records=st.lists(st.one_of(RECORD, JSON_ANY), min_size=1, max_size=4))
def test_random_json_streamed(records):
    check_streamed("\n".join(json.dumps(r) for r in records).encode("utf-8"))
