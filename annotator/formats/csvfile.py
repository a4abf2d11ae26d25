"""CSV: articles in, spans out (one way: a CSV export is for spreadsheets, not for reading back).

Reading: one article per row. The text column is ``text_column`` if given, else ``text``,
else the only one of text/body/content/article present (case-insensitive). Columns named
title/headline, url/link, source/publisher and language/lang fill those Article fields and
``uid`` fills the uid; every other column (``id`` too) goes to ``Article.meta``. Rows with
an empty text are skipped. The delimiter is sniffed (tab for ``.tsv``).

Writing: one row per span: article_uid, title, label, text, context (60 characters either
side, line breaks as spaces), start, end, annotator, status, origin, created_at,
updated_at. Text cells starting with = + - @ tab or CR get a leading ``'`` so a
spreadsheet does not run them as formulas. UTF-8 with BOM, so Excel reads it right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.formats._common import fail, finish, make_article, pop_options, read_text, refuse_unknown
from annotator.model import Document

NAME = "csv"
EXTENSIONS = (".csv", ".tsv")
TEXT_COLUMNS = ("text", "body", "content", "article")
FIELD_COLUMNS = {
    "title": "title",
    "headline": "title",
    "url": "url",
    "link": "url",
    "source": "source",
    "publisher": "source",
    "language": "language",
    "lang": "language",
    "uid": "uid",
}
EXPORT_COLUMNS = (
    "article_uid",
    "title",
    "label",
    "text",
    "context",
    "start",
    "end",
    "annotator",
    "status",
    "origin",
    "created_at",
    "updated_at",
)
CONTEXT = 60

csv.field_size_limit(2**31 - 1)



def read(
    path: Path, *, text_column: str | None = None, delimiter: str | None = None, **options: Any
) -> list[Document]:
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    path = Path(path)
    text = read_text(path)
    if delimiter is None:
        if path.suffix.lower() == ".tsv":
            delimiter = "\t"
        else:
            try:
                delimiter = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise fail(path, "the file has no header row") from None
    except csv.Error as exc:
        raise fail(path, f"not valid CSV: {exc}", 1) from exc
    names = [h.strip().lstrip("\ufeff") for h in header]
    lower = [h.lower() for h in names]
    if text_column is not None:
        if text_column not in names:
            raise fail(path, f"no column {text_column!r}; the columns are: {', '.join(names)}", 1)
        text_index = names.index(text_column)
    elif "text" in lower:
        text_index = lower.index("text")
    else:
        found = [i for i, h in enumerate(lower) if h in TEXT_COLUMNS]
        if len(found) != 1:
            why = "several text columns" if found else "no text column"
            raise fail(
                path,
                f"{why} (looked for {', '.join(TEXT_COLUMNS)}); the columns are: {', '.join(names) or '(none)'}; "
                "choose one with text_column=",
                1,
            )
        text_index = found[0]
    docs: list[Document] = []
    try:
        for row in reader:
            line = reader.line_num
            if text_index >= len(row) or not row[text_index].strip():
                continue
            fields: dict[str, Any] = {}
            meta: dict[str, Any] = {"path": str(path), "row": len(docs) + 1}
            for i, value in enumerate(row):
                if i == text_index:
                    continue
                name = names[i] if i < len(names) else f"column{i + 1}"
                field = FIELD_COLUMNS.get(name.lower())
                if field and value and field not in fields:
                    fields[field] = value
                elif value:
                    meta[name] = value
            article = make_article(row[text_index], path, opts, line, meta=meta, **fields)
            docs.append(finish(Document(article), path, opts, line))
    except csv.Error as exc:
        raise fail(path, f"not valid CSV: {exc}", reader.line_num) from exc
    if not docs:
        raise fail(path, "no row has any text")
    return docs


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def write(docs: Iterable[Document], out: Path, *, problems: list[str] | None = None) -> int:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPORT_COLUMNS)
        for doc in docs:
            count += 1
            article = doc.article
            text = article.text
            for span in doc.spans:
                context = text[max(0, span.start - CONTEXT) : span.end + CONTEXT].replace("\n", " ")
                row = (
                    article.uid,
                    article.title,
                    span.label,
                    text[span.start : span.end],
                    context,
                    span.start,
                    span.end,
                    span.annotator or "",
                    span.status,
                    span.origin,
                    span.created_at or "",
                    span.updated_at or "",
                )
                writer.writerow([safe_cell(v) for v in row])
    return count
