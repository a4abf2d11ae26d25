"""Suggestions learned from the analyst: every text they labelled, found again everywhere.

The gazetteer counts, per (text, label), how often the analyst accepted or created such
a span and how often they rejected a suggestion of it. A pair stops being suggested once
its rejections outweigh it (``rejects >= 2`` and ``rejects > accepts``).

Matching is whole-token and case-sensitive: the article is tokenized with spaCy's blank
tokenizer, and only positions whose token starts some learned text are tried, longest
learned text first (longest match wins). The index is rebuilt lazily after changes, so
``learn``/``reject`` are cheap and 10k entries stay fast.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.suggest.base import CLAIM, Suggestion
from annotator.suggest.tokens import blank_tokenizer

#: Longest learned text considered, in tokens: past this it is a phrase, not a name.
MAX_TOKENS = 10
#: Times the analyst rejected a text with a label, never accepting it, before the gazetteer
#: drops the other suggesters' proposals of it (``GazetteerSuggester.correct``).
VETO_REJECTS = 2
#: A first word's label is settled once the analyst accepted this many spans starting with it,
#: with one label this share of the time (``Gazetteer.heads``).
HEAD_MIN = 3
HEAD_SHARE = 0.8
#: Labels never learned: a claim is a sentence, not something that recurs verbatim.
UNLEARNABLE = frozenset({CLAIM})

_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Counts:
    accepted: int = 0
    rejected: int = 0

    @property
    def active(self) -> bool:
        if self.accepted <= 0:
            return False
        return not (self.rejected >= 2 and self.rejected > self.accepted)

    @property
    def score(self) -> float:
        return (self.accepted + 1) / (self.accepted + self.rejected + 2)


class Gazetteer:
    """Counts of (text, label) accepted and rejected by the analyst."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], Counts] = {}
        self.version = 0

    @classmethod
    def from_counts(cls, rows: Iterable[tuple[str, str, int, int]]) -> Gazetteer:
        """From rows of (text, label, times accepted or created, times rejected)."""
        gaz = cls()
        for text, label, accepted, rejected in rows:
            key = gaz._key(text, label)
            if key is None:
                continue
            c = gaz._counts.setdefault(key, Counts())
            c.accepted += int(accepted)
            c.rejected += int(rejected)
        gaz.version += 1
        return gaz

    @staticmethod
    def _key(text: str, label: str) -> tuple[str, str] | None:
        text = _SPACE.sub(" ", text).strip()
        if len(text) < 2 or label in UNLEARNABLE or not label:
            return None
        return (text, label)

    def _bump(self, text: str, label: str, accepted: int, rejected: int) -> None:
        key = self._key(text, label)
        if key is None:
            return
        c = self._counts.setdefault(key, Counts())
        c.accepted = max(0, c.accepted + accepted)
        c.rejected = max(0, c.rejected + rejected)
        if c.accepted == 0 and c.rejected == 0:
            del self._counts[key]
        self.version += 1

    def learn(self, text: str, label: str) -> None:
        """The analyst accepted or created a span with this text and label."""
        self._bump(text, label, 1, 0)

    def unlearn(self, text: str, label: str) -> None:
        """Undo one ``learn`` (the analyst removed or relabelled the span)."""
        self._bump(text, label, -1, 0)

    def reject(self, text: str, label: str) -> None:
        """The analyst rejected a suggestion with this text and label."""
        self._bump(text, label, 0, 1)

    def adjust(self, text: str, label: str, accepted: int, rejected: int) -> None:
        """Move both counts at once (the desk reports edits as count changes)."""
        self._bump(text, label, accepted, rejected)

    def counts(self, text: str, label: str) -> Counts | None:
        key = self._key(text, label)
        return self._counts.get(key) if key else None

    def is_suggested(self, text: str, label: str) -> bool:
        c = self.counts(text, label)
        return bool(c and c.active)

    def active(self) -> dict[str, tuple[str, float]]:
        """Text -> (label, score) for every pair still suggested; one label per text."""
        best: dict[str, tuple[str, float, int]] = {}
        for (text, label), c in self._counts.items():
            if not c.active:
                continue
            net = c.accepted - c.rejected
            if text not in best or net > best[text][2]:
                best[text] = (label, c.score, net)
        return {text: (label, score) for text, (label, score, _net) in best.items()}

    def heads(self) -> dict[str, tuple[str, float]]:
        """First word -> (label, share) where the analyst's accepted spans starting with that
        word took one label at least ``HEAD_MIN`` times and ``HEAD_SHARE`` of the time
        (``SMK ...``, ``Desa ...``: the project's own convention for a kind of name)."""
        per: dict[str, dict[str, int]] = {}
        for (text, label), c in self._counts.items():
            if c.accepted > 0 and label not in UNLEARNABLE:
                labels = per.setdefault(text.partition(" ")[0], {})
                labels[label] = labels.get(label, 0) + c.accepted
        out: dict[str, tuple[str, float]] = {}
        for head, labels in per.items():
            label, n = max(labels.items(), key=lambda kv: kv[1])
            share = n / sum(labels.values())
            if n >= HEAD_MIN and share >= HEAD_SHARE:
                out[head] = (label, share)
        return out

    def rows(self) -> list[tuple[str, str, int, int]]:
        return [(t, label, c.accepted, c.rejected) for (t, label), c in self._counts.items()]

    def __len__(self) -> int:
        return len(self._counts)


class _Index:
    """Active entries of one gazetteer version, for one language's tokenizer."""

    __slots__ = ("entries", "first_tokens", "max_tokens", "version")

    def __init__(self, gazetteer: Gazetteer, tokenizer) -> None:
        self.version = gazetteer.version
        self.entries = gazetteer.active()
        self.first_tokens: set[str] = set()
        self.max_tokens = 1
        for doc in tokenizer.pipe(self.entries, batch_size=1000):
            if 0 < len(doc) <= MAX_TOKENS:
                self.first_tokens.add(doc[0].text)
                self.max_tokens = max(self.max_tokens, len(doc))


class GazetteerSuggester:
    """Suggests every whole-token occurrence of what the analyst taught the gazetteer."""

    name = "gazetteer"

    def __init__(self, gazetteer: Gazetteer | None = None, *, batch_size: int = 256) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer()
        self.batch_size = batch_size
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()
        self._active_cache: tuple[int, dict, dict] = (-1, {}, {})  # version, active(), heads()

    def _index(self, lang: str) -> _Index:
        idx = self._indexes.get(lang)
        if idx is None or idx.version != self.gazetteer.version:
            with self._lock:
                idx = _Index(self.gazetteer, blank_tokenizer(lang))
                self._indexes[lang] = idx
        return idx

    def correct(self, text: str, found: list[Suggestion]) -> list[Suggestion]:
        """Another suggester's proposals for ``text``, corrected by what the analyst decided
        about the same words elsewhere (``base.Corrector``; claims are left alone):

        - dropped when the analyst rejected that text with that label ``VETO_REJECTS`` times
          and never accepted it (a rule's false friend stops costing a key per article);
        - relabelled when the analyst never accepted it with that label but the gazetteer
          suggests the text with another one (they fixed its label before: a place the rules
          take for an actor).
        """
        gaz = self.gazetteer
        if not found or not len(gaz):
            return found
        active, heads = self._active()
        out: list[Suggestion] = []
        for s in found:
            if s.label in UNLEARNABLE:
                out.append(s)
                continue
            words = _SPACE.sub(" ", text[s.start : s.end]).strip()
            c = gaz._counts.get((words, s.label))
            if c is not None and c.accepted > 0:
                out.append(s)
                continue
            if c is not None and c.rejected >= VETO_REJECTS:
                continue
            learned = active.get(words)
            if learned is None:
                learned = heads.get(words.partition(" ")[0])
            if learned is not None and learned[0] != s.label:
                out.append(Suggestion(s.start, s.end, learned[0], s.score, self.name, dict(s.attrs)))
            else:
                out.append(s)
        return out

    def _active(self) -> tuple[dict[str, tuple[str, float]], dict[str, tuple[str, float]]]:
        """The texts still suggested, and the first words whose label the analyst settled."""
        version = self.gazetteer.version
        cached = self._active_cache
        if cached[0] != version:  # one tuple, replaced whole: another thread sees old or new
            cached = self._active_cache = (version, self.gazetteer.active(), self.gazetteer.heads())
        return cached[1], cached[2]

    def suggest(self, texts: list[str], langs: list[str] | None = None) -> list[list[Suggestion]]:
        langs = langs or ["xx"] * len(texts)
        out: list[list[Suggestion]] = [[] for _ in texts]
        if not len(self.gazetteer):
            return out
        by_lang: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            by_lang.setdefault(lang or "xx", []).append(i)
        for lang, indexes in by_lang.items():
            index = self._index(lang)
            if not index.entries:
                continue
            docs = blank_tokenizer(lang).pipe((texts[i] for i in indexes), batch_size=self.batch_size)
            for i, doc in zip(indexes, docs, strict=True):
                out[i] = self._match(texts[i], doc, index)
        return out

    def _match(self, text: str, doc, index: _Index) -> list[Suggestion]:
        words = [t.text for t in doc]
        first = index.first_tokens
        entries = index.entries
        n = len(words)
        out: list[Suggestion] = []
        i = 0
        starts = None
        while i < n:
            if words[i] not in first:
                i += 1
                continue
            if starts is None:
                starts = [t.idx for t in doc]
            matched = 0
            for j in range(min(n, i + index.max_tokens), i, -1):
                end = starts[j - 1] + len(words[j - 1])
                hit = entries.get(text[starts[i] : end])
                if hit is not None:
                    label, score = hit
                    out.append(Suggestion(starts[i], end, label, score, self.name))
                    matched = j
                    break
            i = matched if matched else i + 1
        return out
