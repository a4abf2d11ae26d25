"""What the domain and the operations need of a project, and the project-wide rules.

``ProjectStore`` is the protocol ``storage.store.Store`` implements; the domain and
``ops/`` are typed against it, so they never import ``storage`` and a second
implementation could stand behind them. It lists only what they call.

The article workflow and the gold-annotator rule live here, once: statuses in
``annotator.model`` (``WORKFLOW`` + ``NEEDS_REASON``), the gold annotator as a project
setting read by ``gold_annotator``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from annotator.model import Article, Document, Label, Span

if TYPE_CHECKING:
    from annotator.loop import ModelVersion

#: The project setting naming the annotator that adjudicated (reviewed) spans are stored under.
GOLD_SETTING = "review.gold_annotator"
DEFAULT_GOLD = "gold"
#: The project setting holding the suggesters spec (``DEFAULT_SPEC`` when unset).
SUGGESTERS_SETTING = "suggesters"
#: The suggesters a project uses until it chooses others (``annotator.suggest`` builds them).
DEFAULT_SPEC = "rules,gazetteer"


def spec_items(spec: str) -> list[str]:
    """The items of a suggesters spec, kind lower-cased: "Rules, spacy:X" -> ["rules", "spacy:X"].
    Here rather than in ``annotator.suggest`` so that the store can read a spec without it."""
    out = []
    for raw in (spec or "").split(","):
        kind, sep, arg = raw.strip().partition(":")
        if kind.strip():
            out.append(kind.strip().lower() + (sep + arg.strip() if sep else ""))
    return out


class ArticleSelection(Protocol):
    """Which articles (and which of their spans) a job reads: ``storage.store.ArticleFilter``."""

    @property
    def statuses(self) -> tuple[str, ...]: ...
    @property
    def labels(self) -> tuple[str, ...]: ...
    @property
    def annotators(self) -> tuple[str, ...]: ...
    @property
    def span_statuses(self) -> tuple[str, ...]: ...
    @property
    def article_ids(self) -> tuple[int, ...]: ...
    @property
    def search(self) -> str: ...


class ImportResult(Protocol):
    articles_added: int
    articles_merged: int
    spans_added: int
    article_ids: list[int]


class ProjectStore(Protocol):
    """An open project, as the domain and the operations use it."""

    path: Path | None
    annotator: str
    read_only: bool

    def setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...
    def labels(self) -> list[Label]: ...
    def label_map(self) -> dict[str, str]: ...
    def gazetteer_rows(self) -> list[tuple[str, str, int, int]]: ...
    def article(self, article_id: int) -> Article: ...
    def article_ids(self, *, statuses: Sequence[str] = (), search: str = "") -> list[int]: ...
    def count_articles(self, *, statuses: Sequence[str] = (), search: str = "") -> int: ...
    def iter_documents(self, flt: Any = ..., *, batch: int = 500) -> Iterator[Document]: ...
    def cached_tokens(self, article_ids: Sequence[int], tokenizer: str) -> dict[int, bytes]: ...
    def save_tokens(self, rows: Iterable[tuple[int, str, bytes, str]]) -> int: ...
    def spans(
        self, article_id: int, *, statuses: Sequence[str] = (), annotators: Sequence[str | None] = ()
    ) -> list[Span]: ...
    def events(
        self, *, article_id: int | None = None, span_id: int | None = None, limit: int = 1000,
        before_id: int | None = None,
    ) -> list[dict[str, Any]]: ...  # fmt: skip
    def import_batches(
        self,
        batches: Iterable[Sequence[Document]],
        *,
        annotator: str | None = None,
        source: str = "",
        rows_ready: Callable[[], None] | None = None,
        add_labels: bool = False,
        label_kinds: dict[str, str] | None = None,
    ) -> ImportResult: ...
    def span_keys_many(
        self, article_ids: Sequence[int], *, replacing: Sequence[str] = ()
    ) -> dict[int, tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]]: ...
    def assignments(self, article_ids: Sequence[int] | None = None) -> dict[int, list[str]]: ...
    def span_annotators(self) -> list[str]: ...
    def state_annotators(self) -> list[str]: ...
    def assigned_annotators(self) -> list[str]: ...
    def replace_suggestions_many(
        self,
        items: Sequence[tuple[int, Sequence[Span]]],
        *,
        origins: Sequence[str] = (),
        languages: dict[int, str] | None = None,
        usefulness: dict[int, float] | None = None,
    ) -> int: ...
    def model_versions(self) -> list[ModelVersion]: ...
    def active_model_version(self) -> ModelVersion | None: ...
    def add_model_version(self, version: ModelVersion, *, activate: bool = False) -> ModelVersion: ...
    def activate_model_version(self, version_id: int | None) -> int | None: ...


def gold_annotator(store: ProjectStore) -> str:
    """The annotator adjudicated spans are stored under, and the one training prefers."""
    return store.setting(GOLD_SETTING, DEFAULT_GOLD) or DEFAULT_GOLD
