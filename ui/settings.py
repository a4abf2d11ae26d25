"""Per-user settings (recent projects, annotator name, window layout) in QSettings.

``SOROT_SETTINGS`` names an ini file to use instead: tests give each run its own.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

MAX_RECENT = 8


def app_settings() -> QSettings:
    path = os.environ.get("SOROT_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "sorot", "sorot")


def recent_projects() -> list[str]:
    value = app_settings().value("recent", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def add_recent(path: str) -> None:
    items = [p for p in recent_projects() if p != path]
    items.insert(0, path)
    s = app_settings()
    s.setValue("recent", items[:MAX_RECENT])
    s.sync()


def annotator_name() -> str | None:
    value = app_settings().value("annotator", "")
    return str(value) if value else None


def set_annotator_name(name: str) -> None:
    s = app_settings()
    s.setValue("annotator", name)
    s.sync()
