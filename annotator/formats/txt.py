"""Plain text: one article per ``.txt`` file (a file, or a folder searched recursively).

The whole file is the article text (so offsets stay true to the file, once line endings
are ``\\n``). The title is the first line when it looks like one: shorter than 200
characters, not ending in a full stop, and followed by more text; otherwise the file name
(without ``.txt`` and a language suffix such as ``.id``). A name like ``x.id.txt`` sets
the language unless ``lang`` is given. Encodings: UTF-8 (BOM or not), UTF-16/32 with a BOM,
else a legacy code page found by charset-normalizer; empty and binary files are refused.

Writing: one ``<title-slug>-<uid>.txt`` per article into the folder ``out``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.formats._common import (
    Options,
    fail,
    finish,
    make_article,
    pop_options,
    read_text,
    refuse_unknown,
    safe_name,
    walk,
)
from annotator.model import Document

NAME = "txt"
EXTENSIONS = (".txt",)
_LANG_SUFFIX = re.compile(r"\.([a-z]{2,3})$")


def title_of(text: str) -> str:
    first, _, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    if first and len(first) < 200 and not first.endswith(".") and rest.strip():
        return first
    return ""


def article_from_text(text: str, path: Path, opts: Options) -> Document:
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    lang = None
    m = _LANG_SUFFIX.search(stem)
    if m:
        stem = stem[: m.start()]
        lang = m.group(1)
    article = make_article(
        text,
        path,
        opts,
        title=title_of(text) or stem,
        language=opts.lang or lang,
        meta={"path": str(path)},
    )
    return finish(Document(article), path, opts)



def read(path: Path, **options: Any) -> list[Document]:
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    path = Path(path)
    if not path.exists():
        raise fail(path, "no such file or folder")
    docs = [article_from_text(read_text(p), p, opts) for p in walk(path, EXTENSIONS)]
    if path.is_dir() and not docs:
        raise fail(path, "the folder holds no .txt files")
    return docs


def file_name(doc: Document, ext: str = ".txt") -> str:
    slug = safe_name(doc.article.title or "", 50)
    return f"{slug}-{doc.article.uid}{ext}" if slug else f"{doc.article.uid}{ext}"


def write(docs: Iterable[Document], out: Path, *, problems: list[str] | None = None) -> int:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for doc in docs:
        (out / file_name(doc)).write_text(doc.article.text, encoding="utf-8", newline="\n")
        count += 1
    return count
