"""Issue 12, item 6: Sorot's CoNLL as spaCy's ``convert`` reads it, and CoNLL -> Sorot ->
CoNLL keeping the file's own tokens."""

from __future__ import annotations

import subprocess
import sys

import pytest
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from annotator.formats import conll
from annotator.model import Article, Document, Span


def test_conll_round_trip_keeps_the_files_tokens(tmp_path):
    # Given a CoNLL file whose tokens the regex tokenizer would cut ("n’t", "U.S.")
    source = "-DOCSTART- -X- O O\n\nWe\tO\ndo\tO\nn’t\tO\nvisit\tO\nU.S.\tB-LOC\n\n"
    f = tmp_path / "in.conll"
    f.write_text(source, encoding="utf-8")
    # When read and written again
    docs = conll.read(f)
    out = tmp_path / "out.conll"
    conll.write(docs, out)
    # Then the file is the same, token for token
    assert out.read_text(encoding="utf-8") == source


def test_docstart_line_is_the_conll_2003_one(tmp_path):
    out = tmp_path / "o.conll"
    conll.write([Document(Article("Bob"), [Span(0, 3, "P")])], out)
    assert out.read_text(encoding="utf-8").splitlines()[0] == "-DOCSTART- -X- O O"
    assert [d.article.text for d in conll.read(out)] == ["Bob"]


@pytest.mark.slow
def test_spacy_convert_splits_sorot_conll_into_its_documents(tmp_path):
    # Given two articles exported to CoNLL
    docs = [
        Document(Article("Bob met Ann.\nThey talked."), [Span(0, 3, "PER"), Span(8, 11, "PER")]),
        Document(Article("Jakarta is hot."), [Span(0, 7, "LOC")]),
    ]
    out = tmp_path / "sorot.conll"
    conll.write(docs, out)
    # When spaCy's own converter reads it
    proc = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(out), str(tmp_path), "--converter", "ner", "-n", "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    got = list(DocBin().from_disk(tmp_path / "sorot.spacy").get_docs(Vocab()))
    # Then it finds the two documents, their words and their entities
    assert len(got) == 2
    assert [t.text for t in got[0]] == ["Bob", "met", "Ann", ".", "They", "talked", "."]
    assert [(e.text, e.label_) for e in got[0].ents] == [("Bob", "PER"), ("Ann", "PER")]
    assert [(e.text, e.label_) for e in got[1].ents] == [("Jakarta", "LOC")]
    assert [t.ent_iob_ for t in got[1]][1:] == ["O", "O", "O"]


def test_labels_with_spaces_or_other_scripts(tmp_path):
    # Given labels as doccano and brat projects name them
    doc = Document(Article("Warung Bu Sri di Bogor"), [Span(0, 13, "Restaurant Name"), Span(17, 22, "地名")])
    problems: list[str] = []
    out = tmp_path / "o.conll"
    conll.write([doc], out, problems=problems)
    # Then the columns stay two, the other script is kept as it is, and the change is told
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "Warung\tB-Restaurant_Name" in lines and "Bogor\tB-地名" in lines
    assert any("written as 'Restaurant_Name'" in p for p in problems)
    assert [s.label for s in conll.read(out)[0].spans] == ["Restaurant_Name", "地名"]


def test_pending_and_rejected_spans_are_not_conll_entities(tmp_path):
    doc = Document(Article("Bob met Ann"), [Span(0, 3, "P", status="suggested"), Span(8, 11, "P", status="rejected")])
    problems: list[str] = []
    out = tmp_path / "o.conll"
    conll.write([doc], out, problems=problems)
    assert "B-P" not in out.read_text(encoding="utf-8")
    assert sorted(problems) == [
        "1 rejected span(s) not written: CoNLL carries accepted entities only",
        "1 suggested span(s) not written: CoNLL carries accepted entities only",
    ]


def test_real_nergrit_file_round_trips_token_for_token(tmp_path):
    # Given NERGrit's validation file (IndoNLU, Apache-2.0, tests/data/LICENSE-indonlu.txt)
    from tests.paths import DATA

    source = DATA / "nergrit" / "valid.iob"
    docs = conll.read(source, sentences_per_article=20)
    out = tmp_path / "out.conll"
    conll.write(docs, out)

    def rows(text: str) -> list[str]:
        return [x for x in text.splitlines() if x.strip() and not x.startswith("-DOCSTART-")]

    # Then every token and tag comes back, in order (only document lines are added)
    assert rows(out.read_text(encoding="utf-8")) == rows(source.read_text(encoding="utf-8"))
    # And a DocBin of it says "O" for every token outside the entities, articles without any entity too
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from annotator.formats import docbin

    bin_path = tmp_path / "out.spacy"
    docbin.write(docs, bin_path)
    spacy_docs = list(DocBin().from_disk(bin_path).get_docs(Vocab()))
    assert all(t.ent_iob_ in ("O", "B", "I") for d in spacy_docs for t in d)
    assert sum(len(d.ents) for d in spacy_docs) == sum(len(d.spans) for d in docs)
