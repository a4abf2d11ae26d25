"""The DocBin writer of exports (annotator.formats.fast_docbin) against spaCy's DocBin."""

from __future__ import annotations

import threading
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from annotator.formats.fast_docbin import (
    EXPORT_ATTRS,
    DocBinWriter,
    fast_msgpack,
    message_uncompressed,
)
from annotator.model import Article, Document, Span
from annotator.spacy_docs import to_doc

WORDS = st.sampled_from(
    ["Jokowi", "Jakarta", "menteri", "said", "didn't", "U.S.", "Rp1.000", "😀", "“kata”", "-", ",", "ß", "naïve"]
)
SEPARATORS = st.sampled_from([" ", " ", "  ", "\n", "\n\n", "\t", ", ", "\u00a0"])


@st.composite
def documents(draw) -> Document:
    words = draw(st.lists(WORDS, min_size=1, max_size=25))
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip() or "x"
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 30)))
        if text[start:end].strip():
            spans.append(
                Span(
                    start,
                    end,
                    draw(st.sampled_from(["ACTOR", "LOCATION", "CLAIM"])),
                    status=draw(st.sampled_from(["accepted", "rejected", "suggested"])),
                )
            )
    article = Article(
        text=text, language=draw(st.sampled_from(["id", "en", ""])), status=draw(st.sampled_from(["new", "done"]))
    )
    return Document(article, spans)


def both(docs: list[Document]) -> tuple[bytes, bytes, DocBinWriter]:
    """The uncompressed message of the fast writer and of spaCy's DocBin, for the same Docs."""
    fast = DocBinWriter(EXPORT_ATTRS, store_user_data=True)
    stock = DocBin(attrs=EXPORT_ATTRS, store_user_data=True)
    for i, document in enumerate(docs):
        doc, _ = to_doc(None, document)
        # both ways of telling the span labels: given by the caller, and read from the Doc
        fast.add(doc, span_labels={sp.label for sp in document.spans} if i % 2 else None)
        stock.add(doc)
    return message_uncompressed(fast.version, fast.attrs, fast.arrays()), zlib.decompress(stock.to_bytes()), fast


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=1, max_size=5))
def test_the_writer_makes_the_stock_docbin_message_byte_for_byte(docs):
    # Given articles in Indonesian, English and no language, with spans of every status
    # When both writers take their Docs
    fast, stock, writer = both(docs)
    # Then the messages are the same bytes, and the compressed file reads back alike
    assert fast == stock
    read = list(DocBin().from_bytes(writer.to_bytes()).get_docs(Vocab()))
    assert [d.text for d in read] == [d.article.text for d in docs]


def test_a_doc_with_morphology_and_kb_ids_too():
    # Given a Doc with what Sorot's Docs do not carry: morphology, entity kb ids, span ids
    import spacy

    nlp = spacy.blank("en")
    doc = nlp("Joe Biden went to Paris.")
    doc[0].set_morph("Number=Sing")
    doc.ents = [doc.char_span(0, 9, label="PERSON", kb_id="Q6279")]
    doc.spans["sc"] = [doc.char_span(18, 23, label="GPE", kb_id="Q90", span_id="p1")]
    fast = DocBinWriter(EXPORT_ATTRS + ("MORPH", "ENT_KB_ID"), store_user_data=True)
    stock = DocBin(attrs=EXPORT_ATTRS + ("MORPH", "ENT_KB_ID"), store_user_data=True)
    fast.add(doc)
    stock.add(doc)
    # Then the messages are the same bytes
    assert message_uncompressed(fast.version, fast.attrs, fast.arrays()) == zlib.decompress(stock.to_bytes())


def test_fast_msgpack_is_scoped_to_its_thread_and_restores_the_registries(monkeypatch):
    from srsly.msgpack import msgpack_decoders, msgpack_encoders

    before = {"enc": msgpack_encoders.get_all(), "dec": msgpack_decoders.get_all()}
    asked: list[str] = []
    stock = type(msgpack_encoders).get_all

    def counting(self):
        asked.append(threading.current_thread().name)
        return stock(self)

    monkeypatch.setattr(type(msgpack_encoders), "get_all", counting)
    # Given a block open in this thread, nested, and one more open in another thread
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with fast_msgpack():
            inside.set()
            leave.wait(5)

    def outsider() -> None:
        msgpack_encoders.get_all()

    with fast_msgpack():
        with fast_msgpack():
            thread = threading.Thread(target=other, name="other")
            thread.start()
            inside.wait(5)
            asked.clear()
            # When this thread asks the registry, it answers from the snapshot
            assert msgpack_encoders.get_all() == before["enc"]
            assert asked == []
            # and a thread outside any block asks srsly as usual
            out = threading.Thread(target=outsider, name="outsider")
            out.start()
            out.join()
            assert asked == ["outsider"]
    # After this thread's blocks end, it asks srsly again while the other thread's block is open
    asked.clear()
    msgpack_encoders.get_all()
    assert asked == ["MainThread"]
    leave.set()
    thread.join()
    # When the last block ends, the registries are srsly's own again
    assert "get_all" not in vars(msgpack_encoders) and "get_all" not in vars(msgpack_decoders)
    assert msgpack_encoders.get_all() == before["enc"] and msgpack_decoders.get_all() == before["dec"]


def test_reading_inside_fast_msgpack_gives_what_reading_outside_does():
    docs = [Document(Article(text="Jokowi ke Jakarta.", language="id"), [Span(0, 6, "ACTOR")])]
    _, _, writer = both(docs)
    data = writer.to_bytes()
    plain = [d.to_json() for d in DocBin().from_bytes(data).get_docs(Vocab())]
    with fast_msgpack():
        fast = [d.to_json() for d in DocBin().from_bytes(data).get_docs(Vocab())]
    assert fast == plain
