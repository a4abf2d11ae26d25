"""Suggestions: what suggesters proposed, updated in place by ``(start, end, label)`` so
that ids, notes and links stay; what the analyst owns is never replaced. Also the counts
the learned gazetteer is built from."""

from __future__ import annotations

import json
from collections.abc import Sequence

from annotator.errors import StoreError
from annotator.model import (
    Span,
    span_record,
)
from annotator.queue import effort
from storage.db import (
    SPAN_COLUMNS,
    chunks,
    last_id,
    now,
    span_from_row,
)
from storage.spans import SpansPart


class SuggestionsPart(SpansPart):
    """Suggestions of a project: see the module docstring."""

    def span_keys(self, article_id: int) -> tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]:
        """(keys of spans present and not rejected, keys of rejected spans) for one article."""
        present, rejected = set(), set()
        for s, e, lab, status in self.query(
            "SELECT char_start, char_end, label, status FROM spans WHERE article_id = ?", (article_id,)
        ):
            (rejected if status == "rejected" else present).add((s, e, lab))
        return present, rejected

    def span_keys_many(
        self, article_ids: Sequence[int], *, replacing: Sequence[str] = ()
    ) -> dict[int, tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]]:
        """``span_keys`` for many articles with one query per 500: article id -> (present, rejected).

        Pending suggestions from the suggesters in ``replacing`` are left out of ``present``:
        they are what ``replace_suggestions(..., origins=replacing)`` is about to replace.
        """
        out: dict[int, tuple[set, set]] = {aid: (set(), set()) for aid in article_ids}
        ids = list(out)
        replaced = set(replacing)
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            for aid, s, e, lab, status, origin, annotator in self.query(
                f"SELECT article_id, char_start, char_end, label, status, origin, annotator FROM spans "
                f"WHERE article_id IN ({marks})",
                chunk,
            ):
                if status == "suggested" and origin in replaced and annotator is None:
                    continue
                out[aid][1 if status == "rejected" else 0].add((s, e, lab))
        return out

    def replace_suggestions(
        self, article_id: int, suggestions: Sequence[Span], *, origins: Sequence[str] = ()
    ) -> int:
        """Store fresh suggestions for an article, dropping its older pending ones from the same suggesters.

        Suggestions the analyst already rejected, or already has as spans, are not stored again.
        """
        return self.replace_suggestions_many([(article_id, suggestions)], origins=origins)

    def replace_suggestions_many(
        self,
        items: Sequence[tuple[int, Sequence[Span]]],
        *,
        origins: Sequence[str] = (),
        languages: dict[int, str] | None = None,
        usefulness: dict[int, float] | None = None,
    ) -> int:
        """``replace_suggestions`` for many articles in one transaction (one commit, one fsync).

        Re-suggesting updates in place, by ``(start, end, label)``: a pending suggestion of
        these ``origins`` that is suggested again keeps its id (and whatever refers to it);
        one not suggested again is dropped; a new one is added. Only suggestions nobody owns
        are touched: a suggestion the analyst edited (it carries their name), or that a
        relation uses, is theirs and stays. Every span added or dropped is an event of its
        own (``suggest.add``, ``suggest.drop``), so the history can rebuild any past state;
        each article also gets one summary ``suggest`` event.

        ``items`` are (article_id, suggestions); an article listed twice keeps its last list.
        ``languages`` (article id -> code) are stored in the same transaction, each with the
        ``article.language`` event ``set_article_language`` writes. Listeners hear
        ``("article.language", id)`` and ``("suggest", id)`` per article after the commit.
        Each article's queue keys (``annotator.queue``) are stored in the same transaction:
        its ``effort`` from its length and the pending suggestions it now holds, and its
        ``usefulness`` where ``usefulness`` (article id -> value, from the suggesters' unmerged
        proposals) gives one; an article it does not name keeps the one it had.
        Returns how many pending suggestions of these origins the articles now hold.
        """
        by_article: dict[int, Sequence[Span]] = {}
        for article_id, suggestions in items:
            by_article.pop(article_id, None)  # last one wins, in its position
            by_article[article_id] = suggestions
        languages = dict(languages or {})
        ids = list(by_article)
        if not ids and not languages:
            return 0
        replacing = set(origins)
        origin_list = list(origins)
        ts = now()
        with self.transaction():
            texts: dict[int, str] = {}
            for chunk in chunks(ids):
                marks = ",".join("?" * len(chunk))
                texts.update(
                    self.db.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk).fetchall()
                )
            missing = [i for i in ids if i not in texts]
            if missing:
                raise StoreError(f"no article with id {missing[0]}")
            for aid, language in languages.items():
                self.db.execute("UPDATE articles SET language = ? WHERE id = ?", (language, aid))
                self.event("article.language", article_id=aid, after={"language": language}, ts=ts)
                self.announce("article.language", aid)
            present: dict[int, set] = {i: set() for i in ids}
            rejected: dict[int, set] = {i: set() for i in ids}
            pending: dict[int, dict[tuple[int, int, str], int]] = {i: {} for i in ids}
            drop: list[int] = []
            edited: list[int] = []
            others_pending: dict[int, int] = dict.fromkeys(ids, 0)
            for chunk in chunks(ids):
                marks = ",".join("?" * len(chunk))
                for sid, aid, s, e, lab, status, origin, annotator, linked in self.db.execute(
                    f"SELECT id, article_id, char_start, char_end, label, status, origin, annotator, "
                    f"EXISTS (SELECT 1 FROM relations r WHERE r.head_span_id = spans.id "
                    f"OR r.tail_span_id = spans.id) FROM spans WHERE article_id IN ({marks}) ORDER BY id",
                    chunk,
                ):
                    key = (s, e, lab)
                    if status == "suggested" and origin in replacing and annotator is None and not linked:
                        if key in pending[aid]:
                            drop.append(sid)  # a duplicate: keep the oldest
                        else:
                            pending[aid][key] = sid
                    else:
                        (rejected if status == "rejected" else present)[aid].add(key)
                        others_pending[aid] += status == "suggested"
                        if origin in replacing:
                            edited.append(sid)
            # A suggestion the analyst edited (resized, relabelled) stands where the suggester's
            # proposal was: that proposal is not made again beside it.
            for chunk in chunks(edited):
                marks = ",".join("?" * len(chunk))
                for aid, s, e, lab in self.db.execute(
                    f"SELECT article_id, json_extract(after, '$.start'), json_extract(after, '$.end'), "
                    f"json_extract(after, '$.label') FROM events WHERE action = 'suggest.add' "
                    f"AND span_id IN ({marks})",
                    chunk,
                ):
                    present[aid].add((s, e, lab))
            rows = []
            counts: dict[int, tuple[int, int]] = {}
            for aid in ids:
                text, have, turned_down, old = texts[aid], present[aid], rejected[aid], pending[aid]
                fresh: set[tuple[int, int, str]] = set()
                for sp in by_article[aid]:
                    key = sp.key
                    if key in have or key in turned_down or key in fresh or sp.end > len(text):
                        continue
                    fresh.add(key)
                    if key in old:
                        continue
                    attrs = json.dumps(sp.attrs, ensure_ascii=False) if sp.attrs else "{}"
                    rows.append((aid, sp.start, sp.end, sp.label, text[sp.start : sp.end], sp.origin,
                                 "suggested", None, "", attrs, sp.score, ts, ts))  # fmt: skip
                gone = [sid for key, sid in old.items() if key not in fresh]
                drop += gone
                counts[aid] = (len(fresh), len(gone))
            useful = usefulness or {}
            self.db.conn.executemany(
                "INSERT INTO article_queue (article_id, usefulness, effort) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET effort = excluded.effort, "
                "usefulness = CASE WHEN ? THEN excluded.usefulness ELSE usefulness END",
                [(aid, useful.get(aid, 0.0), effort(len(texts[aid]), others_pending[aid] + counts[aid][0]),
                  aid in useful) for aid in ids],
            )  # fmt: skip
            touched: dict[int, list[int]] = {aid: [] for aid in ids}
            if drop:
                dropped = self.spans_by_id(drop)
                for sp in dropped.values():
                    touched[sp.article_id].append(sp.id)
                for chunk in chunks(drop):
                    marks = ",".join("?" * len(chunk))
                    self.fts_spans_drop(f"id IN ({marks})", chunk)
                    self.db.execute(f"DELETE FROM spans WHERE id IN ({marks})", chunk)
                self.events_many("suggest.drop", [(sp, span_record(sp), None) for sp in dropped.values()], ts)
            if rows:
                last = last_id(self.db.conn, "spans")
                self.db.conn.executemany(
                    "INSERT INTO spans (article_id, char_start, char_end, label, text, origin, status, "
                    "annotator, note, attrs, score, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
                self.fts_spans_add("id > ?", (last,))
                added = [span_from_row(r) for r in self.db.execute(
                    f"SELECT {SPAN_COLUMNS} FROM spans WHERE id > ? ORDER BY id", (last,))]  # fmt: skip
                self.events_many("suggest.add", [(sp, None, span_record(sp)) for sp in added], ts)
                for sp in added:
                    touched[sp.article_id].append(sp.id)
            for aid in ids:
                n, gone = counts[aid]
                self.event("suggest", article_id=aid, ts=ts, after={
                    "suggestions": n, "dropped": gone, "origins": origin_list, "per_span": True})  # fmt: skip
                self.announce("suggest", aid, touched[aid])
        return sum(n for n, _ in counts.values())

    def gazetteer_rows(self) -> list[tuple[str, str, int, int]]:
        """(text, label, times accepted or made by hand, times rejected), for the learned gazetteer."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.query(
                "SELECT text, label, sum(status = 'accepted'), sum(status = 'rejected') FROM spans "
                "WHERE status != 'suggested' GROUP BY text, label"
            )
        ]
