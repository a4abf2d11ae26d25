"""CoNLL-style token/tag columns: one token a line, tag in the last column.

Reading
    Columns are split on tabs when the line has one, else on whitespace. A blank line ends
    a sentence; a line whose first column is ``-DOCSTART-`` ends a document. Lines starting
    with ``#`` whose last column is not a tag are comments.

    The article text is rebuilt by joining a sentence's tokens with single spaces and the
    sentences with ``\\n``. Articles are the ``-DOCSTART-`` documents; ``sentences_per_article``
    groups sentences into articles of that many (within a document). A file without any
    ``-DOCSTART-`` is cut into articles of :data:`DEFAULT_SENTENCES_PER_ARTICLE` sentences.

    ``scheme``: "auto" (default: BILUO/IOBES when the file has E-/S-/L-/U- tags, else IOB2),
    "iob2", "biluo" (= "iobes") or "iob1". In every scheme but IOB1 an ``I-X`` that does not
    continue a ``B-X``/``I-X`` is an error naming the line; in IOB1 it starts an entity (IOB1
    files, such as NERP, need ``scheme="iob1"``).

Writing
    One file. Each article is a document opened by ``-DOCSTART- -X- O O`` (the line spaCy's
    ``convert`` splits documents on); each non-blank line of its text is a sentence,
    tokenised with the shared regex tokenizer (an article read from CoNLL keeps its own
    tokens: ``meta["tokenised"]``); tags are IOB2 (``scheme="biluo"``
    writes BILUO). Only non-rejected entity-kind spans can be written, and no overlaps: the
    longest win; everything else is reported in ``problems``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.formats._common import (
    Tokens,
    fail,
    finish,
    is_entity_label,
    make_article,
    make_span,
    pop_options,
    read_text,
    refuse_unknown,
    report,
)
from annotator.model import Document, Span

NAME = "conll"
EXTENSIONS = (".conll", ".iob", ".bio", ".iob2", ".bilou", ".biluo", ".iobes", ".conll03", ".ner")
DEFAULT_SENTENCES_PER_ARTICLE = 20
SCHEMES = ("auto", "iob2", "iob1", "biluo", "iobes")

#: The document line of CoNLL-2003, which spaCy's ``convert`` splits documents on.
DOCSTART = "-DOCSTART- -X- O O"
TAG_RE = re.compile(r"O|([BIESLU])[-_](\S+)")
_SPLIT_WS = re.compile(r"\s+")


def looks_like_conll(text: str) -> bool:
    """Whether the first lines of a text look like token<sep>tag columns."""
    seen = 0
    for line in text.splitlines()[:200]:
        line = line.strip()
        if not line:
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        if cols[0] == "-DOCSTART-":
            continue
        if len(cols) < 2 or not TAG_RE.fullmatch(cols[-1]):
            return False
        seen += 1
    return seen > 0



def read(
    path: Path,
    *,
    sentences_per_article: int | None = None,
    scheme: str = "auto",
    **options: Any,
) -> list[Document]:
    opts = pop_options(options)
    refuse_unknown(options, NAME)
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    if sentences_per_article is not None and sentences_per_article < 1:
        raise ValueError("sentences_per_article must be at least 1")
    path = Path(path)
    text = read_text(path)

    # Pass 1: lines -> documents of sentences of (token, tag, line number).
    docs: list[list[list[tuple[str, str, int]]]] = [[]]
    sentence: list[tuple[str, str, int]] = []
    saw_docstart = False
    biluo_tags = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip("\r\n\ufeff")
        if not line.strip():
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            continue
        cols = [c.strip() for c in line.split("\t")] if "\t" in line else _SPLIT_WS.split(line.strip())
        if cols[0] == "-DOCSTART-":
            if sentence:
                docs[-1].append(sentence)
                sentence = []
            if docs[-1] or saw_docstart:
                docs.append([])
            saw_docstart = True
            continue
        if len(cols) < 2:
            if cols[0].startswith("#"):
                continue
            raise fail(
                path, f"expected a token and a tag separated by a tab or space, found {line[:60]!r}", n
            )
        tag = cols[-1]
        m = TAG_RE.fullmatch(tag)
        if not m:
            if cols[0].startswith("#") and not sentence:
                continue
            raise fail(path, f"{tag[:40]!r} is not a tag (expected O, B-X, I-X, E-X, S-X, L-X or U-X)", n)
        if m.group(1) and m.group(1) in "ESLU":
            biluo_tags = True
        token = cols[0]
        if not token:
            raise fail(path, "empty token", n)
        sentence.append((token, tag, n))
    if sentence:
        docs[-1].append(sentence)
    docs = [d for d in docs if d]
    if not docs:
        raise fail(path, "no tokens found: expected token<TAB>tag lines")
    if scheme == "auto":
        scheme = "biluo" if biluo_tags else "iob2"

    # Pass 2: group sentences into articles and decode tags.
    size = sentences_per_article or (None if saw_docstart else DEFAULT_SENTENCES_PER_ARTICLE)
    out: list[Document] = []
    for sentences in docs:
        groups = (
            [sentences] if size is None else [sentences[i : i + size] for i in range(0, len(sentences), size)]
        )
        for group in groups:
            out.append(_article(path, group, scheme, opts, len(out) + 1))
    return out


def _article(
    path: Path, sentences: list[list[tuple[str, str, int]]], scheme: str, opts: Any, number: int
) -> Document:
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    open_label: str | None = None
    open_start = open_end = open_line = 0

    def close() -> None:
        nonlocal open_label
        if open_label is not None:
            spans.append(make_span(path, open_line, open_start, open_end, open_label))
            open_label = None

    for s_index, sentence in enumerate(sentences):
        if s_index:
            parts.append("\n")
            offset += 1
        for t_index, (token, tag, line) in enumerate(sentence):
            if t_index:
                parts.append(" ")
                offset += 1
            start, end = offset, offset + len(token)
            parts.append(token)
            offset = end
            if tag == "O":
                close()
                continue
            prefix, label = tag[0], tag[2:]
            continues = open_label == label
            if prefix in "IEL" and not continues:
                if scheme == "iob1" and prefix == "I":
                    close()
                    open_label, open_start, open_line = label, start, line
                else:
                    before = f"after {open_label}" if open_label else "with no B- before it"
                    hint = " (if the file is IOB1, import it with scheme='iob1')" if prefix == "I" else ""
                    raise fail(
                        path, f"tag {tag} {before}: an {prefix}- tag must continue a B-{label}{hint}", line
                    )
            elif prefix in "BSU":
                close()
                open_label, open_start, open_line = label, start, line
            open_end = end
            if prefix in "SULE":
                close()
        close()
    text = "".join(parts)
    first_line = sentences[0][0][2]
    article = make_article(
        text,
        path,
        opts,
        # no title: the import derives one from the first sentence and the file name (annotator.titles)
        # every token has a tag, O too: a complete annotation (a DocBin export says "O")
        # "tokenised": the text is the file's tokens joined by spaces, and an export splits
        # it there again (not with the regex, which would cut "n't" into three)
        meta={
            "path": str(path),
            "line": first_line,
            "sentences": len(sentences),
            "annotated": True,
            "tokenised": True,
        },
    )
    doc = Document(article, spans)
    return finish(doc, path, opts, first_line)


# --------------------------------------------------------------------------- writing


def write(
    docs: Iterable[Document],
    out: Path,
    *,
    scheme: str = "iob2",
    entity_labels: Iterable[str] | None = None,
    problems: list[str] | None = None,
) -> int:
    if scheme not in ("iob2", "biluo", "iobes"):
        raise ValueError("scheme must be iob2, biluo or iobes")
    ent = set(entity_labels) if entity_labels is not None else None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    skipped: Counter[str] = Counter()
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for doc in docs:
            count += 1
            fh.write(DOCSTART + "\n\n")
            fh.write(_conll_doc(doc, scheme, ent, skipped, problems))
    for label, n in sorted(skipped.items()):
        if label in ("rejected", "suggested"):
            report(problems, f"{n} {label} span(s) not written: CoNLL carries accepted entities only")
        else:
            report(problems, f"{n} {label} span(s) not written: CoNLL carries entity labels only")
    return count


_NOT_SPACE = re.compile(r"\S+")


def space_tokens(text: str) -> Tokens:
    """The tokens of a text that is tokens joined by whitespace (a CoNLL import)."""
    found = [(m.group(), m.start(), m.end()) for m in _NOT_SPACE.finditer(text)]
    return Tokens.of([w for w, _, _ in found], [s for _, s, _ in found], [e for _, _, e in found])


def _conll_doc(
    doc: Document, scheme: str, ent: set[str] | None, skipped: Counter[str], problems: list[str] | None
) -> str:
    article = doc.article
    text = article.text
    uid = article.uid
    toks = space_tokens(text) if article.meta.get("tokenised") is True else Tokens(text)
    tags = ["O"] * len(toks)
    candidates = []
    for span in doc.spans:
        if span.status != "accepted":
            skipped[f"{span.status}"] += 1
            continue
        if not is_entity_label(span.label, ent):
            skipped[span.label] += 1
            continue
        candidates.append(span)
    candidates.sort(key=lambda s: (s.start - s.end, s.start))
    taken: list[tuple[int, int]] = []
    for span in candidates:
        piece = text[span.start : span.end]
        where = f"article {uid}: span [{span.start}, {span.end}) {span.label} {piece[:40]!r}"
        if "\n" in piece.strip():
            report(problems, f"{where} crosses a line break; not written")
            continue
        cover = toks.covering(span.start, span.end)
        if cover is None:
            report(problems, f"{where} covers no token; not written")
            continue
        first, last = cover
        if toks.starts[first] != span.start or toks.ends[last] != span.end:
            report(
                problems,
                f"{where} does not align with tokens; written as {text[toks.starts[first] : toks.ends[last]]!r}",
            )
        if any(first <= b and a <= last for a, b in taken):
            report(problems, f"{where} overlaps a longer span; not written")
            continue
        taken.append((first, last))
        label = span.label
        if not _NOT_SPACE.fullmatch(label):
            # a column file splits on whitespace: "Restaurant Name" would be two columns
            label = re.sub(r"\s+", "_", label.strip())
            report(problems, f"{where}: the label has spaces; written as {label!r}")
        if first == last and scheme != "iob2":
            tags[first] = f"U-{label}" if scheme == "biluo" else f"S-{label}"
            continue
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
        if scheme != "iob2":
            tags[last] = f"L-{label}" if scheme == "biluo" else f"E-{label}"
    lines: list[str] = []
    i = 0
    n = len(toks)
    words, starts = toks.words, toks.starts
    pos = 0
    for line_text in text.split("\n"):
        line_end = pos + len(line_text)
        had = False
        while i < n and starts[i] < line_end:
            lines.append(f"{words[i]}\t{tags[i]}\n")
            i += 1
            had = True
        if had:
            lines.append("\n")
        pos = line_end + 1
    return "".join(lines)
