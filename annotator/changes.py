"""What one committed transaction changed, told once to every listener (after Anki's
``OpChanges``): views refresh from it, each deciding what concerns it; nobody re-reads the
whole project, and nobody has to tell its own writes from others'."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Changes:
    #: The kinds of write, as the history names them ("span.update", "suggest", "import"...).
    actions: frozenset[str] = frozenset()
    #: Articles whose spans, relations, status or fields changed.
    article_ids: frozenset[int] = frozenset()
    #: Spans added, changed or removed (all of them in ``article_ids``), unless ``all_spans``.
    span_ids: frozenset[int] = frozenset()
    #: Spans of ``article_ids`` changed without a list (an import's merge): re-read them all.
    all_spans: bool = False
    #: Relations of ``article_ids`` were added or removed.
    relations: bool = False
    #: Some change concerned no single article (a label rename, an import of new articles).
    project: bool = False
    labels: bool = False
    settings: bool = False
    #: Who made the change: the store's annotator.
    annotator: str = ""

    def concerns(self, article_id: int | None) -> bool:
        """Whether the spans or fields of ``article_id`` may have changed."""
        return article_id is not None and (article_id in self.article_ids or (self.project and self.all_spans))

    @property
    def only_labels_or_settings(self) -> bool:
        return (self.labels or self.settings) and not (self.article_ids or self.span_ids or self.project)
