"""brat standoff: ``name.txt`` + ``name.ann`` pairs (a pair, either file of it, or a folder).

Reading: ``T`` lines are spans (a discontinuous one ``0 5;9 12`` becomes one span from the
first start to the last end, its fragments kept in ``attrs["brat_fragments"]``); ``R`` lines
are relations (``Arg1`` is the head, ``Arg2`` the tail); ``#`` AnnotatorNotes lines are span
notes; ``A`` lines named ``status``/``origin``/``annotator`` set those span fields and other
``A``/``M`` lines go to ``attrs``. Other lines (events, normalisations) are kept in
``Article.meta["brat_other"]``. Offsets count code points of the ``.txt`` as brat does: a
``\\r\\n`` or a BOM in the file is accounted for. A ``.txt`` without ``.ann`` has no spans.

Writing: ``<uid>.txt`` + ``<uid>.ann`` per article into the folder ``out``, text with ``\\n``;
span status/origin/annotator that differ from the defaults go in ``A`` lines.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.formats._common import (
    Options,
    decode_text,
    fail,
    finish,
    make_span,
    pop_options,
    read_bytes,
    refuse_unknown,
    report,
    walk,
)
from annotator.formats.txt import article_from_text
from annotator.model import HUMAN, SPAN_STATUSES, Document, Relation, Span

NAME = "brat"
EXTENSIONS = (".ann",)
_T_RE = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)$")
_WS = re.compile(r"\s+")
_SORT_ATTRS = ("status", "origin", "annotator")



def read(path: Path, **options: Any) -> list[Document]:
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    path = Path(path)
    if path.is_dir():
        anns = list(walk(path, (".ann",)))
        if not anns:
            raise fail(path, "the folder holds no .ann files")
        return [read_pair(a.with_suffix(".txt"), a, opts) for a in anns]
    if path.suffix.lower() == ".ann":
        return [read_pair(path.with_suffix(".txt"), path, opts)]
    return [read_pair(path, path.with_suffix(".ann"), opts)]


def read_pair(txt: Path, ann: Path, opts: Options) -> Document:
    if not txt.exists():
        raise fail(ann, f"no text file {txt.name} beside it")
    raw, bom = decode_text(read_bytes(txt), txt)
    doc = article_from_text(raw, txt, Options(None, opts.lang, None, opts.status))
    if not ann.exists():
        return finish(doc, txt, opts)
    ann_text = decode_text(read_bytes(ann), ann, guess=False)[0] if ann.stat().st_size else ""
    # brat offsets count every code point of the file, \r of \r\n too (and a BOM).
    crlf = [m.start() for m in re.finditer("\r\n", raw)]

    def fix(offset: int) -> int:
        return offset - bom - bisect_left(crlf, offset - bom)

    spans: list[Span] = []
    ids: dict[str, int] = {}
    relations: list[Relation] = []
    other: list[str] = []
    text = doc.article.text
    pending_notes: list[tuple[int, str, str]] = []
    pending_attrs: list[tuple[int, str, str, str]] = []
    for n, line in enumerate(ann_text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cols = line.split("\t")
        key = cols[0]
        if key.startswith("T"):
            if len(cols) < 2:
                raise fail(
                    ann, "a T line needs an id, a label with offsets and the text, separated by tabs", n
                )
            m = _T_RE.match(cols[1].strip())
            if not m:
                raise fail(ann, f"cannot read {cols[1][:60]!r}: expected 'LABEL start end'", n)
            label = m.group(1)
            frags = [tuple(fix(int(x)) for x in f.split()) for f in m.group(2).split(";")]
            start, end = min(f[0] for f in frags), max(f[1] for f in frags)
            attrs: dict[str, Any] = {}
            if len(frags) > 1:
                attrs["brat_fragments"] = [list(f) for f in frags]
            if end > len(text):
                raise fail(
                    ann, f"span {key} [{start}, {end}) lies outside the text ({len(text)} characters)", n
                )
            for s, e in frags:
                if not 0 <= s < e <= len(text):
                    raise fail(ann, f"span {key} has a bad fragment [{s}, {e})", n)
            said = cols[2] if len(cols) > 2 else ""
            want = " ".join(text[s:e] for s, e in frags)
            if said and _WS.sub(" ", said).strip() != _WS.sub(" ", want).strip():
                raise fail(ann, f"span {key} says {said[:40]!r} but the text there is {want[:40]!r}", n)
            if key in ids:
                raise fail(ann, f"{key} is defined twice", n)
            ids[key] = len(spans)
            spans.append(make_span(ann, n, start, end, label, attrs=attrs))
        elif key.startswith("R"):
            parts = cols[1].split() if len(cols) > 1 else []
            if len(parts) != 3 or not parts[1].startswith("Arg1:") or not parts[2].startswith("Arg2:"):
                raise fail(ann, "expected 'R1<TAB>label Arg1:T1 Arg2:T2'", n)
            head, tail = parts[1][5:], parts[2][5:]
            relations.append(Relation(head, tail, parts[0]))  # type: ignore[arg-type]
            relations[-1].id = n  # line, for errors; cleared below
        elif key.startswith("#"):
            parts = cols[1].split() if len(cols) > 1 else []
            if len(parts) == 2:
                pending_notes.append((n, parts[1], cols[2] if len(cols) > 2 else ""))
            else:
                other.append(line)
        elif key.startswith(("A", "M")):
            parts = cols[1].split() if len(cols) > 1 else []
            if len(parts) in (2, 3):
                pending_attrs.append((n, parts[1], parts[0], parts[2] if len(parts) == 3 else ""))
            else:
                other.append(line)
        else:
            other.append(line)
    for rel in relations:
        line = rel.id
        for ref in (rel.head, rel.tail):
            if ref not in ids:
                raise fail(ann, f"relation names {ref}, which is not a T line of this file", line)
        rel.head, rel.tail, rel.id = ids[rel.head], ids[rel.tail], None  # type: ignore[index]
    for _n, ref, note in pending_notes:
        if ref in ids:
            span = spans[ids[ref]]
            span.note = f"{span.note}\n{note}" if span.note else note
    for n, ref, name, value in pending_attrs:
        if ref not in ids:
            continue
        span = spans[ids[ref]]
        if name == "status":
            if value not in SPAN_STATUSES:
                raise fail(ann, f"status must be one of {', '.join(SPAN_STATUSES)}, not {value!r}", n)
            span.status = value
        elif name == "origin" and value:
            span.origin = value
        elif name == "annotator" and value:
            span.annotator = value
        else:
            span.attrs[name] = value or True
    if other:
        doc.article.meta["brat_other"] = other
    doc.spans = spans
    doc.relations = relations
    return finish(doc, ann, opts)


def write(docs: Iterable[Document], out: Path, *, problems: list[str] | None = None) -> int:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for doc in docs:
        article = doc.article
        text = article.text
        lines: list[str] = []
        attr_n = 0
        note_n = 0
        for i, span in enumerate(doc.spans):
            tid = f"T{i + 1}"
            frags = span.attrs.get("brat_fragments")
            if (
                isinstance(frags, list)
                and frags
                and all(isinstance(f, list) and len(f) == 2 and all(type(x) is int for x in f) for f in frags)
                and min(f[0] for f in frags) == span.start
                and max(f[1] for f in frags) == span.end
            ):
                where = ";".join(f"{s} {e}" for s, e in frags)
                piece = " ".join(text[s:e] for s, e in frags)
            else:
                where = f"{span.start} {span.end}"
                piece = text[span.start : span.end]
            lines.append(f"{tid}\t{span.label} {where}\t{piece.replace(chr(10), ' ')}")
            for name, value, default in (
                ("status", span.status, "accepted"),
                ("origin", span.origin, HUMAN),
                ("annotator", span.annotator, None),
            ):
                if value == default or value is None:
                    continue
                if not value or any(c.isspace() for c in value):
                    report(
                        problems,
                        f"article {article.uid}: span {tid} {name} {value!r} has spaces; not written",
                    )
                    continue
                attr_n += 1
                lines.append(f"A{attr_n}\t{name} {tid} {value}")
            for name, value in span.attrs.items():
                if name == "brat_fragments":
                    continue
                if value is True and re.fullmatch(r"\S+", name) and name not in _SORT_ATTRS:
                    attr_n += 1
                    lines.append(f"A{attr_n}\t{name} {tid}")
                elif (
                    isinstance(value, str)
                    and value
                    and re.fullmatch(r"\S+", name + value)
                    and name not in _SORT_ATTRS
                ):
                    attr_n += 1
                    lines.append(f"A{attr_n}\t{name} {tid} {value}")
                else:
                    report(
                        problems,
                        f"article {article.uid}: span {tid} attribute {name!r} cannot be a brat attribute; not written",
                    )
            if span.note:
                note_n += 1
                note = span.note.replace("\n", " ")
                if note != span.note:
                    report(
                        problems,
                        f"article {article.uid}: span {tid} note has line breaks; written on one line",
                    )
                lines.append(f"#{note_n}\tAnnotatorNotes {tid}\t{note}")
        for j, rel in enumerate(doc.relations):
            lines.append(f"R{j + 1}\t{rel.label} Arg1:T{rel.head + 1} Arg2:T{rel.tail + 1}")
        (out / f"{article.uid}.txt").write_text(text, encoding="utf-8", newline="\n")
        (out / f"{article.uid}.ann").write_text(
            "".join(x + "\n" for x in lines), encoding="utf-8", newline="\n"
        )
        count += 1
    return count
