"""Where the benches find the IndoNLU NER data (nergrit, nerp; Apache-2.0): the shared folder
beside the checkout (``../shared/data``), or ``SOROT_BENCH_DATA``. Benches only: the tests carry
their own small copies in tests/data."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA = Path(os.environ.get("SOROT_BENCH_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

#: NERGRIT's labels as the project's: persons and organisations are actors, places locations.
NERGRIT_MAP = {"PERSON": "ACTOR", "ORGANISATION": "ACTOR", "PLACE": "LOCATION"}
