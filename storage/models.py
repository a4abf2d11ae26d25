"""Model versions: every finished training of the project's model, and which one is in use.

Making a version active rewrites the suggesters setting in the same transaction
(``annotator.loop.spec_with_model``), so the setting and the table never disagree. Every
change is in the history: ``model.add`` and ``model.activate`` (before/after: version id).
"""

from __future__ import annotations

import json

from annotator.errors import StoreError
from annotator.loop import ModelVersion, spec_with_model
from annotator.project import DEFAULT_SPEC, SUGGESTERS_SETTING
from storage.db import now
from storage.labels import LabelsPart

_COLUMNS = "id, created_at, path, cause, articles, spans, f, scores, seconds, active, note, place"


def _version(row: tuple) -> ModelVersion:
    return ModelVersion(
        id=row[0],
        created_at=row[1],
        path=row[2],
        cause=row[3],
        articles=row[4],
        spans=row[5],
        f=row[6],
        scores=json.loads(row[7] or "{}"),
        seconds=row[8],
        active=bool(row[9]),
        note=row[10],
        place=row[11],
    )


class ModelsPart(LabelsPart):
    """Model versions of a project: see the module docstring."""

    def model_versions(self) -> list[ModelVersion]:
        """Every version, newest first."""
        return [_version(r) for r in self.query(f"SELECT {_COLUMNS} FROM model_versions ORDER BY id DESC")]

    def model_version(self, version_id: int) -> ModelVersion:
        rows = self.query(f"SELECT {_COLUMNS} FROM model_versions WHERE id = ?", (version_id,))
        if not rows:
            raise StoreError(f"no model version {version_id}")
        return _version(rows[0])

    def active_model_version(self) -> ModelVersion | None:
        rows = self.query(f"SELECT {_COLUMNS} FROM model_versions WHERE active = 1")
        return _version(rows[0]) if rows else None

    def add_model_version(self, version: ModelVersion, *, activate: bool = False) -> ModelVersion:
        """Record a finished training (its folder complete on disk); with ``activate``, make it
        the model in use in the same transaction."""
        with self.write("model.add"):
            cur = self.db.execute(
                "INSERT INTO model_versions (created_at, path, cause, articles, spans, f, scores, seconds, note, place) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    version.created_at or now(),
                    version.path,
                    version.cause,
                    version.articles,
                    version.spans,
                    version.f,
                    json.dumps(version.scores, ensure_ascii=False),
                    version.seconds,
                    version.note,
                    version.place,
                ),
            )
            version_id = cur.lastrowid
            self.event(
                "model.add",
                after={"id": version_id, "path": version.path, "f": version.f, "articles": version.articles},
            )
            if activate:
                self.activate_model_version(version_id)
        return self.model_version(version_id)

    def activate_model_version(self, version_id: int | None) -> int | None:
        """Make ``version_id`` the model in use (None: no own model); returns the one that was,
        so the caller can undo it."""
        with self.write("model.activate"):
            before = self.active_model_version()
            target = self.model_version(version_id) if version_id is not None else None
            self.db.execute("UPDATE model_versions SET active = 0 WHERE active = 1")
            if target is not None:
                self.db.execute("UPDATE model_versions SET active = 1 WHERE id = ?", (version_id,))
            paths = [r[0] for r in self.query("SELECT path FROM model_versions")]
            spec = self.setting(SUGGESTERS_SETTING, DEFAULT_SPEC) or DEFAULT_SPEC
            new_spec = spec_with_model(
                spec, target.path if target else None, paths, target.place if target else "first"
            )
            self.db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (SUGGESTERS_SETTING, new_spec)
            )
            self.event(
                "model.activate",
                before={"id": before.id if before else None, "suggesters": spec},
                after={"id": version_id, "suggesters": new_spec},
            )
        return before.id if before else None
