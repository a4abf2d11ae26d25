#!/usr/bin/env bash
# Set up a virtual environment with the test tools and run the whole suite offscreen.
set -eu
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q -e ".[test]"
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q "$@"
