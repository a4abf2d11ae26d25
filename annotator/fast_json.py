"""JSON text for the writers, made by orjson (a maintained library) instead of ``json``.

What it buys (bench/bench_core.py, Prodigy export of ~3,000-character articles): one
Prodigy line carries the text, ~500 token objects and ~30 spans; ``json.dumps`` spends
about 1 ms on it, orjson a tenth of that.

The text is the same *value* as ``json.dumps(obj, ensure_ascii=False,
separators=(",", ":"))`` gives (tests/test_speed_json.py checks it on generated objects);
the bytes may differ in how a float is spelt (``1e-05`` vs ``1e-5``). What orjson refuses
— integers beyond 64 bits, keys that are not text, a lone surrogate, a type it does not
know — goes to ``json`` instead, so every object ``json`` writes is still written. One
difference is kept on purpose: NaN and infinities become ``null`` (``json`` writes
``NaN``, which is not JSON and which other readers refuse).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_stdlib = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_orjson = orjson.dumps


def dumps(obj: Any) -> str:
    """``obj`` as compact JSON text, non-ASCII characters as they are."""
    try:
        return _orjson(obj).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return _stdlib(obj)


def dumps_stdlib(obj: Any) -> str:
    """The stock path ``dumps`` stands in for (tests and benchmarks compare the two)."""
    return _stdlib(obj)


_orjson_loads = orjson.loads
_OrjsonDecodeError = orjson.JSONDecodeError
#: bytes.translate table: every digit becomes "0", every other byte "."
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x2E for b in range(256))
#: 19 digits in a row (translated): maybe an integer beyond 64 bits, which orjson reads as a float
_LONG_RUN = b"0" * 19


def loads(text: str | bytes) -> Any:
    """``json.loads(text)``, by orjson (a Prodigy line of ~30 spans: 60 µs -> 30 µs).

    What orjson reads otherwise, or refuses, goes to ``json``, which gives its own value or
    its own error: a run of 19 digits (an integer beyond 64 bits, which orjson would read as
    a float; looking for one costs 5 µs a line), NaN and infinities, lone surrogates,
    nesting deeper than orjson's 1,024 levels, and text that is not JSON at all (so a
    reader's error message, line and column, is the one ``json`` gives).
    tests/test_speed_import.py checks that every value reads as ``json`` reads it.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if _LONG_RUN not in data.translate(_DIGITS):
        try:
            return _orjson_loads(data)
        except _OrjsonDecodeError:
            pass
    return json.loads(text)
