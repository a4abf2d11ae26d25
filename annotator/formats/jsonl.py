"""JSON lines: Prodigy span tasks and doccano sequence labelling, read alike; two writers.

Reading (``.jsonl``, or ``.json`` holding one object or a list of them). The shape is told
per object:

* doccano ``entities``/``relations`` variant: ``{"text", "entities": [{"id", "label",
  "start_offset", "end_offset"}], "relations": [{"from_id", "to_id", "type"}]}``;
* doccano ``label`` variant: ``{"text", "label": [[start, end, "LABEL"], ...]}`` (``labels``
  too; a list of plain strings is a text category and goes to ``meta["labels"]``);
* anything else with ``text`` is a Prodigy task: ``spans`` with ``start``/``end`` (or
  ``token_start``/``token_end`` and ``tokens``), ``label``; ``answer``; ``meta``; ``relations``
  with ``head_span``/``child_span``.

Prodigy answers: ``accept`` (or none) -> spans accepted; ``reject`` -> spans rejected;
``ignore`` -> the task is skipped, as Prodigy skips it when training (``keep_ignored=True``
imports it, spans as "suggested").

Other top-level keys of a doccano line go to ``Article.meta``; Prodigy's ``meta`` dict does.
Unknown keys of a Prodigy span go to ``Span.attrs``. Known keys with the wrong type, lines
that are not JSON objects, spans outside the text: ``FormatError`` with the line number.

Writing: ``write(..., flavour="prodigy" | "doccano")``. Sorot's own fields travel along so
that reading an export gives back the same articles, spans and relations: in Prodigy, span
fields are extra span keys and article fields sit in ``meta["sorot"]``; in doccano, both sit
in a top-level ``"sorot"`` object (doccano keeps unknown top-level keys as metadata).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from annotator.formats._common import (
    Options,
    Tokens,
    check_extras,
    decode_text,
    fail,
    finish,
    is_space_class,
    make_article,
    make_span,
    pop_options,
    read_bytes,
    refuse_unknown,
    span_extras,
    token_arrays,
)
from annotator.model import Document, Relation, Span

NAME = "jsonl"
EXTENSIONS = (".jsonl", ".json", ".ndjson")
FLAVOURS = ("prodigy", "doccano")

ARTICLE_FIELDS = (
    "uid",
    "title",
    "source",
    "url",
    "language",
    "status",
    "status_reason",
    "created_at",
    "updated_at",
)
_PRODIGY_SPAN_KEYS = frozenset(
    {
        "start",
        "end",
        "label",
        "token_start",
        "token_end",
        "text",
        *("origin", "status", "annotator", "note", "attrs", "score", "created_at", "updated_at"),
    }
)


_SIMPLE_SPAN_KEYS = frozenset({"start", "end", "label", "token_start", "token_end", "text"})



def read(path: Path, *, keep_ignored: bool = False, **options: Any) -> list[Document]:
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    path = Path(path)
    text, _ = decode_text(read_bytes(path), path, guess=False)
    docs: list[Document] = []
    for line, obj in _objects(path, text):
        doc = parse_object(obj, path, line, opts, keep_ignored=keep_ignored)
        if doc is not None:
            docs.append(doc)
    return docs


#: JSON-lines files at least this big are read a line at a time by ``stream``.
STREAM_FROM = 8 << 20


def stream(path: Path, *, keep_ignored: bool = False, **options: Any) -> Iterator[Document]:
    """The documents of a file, a line at a time when it is big (``STREAM_FROM``), so that a
    file larger than memory can be imported. A bad line raises FormatError (file and line)
    *after* the documents before it were handed out: the importer stores a file in one
    transaction and drops it whole. Small files, JSON lists and UTF-16/32 files are read
    whole first (``read``), as before."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise fail(path, f"cannot read the file: {exc.strerror or exc}") from exc
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if (
        size < STREAM_FROM
        or body.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00"))
        or body.lstrip().startswith(b"[")
    ):
        yield from read(path, keep_ignored=keep_ignored, **options)
        return
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    found = False
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if b"\x00" in raw:
                raise fail(path, "this is a binary file, not text (it holds NUL bytes)", n)
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                raise fail(path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} in this line)", n) from exc
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise fail(path, f"not valid JSON: {exc.msg} (column {exc.colno})", n) from exc
            except RecursionError as exc:
                raise fail(path, "JSON nested too deeply", n) from exc
            found = True
            doc = parse_object(obj, path, n, opts, keep_ignored=keep_ignored)
            if doc is not None:
                yield doc
    if not found:
        raise fail(path, "the file holds only whitespace")


def _objects(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        # A JSON document holding a list: find each element's line as we go.
        decoder = json.JSONDecoder()
        idx = text.index("[") + 1
        n = len(text)
        first = True
        while True:
            while idx < n and text[idx] in " \t\r\n":
                idx += 1
            if idx < n and text[idx] == "]":
                idx += 1
                break
            if not first:
                if idx >= n or text[idx] != ",":
                    raise fail(path, "expected ',' or ']' between list items", text.count("\n", 0, idx) + 1)
                idx += 1
                while idx < n and text[idx] in " \t\r\n":
                    idx += 1
            first = False
            line = text.count("\n", 0, idx) + 1
            try:
                obj, idx = decoder.raw_decode(text, idx)
            except json.JSONDecodeError as exc:
                raise fail(path, f"not valid JSON: {exc.msg}", exc.lineno) from exc
            except RecursionError as exc:
                raise fail(path, "JSON nested too deeply", line) from exc
            yield line, obj
        if text[idx:].strip():
            raise fail(path, "extra text after the JSON list", text.count("\n", 0, idx) + 1)
        return
    lines = text.split("\n")
    for n, raw in enumerate(lines, 1):
        raw = raw.strip()
        if not raw:
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            if n == 1 and stripped.startswith("{"):
                # Maybe one pretty-printed object spread over many lines.
                try:
                    obj = json.loads(text)
                except (json.JSONDecodeError, RecursionError):
                    raise fail(path, f"not valid JSON: {exc.msg} (column {exc.colno})", n) from exc
                yield 1, obj
                return
            raise fail(path, f"not valid JSON: {exc.msg} (column {exc.colno})", n) from exc
        except RecursionError as exc:
            raise fail(path, "JSON nested too deeply", n) from exc
        yield n, obj


def _need(obj: dict, key: str, kind: type | tuple[type, ...], path: Path, line: int, what: str = "") -> Any:
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise fail(path, f"{what}{key!r} must be {names}, not {type(value).__name__}", line)
    return value


def parse_object(
    obj: Any, path: Path, line: int, opts: Options, *, keep_ignored: bool = False
) -> Document | None:
    if not isinstance(obj, dict):
        raise fail(path, f"expected a JSON object, found {type(obj).__name__}", line)
    if "text" in obj:
        text = _need(obj, "text", str, path, line)
    elif isinstance(obj.get("data"), str):
        text = obj["data"]
    else:
        raise fail(path, "the object has no 'text' field (expected a Prodigy task or a doccano record)", line)
    if not text:
        raise fail(path, "'text' is empty", line)
    if "entities" in obj or ("label" in obj and "spans" not in obj) or "labels" in obj:
        return _doccano(obj, text, path, line, opts)
    return _prodigy(obj, text, path, line, opts, keep_ignored)


def _article_from(sorot: Any, text: str, meta: dict, path: Path, line: int, opts: Options) -> Any:
    fields: dict[str, Any] = {}
    if sorot is not None:
        if not isinstance(sorot, dict):
            raise fail(path, "'sorot' must be an object", line)
        for key in ARTICLE_FIELDS:
            if key in sorot:
                value = sorot[key]
                if not (isinstance(value, str) or (value is None and key in ("created_at", "updated_at"))):
                    raise fail(path, f"sorot {key!r} must be text", line)
                fields[key] = value
        if "meta" in sorot:
            if not isinstance(sorot["meta"], dict):
                raise fail(path, "sorot 'meta' must be an object", line)
            meta = sorot["meta"]
    else:
        for key in ("title", "source", "url"):
            if isinstance(meta.get(key), str):
                fields[key] = meta[key]
        for key in ("language", "lang"):
            if isinstance(meta.get(key), str):
                fields["language"] = meta[key]
                break
    return make_article(text, path, opts, line, meta=meta, **fields)


# --------------------------------------------------------------------------- Prodigy


def _prodigy(
    obj: dict, text: str, path: Path, line: int, opts: Options, keep_ignored: bool
) -> Document | None:
    answer = obj.get("answer", "accept")
    if answer not in ("accept", "reject", "ignore"):
        raise fail(path, f"'answer' must be accept, reject or ignore, not {answer!r}", line)
    if answer == "ignore" and not keep_ignored:
        return None
    default_status = {"accept": "accepted", "reject": "rejected", "ignore": "suggested"}[answer]
    meta = obj.get("meta", {})
    if not isinstance(meta, dict):
        raise fail(path, "'meta' must be an object", line)
    meta = dict(meta)
    sorot = meta.pop("sorot", None)
    article = _article_from(sorot, text, meta, path, line, opts)
    tokens = obj.get("tokens")
    if tokens is not None and not isinstance(tokens, list):
        raise fail(path, "'tokens' must be a list", line)
    raw_spans = obj.get("spans", [])
    if not isinstance(raw_spans, list):
        raise fail(path, "'spans' must be a list", line)
    spans: list[Span] = []
    append = spans.append
    simple = _SIMPLE_SPAN_KEYS.issuperset
    for i, raw in enumerate(raw_spans):
        # Fast path for the common span {"start", "end", "label"[, "text", "token_start",
        # "token_end"]} with good values; anything else takes the checking path below.
        if type(raw) is dict and simple(raw):
            start, end, label, piece = raw.get("start"), raw.get("end"), raw.get("label"), raw.get("text", "")
            if (
                type(start) is int
                and type(end) is int
                and 0 <= start < end
                and type(label) is str
                and label
                and type(piece) is str
                and type(raw.get("token_start", 0)) is int
                and type(raw.get("token_end", 0)) is int
            ):
                append(Span(start, end, label, piece, status=default_status))
                continue
        append(_prodigy_span(raw, i, tokens, path, line, default_status))
    relations: list[Relation] = []
    raw_rels = obj.get("relations", [])
    if not isinstance(raw_rels, list):
        raise fail(path, "'relations' must be a list", line)
    keys: dict[tuple, int] = {}
    if raw_rels:
        for i, sp in enumerate(spans):
            keys.setdefault((sp.start, sp.end, sp.label), i)
            keys.setdefault((sp.start, sp.end), i)
    for j, rel in enumerate(raw_rels):
        what = f"relation {j + 1}: "
        if not isinstance(rel, dict):
            raise fail(path, f"{what}expected an object", line)
        label = rel.get("label", "")
        if not isinstance(label, str) or not label:
            raise fail(path, f"{what}'label' must be text", line)
        annotator = rel.get("annotator")
        if annotator is not None and not isinstance(annotator, str):
            raise fail(path, f"{what}'annotator' must be text", line)
        ends = []
        for index_key, span_key in (("head_index", "head_span"), ("child_index", "child_span")):
            index = rel.get(index_key)
            if index is not None:
                if type(index) is not int or not 0 <= index < len(spans):
                    raise fail(path, f"{what}{index_key!r} points at no span", line)
                ends.append(index)
                continue
            ref = rel.get(span_key)
            if not isinstance(ref, dict):
                raise fail(path, f"{what}{span_key!r} must be an object", line)
            s, e, lab = ref.get("start"), ref.get("end"), ref.get("label")
            found = keys.get((s, e, lab)) if lab is not None else keys.get((s, e))
            if found is None:
                found = keys.get((s, e))
            if found is None:
                spans.append(_prodigy_span(ref, len(spans), tokens, path, line, default_status))
                found = len(spans) - 1
                keys.setdefault((s, e, spans[-1].label), found)
                keys.setdefault((s, e), found)
            ends.append(found)
        relations.append(Relation(ends[0], ends[1], label, annotator))
    return finish(Document(article, spans, relations), path, opts, line)


def _prodigy_span(raw: Any, i: int, tokens: list | None, path: Path, line: int, default_status: str) -> Span:
    what = f"span {i + 1}"
    if not isinstance(raw, dict):
        raise fail(path, f"{what}: expected an object, found {type(raw).__name__}", line)
    start, end = raw.get("start"), raw.get("end")
    if start is None or end is None:
        ts, te = raw.get("token_start"), raw.get("token_end")
        if tokens is None or type(ts) is not int or type(te) is not int:
            raise fail(
                path, f"{what}: needs 'start' and 'end' (or 'token_start'/'token_end' and 'tokens')", line
            )
        if not (0 <= ts <= te < len(tokens)) or not all(isinstance(tokens[k], dict) for k in (ts, te)):
            raise fail(path, f"{what}: token_start/token_end outside the tokens", line)
        start, end = tokens[ts].get("start"), tokens[te].get("end")
    for key in ("token_start", "token_end"):
        if key in raw and type(raw[key]) is not int:
            raise fail(path, f"{what}: {key!r} must be a whole number", line)
    if "text" in raw and not isinstance(raw["text"], str):
        raise fail(path, f"{what}: 'text' must be text", line)
    fields = check_extras(raw, path, line, what)
    fields.setdefault("status", default_status)
    if not _PRODIGY_SPAN_KEYS.issuperset(raw):
        extra = {k: v for k, v in raw.items() if k not in _PRODIGY_SPAN_KEYS}
        fields["attrs"] = {**extra, **fields.get("attrs", {})}
    return make_span(path, line, start, end, raw.get("label"), text=raw.get("text", ""), **fields)


# --------------------------------------------------------------------------- doccano


def _doccano(obj: dict, text: str, path: Path, line: int, opts: Options) -> Document:
    meta = {
        k: v
        for k, v in obj.items()
        if k not in ("text", "data", "entities", "relations", "label", "labels", "sorot")
    }
    sorot = obj.get("sorot")
    extras_list: list = []
    rel_extras: list = []
    if isinstance(sorot, dict):
        extras_list = sorot.get("spans", [])
        rel_extras = sorot.get("relations", [])
        if not isinstance(extras_list, list) or not isinstance(rel_extras, list):
            raise fail(path, "sorot 'spans' and 'relations' must be lists", line)
    spans: list[Span] = []
    relations: list[Relation] = []
    if "entities" in obj:
        entities = _need(obj, "entities", list, path, line)
        ids: dict[Any, int] = {}
        for i, ent in enumerate(entities):
            what = f"entity {i + 1}"
            if not isinstance(ent, dict):
                raise fail(path, f"{what}: expected an object", line)
            extras = extras_list[i] if i < len(extras_list) else {}
            if not isinstance(extras, dict):
                raise fail(path, f"sorot span {i + 1}: expected an object", line)
            fields = check_extras(extras, path, line, what)
            spans.append(
                make_span(
                    path, line, ent.get("start_offset"), ent.get("end_offset"), ent.get("label"), **fields
                )
            )
            if "id" in ent:
                if not isinstance(ent["id"], int | str) or isinstance(ent["id"], bool):
                    raise fail(path, f"{what}: 'id' must be a number or text", line)
                ids[ent["id"]] = i
        raw_rels = obj.get("relations", [])
        if not isinstance(raw_rels, list):
            raise fail(path, "'relations' must be a list", line)
        for j, rel in enumerate(raw_rels):
            what = f"relation {j + 1}"
            if not isinstance(rel, dict):
                raise fail(path, f"{what}: expected an object", line)
            head, tail = rel.get("from_id"), rel.get("to_id")
            if (
                not isinstance(head, int | str)
                or head not in ids
                or not isinstance(tail, int | str)
                or tail not in ids
            ):
                raise fail(path, f"{what}: from_id/to_id name no entity of this line", line)
            label = rel.get("type", rel.get("label"))
            if not isinstance(label, str) or not label:
                raise fail(path, f"{what}: 'type' must be text", line)
            extras = rel_extras[j] if j < len(rel_extras) else {}
            annotator = extras.get("annotator") if isinstance(extras, dict) else None
            if annotator is not None and not isinstance(annotator, str):
                raise fail(path, f"{what}: annotator must be text", line)
            relations.append(Relation(ids[head], ids[tail], label, annotator))
    else:
        key = "label" if "label" in obj else "labels"
        labels = _need(obj, key, list, path, line)
        if labels and all(isinstance(x, str) for x in labels):
            meta["labels"] = labels
        else:
            for i, item in enumerate(labels):
                if not isinstance(item, list) or len(item) != 3:
                    raise fail(
                        path,
                        f"{key} item {i + 1}: expected [start, end, label], found {json.dumps(item)[:60]}",
                        line,
                    )
                extras = extras_list[i] if i < len(extras_list) else {}
                if not isinstance(extras, dict):
                    raise fail(path, f"sorot span {i + 1}: expected an object", line)
                fields = check_extras(extras, path, line, f"{key} item {i + 1}")
                spans.append(make_span(path, line, item[0], item[1], item[2], **fields))
    article = _article_from(sorot if isinstance(sorot, dict) else None, text, meta, path, line, opts)
    return finish(Document(article, spans, relations), path, opts, line)


# --------------------------------------------------------------------------- writing

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _hash32(data: str) -> int:
    value = int.from_bytes(
        hashlib.blake2b(data.encode("utf-8"), digest_size=4).digest(), "little", signed=True
    )
    return value


def _article_fields(article: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"uid": article.uid}
    for key in ("title", "source", "url", "language", "status", "status_reason"):
        value = getattr(article, key)
        if value or key == "status":
            out[key] = value
    for key in ("created_at", "updated_at"):
        value = getattr(article, key)
        if value is not None:
            out[key] = value
    return out


#: Characters a token may hold that JSON must escape (whitespace is never in a token).
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x08\x0e-\x1b]')
_FALSE_TRUE: Any = None
_NUMBERS: Any = None
_NUMBERS_MAX = 1 << 18


def _number_strings(n: int) -> Any:
    """A numpy object array holding str(i) for i in range(n) or more (cached)."""
    global _NUMBERS
    if _NUMBERS is None or len(_NUMBERS) < n:
        import numpy

        size = max(n, 8192, 0 if _NUMBERS is None else 2 * len(_NUMBERS))
        _NUMBERS = numpy.array([str(i) for i in range(size)], dtype=object)
    return _NUMBERS


def _tokens_json_vectorised(text: str) -> tuple[str, Tokens] | None:
    """``tokens_json`` with the per-token work done by numpy gathers and one join.

    Every token is 9 pieces of a flat list (constants, escaped word, and the decimal
    strings of start, end and id taken from a cached table), filled by slice assignment.
    """
    global _FALSE_TRUE
    import numpy

    found = token_arrays(text)
    if found is None:
        return None
    words, starts, ends, cls = found
    n = len(words)
    if _FALSE_TRUE is None:
        _FALSE_TRUE = numpy.array([',"ws":false},', ',"ws":true},'], dtype=object)
    numbers = _number_strings(len(text) + 1)
    # whether the character after each token is whitespace (the end of the text is not)
    space = numpy.append(is_space_class(cls), False)
    ws = _FALSE_TRUE[space[ends].view(numpy.uint8)].tolist()
    escaped = words
    if _NEEDS_ESCAPE.search(text):
        # Only one-character punctuation tokens can need escaping (word tokens never do).
        escaped = list(words)
        ones = numpy.flatnonzero(ends - starts == 1).tolist()
        for i in ones:
            w = escaped[i]
            if w == '"' or w == "\\" or w < " ":
                escaped[i] = encode_basestring(w)[1:-1]
    flat: list[Any] = [None] * (9 * n)
    flat[0::9] = ['{"text":"'] * n
    flat[1::9] = escaped
    flat[2::9] = ['","start":'] * n
    flat[3::9] = numbers[starts].tolist()
    flat[4::9] = [',"end":'] * n
    flat[5::9] = numbers[ends].tolist()
    flat[6::9] = [',"id":'] * n
    flat[7::9] = numbers[:n].tolist()
    flat[8::9] = ws
    return "[" + "".join(flat)[:-1] + "]", Tokens.of(words, starts.tolist(), ends.tolist())


def tokens_json(text: str) -> tuple[str, Tokens]:
    """Prodigy's ``tokens`` list as JSON text, built without a dict per token."""
    if 200 < len(text) < _NUMBERS_MAX:
        done = _tokens_json_vectorised(text)
        if done is not None:
            return done
    toks = Tokens(text)
    n = len(text)
    isspace = str.isspace
    body = ",".join(
        [
            f'{{"text":{w},"start":{s},"end":{e},"id":{i},"ws":{"true" if e < n and isspace(text[e]) else "false"}}}'
            for i, (w, s, e) in enumerate(
                zip(map(encode_basestring, toks.words), toks.starts, toks.ends, strict=True)
            )
        ]
    )
    return "[" + body + "]", toks


def prodigy_line(doc: Document) -> str:
    article = doc.article
    text = article.text
    tokens, toks = tokens_json(text)
    spans_out = []
    keys = []
    for span in doc.spans:
        item: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
        cover = toks.covering(span.start, span.end)
        if cover is not None:
            item["token_start"], item["token_end"] = cover
        item.update(span_extras(span))
        spans_out.append(item)
        keys.append(f"{span.start},{span.end},{span.label}")
    rels_out = []
    for rel in doc.relations:
        h, t = spans_out[rel.head], spans_out[rel.tail]
        item = {
            "head": h.get("token_end", 0),
            "child": t.get("token_end", 0),
            "head_span": {k: h[k] for k in ("start", "end", "token_start", "token_end", "label") if k in h},
            "child_span": {k: t[k] for k in ("start", "end", "token_start", "token_end", "label") if k in t},
            "label": rel.label,
            "head_index": rel.head,
            "child_index": rel.tail,
        }
        if rel.annotator is not None:
            item["annotator"] = rel.annotator
        rels_out.append(item)
    meta = dict(article.meta)
    sorot = _article_fields(article)
    meta["sorot"] = sorot
    input_hash = int(article.hash[:8], 16) - (1 << 31) if article.hash else _hash32(text)
    task_hash = _hash32(article.hash + "|" + ";".join(keys) + "|" + str(len(rels_out)))
    head = '{"text":' + _dumps(text) + ',"tokens":' + tokens
    tail = {
        "spans": spans_out,
        "relations": rels_out,
        "answer": "accept",
        "meta": meta,
        "_input_hash": input_hash,
        "_task_hash": task_hash,
        "_view_id": "spans_manual",
    }
    if not rels_out:
        del tail["relations"]
    return head + "," + _dumps(tail)[1:]


def doccano_line(doc: Document) -> str:
    article = doc.article
    entities = []
    span_extra = []
    for i, span in enumerate(doc.spans):
        entities.append(
            {"id": i + 1, "label": span.label, "start_offset": span.start, "end_offset": span.end}
        )
        span_extra.append(span_extras(span))
    relations = []
    rel_extra = []
    for j, rel in enumerate(doc.relations):
        relations.append({"id": j + 1, "from_id": rel.head + 1, "to_id": rel.tail + 1, "type": rel.label})
        rel_extra.append({"annotator": rel.annotator} if rel.annotator is not None else {})
    sorot = _article_fields(article)
    sorot["meta"] = article.meta
    if any(span_extra):
        sorot["spans"] = span_extra
    if any(rel_extra):
        sorot["relations"] = rel_extra
    return _dumps({"text": article.text, "entities": entities, "relations": relations, "sorot": sorot})


def write(
    docs: Iterable[Document],
    out: Path,
    *,
    flavour: str = "prodigy",
    problems: list[str] | None = None,
) -> int:
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {', '.join(FLAVOURS)}, not {flavour!r}")
    line_of = prodigy_line if flavour == "prodigy" else doccano_line
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        batch: list[str] = []
        for doc in docs:
            batch.append(line_of(doc))
            count += 1
            if len(batch) >= 256:
                fh.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            fh.write("\n".join(batch) + "\n")
    return count


def write_prodigy(docs: Iterable[Document], out: Path, *, problems: list[str] | None = None) -> int:
    return write(docs, out, flavour="prodigy", problems=problems)


def write_doccano(docs: Iterable[Document], out: Path, *, problems: list[str] | None = None) -> int:
    return write(docs, out, flavour="doccano", problems=problems)


def join(parts: Sequence[Path], out: Path) -> None:
    """Lines written in parts (by ``write``), one file in order: JSON lines simply concatenate."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as dst:
        for part in parts:
            with Path(part).open("rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
