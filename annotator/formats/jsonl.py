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
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from annotator import fast_json
from annotator.bulk import batches
from annotator.formats._common import (
    Options,
    Tokens,
    check_extras,
    crlf_mapper,
    decode_text,
    fail,
    finish,
    make_article,
    make_span,
    move_spans,
    note,
    pop_options,
    read_bytes,
    refuse_unknown,
    report,
    span_extras,
)
from annotator.model import Document, Relation, Span, normalise_newlines

NAME = "jsonl"
EXTENSIONS = (".jsonl", ".json", ".ndjson")
FLAVOURS = ("prodigy", "doccano", "doccano-relations")

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

#: a line's JSON value, by orjson where it can (json's value and errors otherwise: annotator.fast_json)
_loads = fast_json.loads



def read(path: Path, *, keep_ignored: bool = False, **options: Any) -> list[Document]:
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    path = Path(path)
    text, _ = decode_text(read_bytes(path), path, guess=False)
    docs: list[tuple[Document, bool]] = []
    for line, obj in _objects(path, text):
        doc = parse_object(obj, path, line, opts, keep_ignored=keep_ignored)
        if doc is not None:
            docs.append((doc, is_answer(obj)))
    docs = merge_tasks(docs, opts)
    _tell_counts(path, opts)
    return docs


def _tell_counts(path: Path, opts: Options) -> None:
    counts = opts.counts
    if counts.get("ignore"):
        note(opts, f"{path}: {counts['ignore']} task(s) answered 'ignore' not imported (keep_ignored imports them)")
    if counts.get("choice"):
        note(
            opts,
            f"{path}: {counts['choice']} task(s) hold 'options' or 'accept' (choice or entity-linking "
            "decisions): kept with the article and written back on Prodigy export; Sorot does not show them",
        )
    counts.clear()


#: JSON-lines files at least this big are read a line at a time by ``stream``.
STREAM_FROM = 8 << 20


def stream(path: Path, *, keep_ignored: bool = False, **options: Any) -> Iterator[Document]:
    """The documents of a file, a line at a time when it is big (``STREAM_FROM``), so that a
    file larger than memory can be imported. A bad line raises FormatError (file and line)
    *after* the documents before it were handed out: the importer stores a file in one
    transaction and drops it whole. Small files, JSON lists and UTF-16/32 files are read
    whole first (``read``), as before. Prodigy tasks of one text are merged wherever they
    stand, as ``read`` does: a first pass counts the tasks of each text (measured on a 116 MB
    Prodigy file: 0.6 s of 3.8 s), and an article is held only until its last task is read."""
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
    # Tasks of one text are merged wherever they stand: a first pass counts them, and an
    # article is held (merging) only until its last task has been read.
    left = _tasks_per_text(path, keep_ignored)
    held: dict[str, Document] = {}
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
                obj = _loads(line)
            except json.JSONDecodeError as exc:
                raise fail(path, f"not valid JSON: {exc.msg} (column {exc.colno})", n) from exc
            except RecursionError as exc:
                raise fail(path, "JSON nested too deeply", n) from exc
            found = True
            doc = parse_object(obj, path, n, opts, keep_ignored=keep_ignored)
            if doc is None:
                continue
            if not is_answer(obj):
                yield _in_order(doc)
                continue
            key = _text_key(obj)
            left[key] -= 1
            first = held.get(doc.article.hash)
            if first is not None:
                _merge_into(first, doc, opts)
            elif left[key] > 0:
                held[doc.article.hash] = doc  # more tasks of this text to come
                continue
            else:
                yield _in_order(doc)
                continue
            if left[key] <= 0:
                yield _in_order(held.pop(doc.article.hash))
    for doc in held.values():  # texts that differ but share a key
        yield _in_order(doc)
    if not found:
        raise fail(path, "the file holds only whitespace")
    _tell_counts(path, opts)


def _text_key(obj: Any) -> int:
    text = obj.get("text", obj.get("data")) if isinstance(obj, dict) else None
    return hash(normalise_newlines(text)) if isinstance(text, str) else 0


def _tasks_per_text(path: Path, keep_ignored: bool) -> Counter[int]:
    """How many Prodigy tasks of each text (by a hash of it) a file holds; lines that do not
    parse are left to the reading pass, which names them."""
    counts: Counter[int] = Counter()
    decode = _STRING_DECODER.raw_decode
    with path.open("rb") as fh:
        for raw in fh:
            raw = raw.lstrip(b"\xef\xbb\xbf \t")
            m = _TEXT_FIRST.match(raw)
            if m is not None and b'"spans"' in raw and b'"meta"' not in raw:
                # {"text": "...", ...}: the text alone is read (a task's tokens would cost
                # as much again as the reading pass); an ignored task or one without an
                # answer is not counted
                if (not keep_ignored and _IGNORED.search(raw)) or not _ANSWER.search(raw):
                    continue
                try:
                    text, _ = decode(raw.decode("utf-8"), m.end())
                except (ValueError, UnicodeDecodeError, RecursionError):
                    continue
                if isinstance(text, str):
                    counts[hash(normalise_newlines(text))] += 1
                continue
            if b'"answer"' not in raw and b"\\u" not in raw:
                continue  # no answer, so not counted (a key spelt with escapes is read in full)
            try:
                obj = _loads(raw)
            except (ValueError, RecursionError):
                continue
            if not isinstance(obj, dict) or not is_answer(obj):
                continue
            if obj.get("answer") == "ignore" and not keep_ignored:
                continue
            counts[_text_key(obj)] += 1
    return counts


_TEXT_FIRST = re.compile(rb'\{\s*"text"\s*:\s*')
_IGNORED = re.compile(rb'"answer"\s*:\s*"ignore"')
_ANSWER = re.compile(rb'"answer"\s*:')
_STRING_DECODER = json.JSONDecoder()


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
            obj = _loads(raw)
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
    if is_doccano(obj):
        return _doccano(obj, text, path, line, opts)
    return _prodigy(obj, text, path, line, opts, keep_ignored)


def is_answer(obj: dict) -> bool:
    """A Prodigy task someone answered (not one Sorot answered for it on export): a decision,
    merged with the other answers about its text by the reader. Tasks without an answer
    are input, left to the project, which merges articles of one text as it stores them."""
    if is_doccano(obj) or "answer" not in obj:
        return False
    meta = obj.get("meta")
    sorot = meta.get("sorot") if isinstance(meta, dict) else None
    if not isinstance(sorot, dict):
        return True
    # Sorot's own: an article it wrote as several tasks is merged again
    return "answer" not in sorot.get("task", ()) or sorot.get("lines", 1) != 1


def is_doccano(obj: dict) -> bool:
    return "entities" in obj or ("label" in obj and "spans" not in obj) or "labels" in obj


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


#: Top-level keys of a Prodigy task that Sorot reads itself; every other key (hashes,
#: ``_view_id``, ``_timestamp``, ``options``, ``accept``, ``sessions``...) rides along in
#: ``Article.meta["prodigy"]["tasks"]`` and is written back on Prodigy export.
_TASK_READ = frozenset({"text", "tokens", "spans", "relations", "meta", "sorot_spans"})
#: Views whose answers are binary decisions about the spans shown (Prodigy's ner.teach).
BINARY_VIEWS = frozenset({"ner", "binary", "classification"})


def is_binary_task(obj: dict) -> bool:
    """A yes/no decision about the spans shown, not a complete annotation of the text:
    Prodigy's ``_is_binary``, a binary view (``ner.teach``), or a rejected task (a reject
    says these spans are wrong, never that the text holds no entity)."""
    flag = obj.get("_is_binary")
    if isinstance(flag, bool):
        return flag
    return obj.get("_view_id") in BINARY_VIEWS or obj.get("answer") == "reject"


def _prodigy(
    obj: dict, text: str, path: Path, line: int, opts: Options, keep_ignored: bool
) -> Document | None:
    answer = obj.get("answer", "accept")
    if answer not in ("accept", "reject", "ignore"):
        raise fail(path, f"'answer' must be accept, reject or ignore, not {answer!r}", line)
    if answer == "ignore" and not keep_ignored:
        opts.counts["ignore"] += 1
        return None
    default_status = {"accept": "accepted", "reject": "rejected", "ignore": "suggested"}[answer]
    binary = answer != "ignore" and is_binary_task(obj)
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
    extra_spans = obj.get("sorot_spans", [])
    if not isinstance(extra_spans, list):
        raise fail(path, "'sorot_spans' must be a list", line)
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
    # Sorot's own spans that Prodigy must not take for the annotation (rejected or pending
    # ones of a complete task): written beside "spans", read back here.
    for i, raw in enumerate(extra_spans):
        append(_prodigy_span(raw, len(raw_spans) + i, tokens, path, line, "suggested"))
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
    move_spans(spans, crlf_mapper(text))
    order = sorot.get("order") if isinstance(sorot, dict) else None
    if isinstance(order, list) and len(order) == len(spans) and all(type(x) is int for x in order):
        article.meta[_ORDER] = order
    task = _task_record(obj, sorot, binary)
    who = task.get("_annotator_id", task.get("_session_id"))
    if isinstance(who, str) and who:
        for span in spans:
            if span.annotator is None:
                span.annotator = who
    if binary:
        for span in spans:
            span.attrs["binary"] = True
    # A task with fields of its own leaves a record, written back as it came on Prodigy export.
    if obj.get("answer") == "accept" and not binary and sorot is None:
        # a manual task answered accept (a task without an answer is only input): what it
        # does not mark is not an entity (see
        # annotator.spacy_docs.entity_knowledge); Sorot's own exports say so in meta already
        article.meta["annotated"] = True
    if task or (sorot is None and spans) or (isinstance(sorot, dict) and sorot.get("record") is True):
        # every task that came in with spans is remembered, so that it goes back as it came
        task["_spans"] = sorted([sp.start, sp.end, sp.label] for sp in spans)
        article.meta["prodigy"] = {"tasks": [task]}
        if "options" in task or "accept" in task:
            opts.counts["choice"] += 1
    return finish(Document(article, spans, relations), path, opts, line)


#: Where a Sorot export's spans stood in the article (read, used to merge, then dropped).
_ORDER = "\x00order"
#: Set on a Document made of several tasks (read, then dropped).
_MERGED = "\x00merged"


def _in_order(doc: Document) -> Document:
    """Spans back in the order of the article they were exported from (one article may be
    several tasks), when every task said where its spans stood."""
    order = doc.article.meta.pop(_ORDER, None)
    merged = doc.article.meta.pop(_MERGED, None)
    if merged:
        # relations of several tasks: in one order whatever task held which
        doc.relations.sort(key=lambda r: (r.head, r.tail, r.label, r.annotator or ""))
    n = len(doc.spans)
    if order is None or sorted(order) != list(range(n)) or order == list(range(n)):
        return doc
    spans: list[Any] = [None] * n
    for i, place in enumerate(order):
        spans[place] = doc.spans[i]
    doc.relations = [Relation(order[r.head], order[r.tail], r.label, r.annotator, r.id) for r in doc.relations]
    if merged:
        doc.relations.sort(key=lambda r: (r.head, r.tail, r.label, r.annotator or ""))
    doc.spans = spans
    return doc


def _task_record(obj: dict, sorot: Any, binary: bool) -> dict[str, Any]:
    """The task's own fields Sorot has no place for, in their order. Fields a Sorot export
    generated itself (named in ``meta.sorot.task``) are left out: they are made again."""
    made = sorot.get("task", ()) if isinstance(sorot, dict) else ()
    # a binary task's answer lives in its spans' status (an analyst may change it in Sorot)
    skip = ("answer",) if binary else ()
    record = {k: v for k, v in obj.items() if k not in _TASK_READ and k not in made and k not in skip}
    if binary and "_is_binary" not in obj and "_is_binary" not in made:
        record["_is_binary"] = True
    return record


def merge_tasks(docs: Iterable[tuple[Document, bool]], opts: Options | None = None) -> list[Document]:
    """Answered Prodigy tasks of one text (one article) as one Document, in the order first
    met (the flag says which documents are answered tasks: see ``is_answer``).

    The same span (offsets, label, annotator) answered twice keeps the *later* answer: the
    tasks of a file are in the order they were answered (``_timestamp`` decides when both
    carry one), and a second answer to the same question is a correction — Prodigy's review
    recipe works the same way. Each such conflict is reported.
    """
    out: dict[str, Document] = {}
    for doc, is_task in docs:
        if not is_task:
            out[f"{len(out)}#"] = doc
            continue
        key = doc.article.hash
        first = out.get(key)
        if first is None:
            out[key] = doc
            continue
        _merge_into(first, doc, opts)
    return [_in_order(doc) for doc in out.values()]


def _stamp(doc: Document) -> Any:
    tasks = doc.article.meta.get("prodigy", {}).get("tasks", [])
    stamps = [t.get("_timestamp") for t in tasks if isinstance(t.get("_timestamp"), int | float)]
    return max(stamps) if stamps else None


def _merge_into(first: Document, doc: Document, opts: Options | None) -> None:
    later_stamp, first_stamp = _stamp(doc), _stamp(first)
    later_wins = not (later_stamp is not None and first_stamp is not None and later_stamp < first_stamp)
    where = {(sp.start, sp.end, sp.label, sp.annotator): i for i, sp in enumerate(first.spans)}
    index: list[int] = []
    added: list[int] = []
    for n, sp in enumerate(doc.spans):
        k = (sp.start, sp.end, sp.label, sp.annotator)
        i = where.get(k)
        if i is None:
            where[k] = len(first.spans)
            index.append(len(first.spans))
            added.append(n)
            first.spans.append(sp)
            continue
        index.append(i)
        old = first.spans[i]
        if old.status == sp.status and old.attrs.get("binary") is True and sp.attrs.get("binary") is not True:
            # one answer, also given in a complete task: the span is known as part of it
            first.spans[i] = sp
        elif old.status != sp.status:
            winner = sp if later_wins else old
            note(
                opts,
                f"article {first.article.uid}: span [{sp.start}, {sp.end}) {sp.label} {sp.text[:40]!r} "
                f"answered {old.status} and later {sp.status}; {winner.status} kept (the later answer wins)",
            )
            if winner is sp:
                first.spans[i] = sp
    for rel in doc.relations:
        key = (index[rel.head], index[rel.tail], rel.label, rel.annotator)
        if not any((r.head, r.tail, r.label, r.annotator) == key for r in first.relations):
            first.relations.append(Relation(*key))
    first.article.meta[_MERGED] = True
    mine, theirs = first.article.meta.get(_ORDER), doc.article.meta.pop(_ORDER, None)
    if mine is not None and theirs is not None and len(theirs) == len(doc.spans):
        mine.extend(theirs[n] for n in added)  # a span met again keeps its first place
    else:
        first.article.meta.pop(_ORDER, None)
    more = doc.article.meta.get("prodigy", {}).get("tasks", [])
    if more:
        first.article.meta.setdefault("prodigy", {"tasks": []})["tasks"].extend(more)


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
    entities_as_lists = (
        "entities" in obj
        and isinstance(obj["entities"], list)
        and all(isinstance(x, list) for x in obj["entities"])
        and "label" not in obj
        and "labels" not in obj
    )
    if "entities" in obj and not entities_as_lists:
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
        # sequence labelling ("label": [[s, e, l]]) or intent and slots ("entities": [[s, e, l]],
        # "cats": [...]; the categories go to meta like any other key)
        key = "entities" if entities_as_lists else "label" if "label" in obj else "labels"
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
        if isinstance(sorot, dict):
            _sorot_extras(sorot, spans, relations, path, line)
    move_spans(spans, crlf_mapper(text))
    article = _article_from(sorot if isinstance(sorot, dict) else None, text, meta, path, line, opts)
    if isinstance(sorot, dict) and isinstance(sorot.get("order"), list):
        article.meta = {**article.meta, _ORDER: sorot["order"]}
    return finish(_in_order(Document(article, spans, relations)), path, opts, line)


def _sorot_extras(sorot: dict, spans: list[Span], relations: list[Relation], path: Path, line: int) -> None:
    """The spans and relations a sequence-labelling export carries for Sorot only: pending
    and rejected spans (doccano would take any labelled span for a right one) and relations
    (a sequence-labelling project has none)."""
    more = sorot.get("more_spans", [])
    rels = sorot.get("links", [])
    if not isinstance(more, list) or not isinstance(rels, list):
        raise fail(path, "sorot 'more_spans' and 'links' must be lists", line)
    for i, item in enumerate(more):
        if not isinstance(item, list) or len(item) != 4 or not isinstance(item[3], dict):
            raise fail(path, f"sorot more_spans item {i + 1}: expected [start, end, label, fields]", line)
        fields = check_extras(item[3], path, line, f"sorot more_spans item {i + 1}")
        fields.setdefault("status", "suggested")
        spans.append(make_span(path, line, item[0], item[1], item[2], **fields))
    for j, rel in enumerate(rels):
        if (
            not isinstance(rel, list)
            or len(rel) != 4
            or not all(type(x) is int and 0 <= x < len(spans) for x in rel[:2])
            or not isinstance(rel[2], str)
            or not (rel[3] is None or isinstance(rel[3], str))
        ):
            raise fail(path, f"sorot links item {j + 1}: expected [head, tail, label, annotator]", line)
        relations.append(Relation(rel[0], rel[1], rel[2], rel[3]))


# --------------------------------------------------------------------------- writing

#: orjson, the same JSON value as json.dumps (see annotator.fast_json)
_dumps = fast_json.dumps


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


def tokens_json(text: str, lang: str | None = None) -> tuple[str, Tokens]:
    """Prodigy's ``tokens`` list of one text as JSON text, and the tokens: spaCy's tokenizer
    for ``lang``, the tokens the desk snaps to (:mod:`annotator.formats.prodigy_tokens`)."""
    from annotator.formats.prodigy_tokens import tokens_json as spacy_tokens_json

    return spacy_tokens_json(text, lang)


def prepare(languages: list[str]) -> None:
    """Load spaCy and build the tokenizers for ``languages``: a Prodigy export's helper
    process does this before its first part."""
    from annotator.formats.prodigy_tokens import prepare as build

    build(languages)


def _span_item(span: Span, toks: Tokens, *, binary_line: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
    cover = toks.covering(span.start, span.end)
    if cover is not None:
        item["token_start"], item["token_end"] = cover
    extras = span_extras(span)
    attrs = extras.get("attrs")
    if binary_line and attrs and "binary" in attrs:
        # the task says it (``_is_binary``); the flag is not a span field of Prodigy's
        attrs = {k: v for k, v in attrs.items() if k != "binary"}
        if attrs:
            extras["attrs"] = attrs
        else:
            del extras["attrs"]
    item.update(extras)
    return item


def _tasks_of(article: Any) -> list[dict[str, Any]]:
    found = article.meta.get("prodigy")
    tasks = found.get("tasks") if isinstance(found, dict) else None
    if not isinstance(tasks, list):
        return []
    return [t for t in tasks if isinstance(t, dict)]


def prodigy_lines(
    doc: Document, problems: list[str] | None = None, *, tokens: tuple[str, Tokens] | None = None
) -> list[str]:
    """The Prodigy tasks of one article: one line per task it came from (its own fields,
    ``_input_hash`` and ``_task_hash`` too, written back as they came), binary answers as
    binary tasks (``_is_binary``), and the spans of no task in one more task.

    In a complete task (``answer: accept``) only accepted spans are ``spans``: Prodigy
    would take any span there for a right one, so pending and rejected spans ride in
    ``sorot_spans``, which Prodigy ignores and Sorot reads back. ``tokens``: what
    ``tokens_json`` gives for the article, when the caller tokenised a batch at once."""
    article = doc.article
    text = article.text
    tokens, toks = tokens if tokens is not None else tokens_json(text, article.language)
    tasks = _tasks_of(article)
    spans = doc.spans
    binary = [sp.attrs.get("binary") is True for sp in spans]
    claimed = [False] * len(spans)
    groups: list[tuple[dict[str, Any] | None, list[int], bool]] = []

    all_ids = {t.get("_annotator_id", t.get("_session_id")) for t in tasks} - {None}

    def owner(span: Span, known: set) -> Any:
        return span.annotator if span.annotator in known else None

    first_of: dict[Any, int] = {}  # annotator -> the group of their first complete task
    for task in tasks:
        keys = {tuple(k) for k in task.get("_spans", []) if isinstance(k, list)}
        who = task.get("_annotator_id", task.get("_session_id"))
        # the spans this task held: tasks of one text may share spans (one span answered
        # twice, or answered and also in a complete task); each goes back with its spans
        mine = [i for i, sp in enumerate(spans) if sp.key in keys and owner(sp, all_ids) == who]
        for i in mine:
            claimed[i] = True
        if task.get("_is_binary"):
            if not mine:
                report(
                    problems,
                    f"article {article.uid}: a binary Prodigy answer lost its span(s) in Sorot; not written",
                )
                continue
            # one task per answer given: Sorot may have changed some of them
            for status in ("accepted", "rejected", "suggested"):
                part = [i for i in mine if spans[i].status == status]
                if part:
                    groups.append((task, part, True))
        else:
            first_of.setdefault(who, len(groups))
            groups.append((task, mine, False))
    rest: list[int] = []
    rest_binary: list[int] = []
    for i in range(len(spans)):
        if claimed[i]:
            continue
        if binary[i]:
            rest_binary.append(i)
        elif owner(spans[i], all_ids) in first_of:
            groups[first_of[owner(spans[i], all_ids)]][1].append(i)  # added in Sorot: with that task
        else:
            rest.append(i)  # no task of theirs: one more task
    if rest or not (groups or tasks):
        groups.append((None, rest, False))
    elif not groups:
        # only binary answers came in, and their spans are not here (an export of accepted
        # spans leaves rejected answers out): a task without spans would say "no entity"
        report(problems, f"article {article.uid}: only binary answers, none of them exported; no task written")
        return []
    for status in ("accepted", "rejected", "suggested"):
        part = [i for i in rest_binary if spans[i].status == status]
        if part:
            groups.append((None, part, True))
    # a relation goes with the first task holding both its spans (a complete task first)
    member_sets = [set(members) for _, members, _ in groups]
    rels_of: dict[int, list[Relation]] = {}
    for rel in doc.relations:
        ends = {rel.head, rel.tail}
        where = next(
            (g for g, (_, _, is_bin) in enumerate(groups) if not is_bin and ends <= member_sets[g]),
            next((g for g in range(len(groups)) if ends <= member_sets[g]), None),
        )
        if where is None:
            where = next((g for g in range(len(groups)) if rel.head in member_sets[g]), 0)
        rels_of.setdefault(where, []).append(rel)
    items = [_span_item(sp, toks) for sp in spans]
    binary_items = [_span_item(sp, toks, binary_line=True) for sp in spans] if any(binary) else items
    base_meta = {k: v for k, v in article.meta.items() if k != "prodigy"}
    input_hash = next(
        (t["_input_hash"] for t in tasks if type(t.get("_input_hash")) is int),
        int(article.hash[:8], 16) - (1 << 31) if article.hash else _hash32(text),
    )
    sorot_fields = _article_fields(article)
    text_json = _dumps(text)
    lines = []
    for g, (task, members, is_binary) in enumerate(groups):
        answer = None
        if is_binary:
            status = spans[members[0]].status
            answer = {"accepted": "accept", "rejected": "reject"}.get(status)
            shown, hidden = members, []
            task = {k: v for k, v in task.items() if k != "answer"} if task is not None else None
        else:
            answer = (task or {}).get("answer", "accept")
            if answer == "accept":
                shown = [i for i in members if spans[i].status == "accepted"]
                hidden = [i for i in members if spans[i].status != "accepted"]
            else:
                shown, hidden = members, []
        order = shown + hidden
        local = {i: n for n, i in enumerate(order)}
        rels_out = []
        for rel in rels_of.get(g, []):
            h, t = items[rel.head], items[rel.tail]
            item = {
                "head": h.get("token_end", 0),
                "child": t.get("token_end", 0),
                "head_span": {k: h[k] for k in ("start", "end", "token_start", "token_end", "label") if k in h},
                "child_span": {k: t[k] for k in ("start", "end", "token_start", "token_end", "label") if k in t},
                "label": rel.label,
            }
            if rel.head in local and rel.tail in local:
                item["head_index"], item["child_index"] = local[rel.head], local[rel.tail]
            if rel.annotator is not None:
                item["annotator"] = rel.annotator
            rels_out.append(item)
        made: list[str] = []
        shape = binary_items if is_binary else items
        out: dict[str, Any] = {"spans": [shape[i] for i in shown]}
        if hidden:
            out["sorot_spans"] = [shape[i] for i in hidden]
        if rels_out:
            out["relations"] = rels_out
        own = {k: v for k, v in (task or {}).items() if k != "_spans"}
        if answer is not None and (task is None or "answer" not in task or is_binary):
            if "answer" not in own:
                made.append("answer")
            own["answer"] = answer
        elif answer is None:
            own.pop("answer", None)
        keys = ";".join(f"{spans[i].start},{spans[i].end},{spans[i].label}" for i in order)
        if "_input_hash" not in own:
            # the text's, as the tasks that came in have it (Prodigy finds tasks of one input by it)
            own["_input_hash"] = input_hash
            made.append("_input_hash")
        was = {tuple(k) for k in (task or {}).get("_spans", []) if isinstance(k, list)}
        if "_task_hash" not in own or was != {spans[i].key for i in order}:
            if "_task_hash" not in own:
                made.append("_task_hash")
            own["_task_hash"] = _hash32(article.hash + "|" + keys + "|" + str(len(rels_out)))
        if "_view_id" not in own:
            own["_view_id"] = "ner" if is_binary else "spans_manual"
            made.append("_view_id")
        if is_binary and "_is_binary" not in own:
            own["_is_binary"] = True
            made.append("_is_binary")
        meta = dict(base_meta)
        sorot = dict(sorot_fields)
        if made:
            sorot["task"] = made
        if task is not None:
            sorot["record"] = True  # a task that came in, even with nothing of its own but spans
        if len(groups) > 1:
            sorot["lines"] = len(groups)  # one article: read back as one (see ``is_answer``)
        if len(groups) > 1 or order != list(range(len(spans))):
            sorot["order"] = order  # where these spans stand in the article's list
        meta["sorot"] = sorot
        out["meta"] = meta
        out.update(own)
        # one copy of the ~40 KB line (the tokens are most of it), not one per "+"
        rest = _dumps(out)
        lines.append("".join(('{"text":', text_json, ',"tokens":', tokens, ",", rest[1:])))
    return lines


def prodigy_line(
    doc: Document, problems: list[str] | None = None, *, tokens: tuple[str, Tokens] | None = None
) -> str:
    """All of one article's Prodigy tasks (usually one), as lines of text."""
    return "\n".join(prodigy_lines(doc, problems, tokens=tokens))


def doccano_line(doc: Document, problems: list[str] | None = None, *, shape: str = "relations") -> str:
    """One doccano record. ``shape="relations"``: doccano's relation-extraction import
    (``entities`` and ``relations``); ``shape="spans"``: its sequence-labelling import
    (``label: [[start, end, label]]``), where only accepted spans are labels and the rest
    (pending and rejected spans, relations) ride in ``sorot`` for Sorot alone (reported)."""
    if shape == "spans":
        return _doccano_spans_line(doc, problems)
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


def _doccano_spans_line(doc: Document, problems: list[str] | None) -> str:
    article = doc.article
    shown = [i for i, sp in enumerate(doc.spans) if sp.status == "accepted"]
    hidden = [i for i, sp in enumerate(doc.spans) if sp.status != "accepted"]
    order = shown + hidden
    sorot = _article_fields(article)
    sorot["meta"] = article.meta
    extras = [span_extras(doc.spans[i]) for i in shown]
    if any(extras):
        sorot["spans"] = extras
    if hidden:
        sorot["more_spans"] = [
            [doc.spans[i].start, doc.spans[i].end, doc.spans[i].label, span_extras(doc.spans[i])] for i in hidden
        ]
    if doc.relations:
        local = {i: n for n, i in enumerate(order)}
        sorot["links"] = [[local[r.head], local[r.tail], r.label, r.annotator] for r in doc.relations]
        report(
            problems,
            f"article {article.uid}: {len(doc.relations)} relation(s) kept for Sorot only: doccano's "
            "sequence-labelling import has no relations (export as doccano-relations for them)",
        )
    if order != list(range(len(order))):
        sorot["order"] = order
    labels = [[doc.spans[i].start, doc.spans[i].end, doc.spans[i].label] for i in shown]
    return _dumps({"text": article.text, "label": labels, "sorot": sorot})


def write(
    docs: Iterable[Document],
    out: Path,
    *,
    flavour: str = "prodigy",
    problems: list[str] | None = None,
    tokens: Any = None,
) -> int:
    """``tokens``: Prodigy's tokens through this ``annotator.tokens.TokenCache`` (read from the
    project's token cache where it has them, the computed ones collected for it)."""
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {', '.join(FLAVOURS)}, not {flavour!r}")
    if flavour == "prodigy":
        line_of = prodigy_line
    elif flavour == "doccano":
        line_of = partial(doccano_line, shape="spans")
    else:
        line_of = doccano_line
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        write = fh.write
        for batch in batches(docs, 256):
            if flavour == "prodigy":
                # the token cache, else spaCy's tokenizer over the batch, one language at a time
                from annotator.formats.prodigy_tokens import tokens_for

                found = tokens_for(batch, tokens)
                lines = [prodigy_line(d, problems, tokens=t) for d, t in zip(batch, found, strict=True)]
            else:
                lines = [line_of(d, problems) for d in batch]
            count += len(batch)
            # a line at a time: joining a batch's lines first (10 MB of Prodigy tasks) costs
            # three times as much as writing them (new pages for each big string)
            for line in lines:
                if line:
                    write(line)
                    write("\n")
    return count


def write_prodigy(
    docs: Iterable[Document], out: Path, *, problems: list[str] | None = None, tokens: Any = None
) -> int:
    return write(docs, out, flavour="prodigy", problems=problems, tokens=tokens)


def write_doccano(docs: Iterable[Document], out: Path, *, problems: list[str] | None = None) -> int:
    """doccano's sequence-labelling shape (``label``), what a default project imports."""
    return write(docs, out, flavour="doccano", problems=problems)


def write_doccano_relations(
    docs: Iterable[Document], out: Path, *, problems: list[str] | None = None
) -> int:
    """doccano's relation-extraction shape (``entities`` and ``relations``)."""
    return write(docs, out, flavour="doccano-relations", problems=problems)


def join(parts: Sequence[Path], out: Path) -> None:
    """Lines written in parts (by ``write``), one file in order: JSON lines simply concatenate."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as dst:
        for part in parts:
            with Path(part).open("rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
