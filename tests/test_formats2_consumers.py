"""Issue 12: Sorot's exports handed to the tools that read them — spaCy's ``train``, an
independent brat reader (brat-peek), and doccano's import as its documentation states it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats import brat, docbin, jsonl
from annotator.model import Article, Document, Relation, Span


def corpus() -> list[Document]:
    """Finished, empty-but-annotated, binary and astral-character articles."""
    text1 = "Bob met Ann in Jakarta. 🙂 They talked."
    text2 = "Nothing to see here."
    text3 = "I'm sure the i7 is fast."
    text4 = "Siti visited Bandung and Bogor."
    return [
        Document(
            Article(text1, language="en", status="done"),
            [
                Span(0, 3, "PER"),
                Span(8, 11, "PER"),
                Span(15, 22, "LOC"),
                Span(text1.index("They"), len(text1) - 1, "CLAIM", status="suggested"),
            ],
            [Relation(0, 1, "met")],
        ),
        Document(Article(text2, language="en", meta={"annotated": True})),
        Document(Article(text3, language="en"), [Span(13, 15, "PER", status="rejected", attrs={"binary": True})]),
        Document(Article(text4, language="en", status="done"), [Span(0, 4, "PER"), Span(13, 20, "LOC")]),
    ]


# --------------------------------------------------------------------------- spaCy train


@pytest.mark.slow
def test_spacy_trains_a_few_steps_on_the_docbin_export(tmp_path):
    # Given the DocBin export (complete, empty and binary articles together)
    data = tmp_path / "train.spacy"
    problems: list[str] = []
    docbin.write(corpus(), data, entity_labels={"PER", "LOC"}, problems=problems)
    cfg = tmp_path / "ner.cfg"
    run = [sys.executable, "-m", "spacy"]
    subprocess.run([*run, "init", "config", str(cfg), "--lang", "en", "--pipeline", "ner"], check=True,
                   capture_output=True)
    # When spaCy trains on it for a few steps, learning from the rejected answer too
    proc = subprocess.run(
        [
            *run, "train", str(cfg), "--output", str(tmp_path / "model"),
            "--paths.train", str(data), "--paths.dev", str(data),
            "--training.max_steps", "6", "--training.eval_frequency", "3",
            "--components.ner.incorrect_spans_key", "incorrect_spans",
            "--nlp.batch_size", "8",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # Then it trains and saves a pipeline that knows the labels
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    meta = json.loads((tmp_path / "model" / "model-last" / "meta.json").read_text())
    assert set(meta["labels"]["ner"]) == {"PER", "LOC"}


@pytest.mark.slow
def test_spacy_debug_data_sees_the_negative_examples(tmp_path):
    # Given the export holds an article that is annotated and has no entity
    data = tmp_path / "train.spacy"
    docbin.write(corpus(), data, entity_labels={"PER", "LOC"})
    cfg = tmp_path / "ner.cfg"
    run = [sys.executable, "-m", "spacy"]
    subprocess.run([*run, "init", "config", str(cfg), "--lang", "en", "--pipeline", "ner"], check=True,
                   capture_output=True)
    # When spaCy's debug data looks at it
    proc = subprocess.run(
        [*run, "debug", "data", str(cfg), "--paths.train", str(data), "--paths.dev", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    out = proc.stdout
    # Then it counts every doc and finds examples without each label (a missing-tag doc is none)
    assert "4 training docs" in out, out
    assert "Examples without occurrences available for all labels" in out, out
    assert "misaligned" not in out.lower(), out


# --------------------------------------------------------------------------- brat


def brat_peek():
    """brat-peek's reader module (its package __init__ wants pandas for statistics; the
    reader itself needs only the standard library)."""
    import importlib.util

    found = importlib.util.find_spec("peek")
    if found is None or not found.submodule_search_locations:
        pytest.skip("optional: brat-peek is not installed")
    path = Path(next(iter(found.submodule_search_locations))) / "ann_structure.py"
    spec = importlib.util.spec_from_file_location("brat_peek_ann_structure", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_independent_brat_reader_reads_the_export(tmp_path):
    peek = brat_peek()
    docs = corpus()
    out = tmp_path / "brat"
    brat.write(docs, out)
    found = peek.AnnCorpus(str(out))
    assert len(found) == len(docs)
    by_name = {Path(d.path).stem: d for d in found.docs}
    for doc in docs:
        read = by_name[doc.article.uid]
        text = (out / f"{doc.article.uid}.txt").read_text(encoding="utf-8")
        ents = read.anns["entities"]
        assert [(e.tag, e.span[0]) for e in ents] == [(s.label, (s.start, s.end)) for s in doc.spans]
        for e in ents:
            (s, end), = e.span
            assert text[s:end] == e.text  # brat counts code points, the emoji too
        assert [(r.tag, r.arg1, r.arg2) for r in read.anns["relations"]] == [
            (r.label, f"Arg1:T{r.head + 1}", f"Arg2:T{r.tail + 1}") for r in doc.relations
        ]


# --------------------------------------------------------------------------- doccano


def doccano_sequence_import(line: str) -> tuple[str, list[tuple[int, int, str]], dict]:
    """doccano 1.8's JSONL import for a sequence-labelling project, as its documentation
    states it: ``text`` is the text, ``label`` the list of ``[start_offset, end_offset,
    label]``, every other key is metadata. Anything else is an error."""
    obj = json.loads(line)
    text, labels = obj["text"], obj.get("label", [])
    assert isinstance(text, str) and isinstance(labels, list)
    spans = []
    for item in labels:
        assert isinstance(item, list) and len(item) == 3, item
        s, e, lab = item
        assert type(s) is int and type(e) is int and isinstance(lab, str) and 0 <= s < e <= len(text)
        spans.append((s, e, lab))
    return text, spans, {k: v for k, v in obj.items() if k not in ("text", "label")}


def test_doccano_sequence_labelling_import_finds_the_accepted_spans(tmp_path):
    docs = corpus()
    out = tmp_path / "d.jsonl"
    problems: list[str] = []
    jsonl.write_doccano(docs, out, problems=problems)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(docs)
    for doc, line in zip(docs, lines, strict=True):
        text, spans, _meta = doccano_sequence_import(line)
        assert text == doc.article.text
        assert spans == [s.key for s in doc.spans if s.status == "accepted"]
    # the relation doccano cannot hold here is reported, and Sorot still reads it back
    assert any("relation(s) kept for Sorot only" in p for p in problems)
    back = jsonl.read(out)
    assert [[(s.key, s.status) for s in d.spans] for d in back] == [
        [(s.key, s.status) for s in d.spans] for d in docs
    ]
    assert [(r.head, r.tail, r.label) for r in back[0].relations] == [(0, 1, "met")]


def test_doccano_relation_import_shape(tmp_path):
    docs = corpus()
    out = tmp_path / "r.jsonl"
    jsonl.write_doccano_relations(docs, out)
    obj = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    ids = {e["id"]: (e["start_offset"], e["end_offset"], e["label"]) for e in obj["entities"]}
    assert [(ids[r["from_id"]], ids[r["to_id"]], r["type"]) for r in obj["relations"]] == [
        ((0, 3, "PER"), (8, 11, "PER"), "met")
    ]
