"""The DocBin writer of exports, faster than spaCy's ``DocBin``, and srsly's msgpack registries.

``DocBinWriter`` makes the bytes ``DocBin.to_bytes`` makes (before compression), without
asking every token for nine strings as ``DocBin.add`` does: it reads the string hashes of
all tokens in one ``Doc.to_array`` call and looks up only hashes it has not met. It keeps
its own lists (it is not a DocBin, and touches none of DocBin's attributes); what a file
holds and how spaCy reads it is spaCy's, read back by the stock ``DocBin.from_bytes``.
tests/test_speed_docbin.py checks that the message is byte for byte the stock one on
generated articles. What it buys: bench/bench_core.py's "DocBin writer" lines.

Kept apart from :mod:`annotator.formats.docbin` so that importing the formats (the command
line, export helper processes for other formats) does not import spaCy.
"""

from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any

import numpy
import srsly
from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, SPACY, TAG
from spacy.tokens import Doc, DocBin

#: The token attributes whose strings the stock ``DocBin.add`` stores (text, tag, lemma,
#: norm, dep, entity type, kb id and id; morphology is asked for apart).
_STRING_ATTRS = [ORTH, TAG, LEMMA, NORM, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID, MORPH]
#: What an export holds per token: the words and the entities. Sorot's Docs carry no tags,
#: lemmas, parses, morphology or sentence starts: the stock list's other 10 columns held
#: zeros, and the norms the tokenizer gave, which a reader's pipeline derives again from its
#: own tokenizer (training reads only the words and entities of the reference Docs). They
#: were most of the file and of the export time. Readers take the list from the file.
EXPORT_ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")


class DocBinWriter:
    """Docs in, the bytes of a ``DocBin(attrs, store_user_data)`` holding them out."""

    def __init__(self, attrs: tuple[str, ...] = EXPORT_ATTRS, *, store_user_data: bool = True) -> None:
        stock = DocBin(attrs=attrs, store_user_data=store_user_data)  # its attribute order and version
        self.attrs: list[int] = list(stock.attrs)
        self.version: str = stock.version
        self.store_user_data = store_user_data
        self.tokens: list[Any] = []
        self.spaces: list[Any] = []
        self.flags: list[dict[str, Any]] = []
        self.cats: list[dict[str, Any]] = []
        self.user_data: list[bytes] = []
        self.span_groups: list[bytes] = []
        self.strings: set[str] = set()
        # A string's hash is the same in every vocab: only hashes not met in an earlier doc
        # need their string looked up.
        self._known: set[int] = set()
        self._columns = [*self.attrs, SPACY, *_STRING_ATTRS]

    def add(self, doc: Doc, span_labels: set[str] | None = None) -> None:
        """As ``DocBin.add``. ``span_labels``: the labels of every span in ``doc.spans``, when
        the caller knows them and the spans carry no kb_id or id (saves reading each span)."""
        width = len(self.attrs)
        both = doc.to_array(self._columns)
        self.tokens.append(numpy.ascontiguousarray(both[:, :width]))
        self.spaces.append(both[:, width : width + 1].astype(bool))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        strings = doc.vocab.strings
        known = self._known
        morph = both[:, -1]
        wanted = set(both[:, width + 1 : -1].ravel().tolist())
        new: set[str] = set()
        if len(doc):
            new.add("")  # str(token.morph) of a token without morphology
        if morph.any():
            new.update(str(t.morph) for t in doc)
        if span_labels is not None:
            wanted.update(strings.add(label) for label in span_labels)
        else:
            for group in doc.spans.values():
                for span in group:
                    wanted.add(span.label)
                    for h in (span.kb_id, span.id):
                        if h in strings:
                            wanted.add(h)
        for h in wanted - known:
            new.add(strings[h] if h else "")
        known |= wanted
        self.strings.update(new)
        self.cats.append(doc.cats)
        if self.store_user_data:
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
    """DocBin bytes from ``DocBinWriter.arrays()`` (or parts of them, joined)."""
    return zlib_compress(message_uncompressed(version, attrs, arrays))


def message_uncompressed(version: str, attrs: list[int], arrays: dict[str, Any]) -> bytes:
    """The msgpack message ``DocBin.to_bytes`` compresses."""
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
    return srsly.msgpack_dumps(msg)


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


_PATCH_LOCK = threading.Lock()
#: Blocks open in any thread: srsly's registries carry the hook while there is one.
_patch_depth = 0
#: The snapshots of the blocks open in this thread (none: the hook asks srsly as usual).
_local = threading.local()


def _answer(registry: Any, stock: Any) -> Any:
    snapshots = getattr(_local, "snapshots", None)
    if snapshots is None:
        return stock()
    return snapshots[id(registry)]


@contextmanager
def fast_msgpack() -> Iterator[None]:
    """Within this block, in this thread, srsly's msgpack registries answer from a snapshot.

    srsly asks importlib for msgpack entry points on every pack/unpack call (about half a
    millisecond each, and spaCy makes two per Doc: span groups and user data), which is most
    of a DocBin read or write. While any block is open the registries carry a hook that
    answers from the snapshot in the threads inside a block and asks srsly as usual in every
    other thread; blocks nest and may be open in several threads, and the last one to end
    takes the hook away (tests/test_speed_docbin.py). An extension registered meanwhile is
    seen by the block's thread after the block.
    """
    global _patch_depth
    try:
        from srsly.msgpack import msgpack_decoders, msgpack_encoders
    except ImportError:  # a future srsly: nothing to speed up
        yield
        return
    registries = (msgpack_encoders, msgpack_decoders)
    outermost = getattr(_local, "snapshots", None) is None
    if outermost:
        _local.snapshots = {id(registry): registry.get_all() for registry in registries}
    with _PATCH_LOCK:
        if _patch_depth == 0:
            for registry in registries:
                stock = type(registry).get_all.__get__(registry)
                registry.get_all = partial(_answer, registry, stock)  # type: ignore[method-assign]
        _patch_depth += 1
    try:
        yield
    finally:
        with _PATCH_LOCK:
            _patch_depth -= 1
            if _patch_depth == 0:
                for registry in registries:
                    del registry.get_all
        if outermost:
            del _local.snapshots


# --------------------------------------------------------------------------- Docs from the token cache

_VOCABS: dict[str, Any] = {}


def _vocab(code: str) -> Any:
    """The vocab of ``spacy_docs.blank(code)``'s pipeline, without building its tokenizer
    (spaCy's Indonesian one takes seconds): the same lexeme attributes, from the same defaults."""
    from annotator.spacy_docs import _BLANK, blank

    vocab = _VOCABS.get(code)
    if vocab is None:
        built = _BLANK.get(code)
        if built is not None:
            vocab = built.vocab
        else:
            from spacy.util import get_lang_class
            from spacy.vocab import create_vocab

            try:
                cls = get_lang_class(code)
            except Exception:  # as blank(): an unknown code gets the multi-language tokenizer
                vocab = blank(code).vocab
            else:
                vocab = create_vocab(code, cls.Defaults)
        _VOCABS[code] = vocab
    return vocab


def tokenized_docs(documents: list[Any], cache: Any) -> list[Doc | None]:
    """The tokenized Doc of each document for ``spacy_docs.to_doc(tokenized=...)``: its words,
    their spaces and the norms tokenizer exceptions give, from the token offsets Prodigy's
    export uses too (``prodigy_tokens.offsets_for``: the cache where it has them, else the
    article language's tokenizer, batched, and added to ``cache``). None for an article
    without a language (``to_doc`` guesses one). tests/test_speed_token_cache.py: the same
    bytes as the tokenizer's own Doc."""
    from annotator.formats.prodigy_tokens import offsets_for
    from annotator.tokens import tokenizer_code

    out: list[Doc | None] = [None] * len(documents)
    where = [i for i, document in enumerate(documents) if document.article.language]
    for i, offsets in zip(where, offsets_for([documents[i] for i in where], cache), strict=True):
        article = documents[i].article
        doc = Doc(_vocab(tokenizer_code(article.language)), words=offsets.words(article.text), spaces=offsets.ws)
        for t, norm in offsets.norms:
            doc[t].norm_ = norm
        out[i] = doc
    return out
