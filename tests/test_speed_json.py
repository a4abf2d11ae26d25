"""annotator.fast_json (orjson) writes the same JSON values as the stock json module."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator import fast_json

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too: orjson refuses them, json writes them
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()  # lone surrogates too: orjson refuses them
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_same_json_value_as_the_stdlib(value):
    # Given any JSON-able value; When both write it; Then it reads back the same
    fast = fast_json.dumps(value)
    stock = fast_json.dumps_stdlib(value)
    assert json.loads(fast) == json.loads(stock)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), st.text() | st.integers(-(2**63), 2**63 - 1) | st.booleans()))
def test_same_bytes_for_text_ints_and_booleans(value):
    # Given what a Prodigy line is mostly made of (no floats)
    # Then the text is the very same as json.dumps(ensure_ascii=False, separators=(",", ":"))
    assert fast_json.dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_what_orjson_refuses_goes_to_the_stdlib():
    # Given values orjson refuses: a huge integer, a non-text key, a lone surrogate
    for value in ({"n": 2**70}, {1: "a"}, {"t": "\ud800"}):
        # Then they are written as json writes them
        assert fast_json.dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
