"""Where the tests find their data: ``tests/data`` in the repository, so a fresh clone
with nothing beside it runs every test (see ``tests/data/README.md`` for the sources)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
# The sample article ships with Sorot (resources/), copied from shared/samples with its source line.
SAMPLE = ROOT / "resources" / "belousov-kim-pyongyang.id.txt"
