"""Qt counts text positions in UTF-16 code units; Sorot stores Python code points.

Outside the Basic Multilingual Plane (emoji, some CJK) one code point is two UTF-16
units, so every offset crossing the Qt boundary goes through a ``TextMap``. Most news
text has no such characters: then both directions are the identity and nothing is stored.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class TextMap:
    """Converts offsets for one article's text, both ways."""

    __slots__ = ("text", "_astral_cp", "_astral_ends", "qt_length")

    def __init__(self, text: str) -> None:
        self.text = text
        units = len(text.encode("utf-16-le")) // 2
        self.qt_length = units
        if units == len(text):
            self._astral_cp: list[int] = []
            self._astral_ends: list[int] = []
            return
        self._astral_cp = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # Where each astral character ends, in UTF-16 units: it starts at cp + k and takes two.
        self._astral_ends = [cp + k + 2 for k, cp in enumerate(self._astral_cp)]

    @property
    def identity(self) -> bool:
        return not self._astral_cp

    def to_qt(self, pos: int) -> int:
        """Code point offset -> UTF-16 offset."""
        if not self._astral_cp:
            return pos
        return pos + bisect_left(self._astral_cp, pos)

    def to_py(self, pos: int) -> int:
        """UTF-16 offset -> code point offset. Inside a surrogate pair it rounds to the character's end."""
        if not self._astral_cp:
            return pos
        before = bisect_right(self._astral_ends, pos)
        py = pos - before
        if before < len(self._astral_cp) and self._astral_cp[before] < py:
            # ``pos`` falls between the two halves of astral character number ``before``.
            return self._astral_cp[before] + 1
        return py
