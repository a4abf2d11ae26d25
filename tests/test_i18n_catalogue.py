"""[desk-2] The Indonesian catalogue keeps up with the desk: every user-facing string the code
marks for translation has a finished Indonesian translation in ``resources/i18n/sorot_id.ts``.

This is CI's check: ``pyside6-lupdate`` (shipped with PySide6) reads ``ui/`` into a copy of the
catalogue, exactly as a translator would update it, and a string it finds new or unfinished
fails the run, named. No Qt is imported here (it runs in the headless pass too); lupdate runs
as its own process.

To add a translation: run the command in ``LUPDATE`` below (without the copy), then fill in
the new ``<translation>`` entries (Qt Linguist, ``pyside6-linguist``, or a text editor).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.paths import ROOT

TS = ROOT / "resources" / "i18n" / "sorot_id.ts"
#: The one way the catalogue is updated (also what a translator runs, with TS for the copy).
LUPDATE = ["-no-obsolete", "-locations", "none", "-source-language", "en", "-target-language", "id"]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def lupdate() -> str:
    """The lupdate PySide6 ships, found without importing Qt."""
    base = Path(sysconfig.get_paths()["purelib"]) / "PySide6"
    for candidate in (base / "lupdate", base / "lupdate.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)) or shutil.which("pyside6-lupdate")
    if not found:
        pytest.fail("pyside6-lupdate not found: PySide6-Essentials ships it; is the project installed?")
    return found


def sources() -> list[str]:
    """Every Python file of the desk, relative to the repository (what the catalogue covers):
    the committed ones in a git checkout (CI's fresh clone: all of them; a shared working tree:
    not a colleague's file still being written), else every one there is."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "--", "ui/*.py"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if listed.returncode == 0 and listed.stdout.strip():
            return sorted(line for line in listed.stdout.splitlines() if (ROOT / line).is_file())
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py"))


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source text, translation element) of every live message of a catalogue."""
    out = []
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                continue
            out.append((name, msg.findtext("source") or "", tr))
    return out


def test_every_marked_string_of_the_desk_has_an_indonesian_translation(tmp_path):
    # Given the committed catalogue, updated from today's code as a translator would
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    done = subprocess.run(
        [lupdate(), *LUPDATE, *sources(), "-ts", str(copy)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr or done.stdout
    # Then lupdate found the desk's strings, and none is new or unfinished
    found = messages(copy)
    assert len(found) > 400, done.stdout
    unfinished = [(ctx, src) for ctx, src, tr in found if tr is None or tr.get("type") == "unfinished"]
    assert not unfinished, (
        f"{len(unfinished)} user-facing string(s) have no Indonesian translation in {TS.relative_to(ROOT)} "
        f"(run pyside6-lupdate {' '.join(LUPDATE)} ui/**/*.py -ts {TS.relative_to(ROOT)}, then translate them):\n"
        + "\n".join(f"  [{ctx}] {src!r}" for ctx, src in unfinished)
    )


def test_every_translation_is_whole_and_keeps_the_placeholders():
    # Given the committed catalogue
    found = messages(TS)
    for ctx, src, tr in found:
        text = (tr.text or "") if tr is not None else ""
        # Then no translation is empty or unfinished (an empty one would blank the desk)
        assert text.strip() and tr.get("type") is None, f"[{ctx}] {src!r} is untranslated"
        # And the {names} filled in at run time are the same (a missing one raises, an extra one shows)
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(src)), f"[{ctx}] {src!r} -> {text!r}"
        # And a menu's mnemonic stays one
        assert ("&" in src) == ("&" in text), f"[{ctx}] {src!r} -> {text!r}: the & of the mnemonic"


def test_the_compiled_catalogue_is_built_not_committed():
    # The .qm is built by lrelease (ui/i18n.py); git ignores it and never holds one
    assert "resources/i18n/*.qm" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("optional: not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files", "resources/i18n"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [f for f in tracked if f.endswith(".qm")]
