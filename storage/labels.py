"""Settings and labels: the project's key-value settings and its label set (a rename
relabels every span that carried the old name)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from annotator.errors import StoreError
from annotator.model import (
    Label,
)
from storage.db import (
    ProjectDb,
)
from storage.schema import ANY_SPAN_STATUS


class LabelsPart(ProjectDb):
    """Labels of a project: see the module docstring."""

    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self.query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write("settings"):
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
            self.event("settings.set", after={key: value})

    def labels(self) -> list[Label]:
        rows = self.query(
            "SELECT name, kind, colour, shortcut, description, maps_from FROM labels ORDER BY position, name"
        )
        return [Label(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def label(self, name: str) -> Label | None:
        return next((lab for lab in self.labels() if lab.name == name), None)

    def save_label(self, label: Label, *, rename_from: str | None = None) -> None:
        """Add or change a label. Renaming relabels every span that carried the old name."""
        old = self.label(rename_from or label.name)
        with self.write("label"):
            if rename_from and rename_from != label.name:
                if self.label(label.name):
                    raise StoreError(f"a label named {label.name} already exists")
                self.db.execute("UPDATE labels SET name = ? WHERE name = ?", (label.name, rename_from))
                self.db.execute(
                    f"UPDATE spans SET label = ? WHERE {ANY_SPAN_STATUS} AND label = ?",
                    (label.name, rename_from),
                )
            self._insert_label(label, old)

    def _insert_label(self, label: Label, old: Label | None) -> None:
        """Insert or update ``label`` inside the caller's transaction."""
        position = self.db.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
        self.db.execute(
            "INSERT INTO labels (name, kind, colour, shortcut, description, maps_from, position) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET kind=excluded.kind, "
            "colour=excluded.colour, shortcut=excluded.shortcut, description=excluded.description, "
            "maps_from=excluded.maps_from",
            (
                label.name,
                label.kind,
                label.colour,
                label.shortcut,
                label.description,
                json.dumps(label.maps_from),
                position,
            ),
        )
        self.event("label.save", before=None if old is None else _label_dict(old), after=_label_dict(label))

    def add_missing_labels(self, names: Iterable[str], kinds: dict[str, str] | None) -> list[str]:
        """Create the labels among ``names`` the project lacks, inside the caller's transaction."""
        known = {name for (name,) in self.db.execute("SELECT name FROM labels")}
        added = []
        for name in sorted(set(names) - known):
            try:
                label = Label(name, (kinds or {}).get(name, "entity"), PALETTE[len(known) % len(PALETTE)])
            except ValueError as exc:
                raise StoreError(str(exc)) from exc
            known.add(name)
            self._insert_label(label, None)
            added.append(name)
        return added

    def delete_label(self, name: str) -> None:
        used = self.query(f"SELECT count(*) FROM spans WHERE {ANY_SPAN_STATUS} AND label = ?", (name,))[0][0]
        if used:
            raise StoreError(f"label {name} is used by {used} spans; relabel or delete them first")
        old = self.label(name)
        with self.write("label"):
            self.db.execute("DELETE FROM labels WHERE name = ?", (name,))
            self.event("label.delete", before=None if old is None else _label_dict(old))

    def ensure_labels(self, names: Iterable[str], *, kinds: dict[str, str] | None = None) -> None:
        """Create labels met in imported data with a colour from a fixed palette."""
        names = set(names)
        if names - {lab.name for lab in self.labels()}:
            with self.write("label"):
                self.add_missing_labels(names, kinds)

    def label_map(self) -> dict[str, str]:
        """spaCy label -> project label, from every label's ``maps_from``."""
        out: dict[str, str] = {}
        labels = self.labels()
        for lab in labels:
            # A pipeline trained on this project predicts the project's own labels.
            out[lab.name] = lab.name
        for lab in labels:
            for src in lab.maps_from:
                out.setdefault(src, lab.name)
        return out


PALETTE = ("#4e79a7", "#59a14f", "#e15759", "#f28e2b", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


def _label_dict(label: Label) -> dict[str, Any]:
    return dataclasses.asdict(label)
