"""Where the tests find shared data: ``../shared`` beside the repository (as on the
developers' machines and in CI), or ``SOROT_SHARED``."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SOROT_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
# The sample article ships with Sorot (resources/), copied from shared/samples with its source line.
SAMPLE = ROOT / "resources" / "belousov-kim-pyongyang.id.txt"
