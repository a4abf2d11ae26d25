"""Import and export formats: readers on small files, round trips, bad input."""

from __future__ import annotations

import json

import pytest

from annotator.errors import FormatError
from annotator.formats import (
    FORMATS,
    brat,
    conll,
    csvfile,
    detect_format,
    docbin,
    jsonl,
    read_any,
    txt,
    write_any,
)
from annotator.model import Article, Document, Relation, Span
from annotator.spacy_docs import from_doc, to_doc
from tests.paths import DATA, SAMPLE  # noqa: E402

# --------------------------------------------------------------------------- helpers


def span_keys(doc: Document) -> list[tuple]:
    return [(s.start, s.end, s.label, s.origin, s.status, s.annotator, s.note, s.attrs) for s in doc.spans]


def rel_keys(doc: Document) -> list[tuple]:
    return [(r.head, r.tail, r.label, r.annotator) for r in doc.relations]


def article_keys(doc: Document) -> tuple:
    a = doc.article
    return (a.text, a.uid, a.title, a.source, a.url, a.language, a.status, a.meta, a.hash)


def assert_same(before: list[Document], after: list[Document]) -> None:
    assert len(before) == len(after)
    for a, b in zip(before, after, strict=True):
        assert article_keys(a) == article_keys(b)
        assert span_keys(a) == span_keys(b)
        assert rel_keys(a) == rel_keys(b)
        for span in b.spans:
            assert b.article.text[span.start : span.end] == span.text


def find(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


def make_docs() -> list[Document]:
    """Nested CLAIM with an ACTOR inside, relations, overlaps, emoji, Arabic, odd fields."""
    text1 = (
        "Kremlin says talks went well\n"
        'Menteri Andrey Belousov said "Moscow will help Pyongyang 🙂" on Saturday.\n'
        "Kim Jong Un met him in Pyongyang."
    )
    claim = find(text1, '"Moscow will help Pyongyang 🙂"')
    spans1 = [
        Span(*claim, "CLAIM", note="quoted\nin full", annotator="ana"),
        Span(*find(text1, "Andrey Belousov"), "ACTOR", annotator="ana"),
        Span(*find(text1, "Moscow"), "PLACE", origin="model:sm", status="suggested", score=0.75),
        Span(*find(text1, "Pyongyang", claim[0]), "PLACE", status="rejected", annotator="budi"),
        Span(*find(text1, "Kim Jong Un"), "ACTOR", attrs={"wikidata": "Q56226", "n": [1, 2]}),
        Span(*find(text1, "Kim Jong"), "ACTOR"),  # overlaps the longer one
        Span(*find(text1, "🙂"), "EMOJI"),
    ]
    doc1 = Document(
        Article(
            text1,
            title="Kremlin says talks went well",
            source="geosurvey.co.id",
            url="https://example.org/a",
            language="id",
            status="in_progress",
            meta={"feed": "rss", "tags": ["a", "b"]},
        ),
        spans1,
        [Relation(0, 1, "claimant", annotator="ana"), Relation(0, 2, "about")],
    )
    text2 = "قال وزير الخارجية إن المحادثات في الرياض كانت مثمرة.\nوأضاف أن 𝒳 ليس رمزا."
    doc2 = Document(
        Article(text2, title="", language="ar"),
        [Span(*find(text2, "الرياض"), "PLACE"), Span(*find(text2, "𝒳"), "SYM", note="astral")],
    )
    doc3 = Document(Article("Just text, no spans at all.\r\nSecond line after CRLF.", status="done"))
    return [doc1, doc2, doc3]


# --------------------------------------------------------------------------- CoNLL


def test_nergrit_train_imports_cleanly():
    docs = list(conll.read(DATA / "nergrit" / "train.iob"))
    assert len(docs) == 20  # 400 sentences, no -DOCSTART-: 20 sentences an article
    assert sum(len(d.spans) for d in docs) == 1257  # one span per B- tag
    labels = {s.label for d in docs for s in d.spans}
    assert labels == {"PERSON", "ORGANISATION", "PLACE"}
    for d in docs:
        for s in d.spans:
            assert d.article.text[s.start : s.end] == s.text and s.text.strip() == s.text
            assert s.origin == "human" and s.status == "accepted"


def test_nerp_is_iob1_and_says_so():
    with pytest.raises(FormatError) as err:
        list(conll.read(DATA / "nerp" / "train.iob"))
    assert "train.iob:3100" in str(err.value) and "scheme='iob1'" in str(err.value)
    docs = list(
        conll.read(DATA / "nerp" / "train.iob", scheme="iob1", label_map={"FNB": "-", "PPL": "PERSON"})
    )
    labels = {s.label for d in docs for s in d.spans}
    assert labels == {"PERSON", "PLC", "IND", "EVT"}


def test_conll_reader_docstart_biluo_and_options(tmp_path):
    f = tmp_path / "x.conll"
    f.write_text(
        "-DOCSTART- -X- O O\n\nEU NNP B-ORG\nrejects VBZ O\nGerman JJ S-MISC\ncall NN O\n\n"
        "Peter NNP B-PER\nBlackburn NNP L-PER\n\n-DOCSTART- -X- O O\n\nBRUSSELS NNP U-LOC\n",
        encoding="utf-8",
    )
    docs = list(conll.read(f, annotator="ana", lang="en", status="done"))
    assert [d.article.text for d in docs] == ["EU rejects German call\nPeter Blackburn", "BRUSSELS"]
    assert [(s.text, s.label) for s in docs[0].spans] == [
        ("EU", "ORG"),
        ("German", "MISC"),
        ("Peter Blackburn", "PER"),
    ]
    assert (
        docs[0].spans[0].annotator == "ana"
        and docs[0].article.language == "en"
        and docs[0].article.status == "done"
    )
    grouped = list(conll.read(f, sentences_per_article=1))
    assert [d.article.text for d in grouped] == ["EU rejects German call", "Peter Blackburn", "BRUSSELS"]


def test_conll_i_without_b_names_file_and_line(tmp_path):
    f = tmp_path / "bad.iob"
    f.write_text("Kim\tB-PER\nJong\tI-PER\n\nin\tO\nPyongyang\tI-LOC\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(conll.read(f))
    assert err.value.line == 5 and "bad.iob:5" in str(err.value) and "I-LOC" in str(err.value)
    f.write_text("Kim\tB-PER\nJong\tI-LOC\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.iob:2: tag I-LOC after PER"):
        list(conll.read(f))
    f.write_text("Kim\tB-PER\nJong\tPERSON\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.iob:2: 'PERSON' is not a tag"):
        list(conll.read(f))


def test_conll_export_bio_drops_overlaps_and_claims(tmp_path):
    docs = make_docs()
    problems: list[str] = []
    out = tmp_path / "out.conll"
    assert conll.write(docs, out, problems=problems) == 3
    back = list(conll.read(out))
    assert len(back) == 3
    got = [(s.label, s.text) for s in back[0].spans]
    assert ("ACTOR", "Andrey Belousov") in got and ("ACTOR", "Kim Jong Un") in got
    assert ("ACTOR", "Kim Jong") not in got and all(label != "CLAIM" for label, _ in got)
    assert any("overlaps a longer span" in p and "Kim Jong" in p for p in problems)
    assert any("CLAIM span(s) not written" in p for p in problems)
    assert back[0].article.text.split("\n")[0] == "Kremlin says talks went well"


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("flavour", ["prodigy", "doccano"])
def test_jsonl_round_trip(tmp_path, flavour):
    docs = make_docs()
    out = tmp_path / f"{flavour}.jsonl"
    assert write_any(docs, out, flavour) == 3
    assert_same(docs, list(jsonl.read(out)))
    assert detect_format(out) == "jsonl"


def test_prodigy_export_shape(tmp_path):
    out = tmp_path / "p.jsonl"
    jsonl.write(make_docs(), out)
    task = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert {"text", "tokens", "spans", "answer", "_input_hash", "_task_hash", "meta"} <= set(task)
    tok = task["tokens"]
    assert all(task["text"][t["start"] : t["end"]] == t["text"] for t in tok)
    assert [t["id"] for t in tok] == list(range(len(tok)))
    for s in task["spans"]:
        assert tok[s["token_start"]]["start"] <= s["start"] and tok[s["token_end"]]["end"] >= s["end"]
    assert task["relations"][0]["head_span"]["label"] == "CLAIM"


def test_brat_round_trip(tmp_path):
    docs = make_docs()
    problems: list[str] = []
    assert brat.write(docs, tmp_path / "b", problems=problems) == 3
    back = {d.article.uid: d for d in brat.read(tmp_path / "b")}
    for doc in docs:
        got = back[doc.article.uid]
        assert got.article.text == doc.article.text
        assert span_keys(got) == span_keys(doc) or [
            (s.start, s.end, s.label, s.note.replace("\n", " ")) for s in doc.spans
        ] == [(s.start, s.end, s.label, s.note) for s in got.spans]
        assert [(r.head, r.tail, r.label) for r in got.relations] == [
            (r.head, r.tail, r.label) for r in doc.relations
        ]
        assert [(s.status, s.origin) for s in got.spans] == [(s.status, s.origin) for s in doc.spans]
    assert any("line breaks" in p for p in problems)


def test_brat_reader_discontinuous_notes_crlf(tmp_path):
    text = "Kim Jong Un said\r\nthe talks in Moscow and Pyongyang went well."
    (tmp_path / "a.txt").write_bytes(("\ufeff" + text).encode("utf-8"))
    norm = text.replace("\r\n", "\n")
    # brat counts the BOM and the \r: shift by 1 (BOM) and 1 more after the line break
    m = norm.index("Moscow") + 2
    p = norm.index("Pyongyang") + 2
    (tmp_path / "a.ann").write_text(
        "T1\tPERSON 1 12\tKim Jong Un\n"
        f"T2\tPLACE {m} {m + 6};{p} {p + 9}\tMoscow Pyongyang\n"
        "T3\tCLAIM 1 28\tKim Jong Un said the talks\n"
        "R1\tclaimant Arg1:T3 Arg2:T1\n"
        "#1\tAnnotatorNotes T1\tNorth Korean leader\n"
        "A1\tstatus T2 suggested\n"
        "E1\tMeet:T1\n",
        encoding="utf-8",
    )
    [doc] = brat.read(tmp_path)
    assert [s.text for s in doc.spans] == [
        "Kim Jong Un",
        "Moscow and Pyongyang",
        "Kim Jong Un said\nthe talks",
    ]
    assert doc.spans[1].attrs["brat_fragments"] == [
        [norm.index("Moscow"), norm.index("Moscow") + 6],
        [p - 2, p + 7],
    ]
    assert doc.spans[1].status == "suggested" and doc.spans[0].note == "North Korean leader"
    assert [(r.head, r.tail, r.label) for r in doc.relations] == [(2, 0, "claimant")]
    assert doc.article.meta["brat"]["carried"] == {"E1": "E1\tMeet:T1"}
    out = tmp_path / "out"
    brat.write([doc], out)
    [again] = brat.read(out)
    assert span_keys(again) == span_keys(doc) and rel_keys(again) == rel_keys(doc)


def test_brat_bad_reference(tmp_path):
    (tmp_path / "a.txt").write_text("Kim met Putin.", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPER 0 3\tKim\nR1\tmet Arg1:T1 Arg2:T9\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"a\.ann:2: .*T9"):
        list(brat.read(tmp_path / "a.ann"))
    (tmp_path / "a.ann").write_text("T1\tPER 0 3\tPutin\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"a\.ann:1: span T1 says 'Putin'"):
        list(brat.read(tmp_path / "a.txt"))


def test_spacy_round_trip(tmp_path):
    docs = make_docs()
    problems: list[str] = []
    out = tmp_path / "d.spacy"
    assert write_any(docs, out, "spacy", problems=problems) == 3
    assert_same(docs, list(docbin.read(out)))
    assert any("overlaps a longer entity" in p for p in problems)


def test_to_doc_ents_spans_and_alignment():
    doc = make_docs()[0]
    doc.spans.append(Span(1, 5, "BROKEN"))  # "remli": inside a token
    sdoc, problems = to_doc(None, doc)
    assert sdoc.text == doc.article.text
    ents = {(e.text, e.label_) for e in sdoc.ents}
    assert ("Kim Jong Un", "ACTOR") in ents and ("Kim Jong", "ACTOR") not in ents
    assert all(e.label_ != "CLAIM" for e in sdoc.ents)
    sc = {(s.text, s.label_) for s in sdoc.spans["sc"]}
    assert ("Kim Jong", "ACTOR") in sc and any(label == "CLAIM" for _, label in sc)
    assert {(s.text, s.label_) for s in sdoc.spans["sc_rejected"]} == {("Pyongyang", "PLACE")}
    assert any("span [1, 5) BROKEN 'reml' does not align with tokens" in p for p in problems)
    back = from_doc(sdoc)
    assert span_keys(back) == span_keys(doc) and rel_keys(back) == rel_keys(doc)


def test_from_doc_without_sorot_data():
    import spacy

    nlp = spacy.blank("en")
    sdoc = nlp.make_doc("Kim met Putin in Moscow.")
    sdoc.ents = [sdoc.char_span(0, 3, "PER"), sdoc.char_span(17, 23, "LOC")]
    sdoc.spans["sc"] = [sdoc.char_span(0, 3, "PER"), sdoc.char_span(8, 13, "PER")]
    got = from_doc(sdoc)
    assert [(s.text, s.label) for s in got.spans] == [("Kim", "PER"), ("Putin", "PER"), ("Moscow", "LOC")]
    assert got.article.language == "en"


# --------------------------------------------------------------------------- txt, csv, jsonl readers


def test_txt_sample_and_title(tmp_path):
    [doc] = txt.read(SAMPLE)
    assert doc.article.title == "belousov-kim-pyongyang"  # first line ends in a full stop
    assert doc.article.language == "id"
    assert doc.article.text.startswith("geosurvey.co.id – Menteri")
    assert doc.article.meta["path"] == str(SAMPLE)
    f = tmp_path / "a.txt"
    f.write_bytes(b"Headline here\r\n\r\nBody text. More body.\r\n")
    [doc] = txt.read(f)
    assert (
        doc.article.title == "Headline here"
        and doc.article.text == "Headline here\n\nBody text. More body.\n"
    )


@pytest.mark.parametrize(
    "data,encoding",
    [
        ("Judul berita\nSemua baik 🙂".encode("utf-16"), "utf-16"),
        ("\ufeffJudul berita\nSemua baik".encode(), "utf-8-sig"),
        ("Überschrift\nÄrger über Öl, Straße, Größe und Maß, schön übel.".encode("cp1252"), "cp1252"),
    ],
)
def test_txt_encodings(tmp_path, data, encoding):
    f = tmp_path / "a.txt"
    f.write_bytes(data)
    [doc] = txt.read(f)
    assert doc.article.text == data.decode(encoding).lstrip("\ufeff")


def test_txt_export(tmp_path):
    assert txt.write(make_docs(), tmp_path / "t") == 3
    back = list(txt.read(tmp_path / "t"))
    assert sorted(d.article.text for d in back) == sorted(d.article.text for d in make_docs())


def test_csv_reader_and_export(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(
        'id,headline,body,url,extra\n7,"Kim, in Moscow","Kim met Putin.\nThen left.",http://x,1\n8,,,,\n',
        encoding="utf-8",
    )
    [doc] = csvfile.read(f, status="new", lang="en")
    assert doc.article.title == "Kim, in Moscow" and doc.article.text == "Kim met Putin.\nThen left."
    assert (
        doc.article.url == "http://x" and doc.article.meta["id"] == "7" and doc.article.meta["extra"] == "1"
    )
    d = make_docs()[0]
    d.spans.append(Span(0, 7, "=cmd"))
    out = tmp_path / "spans.csv"
    assert csvfile.write([d], out) == 1
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert list(rows[0]) == list(csvfile.EXPORT_COLUMNS)
    assert len(rows) == len(d.spans)
    assert rows[-1]["label"] == "'=cmd"
    assert rows[1]["text"] == "Andrey Belousov" and "Menteri" in rows[1]["context"]


def test_csv_without_text_column(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("id,headline\n1,hi\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"a\.csv:1: no text column .*columns are: id, headline"):
        list(csvfile.read(f))
    with pytest.raises(FormatError, match="no column 'words'"):
        list(csvfile.read(f, text_column="words"))


def test_doccano_label_variant_and_prodigy_answers(tmp_path):
    f = tmp_path / "a.jsonl"
    lines = [
        {"text": "Kim met Putin.", "label": [[0, 3, "PER"], [8, 13, "PER"]], "id": 5},
        {"text": "Kim met Putin.", "spans": [{"start": 8, "end": 13, "label": "PER"}], "answer": "reject"},
        {"text": "Ignored task.", "answer": "ignore"},
        {
            "text": "Tokens only.",
            "tokens": [{"text": "Tokens", "start": 0, "end": 6, "id": 0}],
            "spans": [{"token_start": 0, "token_end": 0, "label": "X", "source": "core"}],
        },
    ]
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    docs = list(jsonl.read(f, label_map={"PER": "ACTOR"}))
    assert len(docs) == 3
    assert [(s.text, s.label) for s in docs[0].spans] == [("Kim", "ACTOR"), ("Putin", "ACTOR")]
    assert docs[0].article.meta == {"id": 5}
    assert docs[1].spans[0].status == "rejected"
    assert docs[2].spans[0].text == "Tokens" and docs[2].spans[0].attrs == {"source": "core"}
    assert len(list(jsonl.read(f, keep_ignored=True))) == 4
    g = tmp_path / "b.json"
    g.write_text(json.dumps(lines[:2], indent=2), encoding="utf-8")
    assert len(list(jsonl.read(g))) == 2


# --------------------------------------------------------------------------- bad input


BAD_JSONL = [
    ('{"text": "ok"}\n[1, 2]\n', 2, "expected a JSON object, found list"),
    (
        '{"text": "ok"}\n{"text": "abc", "spans": [{"start": 1, "end": 9, "label": "X"}]}\n',
        2,
        "outside the text",
    ),
    ('{"text": "abc", "spans": [{"start": 0, "end": 1, "label": 7}]}\n', 1, "has no label"),
    (
        '{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "X", "note": 3}]}\n',
        1,
        "'note' has the wrong type",
    ),
    ('{"text": "abc", "spans": "all"}\n', 1, "'spans' must be a list"),
    ('{"title": "no text"}\n', 1, "no 'text' field"),
    ('{"text": "abc"}\n{"text": \n', 2, "not valid JSON"),
    (
        '{"text": "abc", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "X"}],'
        ' "relations": [{"from_id": 1, "to_id": 2, "type": "r"}]}\n',
        1,
        "name no entity",
    ),
    ('{"text": "abc", "label": [[0, 1]]}\n', 1, "expected [start, end, label]"),
    ('{"text": "abc", "answer": "maybe"}\n', 1, "'answer' must be"),
]


@pytest.mark.parametrize("content,line,message", BAD_JSONL)
def test_bad_jsonl(tmp_path, content, line, message):
    f = tmp_path / "bad.jsonl"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(jsonl.read(f))
    assert err.value.line == line
    assert str(err.value).startswith(f"{f}:{line}: ") and message in str(err.value)


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "csv", "conll"])
def test_binary_and_empty_files(tmp_path, fmt):
    reader = FORMATS[fmt].read
    f = tmp_path / f"x.{fmt}"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(FormatError, match=r"x\.\w+: this is a binary file"):
        list(reader(f))
    f.write_bytes(b"")
    with pytest.raises(FormatError, match=r"x\.\w+: the file is empty"):
        list(reader(f))


def test_undecodable_bytes(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(FormatError, match=r"x\.jsonl:2: not valid UTF-8"):
        list(jsonl.read(f))
    g = tmp_path / "x.txt"
    g.write_bytes(bytes(range(0x80, 0x100)) * 4)
    with pytest.raises(FormatError, match=r"x\.txt:1: cannot tell the text encoding"):
        list(txt.read(g))


def test_bad_spacy_file(tmp_path):
    f = tmp_path / "x.spacy"
    f.write_bytes(b"not a docbin at all")
    with pytest.raises(FormatError, match=r"x\.spacy: not a spaCy DocBin"):
        list(docbin.read(f))


def test_read_any_folder_good_and_bad(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "good.jsonl").write_text(
        '{"text": "Kim met Putin."}\n{"text": "Second."}\n', encoding="utf-8"
    )
    (tmp_path / "sub" / "bad.jsonl").write_text('{"text": "fine"}\n[1]\n', encoding="utf-8")
    (tmp_path / "sub" / "n.txt").write_text("Title\nBody.", encoding="utf-8")
    (tmp_path / "pair.txt").write_text("Kim met Putin.", encoding="utf-8")
    (tmp_path / "pair.ann").write_text("T1\tPER 0 3\tKim\n", encoding="utf-8")
    (tmp_path / "tags.txt").write_text("Kim\tB-PER\nmet\tO\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    results = {p.name: r for p, r in read_any(tmp_path)}
    assert set(results) == {"good.jsonl", "bad.jsonl", "n.txt", "pair.ann", "tags.txt"}
    assert [d.article.text for d in results["good.jsonl"]] == ["Kim met Putin.", "Second."]
    assert isinstance(results["bad.jsonl"], FormatError) and results["bad.jsonl"].line == 2
    assert results["pair.ann"][0].spans[0].label == "PER"
    assert results["tags.txt"][0].spans[0].text == "Kim"
    assert results["n.txt"][0].article.title == "Title"
    [(path, err)] = list(read_any(tmp_path / "notes.md"))
    assert isinstance(err, FormatError) and "cannot tell the format" in str(err)


@pytest.mark.parametrize("pieces", [1, 2, 5])
def test_docbin_compression_in_pieces_is_one_zlib_stream(pieces):
    import random
    import zlib

    from annotator.formats.fast_docbin import zlib_compress

    rng = random.Random(7)
    data = b"".join(
        rng.choice([b"Kim Jong Un ", b"Pyongyang ", bytes([rng.randrange(256)])]) for _ in range(200_000)
    )
    packed = zlib_compress(data, pieces=pieces)
    assert zlib.decompress(packed) == data
    assert len(packed) < len(data) / 2
