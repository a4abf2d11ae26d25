"""Issue 12, items 5 and 9: a brat collection with events, attributes, notes,
normalisations and equivalences survives Sorot, and Sorot's export diffs clean against it."""

from __future__ import annotations

from pathlib import Path

from annotator.formats import brat
from annotator.model import Span

TEXT = "Kim met Putin in Moscow.\r\nTalks ended.\r\n"
ANN = (
    "T1\tPerson 0 3\tKim\n"
    "T2\tPerson 8 13\tPutin\n"
    "T3\tMeet 4 7\tmet\n"
    "E1\tMeet:T3 Agent:T1 Agent:T2\n"
    "T4\tCity 17 23\tMoscow\n"
    "A1\tNegated E1\n"
    "A2\tConfidence T4 High\n"
    "R1\tLocated Arg1:T2 Arg2:T4\n"
    "A3\tSpeculative R1\n"
    "#1\tAnnotatorNotes T1\tNorth Korean leader\n"
    "#2\tLemma T3\tmeet\n"
    "#3\tAnnotatorNotes R1\tnot sure\n"
    "N1\tReference T4 Wikipedia:1234\tMoscow\n"
    "*\tEquiv T1 T1\n"
    "M1\tUncertain T2\n"
    "T5\tPlace 17 23;26 31\tMoscow Talks\n"
)


def collection(root: Path) -> Path:
    folder = root / "news" / "2024"
    folder.mkdir(parents=True)
    (folder / "kim-putin.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "kim-putin.ann").write_text(ANN, encoding="utf-8", newline="\n")
    return root / "news"


def test_export_of_an_unchanged_import_diffs_clean(tmp_path):
    # Given a brat collection (CRLF text, a subfolder, everything brat has)
    src = collection(tmp_path / "in")
    problems: list[str] = []
    docs = brat.read(src, problems=problems)
    # When it is exported again
    out = tmp_path / "out"
    brat.write(docs, out)
    # Then the same files with the same bytes come out: names, ids, order, line endings
    for name in ("kim-putin.txt", "kim-putin.ann"):
        assert (out / "2024" / name).read_bytes() == (src / "2024" / name).read_bytes(), name
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["kim-putin.ann", "kim-putin.txt"]


def test_what_sorot_only_carries_is_reported_at_import(tmp_path):
    problems: list[str] = []
    (doc,) = brat.read(collection(tmp_path), problems=problems)
    assert len(problems) == 1
    message = problems[0]
    for part in (
        "1 event(s)",
        "1 normalisation(s)",
        "1 equivalence(s)",
        "1 attribute(s) on events",
        "1 attribute(s) on relations",
        "1 note(s) on relations",
        "1 note(s) on spans",
    ):
        assert part in message, part
    # what Sorot can show, it shows
    by_id = {s.attrs["brat_id"]: s for s in doc.spans}
    assert by_id["T1"].note == "North Korean leader"
    assert by_id["T4"].attrs["Confidence"] == "High"
    assert by_id["T2"].attrs["Uncertain"] is True
    assert [(doc.spans[r.head].text, doc.spans[r.tail].text, r.label) for r in doc.relations] == [
        ("Putin", "Moscow", "Located")
    ]
    assert doc.article.text == TEXT.replace("\r\n", "\n")
    assert by_id["T5"].attrs["brat_fragments"] == [[17, 23], [25, 30]]


def test_lemma_notes_do_not_come_back_as_annotator_notes(tmp_path):
    (doc,) = brat.read(collection(tmp_path))
    out = tmp_path / "out"
    brat.write([doc], out)
    ann = (out / "2024" / "kim-putin.ann").read_text(encoding="utf-8")
    assert "#2\tLemma T3\tmeet" in ann and "AnnotatorNotes T3" not in ann


def test_edits_in_sorot_get_new_ids_and_lines_naming_a_removed_span_are_reported(tmp_path):
    (doc,) = brat.read(collection(tmp_path))
    # Given the analyst removed Putin (T2) and added a span
    doc.spans = [s for s in doc.spans if s.attrs.get("brat_id") != "T2"]
    doc.relations = []
    doc.spans.append(Span(17, 23, "Capital", "Moscow"))
    problems: list[str] = []
    out = tmp_path / "out"
    brat.write([doc], out, problems=problems)
    ann = (out / "2024" / "kim-putin.ann").read_text(encoding="utf-8").splitlines()
    # Then the new span takes the next free id, at the end
    assert ann[-1] == "T6\tCapital 17 23\tMoscow"
    # And the event and the attribute naming T2 (or the removed relation R1) are not written, with a reason
    assert not any(line.startswith(("E1", "M1", "A1", "A3", "#3")) for line in ann)
    assert any("E1 names T2" in p for p in problems)
    assert any("A3 names R1" in p for p in problems)
    assert any("A1 names E1" in p for p in problems)
    # and no annotator line for spans all made by one person
    assert not any("annotator" in line for line in ann)


def test_whitespace_only_text_survives_brat(tmp_path):
    (tmp_path / "blank.txt").write_text("  \n ", encoding="utf-8")
    (tmp_path / "blank.ann").write_text("", encoding="utf-8")
    (doc,) = brat.read(tmp_path)
    assert doc.article.text == "  \n "
    out = tmp_path / "out"
    brat.write([doc], out)
    (again,) = brat.read(out)
    assert again.article.text == "  \n "


def test_label_with_spaces_is_written_with_underscores_and_reported(tmp_path):
    (doc,) = brat.read(collection(tmp_path))
    doc.spans = [Span(0, 3, "Restaurant Name", "Kim")]
    doc.relations = []
    problems: list[str] = []
    brat.write([doc], tmp_path / "out", problems=problems)
    assert (tmp_path / "out" / "2024" / "kim-putin.ann").read_text() == "T6\tRestaurant_Name 0 3\tKim\n"
    assert any("'Restaurant Name' has spaces" in p for p in problems)
