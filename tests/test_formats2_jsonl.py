"""Issue 12: Prodigy and doccano files as real tools write them (CRLF, binary answers,
choices, task fields), each with the smallest input that shows the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats import jsonl
from annotator.model import Article, Document, Span


def write_lines(path: Path, *objs: dict, newline: str = "\n") -> Path:
    path.write_text(newline.join(json.dumps(o, ensure_ascii=False) for o in objs) + newline, encoding="utf-8")
    return path


def tasks(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


# --------------------------------------------------------------------------- 1. CRLF


@pytest.mark.parametrize(
    "obj",
    [
        {"text": "Line one\r\nBob met Alice", "spans": [{"start": 10, "end": 13, "label": "PERSON"}]},
        {"text": "Line one\r\nBob met Alice", "label": [[10, 13, "PERSON"]]},
        {
            "text": "Line one\r\nBob met Alice",
            "entities": [{"id": 1, "label": "PERSON", "start_offset": 10, "end_offset": 13}],
        },
    ],
    ids=["prodigy", "doccano-label", "doccano-entities"],
)
def test_crlf_in_text_moves_span_offsets(tmp_path, obj):
    # Given a task whose text has a Windows line break before the span
    f = write_lines(tmp_path / "a.jsonl", obj)
    # When it is read
    (doc,) = jsonl.read(f)
    # Then the stored text has \n and the span still covers Bob
    assert doc.article.text == "Line one\nBob met Alice"
    assert [(s.start, s.end, s.text) for s in doc.spans] == [(9, 12, "Bob")]


def test_crlf_inside_a_span_and_its_text(tmp_path):
    obj = {"text": "a\r\nb\r\nc", "spans": [{"start": 0, "end": 4, "label": "X", "text": "a\r\nb"}]}
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    assert (doc.spans[0].start, doc.spans[0].end, doc.spans[0].text) == (0, 3, "a\nb")


def test_crlf_streamed_big_file(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "STREAM_FROM", 1)
    obj = {"text": "x\r\nBob", "spans": [{"start": 3, "end": 6, "label": "P"}], "answer": "accept"}
    (doc,) = list(jsonl.stream(write_lines(tmp_path / "a.jsonl", obj, obj)))
    assert [s.text for s in doc.spans] == ["Bob"]


# --------------------------------------------------------------------------- 3. binary answers


def test_binary_reject_stays_partial_knowledge(tmp_path):
    # Given a ner.teach-style rejected answer
    obj = {"text": "I love my i7", "spans": [{"start": 10, "end": 12, "label": "PRODUCT"}], "answer": "reject"}
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    span = doc.spans[0]
    assert span.status == "rejected" and span.attrs == {"binary": True}
    assert doc.article.meta["prodigy"]["tasks"][0]["_is_binary"] is True
    # When it is exported to Prodigy
    out = tmp_path / "out.jsonl"
    jsonl.write_prodigy([doc], out)
    (task,) = tasks(out)
    # Then it is still a rejected binary question about that span, not an empty accept
    assert task["answer"] == "reject" and task["_is_binary"] is True
    assert [(s["start"], s["end"], s["label"]) for s in task["spans"]] == [(10, 12, "PRODUCT")]
    assert "binary" not in json.dumps(task["spans"])
    (back,) = jsonl.read(out)
    assert [(s.key, s.status, s.attrs) for s in back.spans] == [(span.key, "rejected", {"binary": True})]
    assert back.article.meta == doc.article.meta


def test_binary_view_accept_is_partial_too(tmp_path):
    obj = {"text": "Bob", "spans": [{"start": 0, "end": 3, "label": "P"}], "answer": "accept", "_view_id": "ner"}
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    assert doc.spans[0].status == "accepted" and doc.spans[0].attrs == {"binary": True}


def test_manual_accept_is_not_binary(tmp_path):
    obj = {"text": "Bob", "spans": [{"start": 0, "end": 3, "label": "P"}], "answer": "accept"}
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    assert doc.spans[0].attrs == {}


def test_same_span_answered_twice_later_answer_wins_and_is_reported(tmp_path):
    # Given the same binary question answered reject and then accept
    q = {"text": "I love my i7", "spans": [{"start": 10, "end": 12, "label": "PRODUCT"}], "_view_id": "ner"}
    f = write_lines(tmp_path / "a.jsonl", {**q, "answer": "reject"}, {**q, "answer": "accept"})
    problems: list[str] = []
    # When read
    docs = jsonl.read(f, problems=problems)
    # Then one article, one span, the later answer, and a message saying so
    assert len(docs) == 1 and [s.status for s in docs[0].spans] == ["accepted"]
    assert any("later answer wins" in p for p in problems)
    assert len(docs[0].article.meta["prodigy"]["tasks"]) == 2


def test_timestamps_decide_which_answer_is_later(tmp_path):
    q = {"text": "I love my i7", "spans": [{"start": 10, "end": 12, "label": "PRODUCT"}], "_view_id": "ner"}
    f = write_lines(
        tmp_path / "a.jsonl",
        {**q, "answer": "reject", "_timestamp": 200},
        {**q, "answer": "accept", "_timestamp": 100},
    )
    (doc,) = jsonl.read(f)
    assert [s.status for s in doc.spans] == ["rejected"]


def test_binary_tasks_of_one_text_export_as_binary_tasks(tmp_path):
    q = {"text": "Bob and Ann", "_view_id": "ner"}
    f = write_lines(
        tmp_path / "a.jsonl",
        {**q, "spans": [{"start": 0, "end": 3, "label": "P"}], "answer": "accept", "_task_hash": 1},
        {**q, "spans": [{"start": 8, "end": 11, "label": "P"}], "answer": "reject", "_task_hash": 2},
    )
    (doc,) = jsonl.read(f)
    out = tmp_path / "o.jsonl"
    jsonl.write_prodigy([doc], out)
    got = [(t["answer"], t["_task_hash"], [s["start"] for s in t["spans"]]) for t in tasks(out)]
    assert got == [("accept", 1, [0]), ("reject", 2, [8])]
    (back,) = jsonl.read(out)
    assert [(s.key, s.status) for s in back.spans] == [(s.key, s.status) for s in doc.spans]


# --------------------------------------------------------------------------- 4. options / accept


def test_choice_and_entity_linking_decisions_kept_and_reported(tmp_path):
    obj = {
        "text": "Einstein",
        "spans": [{"start": 0, "end": 8, "label": "PERSON"}],
        "options": [{"id": "Q937", "text": "Albert Einstein"}, {"id": "NIL", "text": "none"}],
        "accept": ["Q937"],
        "answer": "accept",
    }
    problems: list[str] = []
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj), problems=problems)
    task = doc.article.meta["prodigy"]["tasks"][0]
    assert task["options"] == obj["options"] and task["accept"] == ["Q937"]
    assert any("'options' or 'accept'" in p for p in problems)
    out = tmp_path / "o.jsonl"
    jsonl.write_prodigy([doc], out)
    (written,) = tasks(out)
    assert written["options"] == obj["options"] and written["accept"] == ["Q937"]


# --------------------------------------------------------------------------- 8. Prodigy task fields


def test_prodigy_hashes_and_fields_survive_a_round_trip(tmp_path):
    obj = {
        "text": "Bob",
        "spans": [{"start": 0, "end": 3, "label": "P"}],
        "answer": "accept",
        "_input_hash": 123,
        "_task_hash": 456,
        "_view_id": "ner_manual",
        "_timestamp": 1700000000,
        "_annotator_id": "news-alice",
        "_session_id": "news-alice",
        "sessions": ["news-alice"],
        "versions": [1],
        "meta": {"source": "wire"},
    }
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    assert doc.spans[0].annotator == "news-alice"
    out = tmp_path / "o.jsonl"
    jsonl.write_prodigy([doc], out)
    (task,) = tasks(out)
    for key in ("answer", "_input_hash", "_task_hash", "_view_id", "_timestamp", "_annotator_id", "sessions", "versions"):
        assert task[key] == obj[key], key
    assert task["meta"]["source"] == "wire"
    (back,) = jsonl.read(out)
    assert back.article.meta == doc.article.meta
    assert [(s.key, s.annotator) for s in back.spans] == [((0, 3, "P"), "news-alice")]


def test_changed_spans_get_a_new_task_hash_but_keep_the_input_hash(tmp_path):
    obj = {"text": "Bob", "spans": [], "answer": "accept", "_input_hash": 1, "_task_hash": 2}
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    doc.spans.append(Span(0, 3, "P", "Bob"))
    out = tmp_path / "o.jsonl"
    jsonl.write_prodigy([doc], out)
    (task,) = tasks(out)
    assert task["_input_hash"] == 1 and task["_task_hash"] != 2


def test_tasks_without_an_answer_are_input_left_to_the_project(tmp_path):
    obj = {"text": "Bob", "spans": [{"start": 0, "end": 3, "label": "P"}]}
    docs = jsonl.read(write_lines(tmp_path / "a.jsonl", obj, obj))
    assert [d.article.text for d in docs] == ["Bob", "Bob"]  # the project merges them by text


def test_ignored_tasks_are_reported(tmp_path):
    problems: list[str] = []
    f = write_lines(tmp_path / "a.jsonl", {"text": "x", "answer": "ignore"}, {"text": "y", "answer": "ignore"})
    assert jsonl.read(f, problems=problems) == []
    assert problems == [f"{f}: 2 task(s) answered 'ignore' not imported (keep_ignored imports them)"]


def test_rejected_and_pending_spans_of_a_complete_task_are_not_prodigy_spans(tmp_path):
    doc = Document(
        Article("Bob met Ann"),
        [Span(0, 3, "P", status="rejected"), Span(8, 11, "P"), Span(4, 7, "V", status="suggested")],
    )
    out = tmp_path / "o.jsonl"
    jsonl.write_prodigy([doc], out)
    (task,) = tasks(out)
    assert [s["start"] for s in task["spans"]] == [8]
    assert [s["start"] for s in task["sorot_spans"]] == [0, 4]
    (back,) = jsonl.read(out)
    assert [(s.key, s.status) for s in back.spans] == [(s.key, s.status) for s in doc.spans]


# --------------------------------------------------------------------------- 7. doccano shapes


def test_doccano_intent_and_slot_shape_is_read(tmp_path):
    obj = {"text": "Book a flight to Jakarta", "entities": [[17, 24, "City"]], "cats": ["flight"]}
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    assert [(s.text, s.label) for s in doc.spans] == [("Jakarta", "City")]
    assert doc.article.meta == {"cats": ["flight"]}


def test_doccano_default_export_is_sequence_labelling(tmp_path):
    doc = Document(Article("Bob met Ann"), [Span(0, 3, "P"), Span(8, 11, "P", status="suggested")])
    out = tmp_path / "d.jsonl"
    jsonl.write_doccano([doc], out)
    (line,) = tasks(out)
    assert line["label"] == [[0, 3, "P"]] and "entities" not in line


def test_binary_answers_left_out_of_an_export_do_not_become_an_empty_accept(tmp_path):
    # Given a rejected binary answer, exported with only accepted spans (the default filter)
    obj = {"text": "I love my i7", "spans": [{"start": 10, "end": 12, "label": "PRODUCT"}], "answer": "reject"}
    (doc,) = jsonl.read(write_lines(tmp_path / "a.jsonl", obj))
    doc.spans = []
    problems: list[str] = []
    out = tmp_path / "o.jsonl"
    jsonl.write_prodigy([doc], out, problems=problems)
    # Then no task claims the text has no product, and the export says why
    assert out.read_text(encoding="utf-8") == ""
    assert any("only binary answers, none of them exported" in p for p in problems)


def test_big_files_merge_tasks_of_one_text_wherever_they_stand(tmp_path, monkeypatch):
    # Given a file read a line at a time, with one question answered twice, lines apart
    monkeypatch.setattr(jsonl, "STREAM_FROM", 1)
    q = {"text": "I love my i7", "spans": [{"start": 10, "end": 12, "label": "PRODUCT"}], "_view_id": "ner"}
    f = write_lines(
        tmp_path / "a.jsonl",
        {**q, "answer": "reject"},
        {"text": "Other text", "answer": "accept"},
        {"text": "Third", "answer": "ignore"},
        {**q, "answer": "accept"},
    )
    problems: list[str] = []
    docs = list(jsonl.stream(f, problems=problems))
    # Then one article for the text, the later answer kept, and the conflict told
    assert [d.article.text for d in docs] == ["Other text", "I love my i7"]
    assert [s.status for s in docs[1].spans] == ["accepted"]
    assert any("later answer wins" in p for p in problems)


def test_label_names_with_spaces_and_other_scripts_import_and_export_as_they_are(tmp_path):
    """doccano and brat projects name labels "Restaurant Name" or "地名": Sorot keeps them."""
    from annotator.formats import read_any, write_any
    from storage.store import Store

    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"text": "Makan di Warung Sederhana, Tokyo", "label": [[9, 25, "Restaurant Name"], [27, 32, "地名"]]}\n',
        encoding="utf-8",
    )
    with Store.memory() as store:
        [(_, docs)] = list(read_any(src))
        store.ensure_labels({sp.label for d in docs for sp in d.spans})
        store.import_documents(docs)
        assert {"Restaurant Name", "地名"} <= {lab.name for lab in store.labels()}
        out = tmp_path / "out.jsonl"
        write_any(list(store.iter_documents()), out, "doccano")
    assert '"Restaurant Name"' in out.read_text(encoding="utf-8") and "地名" in out.read_text(encoding="utf-8")
