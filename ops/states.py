"""The desk's status actions as commands: an analyst's done / skip / first edit set their own
state of the article (``SetAnnotatorState``, the article's overall status derived with it),
a flag stays on the article (``SetArticleStatus``): flagged and reviewed are a reviewer's.
"""

from __future__ import annotations

from annotator.commands import Command, SetAnnotatorState, SetArticleStatus
from annotator.errors import StoreError
from annotator.model import ANNOTATOR_STATES, ARTICLE_STATUSES, REVIEWER_STATUSES
from storage.store import Store


def own_status(store: Store, article_id: int, annotator: str | None = None) -> str:
    """The status the analyst sees for the article: their own state where they have one,
    else the article's."""
    own = store.annotator_state(article_id, annotator or store.annotator)
    return own[0] if own else store.article(article_id).status


def mark_command(
    store: Store, article_id: int, status: str, text: str = "", *, reason: str = "", annotator: str | None = None
) -> Command | None:
    """The command for the desk's "mark …" (None: nothing would change)."""
    if status not in ARTICLE_STATUSES:
        raise StoreError(f"unknown article status {status!r}")
    who = annotator or store.annotator
    text = text or f"Mark {status.replace('_', ' ')}"
    if status in ANNOTATOR_STATES:
        # Nothing to do when their own state already says so and the article agrees (a solo
        # analyst marking a flagged article done again does clear the flag).
        if store.annotator_state(article_id, who) == (status, reason) and (
            store.article(article_id).status not in REVIEWER_STATUSES or store.assignments([article_id])
        ):
            return None
        return SetAnnotatorState(article_id, who, status, reason, text)
    if store.article(article_id).status == status:
        return None
    return SetArticleStatus(article_id, status, reason, text)


def start_command(
    store: Store, article_id: int, annotator: str | None = None, *, article_status: str | None = None
) -> Command | None:
    """What an analyst's first edit of an article also does: their state goes from new to
    in progress. Without a row of theirs, only when the article is new, or shared (assigned,
    or others have states in it): an article a solo project already moved on stays as it is.
    ``article_status``: the article's status when the caller has it (the desk, on every edit),
    so that no article is read for it; the checks stop at the first that answers."""
    who = annotator or store.annotator
    own = store.annotator_state(article_id, who)
    if own is not None:
        return SetAnnotatorState(article_id, who, "in_progress", "", "Start article") if own[0] == "new" else None
    status = article_status if article_status is not None else store.article(article_id).status
    if status == "new" or store.assignments([article_id]) or store.annotator_states(article_id):
        return SetAnnotatorState(article_id, who, "in_progress", "", "Start article")
    return None
