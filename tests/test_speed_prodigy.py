"""The Prodigy export's speed tricks (:mod:`annotator.formats.fast_prodigy`) give the stock
path's text, character for character."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats.prodigy_tokens import json_of, json_of_stock, offsets_many
from annotator.tokens import TokenOffsets
from tests.test_speed_token_cache import HARD, MIXED

#: Characters JSON escapes, lone surrogates (orjson refuses them), astral and odd ones.
ODD = st.text(
    alphabet=st.sampled_from(
        list('ab Z09"\\/\n\r\t\x00\x01\x1f\x7f\x0b\x0c\x08') + ["é", "😀", "\u2028", "\u00a0", "\ud800", "\udfff", "“"]
    ),
    max_size=60,
)


def cut(text: str, sizes: list[int]) -> TokenOffsets:
    """Tokens covering ``text`` end to end, of the given sizes (the last takes the rest), a
    space after a token wherever the text has one."""
    starts, ends, ws = [], [], []
    at = 0
    for size in sizes:
        if at >= len(text):
            break
        end = min(len(text), at + max(1, size))
        space = end < len(text) and text[end] == " "
        starts.append(at)
        ends.append(end)
        ws.append(space)
        at = end + space
    if at < len(text):
        starts.append(at)
        ends.append(len(text))
        ws.append(False)
    return TokenOffsets(starts, ends, ws)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ODD, sizes=st.lists(st.integers(1, 6), max_size=40))
def test_token_json_is_the_stock_json_on_any_cut(text, sizes):
    # Given any text cut into tokens (escaped characters inside words, alone, first, last)
    offsets = cut(text, sizes)
    # Then the token list's JSON is the stock path's, and so are the words
    fast, toks = json_of(text, offsets)
    stock, stock_toks = json_of_stock(text, offsets)
    assert fast == stock
    assert toks.words == stock_toks.words
    assert (toks.starts, toks.ends) == (stock_toks.starts, stock_toks.ends)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=MIXED, lang=st.sampled_from(["id", "en", "xx"]))
def test_token_json_is_the_stock_json_on_spacys_tokens(text, lang):
    # Given spaCy's tokens of a text (CRLF, tabs, emoji, quotes, tokenizer exceptions)
    [offsets] = offsets_many([text], lang)
    # Then the JSON is the stock path's
    assert json_of(text, offsets)[0] == json_of_stock(text, offsets)[0]


def test_token_json_edge_cases():
    for text in [*HARD, "", "x", '"', "\\", "a" * 40_000 + " b"]:
        for lang in ("id", "xx"):
            [offsets] = offsets_many([text], lang) if text else [TokenOffsets([], [], [])]
            assert json_of(text, offsets)[0] == json_of_stock(text, offsets)[0]
    # numbers beyond the first table (a long text), a lone token
    text = "kata " * 5000
    offsets = cut(text, [4] * 6000)
    assert json_of(text, offsets)[0] == json_of_stock(text, offsets)[0]
    # a text too long for the tables takes the stock path
    text = "ab " * 30_000
    offsets = cut(text, [2] * 30_000)
    assert json_of(text, offsets)[0] == json_of_stock(text, offsets)[0]
    assert json_of("ab", TokenOffsets([0], [2], [False]))[0] == json_of_stock("ab", TokenOffsets([0], [2], [False]))[0]
