"""Every error Sorot shows to a person, in one place."""

from __future__ import annotations


class SorotError(Exception):
    """An error with a message fit to show to the analyst as it is."""


class SpanError(SorotError, ValueError):
    """A span that cannot exist: empty, negative, outside its article's text."""


class FormatError(SorotError):
    """A file that cannot be read as the format it claims to be. Names the file and line."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class StoreError(SorotError):
    """The project database cannot do what was asked (not SQLite, read-only, full, locked)."""


class ProjectLocked(StoreError):
    """Another Sorot holds the project open for writing."""


class ModelError(SorotError):
    """A spaCy pipeline that is missing, broken or does not fit the project."""


class SpanGone(StoreError):
    """An edit (an undo, say) names a span that is no longer in the project: deleted since,
    by this desk, the review window or another analyst. The message says which and by whom."""

    def __init__(self, span_id: int, message: str) -> None:
        self.span_id = span_id
        super().__init__(message)


class TeamError(SorotError):
    """A team project's server cannot be reached, refuses the credentials, or refuses a write
    (row-level security: a span of someone else). The message says which, in words."""


class TeamOffline(TeamError):
    """The team server cannot be reached now: work goes on locally and is sent later."""
