"""Shared fixtures. GUI tests: each gets its own project file and QSettings file, and no
first-run question; modal dialogs are stubbed per test with monkeypatch."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def sorot_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private settings file and no first-run dialog; returns the tmp folder."""
    monkeypatch.setenv("SOROT_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("SOROT_NO_FIRST_RUN", "1")
    monkeypatch.setenv("SOROT_ANNOTATOR", "tester")
    return tmp_path


@pytest.fixture
def project_path(sorot_env: Path) -> Path:
    return sorot_env / "project.sorot"


@pytest.fixture
def open_window(qtbot, sorot_env: Path):
    """``open_window(path, **kwargs)`` -> a shown MainWindow on a freshly opened store; closed after the test."""
    from storage.store import Store
    from ui.main_window import MainWindow

    windows = []

    def make(path: Path, *, read_only: bool = False, **kwargs):
        kwargs.setdefault("show_summaries", False)
        store = Store.open(path, read_only=read_only)
        window = MainWindow(store, **kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()
