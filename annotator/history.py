"""An article's history, read from the append-only events table.

* ``timeline(store, article_id)``: who did what, when, newest first, in words.
* ``span_history(store, span_id)``: the same for one span.
* ``state_at(store, article_id, event_id)``: the article's spans as they were right
  after that event, rebuilt by walking back from the present: every span-level event
  after it is reverted (an add removed, a delete put back, an update undone).
* ``restore_command(...)``: a ``Batch`` that brings the present back to that state.
  Applying it is a new change (with its own events and its own undo); nothing in the
  history is overwritten.

Import and merge store spans in bulk with one summary event and no per-span events.
Spans created by such an event after the chosen moment are recognised by ``created_at``
(later than the moment, or equal to the bulk event's time) and removed. A suggester run
records every suggestion it adds or withdraws (``suggest.add``, ``suggest.drop``), so those
come and go like any span; only projects from before that (their ``suggest`` events lack
``per_span``) are treated as bulk. Relations and the article status are not part of the
rebuilt state.
"""

from __future__ import annotations

from typing import Any, Protocol

from annotator.commands import Batch, DeleteSpans, RestoreSpans, UpdateSpans
from annotator.errors import StoreError
from annotator.model import HUMAN, Span, span_from_record, span_order

BULK_ACTIONS = ("article.import", "article.merge", "suggest")
COMPARED = ("start", "end", "label", "status", "note", "annotator", "attrs", "origin")


class HistoryStore(Protocol):
    def events(self, *, article_id: int | None = ..., span_id: int | None = ..., limit: int = ...,
               before_id: int | None = ...) -> list[dict[str, Any]]: ...  # fmt: skip
    def spans(self, article_id: int) -> list[Span]: ...


def _is_span(rec: Any) -> bool:
    return isinstance(rec, dict) and "start" in rec and "label" in rec and "end" in rec


def _quote(rec: dict[str, Any]) -> str:
    text = (rec.get("text") or "").replace("\n", " ")
    if len(text) > 40:
        text = text[:39] + "…"
    return f"{rec['label']} “{text}”"


def describe(event: dict[str, Any]) -> str:
    """One event in the analyst's words."""
    action, before, after = event["action"], event.get("before"), event.get("after")
    if action.startswith("relation."):
        rec = after if action == "relation.add" else before
        verb = "linked" if action == "relation.add" else "unlinked"
        if isinstance(rec, dict):
            return f"{verb} span {rec.get('head')} → span {rec.get('tail')} ({rec.get('label')})"
        return verb
    if action == "suggest.drop" and _is_span(before):
        return f"{before.get('origin')} withdrew its suggestion {_quote(before)}"
    if _is_span(before) or _is_span(after):
        if before is None:
            return f"added {_quote(after)}" + (
                f" by {after.get('origin')}" if after.get("origin") != HUMAN else ""
            )
        if after is None:
            return f"deleted {_quote(before)}"
        parts = []
        if before["label"] != after["label"]:
            parts.append(f"relabelled “{after.get('text', '')}” {before['label']} → {after['label']}")
        if (before["start"], before["end"]) != (after["start"], after["end"]):
            parts.append(f"resized {before['label']} “{before.get('text', '')}” → “{after.get('text', '')}”")
        if before.get("status") != after.get("status"):
            verb = {"accepted": "accepted", "rejected": "rejected", "suggested": "reopened"}[after["status"]]
            parts.append(f"{verb} {_quote(after)}")
        if before.get("annotator") != after.get("annotator"):
            parts.append(f"gave {_quote(after)} to {after.get('annotator') or 'nobody'}")
        if before.get("note") != after.get("note"):
            parts.append(f"edited the note on {_quote(after)}")
        if before.get("attrs") != after.get("attrs") or before.get("origin") != after.get("origin"):
            parts.append(f"changed details of {_quote(after)}")
        return "; ".join(parts) or f"touched {_quote(after)}"
    if action == "article.status":
        old = (before or {}).get("status", "?")
        new = (after or {}).get("status", "?")
        reason = (after or {}).get("reason")
        return f"status {old.replace('_', ' ')} → {new.replace('_', ' ')}" + (
            f" ({reason})" if reason else ""
        )
    if action in ("article.import", "article.merge"):
        after = after or {}
        who = f" from {after['annotator']}" if after.get("annotator") else ""
        src = f" ({after['source']})" if after.get("source") else ""
        verb = "imported" if action == "article.import" else "merged in"
        return f"{verb} {after.get('spans', 0)} spans{who}{src}"
    if action == "suggest":
        after = after or {}
        origins = ", ".join(after.get("origins") or []) or "suggesters"
        return f"{after.get('suggestions', 0)} suggestions from {origins}"
    if action == "article.language":
        return f"language set to {(after or {}).get('language')}"
    if action == "article.title":
        return f"renamed “{(before or {}).get('title', '')}” → “{(after or {}).get('title', '')}”"
    return action


def _entries(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for ev in events:
        ev["what"] = describe(ev)
    return events


def timeline(
    store: HistoryStore, article_id: int, *, limit: int = 1000, before_id: int | None = None
) -> list[dict]:
    """The article's events, newest first, each with ``what`` in words (and id, ts, annotator, action)."""
    return _entries(store.events(article_id=article_id, limit=limit, before_id=before_id))


def span_history(store: HistoryStore, span_id: int, *, limit: int = 1000) -> list[dict]:
    """One span's events, newest first (add, each change, delete, restore)."""
    return _entries(store.events(span_id=span_id, limit=limit))


def _events_after(store: HistoryStore, article_id: int, event_id: int) -> tuple[list[dict], dict | None]:
    """The article's events newer than ``event_id`` (newest first) and the event itself, if it is the article's."""
    newer: list[dict] = []
    before_id = None
    while True:
        page = store.events(article_id=article_id, limit=2000, before_id=before_id)
        if not page:
            return newer, None
        for ev in page:
            if ev["id"] > event_id:
                newer.append(ev)
            else:
                return newer, ev if ev["id"] == event_id else None
        before_id = page[-1]["id"]


def state_at(store: HistoryStore, article_id: int, event_id: int) -> list[Span]:
    """The article's spans (all annotators, all statuses) as they were right after ``event_id``."""
    newer, moment = _events_after(store, article_id, event_id)
    state: dict[int, Span] = {sp.id: sp for sp in store.spans(article_id) if sp.id is not None}
    bulk_times: set[str] = set()
    for ev in newer:  # newest first: undo each change in turn
        before, after = ev.get("before"), ev.get("after")
        if ev["action"] in BULK_ACTIONS:
            if not (after or {}).get("per_span"):
                bulk_times.add(ev["ts"])
            continue
        if ev["action"].startswith("relation.") or not (_is_span(before) or _is_span(after)):
            continue
        sid = ev["span_id"]
        if before is None:
            state.pop(sid, None)
        else:
            sp = span_from_record(before)
            sp.id, sp.article_id = sid, article_id
            state[sid] = sp
    if bulk_times:
        cutoff = moment["ts"] if moment else None

        def existed(sp: Span) -> bool:
            if not sp.created_at:
                return True
            if sp.created_at in bulk_times:
                return False
            return cutoff is None or sp.created_at <= cutoff

        state = {sid: sp for sid, sp in state.items() if existed(sp)}
    return sorted(state.values(), key=span_order)


def _differs(a: Span, b: Span) -> dict[str, Any]:
    return {k: getattr(b, k) for k in COMPARED if getattr(a, k) != getattr(b, k)}


def diff_command(current: list[Span], target: list[Span], text: str = "Restore earlier version") -> Batch:
    """The commands that turn ``current`` into ``target`` (spans matched by id)."""
    now = {sp.id: sp for sp in current}
    then = {sp.id: sp for sp in target}
    gone = [sid for sid in now if sid not in then]
    back = [sp for sid, sp in then.items() if sid not in now]
    changed = [(sid, ch) for sid, sp in then.items() if sid in now and (ch := _differs(now[sid], sp))]
    commands: list[Any] = []
    # Deletes first: a span id freed after the moment may be reused by a span that is now gone.
    if gone:
        commands.append(DeleteSpans(gone, text))
    if back:
        commands.append(RestoreSpans(back, [], text))
    if changed:
        commands.append(UpdateSpans(changed, text))
    return Batch(commands, text)


def restore_command(store: HistoryStore, article_id: int, event_id: int) -> Batch:
    """A command restoring the article's spans to how they were right after ``event_id``."""
    target = state_at(store, article_id, event_id)
    current = store.spans(article_id)
    cmd = diff_command(current, target, f"Restore article {article_id} as of change {event_id}")
    if not cmd.commands:
        raise StoreError("the article already looks like that")
    return cmd
