"""The long jobs, written once for the command line and the desk alike.

Each takes an open project store (anything with the ``storage.store.Store`` methods;
the domain never imports storage) and a ``Progress`` it reports to and that may cancel it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import FormatError, SorotError
from annotator.model import Span
from annotator.progress import NULL, Progress

log = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    files_ok: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    articles_added: int = 0
    articles_merged: int = 0
    spans_added: int = 0
    article_ids: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.files_ok} file(s) imported: {self.articles_added} new article(s), "
            f"{self.articles_merged} merged, {self.spans_added} span(s)"
        ]
        out += [f"error: {msg}" for _, msg in self.failures]
        return out


@dataclass
class ExportSummary:
    articles: int = 0
    spans: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class SuggestSummary:
    articles: int = 0
    suggestions: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)


def import_paths(
    store: Any,
    paths: Sequence[str | Path],
    *,
    fmt: str = "auto",
    options: dict[str, Any] | None = None,
    annotator: str | None = None,
    progress: Progress = NULL,
) -> ImportSummary:
    """Import files and folders; one file is one transaction, and one bad file stops nothing else."""
    from annotator.formats import read_any

    options = dict(options or {})
    summary = ImportSummary()
    label_kinds: dict[str, str] = {}
    known = {lab.name for lab in store.labels()}
    done = 0
    for path in paths:
        for file_path, result in read_any(Path(path), fmt, **options):
            done += 1
            if isinstance(result, FormatError):
                summary.failures.append((str(file_path), str(result)))
                progress.update(done, 0, f"{file_path.name}: error")
                continue
            try:
                new_labels = {sp.label for doc in result for sp in doc.spans} - known
                if new_labels:
                    store.ensure_labels(new_labels, kinds=label_kinds)
                    known |= new_labels
                report = store.import_documents(result, annotator=annotator, source=str(file_path))
            except SorotError as exc:
                summary.failures.append((str(file_path), f"{file_path}: {exc}"))
                progress.update(done, 0, f"{file_path.name}: error")
                continue
            summary.files_ok += 1
            summary.articles_added += report.articles_added
            summary.articles_merged += report.articles_merged
            summary.spans_added += report.spans_added
            summary.article_ids += report.article_ids
            progress.update(done, 0, f"{file_path.name}: {len(result)} article(s)")
    return summary


def export_project(
    store: Any,
    out: str | Path,
    *,
    fmt: str,
    flt: Any = None,
    progress: Progress = NULL,
) -> ExportSummary:
    """Write the articles and spans that pass ``flt`` (a ``storage.store.ArticleFilter``) to ``out``."""
    from annotator.formats import write_any

    summary = ExportSummary()
    total = (
        store.count_articles(statuses=flt.statuses if flt else ())
        if flt is not None
        else store.count_articles()
    )
    options: dict[str, Any] = {}
    if fmt in ("spacy", "conll"):
        options["entity_labels"] = {lab.name for lab in store.labels() if lab.kind == "entity"}
    docs_iter = store.iter_documents(flt) if flt is not None else store.iter_documents()

    def counted():
        for n, doc in enumerate(docs_iter, 1):
            summary.articles += 1
            summary.spans += len(doc.spans)
            if n % 200 == 0:
                progress.update(n, total, f"{n} of {total} articles")
            yield doc

    write_any(counted(), Path(out), fmt, problems=summary.problems, **options)
    progress.update(summary.articles, total, "done")
    return summary


def suggest_articles(
    store: Any,
    article_ids: Sequence[int],
    suggesters: Sequence[Any],
    *,
    progress: Progress = NULL,
    batch_size: int = 64,
) -> SuggestSummary:
    """Run the suggesters over articles and store what they find as ``suggested`` spans.

    A suggester failing on one article marks that article (its id in ``failures``) and
    the rest go on. Each batch of ``batch_size`` articles is stored in one transaction
    (suggestions and detected languages together) when the store has
    ``replace_suggestions_many``; otherwise one per article, as before. Re-suggesting an
    article replaces its pending suggestions from the same suggesters (same ``name``).
    """
    from annotator.lang import detect_language
    from annotator.suggest.base import run_suggesters

    summary = SuggestSummary()
    origins = [s.name for s in suggesters]
    total = len(article_ids)
    # One transaction (one commit, one fsync) per batch when the store can: per article, the
    # commits cost more than the suggesting for the fast suggesters.
    write_many = getattr(store, "replace_suggestions_many", None)
    keys_many = getattr(store, "span_keys_many", None)
    for first in range(0, total, batch_size):
        ids = list(article_ids[first : first + batch_size])
        articles = [store.article(i) for i in ids]
        langs = []
        detected: dict[int, str] = {}
        for art in articles:
            if not art.language:
                art.language = detect_language(art.text)
                detected[art.id] = art.language
            langs.append(art.language)
        if detected and write_many is None:
            for aid, lang in detected.items():
                store.set_article_language(aid, lang)
        if keys_many is not None:
            # The pending suggestions of these suggesters are replaced, not kept: they must not
            # hide the same suggestion made again (re-suggesting used to wipe them).
            by_id = keys_many(ids, replacing=origins)
            keys = [by_id[i] for i in ids]
        else:
            keys = [store.span_keys(i) for i in ids]
        failed: dict[int, str] = {}

        def on_error(index: int, exc: Exception, failed: dict[int, str] = failed) -> None:
            failed[index] = f"{type(exc).__name__}: {exc}"

        results = run_suggesters(
            list(suggesters),
            [a.text for a in articles],
            langs,
            existing_per_text=[k[0] for k in keys],
            rejected_per_text=[k[1] for k in keys],
            on_error=on_error,
        )
        items: list[tuple[int, list[Span]]] = []
        for index, (art, found) in enumerate(zip(articles, results, strict=True)):
            if index in failed:
                summary.failures.append((art.id, failed[index]))
                log.warning("article %s: suggester failed: %s", art.uid, failed[index])
            n = len(art.text)
            items.append(
                (
                    art.id,
                    [
                        Span(s.start, s.end, s.label, origin=s.origin, status="suggested", score=s.score)
                        for s in found
                        if 0 <= s.start < s.end <= n
                    ],
                )
            )
        if write_many is not None:
            summary.suggestions += write_many(items, origins=origins, languages=detected)
        else:
            for aid, spans in items:
                summary.suggestions += store.replace_suggestions(aid, spans, origins=origins)
        summary.articles += len(items)
        progress.update(min(first + batch_size, total), total, f"{summary.articles} of {total} articles")
    return summary
