"""Issue 12: what a DocBin export tells spaCy about the tokens outside the spans, binary
answers, CRLF in foreign Docs and the tokenizer's language."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from annotator.formats import docbin, jsonl
from annotator.model import Article, Document, Span
from annotator.spacy_docs import COMPLETE, PARTIAL, UNKNOWN, entity_knowledge, to_doc


def docbin_docs(path: Path) -> list[Doc]:
    return list(DocBin().from_disk(path).get_docs(Vocab()))


def prodigy(tmp_path: Path, *objs: dict) -> list[Document]:
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(o) for o in objs) + "\n", encoding="utf-8")
    return jsonl.read(f)


# --------------------------------------------------------------------------- 2. empty but annotated


def test_accepted_task_without_spans_is_all_outside_in_the_docbin(tmp_path):
    # Given an accepted Prodigy task that marks no entity
    docs = prodigy(tmp_path, {"text": "Nothing to see here", "spans": [], "answer": "accept"})
    # When exported to DocBin
    out = tmp_path / "o.spacy"
    docbin.write(docs, out)
    (doc,) = docbin_docs(out)
    # Then every token says "O": a negative example spaCy learns from
    assert [t.ent_iob_ for t in doc] == ["O"] * 4


def test_finished_article_without_spans_is_all_outside(tmp_path):
    out = tmp_path / "o.spacy"
    docbin.write([Document(Article("Nothing here", status="done", language="en"))], out)
    assert [t.ent_iob_ for t in docbin_docs(out)[0]] == ["O", "O"]


def test_new_article_without_spans_stays_unknown(tmp_path):
    out = tmp_path / "o.spacy"
    docbin.write([Document(Article("Nothing here", language="en"))], out)
    assert [t.ent_iob_ for t in docbin_docs(out)[0]] == ["", ""]


def test_task_without_answer_is_only_input():
    f_docs = [Document(Article("Nothing here", language="en"))]
    assert entity_knowledge(f_docs[0]) == UNKNOWN


def test_conll_articles_are_complete(tmp_path):
    f = tmp_path / "a.conll"
    f.write_text("-DOCSTART- -X- O O\n\nNothing\tO\nhere\tO\n", encoding="utf-8")
    from annotator.formats import conll

    (doc,) = conll.read(f)
    assert entity_knowledge(doc) == COMPLETE


# --------------------------------------------------------------------------- 3. binary in DocBin


def test_rejected_binary_answer_marks_only_what_is_known(tmp_path):
    # Given a rejected ner.teach answer
    docs = prodigy(
        tmp_path,
        {"text": "I love my i7", "spans": [{"start": 10, "end": 12, "label": "PRODUCT"}], "answer": "reject"},
    )
    assert entity_knowledge(docs[0]) == PARTIAL
    out = tmp_path / "o.spacy"
    docbin.write(docs, out)
    (doc,) = docbin_docs(out)
    # Then no token is claimed "O", and the rejected span is an incorrect span for spaCy's ner
    assert [t.ent_iob_ for t in doc] == ["", "", "", ""]
    assert [(s.text, s.label_) for s in doc.spans["incorrect_spans"]] == [("i7", "PRODUCT")]
    # And Sorot reads it back as it was
    (back,) = docbin.read(out)
    assert [(s.key, s.status, s.attrs) for s in back.spans] == [((10, 12, "PRODUCT"), "rejected", {"binary": True})]


def test_accepted_binary_answer_is_an_entity_among_unknown_tokens(tmp_path):
    docs = prodigy(
        tmp_path,
        {"text": "Bob met Ann", "spans": [{"start": 0, "end": 3, "label": "P"}], "answer": "accept", "_view_id": "ner"},
    )
    out = tmp_path / "o.spacy"
    docbin.write(docs, out)
    (doc,) = docbin_docs(out)
    assert [t.ent_iob_ for t in doc] == ["B", "", ""]


def test_suggestions_are_not_entities(tmp_path):
    doc, _ = to_doc("en", Document(Article("Bob met Ann", language="en"), [Span(0, 3, "P", status="suggested")]))
    assert list(doc.ents) == [] and [s.text for s in doc.spans["sc_suggested"]] == ["Bob"]


# --------------------------------------------------------------------------- 1. CRLF in a foreign DocBin


def test_crlf_in_a_foreign_doc_moves_its_entities(tmp_path):
    vocab = Vocab()
    doc = Doc(vocab, words=["Line", "\r\n", "Bob"], spaces=[False, False, False])
    doc.set_ents([doc.char_span(6, 9, label="PERSON")], default="outside")
    out = tmp_path / "f.spacy"
    DocBin(docs=[doc]).to_disk(out)
    (back,) = docbin.read(out)
    assert back.article.text == "Line\nBob"
    assert [(s.start, s.end, s.text) for s in back.spans] == [(5, 8, "Bob")]
    assert back.article.meta["annotated"] is True


# --------------------------------------------------------------------------- 10. language


def test_docbin_export_of_an_article_without_language_uses_its_language_tokenizer():
    # Given an English article stored without a language
    document = Document(Article("I'm sure Mr. Smith didn't go, and I can't say why the weather was so poor."))
    # When made into a Doc
    doc, _ = to_doc(None, document)
    # Then the English tokenizer split it (the multi-language one keeps "I'm" whole)
    assert [t.text for t in doc][:2] == ["I", "'m"]


def test_import_detects_and_stores_the_language(tmp_path):
    from annotator.formats import read_any

    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"text": "The minister said the talks went well and the war will end soon."}) + "\n")
    ((_, docs),) = list(read_any(f))
    assert docs[0].article.language == "en"
    ((_, given),) = list(read_any(f, lang="id"))
    assert given[0].article.language == "id"
