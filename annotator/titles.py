"""Titles for articles that came without one: the analyst should recognise an article in
the list by its title, not by a hex id.

``derived_title(text, file_name)`` takes the first line that reads like words (a bare
domain or URL line, which many scraped texts start with, is skipped); when that line is
longer than ``TITLE_MAX`` it takes the first sentence of it, and when that is still too
long it cuts at a word before ``TITLE_MAX`` and ends with "…". A dateline
("JAKARTA, KOMPAS.com - ", "SURABAYA (ANTARA) - ") goes: it is the same on every article
of a source and would fill the narrow list column. The name of the file the article came
from, when there is one, follows after " — ", so that two articles opening alike can still
be told apart and traced.
"""

from __future__ import annotations

import re

#: Characters of the text part of a derived title: a headline's length (most headlines of
#: Indonesian news sites are 60-90 characters).
TITLE_MAX = 90
#: Between the text part and the file name.
FILE_SEPARATOR = " — "

_WORDS = re.compile(r"\w{2,}", re.UNICODE)
# A line that is one token and looks like an address: "geosurvey.co.id", "https://x.y/z".
_ADDRESS = re.compile(r"^\S*[./]\S*$")
# An all-capitals place, perhaps a (SOURCE) or ", Source", then a dash: a news dateline.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]{2,40}?(?:\s*\([^()\n]{1,40}\))?(?:\s*,\s*[^,\n–—-]{1,40}?)?\s+[-–—]+\s+"
)
# A sentence ends at . ! ? … (perhaps after a closing quote or bracket) before a space
# and a capital, a digit or an opening quote.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# "Jl.", "Dr.", "H.", "Kol.", "Pol.": a capitalised short word before a stop is a title or
# an abbreviation, not the end of a sentence ("AS." and "PBB." are: acronyms end sentences).
_ABBREVIATION = re.compile(r"(?:^|\s|\()(?:[A-Z][a-z]{0,3}|[a-z]{1,3})$")


def derived_title(text: str, file_name: str = "", *, limit: int = TITLE_MAX) -> str:
    """A title for an article without one; see the module docstring. Empty only when the
    text has no words and there is no file name."""
    head = _first_sentence(_first_line(text), limit)
    if head.endswith(".") and not head.endswith(".."):
        head = head[:-1]  # a headline has no full stop; a question or an ellipsis keeps its mark
    if head and file_name:
        return f"{head}{FILE_SEPARATOR}{file_name}"
    return head or file_name


def _first_line(text: str, room: int = 4 * TITLE_MAX) -> str:
    """The first line that reads like words, its first ``room`` characters (all a title can
    use: an import calls this per article, and an article may be one long line)."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end
        raw = text[start : min(end, start + room)]
        start = end + 1
        line = " ".join(raw.lstrip("\ufeff").split())
        if not _WORDS.search(line):
            continue
        if " " not in line and _ADDRESS.match(line):
            continue
        return line
    return ""


def _first_sentence(line: str, limit: int) -> str:
    line = _tidy(_strip_dateline(line))
    if len(line) <= limit:
        return line
    for m in _SENTENCE_END.finditer(line):
        if line[m.start()] == "." and _ABBREVIATION.search(line, max(m.start() - 6, 0), m.start()):
            continue
        sentence = line[: m.end()].strip()
        if len(sentence) <= limit:
            return sentence
        break
    return _cut(line, limit)


def _strip_dateline(line: str) -> str:
    m = _DATELINE.match(line)
    if m and _WORDS.search(line[m.end() :]):
        return line[m.end() :]
    return line


_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]”’])")
_SPACE_AFTER = re.compile(r"([(\[“‘]) ")


def _tidy(line: str) -> str:
    """Tokenised text (CoNLL: "kata dia , ia") reads as written (``line`` has single spaces)."""
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", line))


def _cut(line: str, limit: int) -> str:
    """At most ``limit`` characters, "…" included, ending at a whole word when there is one."""
    room = line[: limit - 1]
    space = room.rfind(" ")
    if space >= limit // 2:
        room = room[:space]
    return room.rstrip(" ,;:-–—") + "…"
