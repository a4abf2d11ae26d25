"""Reading and writing annotated articles in other tools' formats. Pure functions, no database.

Every format module has ``read(path, **options) -> list[Document]`` (the whole file, or a
:class:`~annotator.errors.FormatError` naming the file and line, never part of it) and ``write(docs, out, *, problems=None, **options) -> int`` (the
number of articles written; what could not be written is appended to ``problems`` and
logged). Every reader takes the common options ``label_map`` (a label mapped to "" or "-" is
dropped), ``lang``, ``annotator`` and ``status``; values found in the file win over them.

=================  ===========================================  ==============================
name               reads                                        writes
=================  ===========================================  ==============================
txt                .txt files (a file or a folder)              one .txt per article (folder)
jsonl              Prodigy and doccano .jsonl / .json           Prodigy .jsonl
prodigy            (as jsonl)                                   Prodigy .jsonl
doccano            (as jsonl)                                   doccano sequence labelling
doccano-relations  (as jsonl)                                   doccano entities/relations
csv                one article per row                          one span per row (one way)
conll              token/tag columns, IOB1/IOB2/BILUO            IOB2 (or BILUO) columns
brat               .txt + .ann pairs                            .txt + .ann pairs (folder)
spacy              DocBin .spacy                                DocBin .spacy
=================  ===========================================  ==============================

Each format is declared once, in :data:`FORMATS`; the command line's choices, the file
dialogs' filters and the options passed to each reader derive from it
(:func:`import_choices`, :func:`export_choices`, :func:`file_filters`, :func:`read_options`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from annotator.bulk import batches
from annotator.errors import FormatError
from annotator.formats import brat, conll, csvfile, docbin, jsonl, txt
from annotator.model import Document

__all__ = [
    "FORMATS",
    "FormatSpec",
    "FormatError",
    "detect_format",
    "export_choices",
    "file_filters",
    "import_choices",
    "read_any",
    "read_options",
    "write_any",
]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    name: str
    read: Callable[..., list[Document]] | None
    write: Callable[..., int] | None
    extensions: tuple[str, ...]
    description: str
    #: whether ``write`` wants a folder (else a file)
    writes_folder: bool = False
    #: For exports in parallel parts: ``write_part(docs, part_path, **options)`` writes one
    #: part and ``join(part_paths, out)`` makes the file from them, in order. None: one piece.
    write_part: Callable[..., int] | None = None
    join: Callable[[list[Path], Path], None] | None = None
    #: ``prepare(languages)``: what a helper process builds before its first part.
    prepare: Callable[[list[str]], None] | None = None
    #: Its writers take ``tokens`` (a token cache, ``annotator.tokens.TokenCache``): they write
    #: spaCy's tokens of each article (Prodigy's ``tokens``, DocBin's Docs).
    tokens: bool = False
    #: ``stream(path, **options)``: the documents one by one, for files too big to read
    #: whole; may raise FormatError after handing out some (see ``read_any(stream=True)``).
    stream: Callable[..., Iterator[Document]] | None = None
    #: Reader options of this format besides the common ones (``_common.COMMON_OPTIONS``).
    options: tuple[str, ...] = ()
    #: Offered as an import choice (False: reads as another format does, e.g. prodigy as jsonl).
    import_choice: bool = True


def _jsonl(
    name: str,
    write: Callable[..., int],
    extensions: tuple[str, ...],
    description: str,
    *,
    import_choice: bool = False,
) -> FormatSpec:
    # JSON lines concatenate: a part is written like the whole file
    return FormatSpec(
        name,
        jsonl.read,
        write,
        extensions,
        description,
        write_part=write,
        join=jsonl.join,
        stream=jsonl.stream,
        prepare=jsonl.prepare if write is jsonl.write_prodigy else None,  # spaCy's tokens
        tokens=write is jsonl.write_prodigy,
        options=("keep_ignored",),
        import_choice=import_choice,
    )


FORMATS: dict[str, FormatSpec] = {
    "txt": FormatSpec("txt", txt.read, txt.write, txt.EXTENSIONS, "plain text, one article per file", True),
    "jsonl": _jsonl(
        "jsonl", jsonl.write_prodigy, jsonl.EXTENSIONS, "Prodigy or doccano JSON lines", import_choice=True
    ),
    "prodigy": _jsonl("prodigy", jsonl.write_prodigy, (".jsonl",), "Prodigy tasks (JSON lines)"),
    "doccano": _jsonl("doccano", jsonl.write_doccano, (".jsonl",), "doccano sequence labelling (JSON lines)"),
    "doccano-relations": _jsonl(
        "doccano-relations", jsonl.write_doccano_relations, (".jsonl",), "doccano entities and relations"
    ),
    "csv": FormatSpec(
        "csv",
        csvfile.read,
        csvfile.write,
        csvfile.EXTENSIONS,
        "CSV: articles in, one span per row out",
        options=("text_column", "delimiter"),
    ),
    "conll": FormatSpec(
        "conll",
        conll.read,
        conll.write,
        conll.EXTENSIONS,
        "CoNLL token/tag columns (IOB, BILUO)",
        options=("sentences_per_article", "scheme"),
    ),
    "brat": FormatSpec("brat", brat.read, brat.write, (".ann",), "brat standoff .txt + .ann pairs", True),
    "spacy": FormatSpec(
        "spacy",
        docbin.read,
        docbin.write,
        docbin.EXTENSIONS,
        "spaCy DocBin",
        write_part=partial(docbin.write, part=True),
        join=docbin.join,
        prepare=docbin.prepare,
        tokens=True,
    ),
}


def import_choices() -> tuple[str, ...]:
    """What ``import --format`` and the import dialog offer: "auto", then each format read."""
    return ("auto", *(n for n, spec in FORMATS.items() if spec.read is not None and spec.import_choice))


def export_choices() -> tuple[str, ...]:
    """What ``export --format`` and the export dialog offer."""
    return tuple(n for n, spec in FORMATS.items() if spec.write is not None)


def read_options(name: str) -> tuple[str, ...]:
    """Every option the reader of ``name`` takes (the common ones first)."""
    from annotator.formats._common import COMMON_OPTIONS

    return (*COMMON_OPTIONS, *FORMATS[name].options)


def file_filters(kind: str = "import") -> list[str]:
    """Qt file-dialog filters, one per format (``"Prodigy tasks (JSON lines) (*.jsonl)"``),
    the first one every importable extension. ``kind``: "import" or "export"."""
    names = import_choices()[1:] if kind == "import" else export_choices()
    out = []
    for name in names:
        spec = FORMATS[name]
        if spec.writes_folder and kind == "export":
            continue  # a folder: no file filter
        out.append(f"{spec.description} ({' '.join('*' + e for e in spec.extensions)})")
    if kind == "import":
        every = sorted({e for n in names for e in FORMATS[n].extensions})
        out.insert(0, f"Everything Sorot reads ({' '.join('*' + e for e in every)})")
    return out


#: extension -> the format that reads it (".txt" is looked at further: brat, CoNLL or text)
_BY_EXTENSION = {ext: name for name in import_choices()[1:] for ext in FORMATS[name].extensions}


def _sniff_txt(path: Path) -> str:
    if path.with_suffix(".ann").exists():
        return "brat"
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
        if conll.looks_like_conll(head.decode("utf-8", errors="replace")):
            return "conll"
    except OSError:
        pass
    return "txt"


def detect_format(path: Path) -> str:
    """The format of a file (by extension, then content) or of a folder (its files' most
    common format; "brat" when it holds .ann files). Raises FormatError when it cannot tell."""
    path = Path(path)
    if path.is_dir():
        found = Counter(fmt for _, fmt in _files(path, "auto"))
        if not found:
            raise FormatError(path, "the folder holds no file Sorot can import")
        if "brat" in found:
            return "brat"
        return found.most_common(1)[0][0]
    if not path.exists():
        raise FormatError(path, "no such file or folder")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return _sniff_txt(path)
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    raise FormatError(
        path,
        f"cannot tell the format from the extension {suffix or '(none)'!r}; "
        f"known: {', '.join(sorted(_BY_EXTENSION))}",
    )


def _files(root: Path, fmt: str) -> Iterator[tuple[Path, str]]:
    """(file, format) for every importable file under a folder, recursively, sorted."""
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        suffix = p.suffix.lower()
        if fmt == "auto":
            if suffix == ".txt":
                kind = _sniff_txt(p)
                if kind == "brat":
                    continue  # read through its .ann
            elif suffix in _BY_EXTENSION:
                kind = _BY_EXTENSION[suffix]
            else:
                continue
        else:
            spec = FORMATS[fmt]
            if suffix not in spec.extensions:
                continue
            if fmt == "txt" and p.with_suffix(".ann").exists():
                continue
            kind = fmt
        yield p, kind


def read_any(
    path: Path, fmt: str = "auto", *, stream: bool = False, detect_languages: bool = True, **options: Any
) -> Iterator[tuple[Path, list[Document] | Iterator[Document] | FormatError]]:
    """Per file under ``path`` (a file, or a folder walked recursively): the file and either
    all its documents or its FormatError — never half a file. Options a format does not
    take are not passed to it (the common ones go everywhere).

    With ``stream``, formats that can (JSON lines) give an iterator instead of the list; it
    may raise FormatError after some documents, and the caller must then drop the file
    whole (the importer stores each file in one transaction).

    Articles without a language (none in the file, no ``lang`` option) get the detected one
    (``detect_languages=False``: they stay without)."""
    path = Path(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if path.is_dir():
        files = list(_files(path, fmt))
        if not files:
            yield path, FormatError(path, "the folder holds no file Sorot can import")
            return
    else:
        try:
            files = [(path, detect_format(path) if fmt == "auto" else fmt)]
        except FormatError as exc:
            yield path, exc
            return
    detect = detect_languages and not options.get("lang")
    for file, kind in files:
        spec = FORMATS[kind]
        if stream and spec.stream is not None:
            found = spec.stream(file, **_options_for(kind, options))
            yield file, (_with_language(found) if detect else found)
            continue
        extra = {"root": path} if kind == "brat" and path.is_dir() else {}  # subfolders name a document
        try:
            docs = list(spec.read(file, **_options_for(kind, options), **extra))
        except FormatError as exc:
            yield file, exc
            continue
        if detect:
            docs = list(_with_language(docs))
        yield file, docs


#: Articles whose languages are detected together (``annotator.lang.detect_languages``).
LANGUAGE_BATCH = 256


def _with_language(docs: Iterable[Document]) -> Iterator[Document]:
    """Articles whose file gave no language get the detected one, stored with them, so that
    exports tokenise them as their language. The first 600 characters are enough for news.
    Articles are taken ``LANGUAGE_BATCH`` at a time and detected together (measured: 0.15 ms
    an article instead of 0.45, on a busy machine)."""
    from annotator.lang import detect_languages

    for batch in batches(docs, LANGUAGE_BATCH):
        todo = [doc.article for doc in batch if not doc.article.language]
        for article, language in zip(
            todo, detect_languages([a.text[:600] for a in todo], default=""), strict=True
        ):
            article.language = language
        yield from batch


def _options_for(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    allowed = set(read_options(kind))
    return {k: v for k, v in options.items() if k in allowed}


def write_any(docs: Iterable[Document], out: Path, fmt: str, **options: Any) -> int:
    """Write ``docs`` to ``out`` (a file, or a folder for txt and brat) in format ``fmt``."""
    if fmt not in FORMATS or FORMATS[fmt].write is None:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    return FORMATS[fmt].write(docs, Path(out), **options)
