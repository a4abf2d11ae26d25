"""Token snapping and one-token growth for the desk."""

from __future__ import annotations

from annotator.lang import detect_language
from annotator.snap import grow, snap

TEXT = "Hai 😀 Presiden Joko Widodo, berkata 🇮🇩 tadi."


def piece(span):
    return TEXT[span[0] : span[1]] if span else None


def test_snap_expands_to_tokens_and_strips_space():
    start = TEXT.index("esid")
    assert piece(snap(TEXT, start, start + 3, "id")) == "Presiden"
    assert piece(snap(TEXT, TEXT.index("Joko") - 1, TEXT.index("Joko") + 2, "id")) == "Joko"
    assert piece(snap(TEXT, TEXT.index("Joko"), TEXT.index(","), "id")) == "Joko Widodo"


def test_snap_counts_code_points_after_emoji():
    flag = TEXT.index("🇮🇩")
    assert piece(snap(TEXT, flag + 3, flag + 7, "id")) == "tadi"
    assert piece(snap(TEXT, 4, 5, "xx")) == "😀"


def test_snap_nothing_valid():
    assert snap(TEXT, 3, 4) is None  # only a space
    assert snap(TEXT, 5, 5) is None
    assert snap("", 0, 0) is None


def test_grow_and_shrink_by_one_token():
    joko = (TEXT.index("Joko"), TEXT.index("Joko") + 4)
    assert piece(grow(TEXT, *joko, "end", +1, "id")) == "Joko Widodo"
    assert piece(grow(TEXT, *joko, "start", +1, "id")) == "Presiden Joko"
    both = grow(TEXT, *joko, "end", +1, "id")
    assert piece(grow(TEXT, *both, "start", -1, "id")) == "Widodo"
    assert grow(TEXT, *joko, "end", -1, "id") is None  # would be empty
    assert grow(TEXT, 0, 3, "left", +1, "id") is None  # at the text's start


def test_unknown_language_falls_back():
    assert snap("abc def", 1, 2, "qq") == (0, 3)


def test_detect_language():
    assert detect_language("Presiden Joko Widodo mengatakan bahwa pemerintah akan membangun jalan.") == "id"
    assert detect_language("The minister said on Saturday that the talks would continue.") == "en"
    assert detect_language("  123 ") == "xx"
