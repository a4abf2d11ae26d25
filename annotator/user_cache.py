"""Where Sorot keeps what it can always make again (decoded models, compiled catalogues)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$SOROT_CACHE_DIR`` (the tests name one under their temporary folder), else the
    user cache directory."""
    named = os.environ.get("SOROT_CACHE_DIR")
    if named:
        return Path(named)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sorot", appauthor=False))
