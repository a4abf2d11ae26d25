"""Issue 12: import -> export -> import is the identity for every format that can hold the
data, over generated Prodigy files with CRLF, astral characters, whitespace-only texts,
overlapping spans, binary answers (some answered twice) and relations; brat, which cannot
hold article fields, says so."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats import FORMATS, brat, jsonl
from annotator.model import Document

PIECES = ["a", "Bob", " ", "\r\n", "\n", "🙂", "𝐀", "é", ".", "地名", "Ann"]
LABELS = ["PER", "LOC", "地名", "Restaurant Name"]


def raw_positions(raw: str) -> list[int]:
    """Offset in the stored text (CRLF as one character) -> offset in ``raw``."""
    out, i = [], 0
    while i < len(raw):
        out.append(i)
        i += 2 if raw.startswith("\r\n", i) else 1
    out.append(len(raw))
    return out


@st.composite
def spans_of(draw: Any, n: int, at: list[int]) -> list[dict]:
    found: dict[tuple, dict] = {}
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, n))
        label = draw(st.sampled_from(LABELS))
        found[(start, end, label)] = {"start": at[start], "end": at[end], "label": label}
    return list(found.values())


@st.composite
def tasks_of_one_text(draw: Any) -> list[dict]:
    raw = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10)))
    at = raw_positions(raw)
    n = len(at) - 1
    kind = draw(st.sampled_from(["manual", "binary", "input"]))
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra = {"_input_hash": draw(st.integers(-99, 99)), "_task_hash": draw(st.integers(-99, 99))}
    if draw(st.booleans()):
        extra["_annotator_id"] = draw(st.sampled_from(["news-alice", "news-bob"]))
    if kind == "binary":
        out = []
        for span in draw(spans_of(n, at)):
            for answer in draw(st.lists(st.sampled_from(["accept", "reject"]), min_size=1, max_size=2)):
                out.append({"text": raw, "spans": [span], "answer": answer, "_view_id": "ner", **extra})
        return out or [{"text": raw, "spans": [], "answer": "accept", **extra}]
    spans = draw(spans_of(n, at))
    task: dict[str, Any] = {"text": raw, "spans": spans, **extra}
    if kind == "manual":
        task["answer"] = "accept"
        if len(spans) >= 2 and draw(st.booleans()):
            task["relations"] = [{"head_index": 0, "child_index": 1, "label": "met"}]
        if draw(st.booleans()):
            task["options"] = [{"id": "Q1", "text": "one"}]
            task["accept"] = ["Q1"]
    return [task]


def exact(doc: Document) -> tuple:
    a = doc.article
    return (
        (a.text, a.uid, a.title, a.source, a.url, a.language, a.status, a.meta),
        [(s.key, s.status, s.origin, s.annotator, s.note, s.attrs, s.score) for s in doc.spans],
        [(r.head, r.tail, r.label, r.annotator) for r in doc.relations],
    )


def what_brat_holds(doc: Document) -> tuple:
    several = len({s.annotator for s in doc.spans}) > 1
    return (
        doc.article.text,
        [
            (
                (s.start, s.end, s.label.replace(" ", "_")),
                s.status,
                s.origin,
                s.annotator if several else None,
                s.note.replace("\n", " "),
                {k: v for k, v in s.attrs.items() if not k.startswith("brat_")},
            )
            for s in doc.spans
        ],
        [(r.head, r.tail, r.label) for r in doc.relations],
    )


@settings(max_examples=int(os.environ.get("SOROT_ROUNDTRIP_EXAMPLES", "100")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tasks_of_one_text(), min_size=1, max_size=4))
def test_import_export_import_is_the_identity(texts):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "in.jsonl"
        src.write_text("".join(json.dumps(t) + "\n" for tasks in texts for t in tasks), encoding="utf-8")
        # Given what Sorot imported from a Prodigy file
        docs = jsonl.read(src)
        for fmt in ("prodigy", "doccano", "doccano-relations", "spacy"):
            # When it is exported and imported again
            out = root / f"out-{fmt}"
            problems: list[str] = []
            FORMATS[fmt].write(docs, out, problems=problems)
            again = FORMATS[fmt].read(out)
            # Then nothing changed
            assert [exact(d) for d in again] == [exact(d) for d in docs], fmt
        # brat holds the text, the spans and the relations, and says what it left out
        problems = []
        brat.write(docs, root / "brat", problems=problems)
        again = brat.read(root / "brat")
        assert sorted(map(repr, map(what_brat_holds, again))) == sorted(map(repr, map(what_brat_holds, docs)))
        if any(d.article.meta or d.article.title for d in docs):
            assert any("brat has no place for article fields" in p for p in problems)
        if any(" " in s.label for d in docs for s in d.spans):
            assert any("has spaces" in p for p in problems)
