"""spaCy DocBin (``.spacy``): see :mod:`annotator.spacy_docs` for how Documents become Docs.

Reading gives one Document per Doc. Writing stores user data (Sorot's fields) and appends
every problem met (spans that do not align with tokens, entities that overlap) to
``problems``.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.formats._common import fail, finish, pop_options, read_bytes, refuse_unknown, report
from annotator.model import Document

if TYPE_CHECKING:
    from spacy.language import Language

    from annotator.formats.fast_docbin import DocBinWriter

NAME = "spacy"
EXTENSIONS = (".spacy",)


def read(path: Path, **options: Any) -> list[Document]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from annotator.formats.fast_docbin import fast_msgpack
    from annotator.spacy_docs import DocDataError, from_doc

    opts = pop_options(options)
    refuse_unknown(options, NAME)
    path = Path(path)
    data = read_bytes(path)
    if not data:
        raise fail(path, "the file is empty")
    try:
        with fast_msgpack():
            docs = list(DocBin(store_user_data=True).from_bytes(data).get_docs(Vocab()))
    except Exception as exc:  # zlib, msgpack, numpy and spaCy each raise their own
        raise fail(path, f"not a spaCy DocBin file ({type(exc).__name__}: {str(exc)[:120]})") from exc
    out: list[Document] = []
    for i, doc in enumerate(docs, 1):
        try:
            document = from_doc(doc)
        except (DocDataError, ValueError) as exc:
            raise fail(path, f"doc {i}: {exc}") from exc
        article = document.article
        if not article.language and opts.lang:
            article.language = opts.lang
        if not (doc.user_data or {}).get("sorot"):
            article.meta.setdefault("path", str(path))
            if opts.status:
                article.status = opts.status
        out.append(finish(document, path, opts))
    return out


def write(
    docs: Iterable[Document],
    out: Path,
    *,
    nlp: Language | None = None,
    entity_labels: set[str] | None = None,
    problems: list[str] | None = None,
    part: bool = False,
    tokens: Any = None,
) -> int:
    """The DocBin of ``docs``; with ``part``, one part of a parallel export (see ``join``).
    ``tokens``: an ``annotator.tokens.TokenCache`` the Docs' tokens come from where it can
    (without ``nlp``: a pipeline's own tokenizer is its own)."""
    from annotator.formats.fast_docbin import fast_msgpack

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with fast_msgpack():
        bin_, count = _fill(docs, nlp, entity_labels, problems, tokens)
        if part:
            data = pickle.dumps(bin_.arrays(), protocol=pickle.HIGHEST_PROTOCOL)
        else:
            data = bin_.to_bytes()
    out.write_bytes(data)
    return count


def _fill(
    docs: Iterable[Document],
    nlp: Language | None,
    entity_labels: set[str] | None,
    problems: list[str] | None,
    tokens: Any = None,
) -> tuple[DocBinWriter, int]:
    from annotator.bulk import batches
    from annotator.formats.fast_docbin import EXPORT_ATTRS, DocBinWriter, tokenized_docs
    from annotator.spacy_docs import to_doc

    bin_ = DocBinWriter(EXPORT_ATTRS, store_user_data=True)
    count = 0
    use_cache = tokens is not None and nlp is None
    for batch in batches(docs, 256):
        tokenized = tokenized_docs(batch, tokens) if use_cache else [None] * len(batch)
        for document, pre in zip(batch, tokenized, strict=True):
            doc, found = to_doc(nlp, document, entity_labels=entity_labels, tokenized=pre)
            for message in found:
                report(problems, message)
            bin_.add(doc, span_labels={span.label for span in document.spans})
            count += 1
    return bin_, count


# A DocBin is one compressed message, so a parallel export writes its parts as the
# DocBin's arrays and lists (pickled, uncompressed) and ``join`` builds the one message.
_CONCATENATED = ("tokens", "spaces", "lengths")
_EXTENDED = ("cats", "flags", "span_groups", "user_data")


def prepare(languages: list[str]) -> None:
    """Load spaCy and build the tokenizers for ``languages`` (seconds for some languages)."""
    import annotator.formats.fast_docbin  # noqa: F401 - imported here, not in the first part
    from annotator.spacy_docs import blank

    for lang in languages or ["xx"]:
        blank(lang)


def join(parts: Sequence[Path], out: Path) -> None:
    """The DocBin holding every part written by ``write(part=True)``, in order."""
    from annotator.formats.fast_docbin import EXPORT_ATTRS, DocBinWriter, fast_msgpack, message

    pieces: dict[str, list] = {name: [] for name in (*_CONCATENATED, *_EXTENDED)}
    strings: set[str] = set()
    for part in parts:
        arrays = pickle.loads(Path(part).read_bytes())  # our own temporary file
        for name in _CONCATENATED:
            pieces[name].append(arrays[name])
        for name in _EXTENDED:
            pieces[name].extend(arrays[name] or ())
        strings |= arrays["strings"]
    joined: dict[str, Any] = {name: b"".join(pieces[name]) for name in _CONCATENATED}
    joined.update({name: pieces[name] for name in _EXTENDED}, strings=strings)
    empty = DocBinWriter(EXPORT_ATTRS, store_user_data=True)
    with fast_msgpack():
        data = message(empty.version, empty.attrs, joined)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
