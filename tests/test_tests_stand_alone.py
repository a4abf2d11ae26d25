"""The test suite's own rules, read from its source: GUI tests say so, and tests write only
under their ``tmp_path`` (so ``-m "not gui"`` runs without Qt, and runs do not share files)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
QT_FIXTURES = {"qtbot", "qapp", "qtmodeltester", "open_window"}


def _is_gui_mark(node: ast.expr) -> bool:
    return ast.unparse(node) in ("pytest.mark.gui", "pytest.mark.gui()")


def _modules() -> list[Path]:
    return sorted(TESTS.glob("test_*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_every_qt_test_carries_the_gui_marker(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_gui = any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        and (_is_gui_mark(node.value) or any(_is_gui_mark(e) for e in getattr(node.value, "elts", [])))
        for node in tree.body
    )
    if module_gui:
        return
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            assert not any(n.startswith("PySide6") for n in names), (
                f"{path.name}:{node.lineno} imports Qt at module level: mark the module gui or import it inside"
            )
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            uses_qt = QT_FIXTURES & {a.arg for a in node.args.args}
            if uses_qt:
                assert any(_is_gui_mark(d) for d in node.decorator_list), (
                    f"{path.name}:{node.lineno} {node.name} uses {sorted(uses_qt)} without the gui marker"
                )


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_tests_write_nowhere_but_their_tmp_path(path):
    text = path.read_text(encoding="utf-8")
    shared = "/" + "tmp"  # spelled apart so this file passes its own check
    assert f'"{shared}' not in text and f"'{shared}" not in text, f"{path.name} names a folder under {shared}"
