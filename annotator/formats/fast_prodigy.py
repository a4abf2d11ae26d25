"""Prodigy's ``tokens`` list as JSON text without a dict per token: the speed trick of the
Prodigy export's per-token list.

The stock path (``prodigy_tokens.json_of_stock``) builds ~500 dicts ``{"text", "start",
"end", "id", "ws"}`` an article and hands them to orjson: the dicts are most of the time.
Here the list's text is put together by ``str.join`` from five pieces a token, laid out by
slice assignment (every step but the words' slicing a loop in C: ``operator.itemgetter``):
the word (a slice of the text), ``","start":N``, ``,"end":N`` and ``,"id":N,"ws":`` from
tables (``_Tables``, grown to the longest text met, up to ``_MOST`` characters: a longer
text takes the stock path), and ``true``/``false`` with the next token's opening.
A word is written as it is unless it holds a character JSON escapes (a quote, a backslash,
a control character such as a line break) or a lone surrogate: those few words are written
by ``fast_json.dumps`` itself (orjson, or ``json`` for what orjson refuses), found by one
regular expression over the whole text.

tests/test_speed_prodigy.py checks that the text is the stock path's, character for
character, on generated texts (quotes, backslashes, control characters, line breaks, CRLF,
astral and odd characters, empty texts); bench/bench_core.py's speed-layer line shows what
it buys.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from operator import itemgetter

from annotator.fast_json import dumps

#: What JSON escapes in a string (a quote, a backslash, U+0000-U+001F), and lone surrogates
#: (orjson refuses them: ``fast_json`` writes them as ``json`` does).
_SPECIAL = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')

_NEXT = ',{"text":"'
#: What follows a token's ``ws``: the next token's opening.
_WS = ('false}' + _NEXT, 'true}' + _NEXT)

#: Above this many characters a text's numbers are not kept in the tables: the stock path.
_MOST = 1 << 16


class _Tables:
    """The text of each token's key-value pieces for 0, 1, 2, ..., grown to the longest
    text met (at most ``_MOST``): ``","start":N``, ``,"end":N`` and ``,"id":N,"ws":``."""

    def __init__(self) -> None:
        self.size = 0
        self.starts: list[str] = []
        self.ends: list[str] = []
        self.ids: list[str] = []
        self.grow(1 << 12)

    def grow(self, upto: int) -> None:
        size = max(self.size, 1)
        while size <= upto:
            size *= 2
        more = range(self.size, size)
        self.starts += [f'","start":{i}' for i in more]
        self.ends += [f',"end":{i}' for i in more]
        self.ids += [f',"id":{i},"ws":' for i in more]
        self.size = size


_TABLES = _Tables()


def tokens_json(text: str, starts: Sequence[int], ends: Sequence[int], ws: Sequence[bool]) -> tuple[str, list[str]]:
    """The JSON text of the tokens ``[{"text", "start", "end", "id", "ws"}, ...]`` (compact, as
    ``fast_json.dumps`` writes the list) and the tokens' words."""
    n = len(starts)
    words = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    most = max(ends, default=0)
    if n < 2 or most >= _MOST:  # itemgetter of one item gives the item, not a tuple
        return dumps([{"text": w, "start": s, "end": e, "id": i, "ws": f} for i, (w, s, e, f) in enumerate(zip(
            words, starts, ends, ws, strict=True))]), words
    shown = words
    found = _SPECIAL.finditer(text)
    first = next(found, None)
    if first is not None:
        shown = list(words)
        escape = {bisect_right(starts, first.start()) - 1}
        escape.update(bisect_right(starts, m.start()) - 1 for m in found)
        for i in escape:
            # a character before the first token's start, or in no token, is in no word
            if 0 <= i < n and _SPECIAL.search(words[i]):
                shown[i] = dumps(words[i])[1:-1]
    tables = _TABLES
    if max(most, n) >= tables.size:
        tables.grow(max(most, n))
    pieces: list[str | None] = [None] * (5 * n)
    pieces[0::5] = shown
    pieces[1::5] = itemgetter(*starts)(tables.starts)
    pieces[2::5] = itemgetter(*ends)(tables.ends)
    pieces[3::5] = tables.ids[:n]
    pieces[4::5] = itemgetter(*map(bool, ws))(_WS)
    # the last token's opening of a next one becomes the list's end
    return '[{"text":"' + "".join(pieces)[: -len(_NEXT)] + "]", words  # type: ignore[arg-type]
