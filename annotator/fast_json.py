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
