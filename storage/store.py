"""The project store: the one narrow interface the rest of Sorot talks to.

``Store`` is a thin front over parts, one module per concern, each built on the database
core's public methods (``storage.db``: open and lock, ``transaction()``, queries, events):

* ``labels``: settings and the label set;
* ``articles``: article lookups, the list's pages, status, deletion, search;
* ``states``: each annotator's own state of an article, and assignments;
* ``importing``: whole-file imports;
* ``spans``: spans and relations, the edits of the command layer;
* ``suggestions``: suggester output, updated in place, never over the analyst's work;
* ``history``: the append-only event log;
* ``documents``: documents for export and training, totals;
* ``models``: versions of the project's own trained model, and the one in use;
* ``tokens``: the token cache (each article's tokens per tokenizer, for exports).

The review screens' queries live in ``storage.review`` and use the same public methods.
A team server would be a second implementation of the same methods.
"""

from __future__ import annotations

from storage.articles import ARTICLE_SORT, ArticlesPart, fts_query
from storage.db import (
    ARTICLE_COLUMNS,
    PAGE_SIZE,
    SPAN_COLUMNS,
    ProjectDb,
    article_from_row,
    default_annotator,
    default_project_path,
    now,
    span_from_row,
)
from storage.documents import ArticleFilter, DocumentsPart
from storage.history import HistoryPart
from storage.importing import ImportPart, ImportReport
from storage.labels import PALETTE, LabelsPart
from storage.models import ModelsPart
from storage.spans import SpansPart
from storage.states import StatesPart
from storage.suggestions import SuggestionsPart
from storage.tokens import TokensPart

__all__ = [
    "ARTICLE_COLUMNS",
    "ARTICLE_SORT",
    "PAGE_SIZE",
    "PALETTE",
    "SPAN_COLUMNS",
    "ArticleFilter",
    "ImportReport",
    "ProjectDb",
    "Store",
    "article_from_row",
    "default_annotator",
    "default_project_path",
    "fts_query",
    "now",
    "span_from_row",
]


class Store(
    ImportPart,
    ModelsPart,
    LabelsPart,
    SuggestionsPart,
    SpansPart,
    StatesPart,
    ArticlesPart,
    HistoryPart,
    DocumentsPart,
    TokensPart,
):
    """A Sorot project. Open with ``Store.open(path)``; close when done."""
