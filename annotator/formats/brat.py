"""brat standoff: ``name.txt`` + ``name.ann`` pairs (a pair, either file of it, or a folder).

Reading: ``T`` lines are spans (a discontinuous one ``0 5;9 12`` becomes one span from the
first start to the last end, its fragments kept in ``attrs["brat_fragments"]``), their id in
``attrs["brat_id"]``; ``R`` lines are relations (``Arg1`` is the head, ``Arg2`` the tail);
``#`` AnnotatorNotes on a span are its note; ``A``/``M`` lines on a span named
``status``/``origin``/``annotator`` set those span fields and others go to ``attrs``.
Everything else — events (``E``), normalisations (``N``), equivalences (``*``), other note
types, attributes and notes on events or relations — is carried: kept as written in
``Article.meta["brat"]["carried"]``, written back on brat export, and reported at import.
Offsets count code points of the ``.txt`` as brat does: a ``\\r\\n`` or a BOM in the file is
accounted for. A ``.txt`` without ``.ann`` has no spans; one holding only whitespace is
still an article.

Writing: per article ``<name>.txt`` + ``<name>.ann`` into the folder ``out``, where the
name, line endings, BOM, ids and line order are the imported file's (a new article:
its uid; new spans and lines: the next free ids, after the others). Span status, origin
and annotator that differ from the defaults go in ``A`` lines — the annotator only when the
article's spans were made by more than one person (an import gives every span the name
of whoever imported it). A collection imported and exported unchanged diffs clean.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from annotator.formats._common import (
    Options,
    decode_text,
    fail,
    finish,
    make_span,
    note,
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
#: span attrs the brat reader itself sets (written as the T line, not as attributes)
_OWN_ATTRS = ("brat_id", "brat_fragments")



def read(path: Path, *, root: Path | None = None, **options: Any) -> list[Document]:
    """``root``: the folder a file was found in, whose subfolders name it (``read_any``)."""
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    path = Path(path)
    if not path.is_dir() and root is not None:
        ann = path if path.suffix.lower() == ".ann" else path.with_suffix(".ann")
        name = ann.relative_to(root).with_suffix("").as_posix()
        return [read_pair(ann.with_suffix(".txt"), ann, opts, name=name)]
    if path.is_dir():
        anns = list(walk(path, (".ann",)))
        if not anns:
            raise fail(path, "the folder holds no .ann files")
        return [
            read_pair(a.with_suffix(".txt"), a, opts, name=a.relative_to(path).with_suffix("").as_posix())
            for a in anns
        ]
    if path.suffix.lower() == ".ann":
        return [read_pair(path.with_suffix(".txt"), path, opts)]
    return [read_pair(path, path.with_suffix(".ann"), opts)]


_REF = re.compile(r"(?<![\w#*])([TREAMN#]\d+)\b")
_ID = re.compile(r"([A-Z#*]?)(\d*)")


def _decode_txt(txt: Path) -> tuple[str, int]:
    data = read_bytes(txt)
    if data.strip() or not data:
        return decode_text(data, txt)
    # only whitespace: still an article (a Prodigy task may be one), kept as it is
    return data.decode("utf-8", errors="replace"), 0


def read_pair(txt: Path, ann: Path, opts: Options, *, name: str | None = None) -> Document:
    if not txt.exists():
        raise fail(ann, f"no text file {txt.name} beside it")
    raw, bom = _decode_txt(txt)
    doc = article_from_text(raw, txt, Options(None, opts.lang, None, opts.status))
    brat_meta: dict[str, Any] = {"name": name or txt.stem}
    if "\r\n" in raw:
        brat_meta["newline"] = "\r\n"
    if bom:
        brat_meta["bom"] = True
    doc.article.meta["brat"] = brat_meta
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
    rel_ids: list[str] = []
    order: list[str] = []
    carried: dict[str, str] = {}
    attr_ids: dict[str, str] = {}
    note_ids: dict[str, str] = {}
    annotator_lines = False
    text = doc.article.text
    pending_notes: list[tuple[int, str, str, str, str]] = []
    pending_attrs: list[tuple[int, str, str, str, str, str]] = []
    for n, line in enumerate(ann_text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cols = line.split("\t")
        key = cols[0]
        if key == "*" or key in carried or key in ids:
            key = f"{key}@{n}" if key == "*" or key in carried else key
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
            attrs: dict[str, Any] = {"brat_id": key}
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
            order.append(key)
            spans.append(make_span(ann, n, start, end, label, attrs=attrs))
        elif key.startswith("R"):
            parts = cols[1].split() if len(cols) > 1 else []
            if len(parts) != 3 or not parts[1].startswith("Arg1:") or not parts[2].startswith("Arg2:"):
                raise fail(ann, "expected 'R1<TAB>label Arg1:T1 Arg2:T2'", n)
            head, tail = parts[1][5:], parts[2][5:]
            relations.append(Relation(head, tail, parts[0]))  # type: ignore[arg-type]
            relations[-1].id = n  # line, for errors; cleared below
            rel_ids.append(key)
            order.append(key)
        elif key.startswith("#"):
            parts = cols[1].split() if len(cols) > 1 else []
            order.append(key)
            if len(parts) == 2 and parts[0] == "AnnotatorNotes":
                pending_notes.append((n, parts[1], cols[2] if len(cols) > 2 else "", key, line))
            else:
                carried[key] = line
        elif key.startswith(("A", "M")):
            parts = cols[1].split() if len(cols) > 1 else []
            order.append(key)
            if len(parts) in (2, 3):
                pending_attrs.append((n, parts[1], parts[0], parts[2] if len(parts) == 3 else "", key, line))
            else:
                carried[key] = line
        else:
            order.append(key)
            carried[key] = line
    for rel in relations:
        line_no = rel.id
        for ref in (rel.head, rel.tail):
            if ref not in ids:
                raise fail(ann, f"relation names {ref}, which is not a T line of this file", line_no)
    rel_map = [[rid, rel.head, rel.tail, rel.label] for rid, rel in zip(rel_ids, relations, strict=True)]
    for rel in relations:
        rel.head, rel.tail, rel.id = ids[rel.head], ids[rel.tail], None  # type: ignore[index]
    for _n, ref, text_note, nid, line in pending_notes:
        if ref in ids:
            span = spans[ids[ref]]
            if span.note:  # a second note on one span: carried, one note is what Sorot shows
                carried[nid] = line
                continue
            span.note = text_note
            note_ids[ref] = nid
        else:
            carried[nid] = line
    for n, ref, name, value, aid, line in pending_attrs:
        if ref not in ids:
            carried[aid] = line
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
            annotator_lines = True
        elif name in span.attrs:  # the same attribute twice: carried as written
            carried[aid] = line
            continue
        else:
            span.attrs[name] = value or True
        attr_ids[f"{name} {ref}"] = aid
    brat_meta["order"] = order
    if rel_map:
        brat_meta["relations"] = rel_map
    if attr_ids:
        brat_meta["attributes"] = attr_ids
    if note_ids:
        brat_meta["notes"] = note_ids
    if carried:
        brat_meta["carried"] = carried
        kinds = Counter(_kind(k, line) for k, line in carried.items())
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        note(opts, f"{ann}: carried, not shown in Sorot (written back on brat export): {what}")
    if annotator_lines:
        brat_meta["annotators"] = True
    doc.spans = spans
    doc.relations = relations
    return finish(doc, ann, opts)


def _kind(key: str, line: str) -> str:
    names = {"E": "event(s)", "N": "normalisation(s)", "*": "equivalence(s)", "#": "note(s)"}
    first = key[:1]
    target = line.split("\t")[1].split()[1:2] if "\t" in line and first in "AM#" else []
    if first in "AM" or (first == "#" and target):
        on = target[0][:1] if target else ""
        kind = {"E": "event", "R": "relation", "T": "span"}.get(on, "")
        base = "attribute(s)" if first in "AM" else "note(s)"
        return f"{base} on {kind}s" if kind else base
    return names.get(first, f"{first} line(s)")


def _next_ids(order: Iterable[str]) -> Counter[str]:
    """The highest number used per id prefix (T, R, A, #...)."""
    top: Counter[str] = Counter()
    for key in order:
        m = _ID.match(key)
        if m and m.group(2):
            top[m.group(1)] = max(top[m.group(1)], int(m.group(2)))
    return top


def write(docs: Iterable[Document], out: Path, *, problems: list[str] | None = None) -> int:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    used: set[str] = set()
    lost: Counter[str] = Counter()
    for doc in docs:
        article = doc.article
        # an article read from brat gets its title and language again when read back
        from_brat = isinstance(article.meta.get("brat"), dict)
        for field in ("source", "url", "status_reason") if from_brat else (
            "title", "source", "url", "language", "status_reason"
        ):
            if getattr(article, field):
                lost[field] += 1
        if article.status != "new":
            lost["status"] += 1
        if any(k not in ("brat", "path") for k in article.meta):
            lost["meta"] += 1
        if (
            not from_brat
            and len({sp.annotator for sp in doc.spans}) == 1
            and doc.spans[0].annotator
            and not meta_annotators(article)
        ):
            lost["annotator (one per article)"] += 1
        meta = article.meta.get("brat") if isinstance(article.meta.get("brat"), dict) else {}
        name = meta.get("name") if isinstance(meta.get("name"), str) else ""
        parts = PurePosixPath(name).parts if name else ()
        if not name or PurePosixPath(name).is_absolute() or ".." in parts or name in used:
            wanted = name
            name, n = article.uid, 1
            while name in used:  # one text twice in an export
                n += 1
                name = f"{article.uid}-{n}"
            if wanted:
                report(problems, f"article {article.uid}: brat name {wanted!r} taken or unsafe; written as {name}")
        used.add(name)
        ann_lines, text_out = _ann_lines(doc, meta, problems)
        target = out.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        txt_bytes = text_out.encode("utf-8")
        if meta.get("bom"):
            txt_bytes = b"\xef\xbb\xbf" + txt_bytes
        target.with_name(target.name + ".txt").write_bytes(txt_bytes)
        target.with_name(target.name + ".ann").write_text(
            "".join(x + "\n" for x in ann_lines), encoding="utf-8", newline="\n"
        )
        count += 1
    if lost:
        report(
            problems,
            "brat has no place for article fields; not written: "
            + ", ".join(f"{field} of {n} article(s)" for field, n in sorted(lost.items())),
        )
    return count


def meta_annotators(article: Any) -> bool:
    brat_meta = article.meta.get("brat")
    return isinstance(brat_meta, dict) and bool(brat_meta.get("annotators"))


def _ann_lines(doc: Document, meta: dict[str, Any], problems: list[str] | None) -> tuple[list[str], str]:
    article = doc.article
    text = article.text
    uid = article.uid
    order = [k for k in meta.get("order", []) if isinstance(k, str)]
    top = _next_ids(order)

    def new_id(prefix: str) -> str:
        top[prefix] += 1
        return f"{prefix}{top[prefix]}"

    # brat counts the file's code points: a CRLF file's \r and a BOM move offsets
    crlf = meta.get("newline") == "\r\n"
    shift = 1 if meta.get("bom") else 0
    breaks = [i for i, c in enumerate(text) if c == "\n"] if crlf else []

    def at(offset: int) -> int:
        return offset + shift + (bisect_left(breaks, offset) if crlf else 0)

    text_out = text.replace("\n", "\r\n") if crlf else text
    lines: dict[str, str] = {}
    tids: list[str] = []
    taken: set[str] = set()
    for span in doc.spans:
        tid = span.attrs.get("brat_id")
        if not (isinstance(tid, str) and re.fullmatch(r"T\d+", tid)) or tid in taken:
            tid = None
        tids.append(tid or "")
        if tid:
            taken.add(tid)
    tids = [t or new_id("T") for t in tids]
    annotators = {sp.annotator for sp in doc.spans}
    write_annotator = bool(meta.get("annotators")) or len(annotators) > 1
    attr_ids = meta.get("attributes") if isinstance(meta.get("attributes"), dict) else {}
    note_ids = meta.get("notes") if isinstance(meta.get("notes"), dict) else {}
    for span, tid in zip(doc.spans, tids, strict=True):
        frags = span.attrs.get("brat_fragments")
        if (
            isinstance(frags, list)
            and frags
            and all(isinstance(f, list) and len(f) == 2 and all(type(x) is int for x in f) for f in frags)
            and min(f[0] for f in frags) == span.start
            and max(f[1] for f in frags) == span.end
        ):
            where = ";".join(f"{at(s)} {at(e)}" for s, e in frags)
            piece = " ".join(text[s:e] for s, e in frags)
        else:
            where = f"{at(span.start)} {at(span.end)}"
            piece = text[span.start : span.end]
        label = span.label
        if not re.fullmatch(r"\S+", label):
            label = re.sub(r"\s+", "_", label.strip())
            report(problems, f"article {uid}: label {span.label!r} has spaces; written as {label!r}")
        lines[tid] = f"{tid}\t{label} {where}\t{piece.replace(chr(10), ' ')}"
        for name, value, default in (
            ("status", span.status, "accepted"),
            ("origin", span.origin, HUMAN),
            ("annotator", span.annotator if write_annotator else None, None),
        ):
            if value == default or value is None:
                continue
            if not value or any(c.isspace() for c in value):
                report(problems, f"article {uid}: span {tid} {name} {value!r} has spaces; not written")
                continue
            aid = attr_ids.get(f"{name} {tid}") or new_id("A")
            lines[aid] = f"{aid}\t{name} {tid} {value}"
        for name, value in span.attrs.items():
            if name in _OWN_ATTRS:
                continue
            if name in _SORT_ATTRS or not re.fullmatch(r"\S+", name):
                report(problems, f"article {uid}: span {tid} attribute {name!r} cannot be a brat attribute; not written")
                continue
            if value is True:
                aid = attr_ids.get(f"{name} {tid}") or new_id("A")
                lines[aid] = f"{aid}\t{name} {tid}"
            elif isinstance(value, str) and value and re.fullmatch(r"\S+", value):
                aid = attr_ids.get(f"{name} {tid}") or new_id("A")
                lines[aid] = f"{aid}\t{name} {tid} {value}"
            else:
                report(problems, f"article {uid}: span {tid} attribute {name!r} cannot be a brat attribute; not written")
        if span.note:
            note = span.note.replace("\n", " ")
            if note != span.note:
                report(problems, f"article {uid}: span {tid} note has line breaks; written on one line")
            nid = note_ids.get(tid) or new_id("#")
            lines[nid] = f"{nid}\tAnnotatorNotes {tid}\t{note}"
    rel_map = {
        (r[1], r[2], r[3]): r[0]
        for r in meta.get("relations", [])
        if isinstance(r, list) and len(r) == 4 and all(isinstance(x, str) for x in r)
    }
    used_rids: set[str] = set()
    for rel in doc.relations:
        head, tail = tids[rel.head], tids[rel.tail]
        rid = rel_map.get((head, tail, rel.label))
        if rid is None or rid in used_rids:
            rid = new_id("R")
        used_rids.add(rid)
        lines[rid] = f"{rid}\t{rel.label} Arg1:{head} Arg2:{tail}"
    carried = meta.get("carried") if isinstance(meta.get("carried"), dict) else {}
    # a carried line naming a line that is gone goes too (an attribute of an event that
    # names a removed span): until nothing more goes
    keep = {k: v for k, v in carried.items() if isinstance(v, str)}
    while True:
        present = set(lines) | set(keep)
        gone = {}
        for key, line in keep.items():
            cols = line.split("\t")
            refs = set(_REF.findall(cols[1] if len(cols) > 1 else ""))  # not in a note's text
            missing = sorted(r for r in refs if r not in present)
            if missing:
                gone[key] = missing
        if not gone:
            break
        for key, missing in gone.items():
            report(
                problems,
                f"article {uid}: brat line {keep[key].split(chr(9))[0]} names {', '.join(missing)}, "
                "no longer there; not written",
            )
            del keep[key]
    lines.update(keep)
    out = [lines.pop(k) for k in order if k in lines]
    out += list(lines.values())
    return out, text_out
