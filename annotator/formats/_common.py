"""Helpers shared by every format: decoding, options, tokenising, span bookkeeping."""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.errors import FormatError, SorotError
from annotator.model import (
    ARTICLE_STATUSES,
    HUMAN,
    SPAN_STATUSES,
    Article,
    Document,
    Relation,
    Span,
    normalise_newlines,
)

log = logging.getLogger("annotator.formats")

#: The tokenizer every format uses when it needs tokens of its own (Prodigy, CoNLL export).
TOKEN_RE = re.compile(r"\w+|[^\w\s]")

#: Labels that are not entities unless a caller says otherwise (``entity_labels=None``).
NON_ENTITY_LABELS = frozenset({"CLAIM"})

#: Reader options every reader accepts, whatever its format. ``problems``: a list that
#: collects what a reader kept only as carried data or skipped (also logged as warnings).
COMMON_OPTIONS = ("label_map", "lang", "annotator", "status", "problems")

_DROP = ("", "-")


def fail(path: object, message: str, line: int | None = None) -> FormatError:
    return FormatError(path, message, line)


def report(problems: list[str] | None, message: str) -> None:
    """Every writer tells about what it could not write: into ``problems`` and the log."""
    log.info("%s", message)
    if problems is not None:
        problems.append(message)


def note(opts: Options | None, message: str) -> None:
    """What a reader carried without understanding it, or skipped: the import tells the
    analyst (a warning in the log, which the command line prints, and ``problems``)."""
    log.warning("%s", message)
    if opts is not None and opts.problems is not None:
        opts.problems.append(message)


def crlf_mapper(raw: str) -> Callable[[int], int] | None:
    """Offsets into ``raw`` -> offsets into ``normalise_newlines(raw)`` (each ``\\r\\n``
    before an offset becomes one character). None when there is nothing to move."""
    if "\r\n" not in raw:
        return None
    crlf = [m.start() for m in re.finditer("\r\n", raw)]

    def fix(offset: int) -> int:
        return offset - bisect_left(crlf, offset)

    return fix


def move_spans(spans: Iterable[Span], fix: Callable[[int], int] | None) -> None:
    """Move spans read against a text with ``\\r\\n`` onto the stored text (``\\n``)."""
    if fix is None:
        return
    for span in spans:
        span.start, span.end = fix(span.start), fix(span.end)
        if span.text:
            span.text = normalise_newlines(span.text)


def is_entity_label(label: str, entity_labels: Iterable[str] | None) -> bool:
    if entity_labels is None:
        return label not in NON_ENTITY_LABELS
    return label in entity_labels


# --------------------------------------------------------------------------- decoding


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise fail(path, f"cannot read the file: {exc.strerror or exc}") from exc


def decode_text(data: bytes, path: object, *, guess: bool = True) -> tuple[str, int]:
    """Bytes of a text file -> (text, length of the BOM in characters, 0 or 1).

    UTF-8 (with or without BOM), UTF-16/32 with BOM, else (``guess``) a legacy code page
    found by charset-normalizer. Empty and binary files are refused.
    """
    if not data.strip():
        raise fail(path, "the file is empty" if not data else "the file holds only whitespace")
    boms = (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    )
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise fail(
                    path,
                    f"the file starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}",
                ) from exc
            return _check_text(text, path), 1
    if b"\x00" in data:
        raise fail(path, "this is a binary file, not text (it holds NUL bytes)")
    try:
        return _check_text(data.decode("utf-8"), path), 0
    except UnicodeDecodeError as exc:
        if not guess:
            line = data[: exc.start].count(b"\n") + 1
            raise fail(
                path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
            ) from exc
        bad = exc
    # Windows-1252 first: the legacy code page of most Latin-script news (Indonesian too).
    # Taken when the text reads as mostly ASCII letters; Cyrillic or Greek bytes read as
    # cp1252 give mostly accented letters, and go to charset-normalizer instead.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        letters = sum(1 for c in text if c.isalpha())
        accented = sum(1 for c in text if c.isalpha() and ord(c) > 0x7F)
        if letters and accented / letters < 0.3 and not _CONTROL.search(text):
            return _check_text(text, path), 0
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        line = data[: bad.start].count(b"\n") + 1
        raise fail(
            path,
            f"cannot tell the text encoding: not UTF-8 (byte 0x{data[bad.start]:02x}) and no code page fits",
            line,
        )
    return _check_text(str(best), path), 0


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _check_text(text: str, path: object) -> str:
    if not text.strip():
        raise fail(path, "the file holds no text")
    controls = len(_CONTROL.findall(text[:20000]))
    if controls > max(3, len(text[:20000]) // 100):
        raise fail(path, "this looks like a binary file, not text (too many control characters)")
    return text


def read_text(path: Path, *, guess: bool = True) -> str:
    return decode_text(read_bytes(path), path, guess=guess)[0]


# --------------------------------------------------------------------------- options


class Options:
    """The reader options common to every format, with their checks."""

    __slots__ = ("label_map", "lang", "annotator", "status", "problems", "counts")

    def __init__(
        self,
        label_map: dict[str, str] | None = None,
        lang: str | None = None,
        annotator: str | None = None,
        status: str | None = None,
        problems: list[str] | None = None,
    ) -> None:
        if status is not None and status not in ARTICLE_STATUSES:
            raise ValueError(f"status must be one of {', '.join(ARTICLE_STATUSES)}, not {status!r}")
        self.label_map = dict(label_map or {})
        self.lang = lang
        self.annotator = annotator
        self.status = status
        self.problems = problems
        #: what a reader met many times, told once at the end of the file
        self.counts: Counter[str] = Counter()


def pop_options(options: dict[str, Any]) -> Options:
    return Options(**{k: options.pop(k) for k in COMMON_OPTIONS if k in options})


def refuse_unknown(options: dict[str, Any], fmt: str) -> None:
    if options:
        raise TypeError(f"{fmt} reader: unknown option(s) {', '.join(sorted(options))}")


def make_article(text: str, path: object, opts: Options, line: int | None = None, **fields: Any) -> Article:
    """An Article with the common options applied as defaults (values from the file win)."""
    fields = {k: v for k, v in fields.items() if v is not None}
    if not fields.get("language") and opts.lang:
        fields["language"] = opts.lang
    if "status" not in fields and opts.status:
        fields["status"] = opts.status
    try:
        return Article(text=text, **fields)
    except (ValueError, TypeError) as exc:
        raise fail(path, str(exc), line) from exc


def make_span(path: object, line: int | None, start: Any, end: Any, label: Any, **fields: Any) -> Span:
    if type(start) is not int or type(end) is not int:
        raise fail(path, f"span offsets must be whole numbers, not {start!r} and {end!r}", line)
    if not isinstance(label, str) or not label:
        raise fail(path, f"span [{start}, {end}) has no label (or it is not text): {label!r}", line)
    try:
        return Span(start, end, label, **fields)
    except (SorotError, ValueError, TypeError) as exc:
        raise fail(path, str(exc), line) from exc


def finish(doc: Document, path: object, opts: Options, line: int | None = None) -> Document | None:
    """Apply label_map (drop spans mapped to "" or "-", and their relations) and the
    annotator default; check every span lies inside the text. Returns None if nothing is left
    to say (never: an article without spans is still an article)."""
    spans = doc.spans
    if opts.label_map:
        keep: list[int] = []
        for i, span in enumerate(spans):
            new = opts.label_map.get(span.label, span.label)
            if new in _DROP:
                continue
            span.label = new
            keep.append(i)
        if len(keep) != len(spans):
            where = {old: new for new, old in enumerate(keep)}
            doc.spans = [spans[i] for i in keep]
            doc.relations = [
                Relation(where[r.head], where[r.tail], r.label, r.annotator, r.id)
                for r in doc.relations
                if r.head in where and r.tail in where
            ]
            spans = doc.spans
    if opts.annotator:
        for span in spans:
            if span.annotator is None:
                span.annotator = opts.annotator
    text = doc.article.text
    n = len(text)
    for span in spans:
        if span.end > n:
            raise fail(
                path,
                f"span [{span.start}, {span.end}) {span.label} lies outside the text ({n} characters)",
                line,
            )
        piece = text[span.start : span.end]
        if span.text and span.text != piece:
            raise fail(
                path,
                f"span [{span.start}, {span.end}) {span.label} says {span.text!r} but the text there is {piece!r}",
                line,
            )
        span.text = piece
    for rel in doc.relations:
        if not (0 <= rel.head < len(spans) and 0 <= rel.tail < len(spans)):
            raise fail(path, f"relation {rel.label} points at a span that is not there", line)
    return doc


# --------------------------------------------------------------------------- span extras

#: Sorot span fields that formats without a place of their own carry as extra keys.
SPAN_EXTRA_FIELDS = ("origin", "status", "annotator", "note", "attrs", "score", "created_at", "updated_at")


def span_extras(span: Span) -> dict[str, Any]:
    """The Sorot fields of a span that differ from what a reader assumes."""
    out: dict[str, Any] = {}
    if span.origin != HUMAN:
        out["origin"] = span.origin
    if span.status != "accepted":
        out["status"] = span.status
    if span.annotator is not None:
        out["annotator"] = span.annotator
    if span.note:
        out["note"] = span.note
    if span.attrs:
        out["attrs"] = span.attrs
    if span.score is not None:
        out["score"] = span.score
    if span.created_at is not None:
        out["created_at"] = span.created_at
    if span.updated_at is not None:
        out["updated_at"] = span.updated_at
    return out


def check_extras(
    extras: dict[str, Any], path: object, line: int | None, what: str = "span"
) -> dict[str, Any]:
    """Type-check Sorot span fields found in a file; returns Span keyword arguments."""
    out: dict[str, Any] = {}
    for key in SPAN_EXTRA_FIELDS:
        if key not in extras:
            continue
        value = extras[key]
        if key == "attrs":
            ok = isinstance(value, dict)
        elif key == "score":
            ok = value is None or (isinstance(value, int | float) and not isinstance(value, bool))
        elif key in ("annotator", "created_at", "updated_at"):
            ok = value is None or isinstance(value, str)
        else:
            ok = isinstance(value, str)
        if not ok:
            raise fail(path, f"{what}: field {key!r} has the wrong type ({type(value).__name__})", line)
        if key == "status" and value not in SPAN_STATUSES:
            raise fail(path, f"{what}: status must be one of {', '.join(SPAN_STATUSES)}, not {value!r}", line)
        out[key] = value
    return out


# --------------------------------------------------------------------------- tokens


def _regex_tokens(text: str) -> tuple[list[str], list[int], list[int]]:
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in TOKEN_RE.finditer(text):
        s, e = m.span()
        words.append(m.group())
        starts.append(s)
        ends.append(e)
    return words, starts, ends


class Tokens:
    """Tokens of a text with fast char -> token lookups: ``Tokens(text)`` gives the regex
    tokens (:data:`TOKEN_RE`, CoNLL export), ``Tokens.of`` tokens found elsewhere (spaCy's,
    for Prodigy: :mod:`annotator.formats.prodigy_tokens`)."""

    __slots__ = ("words", "starts", "ends")

    def __init__(self, text: str) -> None:
        self.words, self.starts, self.ends = _regex_tokens(text)

    @classmethod
    def of(cls, words: list[str], starts: list[int], ends: list[int]) -> Tokens:
        """Tokens already found."""
        toks = cls.__new__(cls)
        toks.words, toks.starts, toks.ends = words, starts, ends
        return toks

    def __len__(self) -> int:
        return len(self.words)

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """Indexes (first, last inclusive) of the tokens that a char span touches, or None."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        if first > last:
            return None
        return first, last


# --------------------------------------------------------------------------- files


def walk(path: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files under ``path`` (recursive, sorted, hidden ones skipped) with one of ``suffixes``."""
    path = Path(path)
    if path.is_file():
        yield path
        return
    for p in sorted(path.rglob("*")):
        if any(part.startswith(".") for part in p.relative_to(path).parts):
            continue
        if p.is_file() and p.name.lower().endswith(suffixes):
            yield p


def safe_name(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-_").lower()
    return slug[:limit].rstrip("-_")


#: Article fields that formats with room for them carry (text and id aside).
ARTICLE_FIELDS_ALL = (
    "uid",
    "title",
    "source",
    "url",
    "language",
    "meta",
    "status",
    "status_reason",
    "created_at",
    "updated_at",
)
