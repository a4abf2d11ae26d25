"""Shared fixtures. GUI tests: each gets its own project file and QSettings file, and no
first-run question; modal dialogs are stubbed per test with monkeypatch.

Two guards, for CI (``.ci/run``):

* ``SOROT_HEADLESS=1`` (run with ``-m "not gui" -p no:pytest-qt``): importing Qt is an
  error, and modules marked ``pytestmark = pytest.mark.gui`` are not collected. This proves
  the domain, storage, operations and command-line tests run without Qt.
* ``CI`` set: a skipped test fails the run, unless its reason starts with "optional:"
  (something the README does not install, such as a spaCy model). A test that skips because
  data is missing would otherwise pass unnoticed.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from pathlib import Path

import pytest

HEADLESS = os.environ.get("SOROT_HEADLESS") == "1"
OPTIONAL = "optional:"
GUI_MODULE = "\npytestmark = pytest.mark.gui\n"


class _NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):  # noqa: ANN001 - importlib's signature
        if name.partition(".")[0] in ("PySide6", "shiboken6", "pytestqt"):
            raise ImportError(f"{name} imported in a headless run: mark the test gui, or import Qt inside it")
        return None


if HEADLESS:
    sys.meta_path.insert(0, _NoQt())


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if HEADLESS and collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        if GUI_MODULE in collection_path.read_text(encoding="utf-8"):
            return True
    return None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = [
        rep
        for rep in (reporter.stats.get("skipped", []) if reporter else [])
        if OPTIONAL not in str(rep.longrepr)
    ]
    if skipped:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped without an 'optional:' reason; that is a failure here:",
            red=True,
        )
        for rep in skipped:
            reporter.write_line(f"  {rep.nodeid}: {rep.longrepr}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Caches Sorot keeps for the user (``annotator.user_cache``: the language model decoded,
    the compiled catalogues) go under
    the session's temporary folder, for this process and the command lines it runs."""
    before = os.environ.get("SOROT_CACHE_DIR")
    os.environ["SOROT_CACHE_DIR"] = str(tmp_path_factory.mktemp("sorot-cache"))
    yield
    if before is None:
        os.environ.pop("SOROT_CACHE_DIR", None)
    else:
        os.environ["SOROT_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def team_server():
    """One real PostgreSQL server for the session's team tests (``tests/team_server.py``)."""
    from tests.team_server import TeamServer

    server = TeamServer()
    yield server
    server.close()


@pytest.fixture
def team_url(team_server) -> str:
    """A fresh empty database on the session's server, as the superuser (the team lead)."""
    return team_server.new_database()
