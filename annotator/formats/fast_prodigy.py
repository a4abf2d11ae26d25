"""Prodigy's ``tokens`` list as JSON text without a dict per token: the speed trick of the
Prodigy export's per-token list.

The stock path (``prodigy_tokens.json_of_stock``) builds ~500 dicts ``{"text", "start",
"end", "id", "ws"}`` an article and hands them to orjson: the dicts are most of the time.
Here the list's text is put together by ``str.join`` from pieces laid out by slice
assignment (every step but the words' slicing a loop in C: ``operator.itemgetter``): the constant keys, the words (slices of the text), the
numbers' text from a table (``_NUMBERS``, grown as longer texts come) and ``true``/``false``.
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

_FIRST = '{"text":"'
_NEXT = ',{"text":"'
_START = '","start":'
_END = ',"end":'
_ID = ',"id":'
_WS = (',"ws":false}', ',"ws":true}')

#: The text of 0, 1, 2, ...: grown to the longest text met.
_NUMBERS: list[str] = [str(i) for i in range(1 << 14)]


def _numbers(upto: int) -> list[str]:
    global _NUMBERS
    if upto >= len(_NUMBERS):
        size = len(_NUMBERS)
        while size <= upto:
            size *= 2
        _NUMBERS = _NUMBERS + [str(i) for i in range(len(_NUMBERS), size)]
    return _NUMBERS


def tokens_json(text: str, starts: Sequence[int], ends: Sequence[int], ws: Sequence[bool]) -> tuple[str, list[str]]:
    """The JSON text of the tokens ``[{"text", "start", "end", "id", "ws"}, ...]`` (compact, as
    ``fast_json.dumps`` writes the list) and the tokens' words."""
    n = len(starts)
    words = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    if n < 2:  # itemgetter of one item gives the item, not a tuple
        return dumps([{"text": w, "start": s, "end": e, "id": 0, "ws": f} for w, s, e, f in zip(
            words, starts, ends, ws, strict=True)]), words
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
    table = _numbers(max(n, max(ends)))
    pieces: list[str | None] = [None] * (9 * n)
    pieces[0::9] = [_NEXT] * n
    pieces[0] = _FIRST
    pieces[1::9] = shown
    pieces[2::9] = [_START] * n
    pieces[3::9] = itemgetter(*starts)(table)
    pieces[4::9] = [_END] * n
    pieces[5::9] = itemgetter(*ends)(table)
    pieces[6::9] = [_ID] * n
    pieces[7::9] = table[:n]
    pieces[8::9] = itemgetter(*map(bool, ws))(_WS)
    return "[" + "".join(pieces) + "]", words  # type: ignore[arg-type]
