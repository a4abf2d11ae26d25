"""spaCy's side of DocBin export: a faster ``DocBin.add`` and msgpack registries.

Kept apart from :mod:`annotator.formats.docbin` so that importing the formats (the command
line, export helper processes for other formats) does not import spaCy.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy
from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, SPACY, TAG
from spacy.tokens import Doc, DocBin

_STRING_ATTRS = (ORTH, NORM, TAG, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID, LEMMA)
#: What an export holds per token: the words and the entities. Sorot's Docs carry no tags,
#: lemmas, parses, morphology or sentence starts: the stock list's other 10 columns held
#: zeros, and the norms the tokenizer gave, which a reader's pipeline derives again from its
#: own tokenizer (training reads only the words and entities of the reference Docs). They
#: were most of the file and of the export time. Readers take the list from the file.
EXPORT_ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")


class FastDocBin(DocBin):
    """A DocBin whose ``add`` collects strings from the token arrays instead of asking
    every token for nine strings (the stock ``add`` is the slow part of an export).
    Same bytes out, same reading."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A string's hash is the same in every vocab: only hashes not met in an earlier doc
        # need their string looked up.
        self._known: set[int] = {0}
        self._string_cols: list[int] | None = None
        super().__init__(*args, **kwargs)

    def add(self, doc: Doc, span_labels: set[str] | None = None) -> None:
        """As DocBin.add. ``span_labels``: the labels of every span in ``doc.spans``, when
        the caller knows them and the spans carry no kb_id or id (saves reading each span)."""
        both = doc.to_array([*self.attrs, SPACY])
        spaces = both[:, -1:].astype(bool)
        array = numpy.ascontiguousarray(both[:, :-1])
        if self._string_cols is None:
            self._string_cols = [self.attrs.index(a) for a in _STRING_ATTRS if a in self.attrs]
        cols = self._string_cols
        strings = doc.vocab.strings
        known = self._known
        wanted = set(array[:, cols].ravel().tolist())
        optional: set[int] = set()
        if span_labels is not None:
            wanted.update(strings.add(label) for label in span_labels)
        else:
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
        self.spaces.append(spaces)
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        self.strings.update(new)
        self.cats.append(doc.cats)
        if self.store_user_data:
            import srsly

            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
        self.span_groups.append(doc.spans.to_bytes())

    def arrays(self) -> dict[str, Any]:
        """The token, space and length arrays as bytes, and the per-doc lists: what
        ``message`` takes. Parts of an export are these, joined by concatenation."""
        return {
            "tokens": numpy.vstack(self.tokens).tobytes("C") if self.tokens else b"",
            "spaces": numpy.vstack(self.spaces).tobytes("C") if self.spaces else b"",
            "lengths": numpy.asarray([len(t) for t in self.tokens], dtype="int32").tobytes("C"),
            "strings": self.strings,
            "cats": self.cats,
            "flags": self.flags,
            "span_groups": self.span_groups,
            "user_data": self.user_data if self.store_user_data else None,
        }

    def to_bytes(self) -> bytes:
        """As DocBin.to_bytes, with fast zlib compression (level 1: same format, any reader)."""
        return message(self.version, self.attrs, self.arrays())


def message(version: str, attrs: list[int], arrays: dict[str, Any]) -> bytes:
    """DocBin bytes from ``FastDocBin.arrays()`` (or parts of them, joined)."""
    import srsly

    msg = {
        "version": version,
        "attrs": attrs,
        "tokens": arrays["tokens"],
        "spaces": arrays["spaces"],
        "lengths": arrays["lengths"],
        "strings": sorted(arrays["strings"]),
        "cats": arrays["cats"],
        "flags": arrays["flags"],
        "span_groups": arrays["span_groups"],
    }
    if arrays["user_data"] is not None:
        msg["user_data"] = arrays["user_data"]
    return zlib_compress(srsly.msgpack_dumps(msg))


def zlib_compress(data: bytes, level: int = 1, *, pieces: int | None = None) -> bytes:
    """``zlib.compress(data, level)``, several pieces at once on several cores.

    As pigz does: each piece is raw deflate ending on a byte boundary (a sync flush), the
    last one ends the stream, and the zlib header and Adler-32 of the whole go around them.
    One valid zlib stream, which ``zlib.decompress`` (and spaCy) read as usual; zlib
    releases the GIL while it compresses, so threads suffice.
    """
    if pieces is None:
        pieces = min(os.cpu_count() or 1, 8, len(data) // (4 << 20))
    if pieces <= 1:
        return zlib.compress(data, level)
    size = -(-len(data) // pieces)
    view = memoryview(data)

    def piece(i: int) -> bytes:
        comp = zlib.compressobj(level, zlib.DEFLATED, -15)
        out = comp.compress(view[i * size : (i + 1) * size])
        return out + comp.flush(zlib.Z_FINISH if i == pieces - 1 else zlib.Z_SYNC_FLUSH)

    with ThreadPoolExecutor(max_workers=pieces + 1) as pool:
        checksum = pool.submit(zlib.adler32, view)
        body = b"".join(pool.map(piece, range(pieces)))
    header = bytes((0x78, 0x01))  # deflate, 32 KiB window, fastest level; (0x7801 % 31 == 0)
    return header + body + checksum.result().to_bytes(4, "big")


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
