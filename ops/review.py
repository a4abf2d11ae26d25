"""Review jobs shared by ``sorot agreement`` and the review window's Agreement tab."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.agreement import Report, agreement
from storage.review import annotated_articles
from storage.store import Store


def agreement_report(store: Store, *, annotators: Sequence[str] = (), labels: Sequence[str] = ()) -> Report:
    """Agreement over the articles two or more of ``annotators`` (default: all but gold) annotated."""
    annotators, labels = tuple(annotators), tuple(labels)
    articles = annotated_articles(store, annotators=annotators, labels=labels)
    return agreement(articles, annotators=annotators, labels=labels)
