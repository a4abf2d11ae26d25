"""spaCy DocBin (``.spacy``): see :mod:`annotator.spacy_docs` for how Documents become Docs.

Reading gives one Document per Doc. Writing stores user data (Sorot's fields) and appends
every problem met (spans that do not align with tokens, entities that overlap) to
``problems``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from annotator.formats._common import fail, finish, pop_options, read_bytes, refuse_unknown, report
from annotator.model import Document

NAME = "spacy"
EXTENSIONS = (".spacy",)
_STRING_ATTRS = (ORTH, NORM, TAG, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID, LEMMA)
#: What an export holds per token: the words and the entities. Sorot's Docs carry no tags,
#: lemmas, parses or sentence starts, and the stock attribute list stores 13 columns of
#: zeros for them, most of the file and of the export time. Readers take the list from the
#: file, so any spaCy reads these files.
EXPORT_ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


class FastDocBin(DocBin):
    """A DocBin whose ``add`` collects strings from the token arrays instead of asking
    every token for nine strings (the stock ``add`` is the slow part of an export).
    Same bytes out, same reading."""

    def add(self, doc: Doc) -> None:
        array = doc.to_array(self.attrs)
        if len(array.shape) == 1:
            array = array.reshape((array.shape[0], 1))
        cols = [self.attrs.index(a) for a in _STRING_ATTRS if a in self.attrs]
        strings = doc.vocab.strings
        # A string's hash is the same in every vocab: only hashes not met in an earlier
        # doc need their string looked up.
        known = self.__dict__.setdefault("_known", {0})
        wanted = set(numpy.unique(array[:, cols]).tolist())
        optional: set[int] = set()
        for group in doc.spans.values():
            for span in group:
                wanted.add(span.label)
                optional.add(span.kb_id)
                optional.add(span.id)
        wanted -= known
        new: set[str] = {""}
        try:
            for h in wanted:
                new.add(strings[h])
        except (KeyError, IndexError):
            super().add(doc)
            return
        for h in optional - known:
            if h in strings:
                new.add(strings[h])
                wanted.add(h)
        known |= wanted
        if MORPH in self.attrs and array[:, self.attrs.index(MORPH)].any():
            new.update(str(t.morph) for t in doc)
        self.tokens.append(array)
        spaces = doc.to_array(SPACY).reshape((array.shape[0], 1))
        self.spaces.append(numpy.asarray(spaces, dtype=bool))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        self.strings.update(new)
        self.cats.append(doc.cats)
        if self.store_user_data:
            import srsly

            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
        self.span_groups.append(doc.spans.to_bytes())

    def to_bytes(self) -> bytes:
        """As DocBin.to_bytes, with fast zlib compression (level 1: same format, any reader)."""
        import srsly

        tokens = numpy.vstack(self.tokens) if self.tokens else numpy.asarray([])
        spaces = numpy.vstack(self.spaces) if self.spaces else numpy.asarray([])
        msg = {
            "version": self.version,
            "attrs": self.attrs,
            "tokens": tokens.tobytes("C"),
            "spaces": spaces.tobytes("C"),
            "lengths": numpy.asarray([len(t) for t in self.tokens], dtype="int32").tobytes("C"),
            "strings": sorted(self.strings),
            "cats": self.cats,
            "flags": self.flags,
            "span_groups": self.span_groups,
        }
        if self.store_user_data:
            msg["user_data"] = self.user_data
        return zlib.compress(srsly.msgpack_dumps(msg), 1)


@contextmanager
def fast_msgpack() -> Iterator[None]:
    """srsly asks importlib for msgpack entry points on every pack/unpack call (about a
    millisecond each, several calls per Doc). Within this block the registries answer from
    a snapshot taken at its start."""
    try:
        from srsly.msgpack import msgpack_decoders, msgpack_encoders
    except ImportError:  # a future srsly: nothing to speed up
        yield
        return
    registries = (msgpack_encoders, msgpack_decoders)
    patched = []
    try:
        for registry in registries:
            if "get_all" not in vars(registry):
                snapshot = registry.get_all()
                registry.get_all = lambda snapshot=snapshot: snapshot  # type: ignore[method-assign]
                patched.append(registry)
        yield
    finally:
        for registry in patched:
            del registry.get_all


def read(path: Path, **options: Any) -> Iterator[Document]:
    return iter(read_list(path, **options))


def read_list(path: Path, **options: Any) -> list[Document]:
    from spacy.vocab import Vocab

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
) -> int:
    from annotator.spacy_docs import to_doc

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    bin_ = FastDocBin(attrs=EXPORT_ATTRS, store_user_data=True)
    count = 0
    with fast_msgpack():
        for document in docs:
            doc, found = to_doc(nlp, document, entity_labels=entity_labels)
            for message in found:
                report(problems, message)
            bin_.add(doc)
            count += 1
        data = bin_.to_bytes()
    out.write_bytes(data)
    return count
