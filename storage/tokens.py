"""The token cache: each article's tokens per tokenizer, as ``annotator.tokens`` encodes them.

A row is ``(article_id, tokenizer, data)``: what the tokenizer named by ``tokenizer`` (spaCy's
version and the language: ``annotator.tokens.tokenizer_key``) made of the article's text.
It is never stale: a row goes with its article (``ON DELETE CASCADE``), a trigger drops
an article's rows when its text changes (only a team sync of a changed article does that),
a row is written only while the article still has the text it was computed from (its
``hash``: an export may run for minutes while a sync changes a text), and another spaCy
version or language is another key. Rows are local to a copy: the team
capture triggers do not know this table, and nothing here is an event in the history —
filling the cache changes nothing an analyst sees, so no listener hears of it.

Exports fill it (``ops.workflows.export_project``): the first export of an article tokenizes
it, every later one reads ~400 bytes instead (see bench/bench_core.py, "warm cache").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storage.db import ProjectDb, chunks

#: Rows per transaction of ``save_tokens``.
_SAVE_CHUNK = 2000


class TokensPart(ProjectDb):
    """The token cache of a project: see the module docstring."""

    def cached_tokens(self, article_ids: Sequence[int], tokenizer: str) -> dict[int, bytes]:
        """The rows of ``article_ids`` for ``tokenizer`` (article id -> data); missing ones are absent."""
        return dict(
            self.query_ids(
                "SELECT article_id, data FROM token_cache WHERE tokenizer = ? AND article_id IN ({ids})",
                article_ids,
                (tokenizer,),
            )
        )

    def save_tokens(self, rows: Iterable[tuple[int, str, bytes, str]]) -> int:
        """Keep ``(article_id, tokenizer, data, text hash)`` rows, a transaction per
        ``_SAVE_CHUNK`` (a big export's rows must not hold the writer for seconds while the desk
        waits to save an edit). A row whose article was deleted, or whose text changed (a team
        sync) since the tokens were computed, is left out. Returns how many were written."""
        written = 0
        for part in chunks(list(rows), _SAVE_CHUNK):
            with self.transaction() as db:
                before = db.conn.total_changes
                db.conn.executemany(
                    "INSERT OR REPLACE INTO token_cache (article_id, tokenizer, data) "
                    "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ? AND hash = ?)",
                    ((aid, key, data, aid, text_hash) for aid, key, data, text_hash in part),
                )
                written += db.conn.total_changes - before
        return written
