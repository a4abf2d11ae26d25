"""The annotation desk's logic: what keys, clicks and menu actions do to the current article.

Widgets get this controller (a service), never the main window. Every edit is a pure
command (``annotator.commands``) applied to the store, then pushed onto the undo stack.

Every edit (and its undo/redo) also reports what it taught the learned gazetteer:
``gazetteer_changed`` carries (text, label, accepted change, rejected change) rows, the
difference the edit made to what ``Store.gazetteer_rows`` counts (accepted or created
spans, rejected suggestions). Accepting, creating or relabelling teaches; relabelling,
deleting or undoing unteaches the old pair; rejecting counts against a pair.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterable
from typing import NamedTuple

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from annotator import commands as C
from annotator.changes import Changes
from annotator.errors import StoreError
from annotator.model import HUMAN, Article, Label, Relation, Span, position_in, span_order
from annotator.queue import chosen_order
from ops.states import mark_command, start_command
from ui.article_view import ArticleView
from ui.events import StoreEvents
from ui.i18n import status_name, translate
from ui.keymap import DESK, Keymap
from ui.undo import StoreCommand, UndoStack

log = logging.getLogger(__name__)

CLAIMANT = "claimant"


def default_snap(text: str, start: int, end: int, lang: str) -> tuple[int, int] | None:
    from annotator.snap import snap

    return snap(text, start, end, lang or "xx")


def default_grow(text: str, start: int, end: int, side: str, step: int, lang: str) -> tuple[int, int] | None:
    from annotator.snap import grow

    return grow(text, start, end, side, step, lang or "xx")


def touched_span_ids(cmd: C.Command) -> set[int] | None:
    """The spans a command (already applied) changed; None when unknown (then reload all)."""
    match cmd:
        case C.AddSpans(_, spans, _):
            ids = {sp.id for sp in spans}
            return None if None in ids else ids
        case C.RestoreSpans():
            return None  # a suggestion standing in for a restored span may have given way
        case C.DeleteSpans(span_ids, _):
            return set(span_ids)
        case C.UpdateSpans(changes, _):
            return {sid for sid, _ in changes}
        case (
            C.AddRelation()
            | C.DeleteRelation()
            | C.SetArticleStatus()
            | C.SetArticleTitle()
            | C.SetAnnotatorState()
            | C.SetAssignments()
        ):
            return set()
        case C.Batch(commands, _):
            out: set[int] = set()
            for c in commands:
                ids = touched_span_ids(c)
                if ids is None:
                    return None
                out |= ids
            return out
    return None


def gazetteer_deltas(before: Iterable[Span], after: Iterable[Span]) -> list[tuple[str, str, int, int]]:
    """How an edit changed the learned counts: (text, label, accepted change, rejected change)
    for every pair whose counts moved, from the spans it touched before and after."""
    counts: dict[tuple[str, str], list[int]] = {}
    for sign, spans in ((-1, before), (1, after)):
        for sp in spans:
            if sp.status == "accepted":
                i = 0
            elif sp.status == "rejected":
                i = 1
            else:
                continue
            counts.setdefault((sp.text, sp.label), [0, 0])[i] += sign
    return [(text, label, a, r) for (text, label), (a, r) in counts.items() if a or r]


class LearningCommand(StoreCommand):
    """A ``StoreCommand`` whose undo and redo report what they changed for the gazetteer."""

    def __init__(self, *args, on_learn: Callable[[list], None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._on_learn = on_learn

    def _spans(self) -> list[Span]:
        if self.article_id is None:
            return []
        try:
            return self.store.spans(self.article_id)
        except StoreError:
            return []

    def _learning(self, step: Callable[[], None], applied_after: bool) -> None:
        before = self._spans()
        step()
        if self._applied == applied_after:
            deltas = gazetteer_deltas(before, self._spans())
            if deltas:
                self._on_learn(deltas)

    def redo(self) -> None:
        if self._applied:
            return  # the first redo (push): the desk applied and reported it already
        self._learning(super().redo, True)

    def undo(self) -> None:
        self._learning(super().undo, False)


class SpansPatch(NamedTuple):
    """What one committed write did to the open article's spans: the list ``before`` became
    ``after`` by ``pairs`` of (the span as it was, the span as it is; None where there was or
    is none). A view that last showed ``before`` moves a row or two instead of comparing lists."""

    before: list[Span]
    after: list[Span]
    pairs: tuple[tuple[Span | None, Span | None], ...]


def start_of(span: Span) -> int:
    """The text-order key bisection uses: the desk's spans are sorted by start first."""
    return span.start


class DeskController(QObject):
    article_opened = Signal(object)  # Article or None
    spans_changed = Signal()
    selection_changed = Signal(object)  # span id or None
    saved = Signal()
    save_failed = Signal(str)
    message = Signal(str)
    suggest_wanted = Signal(int)  # an opened article never had suggestions
    labels_changed = Signal()
    gazetteer_changed = Signal(list)  # [(text, label, accepted change, rejected change)]

    def __init__(
        self,
        store,
        view: ArticleView,
        events: StoreEvents,
        *,
        snapper: Callable = default_snap,
        grower: Callable = default_grow,
        keymap: Keymap | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._claim_names: frozenset[str] = frozenset()
        self.keymap = keymap if keymap is not None else Keymap.load(parent=self)
        self.store = store
        self.view = view
        self.read_only = bool(store.read_only)
        self.snapper = snapper
        self.grower = grower
        self.undo_stack = UndoStack(self)
        self.article: Article | None = None
        self._spans: list[Span] = []
        self._by_id: dict[int, Span] = {}
        self.last_patch: SpansPatch | None = None  # the last write's change to ``spans``
        self.relations: list[Relation] = []
        self.selected: int | None = None
        self.labels: list[Label] = []
        self.pending: C.Command | None = None  # an edit whose save failed, kept for retry
        self.queue_order: str | None = None  # set by the article list (follow_order)
        self._closed = False
        self.reload_labels()
        view.key_handler = self.handle_key
        view.clicked.connect(self._on_click)
        events.changed.connect(self._on_store_changed)

    # -- labels -------------------------------------------------------------------------------

    def reload_labels(self) -> None:
        self.labels = self.store.labels()
        self._claim_names = frozenset(lab.name for lab in self.labels if lab.kind == "claim")
        for i, lab in enumerate(self.labels):
            if not lab.shortcut and i < 9:
                lab.shortcut = str(i + 1)
        self.view.set_labels(self.labels)
        self.labels_changed.emit()
        if self.article is not None:
            self.view.set_article(self.article.text, self.spans)
            self.view.set_selected_span(self.selected, reveal=False)

    def label_for_key(self, text: str) -> Label | None:
        if not text:
            return None
        return next(
            (lab for lab in self.labels if lab.shortcut and lab.shortcut.lower() == text.lower()), None
        )

    def is_claim(self, label: str) -> bool:
        # asked per span by the span panel and the claims code: a set made where the labels change
        return label in self._claim_names

    @property
    def spans(self) -> list[Span]:
        """The open article's spans in text order, as the store gives them (``span_order``).
        A new list whenever they change (never changed in place: views compare the lists)."""
        return self._spans

    @spans.setter
    def spans(self, spans: list[Span]) -> None:
        self._spans = spans
        self._by_id = {sp.id: sp for sp in spans}

    # -- articles -----------------------------------------------------------------------------

    def open_article(self, article_id: int | None) -> None:
        if article_id is None:
            self.article, self.spans, self.relations, self.selected = None, [], [], None
            self.view.set_article("", [])
            self.article_opened.emit(None)
            self.spans_changed.emit()
            return
        if self.article is not None and self.article.id == article_id:
            return
        self.article = self.store.article(article_id)
        self.spans = self.store.spans(article_id)
        self.relations = self.store.relations(article_id)
        self.selected = None
        self.view.set_article(self.article.text, self.spans)
        self.article_opened.emit(self.article)
        self.spans_changed.emit()
        self.selection_changed.emit(None)
        if not self.read_only and not self._was_suggested(article_id):
            self.suggest_wanted.emit(article_id)

    def _was_suggested(self, article_id: int) -> bool:
        from ui.suggest_service import was_suggested

        return any(sp.origin != HUMAN for sp in self.spans) or was_suggested(self.store, article_id)

    def reload(self) -> None:
        """The current article's spans from the store; repaint only what changed."""
        if self.article is None:
            return
        try:
            self.article = self.store.article(self.article.id)
        except StoreError:
            self.open_article(None)
            return
        old = self.span(self.selected)
        self.spans = self.store.spans(self.article.id)
        self.relations = self.store.relations(self.article.id)
        self.view.update_spans(self.spans)
        self._keep_selection(old)
        self.spans_changed.emit()

    def _on_store_changed(self, changes: Changes) -> None:
        """Every committed write, this desk's own included: show what it changed here."""
        if self._closed:
            return
        if changes.labels:
            self.reload_labels()
        if self.article is None or not changes.concerns(self.article.id):
            return
        if changes.all_spans:
            self.reload()
            return
        try:
            self.article = self.store.article(self.article.id)
        except StoreError:  # deleted
            self.open_article(None)
            return
        old = self.span(self.selected)
        fresh = self.store.spans_by_id(sorted(changes.span_ids), missing_ok=True)
        changed = {sid: sp if sp is not None and sp.article_id == self.article.id else None
                   for sid in changes.span_ids for sp in (fresh.get(sid),)}  # fmt: skip
        if changed:
            # self.spans stays in text order (the store's): the changed spans leave it and come
            # back at their place, without sorting all 2,000 spans of a big article again.
            before = self._spans
            spans, by_id = list(before), dict(self._by_id)
            pairs = []
            for sid, sp in changed.items():
                gone = by_id.pop(sid, None)
                if gone is not None:
                    del spans[position_in(spans, gone)]
                if sp is not None:
                    bisect.insort(spans, sp, key=span_order)
                    by_id[sid] = sp
                pairs.append((gone, sp))
            self._spans, self._by_id = spans, by_id
            self.last_patch = SpansPatch(before, spans, tuple(pairs))
            self.view.patch_spans(changed)
        if changes.relations or changed:
            self.relations = self.store.relations(self.article.id)
        self._keep_selection(old)
        self.spans_changed.emit()

    def _keep_selection(self, old: Span | None) -> None:
        """After spans changed: the selected span if it is still there, else the same place."""
        kept = self._by_id.get(self.selected) if self.selected is not None else None
        if self.selected is not None and (kept is None or kept.status == "rejected"):
            same = None if old is None else self._span_at(old.start, old.end, old.label, rejected=False)
            self.selected = same.id if same is not None else None
            self.selection_changed.emit(self.selected)
        self.view.set_selected_span(self.selected, reveal=False)

    def close(self) -> None:
        """The store is about to close: no more reads."""
        self._closed = True
        self.read_only = True
        self.view.key_handler = None

    def follow_order(self, name: str) -> None:
        """The article list shows the queue order ``name``: next and previous follow it (in a
        read-only project too, where it is not stored)."""
        self.queue_order = name

    def go(self, step: int, *, skip_done: bool = False) -> None:
        # The queue order (annotator.queue) the article list shows: the project's, or the one
        # chosen in the list since.
        order = self.queue_order or chosen_order(self.store)
        if self.article is None:
            first = self.store.neighbour_article(
                0, 1, skip_done=skip_done, annotator=self.store.annotator, order=order
            )
            self.open_article(first)
            return
        nxt = self.store.neighbour_article(
            self.article.id, step, skip_done=skip_done, annotator=self.store.annotator, order=order
        )
        if nxt is None or nxt == self.article.id:
            self.message.emit(translate("desk", "No more articles that way."))
            return
        self.open_article(nxt)

    def set_status(self, status: str, *, then_next: bool = False) -> None:
        if self.article is None or self._refuse_read_only():
            return
        # Done, skipped: the analyst's own state, the article's derived with it; a flag: the article's.
        cmd = mark_command(
            self.store,
            self.article.id,
            status,
            translate("desk", "Mark {status}").format(status=status_name(status)),
        )
        if cmd is not None:
            self.execute(cmd, touch=False)
        if then_next:
            self.go(1, skip_done=True)

    def mark_done_next(self) -> None:
        self.set_status("done", then_next=True)

    def rename_article(self, article_id: int, title: str) -> None:
        """Give an article (the open one or any other in the list) a new title, as one undo step."""
        title = " ".join(title.split())
        if not title or self._refuse_read_only():
            return
        if self.store.article(article_id).title != title:
            self.execute(C.SetArticleTitle(article_id, title), touch=False)

    # -- the one path for edits ---------------------------------------------------------------

    def execute(self, cmd: C.Command, *, touch: bool = True) -> bool:
        """Apply ``cmd`` and push it for undo. ``touch``: a first edit moves a new article to in progress."""
        if self._refuse_read_only():
            return False
        article_id = self.article.id if self.article is not None else None
        start = (
            start_command(self.store, self.article.id, article_status=self.article.status)
            if touch and self.article is not None
            else None
        )
        if start is not None:
            cmd = C.Batch([start, cmd], getattr(cmd, "text", translate("desk", "Edit")))
        before = self._by_id  # replaced, never changed in place, by the edit's Changes
        try:
            # The commit's Changes reach _on_store_changed before apply returns: the desk
            # shows the edit from them, like any other write.
            inverse = C.apply(self.store, cmd)
        except StoreError as exc:
            self.pending = cmd
            self.save_failed.emit(str(exc))
            return False
        self.pending = None
        self.undo_stack.push(
            LearningCommand(
                self.store,
                cmd,
                inverse,
                self.undo_stack,
                article_id=article_id,
                on_done=self._after_undo,
                on_error=self.save_failed.emit,
                on_gone=self._undo_gone,
                on_learn=self.gazetteer_changed.emit,
            )
        )
        self._report_learning(cmd, before)
        self.saved.emit()
        return True

    def _report_learning(self, cmd: C.Command, before: dict[int, Span]) -> None:
        """Tell the gazetteer what ``cmd`` (just applied here) changed; ``before``: the spans
        then, by id."""
        ids = touched_span_ids(cmd)
        if ids is None:
            old, new = list(before.values()), self._spans
        else:
            old = [before[i] for i in ids if i in before]
            new = [self._by_id[i] for i in ids if i in self._by_id]
        deltas = gazetteer_deltas(old, new)
        if deltas:
            self.gazetteer_changed.emit(deltas)

    def retry(self) -> bool:
        """Save again the edit that failed (kept in memory)."""
        if self.pending is None:
            return True
        cmd, self.pending = self.pending, None
        return self.execute(cmd, touch=False)

    def _after_undo(self, article_id: int | None, cmd: C.Command | None = None) -> None:
        """An undo or redo was saved (its Changes already shown): bring its article into view."""
        if article_id is not None and (self.article is None or self.article.id != article_id):
            self.open_article(article_id)
        self.saved.emit()

    def _undo_gone(self, message: str) -> None:
        """An undo or redo that the world overtook: say so, and show the article as it is."""
        self.message.emit(message)
        self.reload()

    def _refuse_read_only(self) -> bool:
        if self.read_only:
            self.message.emit(translate("desk", "This project is open read-only: changes are not possible."))
        return self.read_only

    # -- spans ----------------------------------------------------------------------------------

    def visible_spans(self) -> list[Span]:
        return [sp for sp in self.spans if sp.status != "rejected"]

    def _span_at(self, start: int, end: int, label: str, *, rejected: bool = True) -> Span | None:
        """The span at exactly this place with this label (a rejected one only if ``rejected``):
        the spans starting there, found by bisection in the text order, not a scan of 2,000."""
        i = bisect.bisect_left(self.spans, start, key=start_of)
        while i < len(self.spans) and self.spans[i].start == start:
            sp = self.spans[i]
            if sp.end == end and sp.label == label and (rejected or sp.status != "rejected"):
                return sp
            i += 1
        return None

    def span(self, span_id: int | None) -> Span | None:
        return self._by_id.get(span_id) if span_id is not None else None

    def select_span(self, span_id: int | None, *, reveal: bool = True) -> None:
        if span_id == self.selected:
            return
        self.selected = span_id
        self.view.set_selected_span(span_id, reveal=reveal)
        self.selection_changed.emit(span_id)

    def apply_label(self, label: str) -> None:
        """A label key: label the selected text as a new span, or relabel the selected span."""
        if self.article is None or self._refuse_read_only():
            return
        sel = self.view.selection()
        if sel is not None:
            self.create_span(label, *sel)
        elif self.selected is not None:
            self.relabel(self.selected, label)
        else:
            self.message.emit(translate("desk", "Select some text (or a span) first."))

    def create_span(self, label: str, start: int, end: int) -> Span | None:
        art = self.article
        if art is None:
            return None
        snapped = self.snapper(art.text, start, end, art.language)
        if snapped is None:
            self.message.emit(translate("desk", "Nothing to label there."))
            return None
        start, end = snapped
        same = self._span_at(start, end, label)
        if same is not None:
            if same.status != "accepted":
                self.set_span_status([same.id], "accepted")
            self.view.place_cursor(start)
            self.select_span(same.id)
            return same
        span = Span(start, end, label, origin=HUMAN, status="accepted", annotator=self.store.annotator)
        if not self.execute(C.AddSpans(art.id, [span], translate("desk", "Add {label}").format(label=label))):
            return None
        self.view.place_cursor(start)
        self.select_span(span.id)
        return self.span(span.id)

    def relabel(self, span_id: int, label: str) -> None:
        sp = self.span(span_id)
        if sp is None or sp.label == label:
            return
        change = {"label": label, "annotator": self.store.annotator}
        if sp.status == "suggested":
            change["status"] = "accepted"
        self.execute(
            C.UpdateSpans([(span_id, change)], translate("desk", "Relabel as {label}").format(label=label))
        )

    def delete_selected(self) -> None:
        if self.selected is None:
            return
        victim = self.selected
        nxt = self._neighbour_span(victim, 1)
        if self.execute(C.DeleteSpans([victim], translate("desk", "Delete span"))):
            self.select_span(nxt.id if nxt else None)

    def set_span_status(self, span_ids: list[int], status: str, text: str = "") -> bool:
        """Accept or reject spans. Accepting a claim also accepts the claimant its suggester
        named (when no claimant is set yet and that actor is not rejected) and links the two,
        all in one step."""
        if not text:
            text = (
                translate("desk", "Accept span") if status == "accepted" else translate("desk", "Reject span")
            )
        mine = {"status": status, "annotator": self.store.annotator}
        changes = [(sid, dict(mine)) for sid in span_ids]
        if not changes:
            return False
        links: list = []
        if status == "accepted":
            chosen = set(span_ids)
            for sid in span_ids:
                claim = self.span(sid)
                actor = self.suggested_claimant(claim) if claim is not None else None
                if actor is None:
                    continue
                if actor.status == "suggested" and actor.id not in chosen:
                    chosen.add(actor.id)
                    changes.append((actor.id, dict(mine)))
                links.append(C.AddRelation(sid, actor.id, CLAIMANT))
        cmd = C.UpdateSpans(changes, text)
        return self.execute(C.Batch([cmd, *links], text) if links else cmd)

    def suggested_claimant(self, claim: Span | None) -> Span | None:
        """The actor a suggester named as the source of this pending claim, while it is still
        offered: the claim has no claimant yet and that actor span is there, not rejected."""
        if claim is None or claim.status != "suggested" or not self.is_claim(claim.label):
            return None
        where = claim.attrs.get("claimant")
        if not where or self.claimant_of(claim.id) is not None:
            return None
        start, end = where
        return next((sp for sp in self.spans if (sp.start, sp.end) == (start, end) and sp.status != "rejected"
                     and not self.is_claim(sp.label)), None)  # fmt: skip

    def accept_selected(self) -> None:
        self._decide_selected("accepted")

    def reject_selected(self) -> None:
        self._decide_selected("rejected")

    def _decide_selected(self, status: str) -> None:
        """Accept or reject the selected suggestion, then select the next one."""
        sp = self.span(self.selected)
        if sp is None or sp.status != "suggested":
            self.message.emit(translate("desk", "Select a suggestion first (Tab moves to the next one)."))
            return
        nxt = self._next_suggestion(sp)
        text = (
            translate("desk", "Accept suggestion")
            if status == "accepted"
            else translate("desk", "Reject suggestion")
        )
        if self.set_span_status([sp.id], status, text):
            # after an accept the accepted span stays selected when no suggestion is left
            self.select_span(nxt.id if nxt else (sp.id if status == "accepted" else None))

    def accept_all(self) -> None:
        ids = [sp.id for sp in self.spans if sp.status == "suggested"]
        if ids:
            self.set_span_status(
                ids, "accepted", translate("desk", "Accept {count} suggestions").format(count=len(ids))
            )

    def resize_selected(self, side: str, direction: int) -> None:
        """Move one edge of the selected span one token left (-1) or right (+1)."""
        sp = self.span(self.selected)
        art = self.article
        if sp is None or art is None:
            return
        # grow(): step +1 moves an edge outward, -1 inward.
        step = -direction if side == "start" else direction
        new = self.grower(art.text, sp.start, sp.end, side, step, art.language)
        if new is None or new == (sp.start, sp.end):
            self.message.emit(translate("desk", "The span cannot move that way."))
            return
        self.execute(
            C.UpdateSpans([(sp.id, {"start": new[0], "end": new[1]})], translate("desk", "Resize span"))
        )

    def set_note(self, span_id: int, note: str) -> None:
        sp = self.span(span_id)
        if sp is None or sp.note == note:
            return
        self.execute(C.UpdateSpans([(span_id, {"note": note})], translate("desk", "Edit note")))

    def claimant_of(self, claim_id: int) -> int | None:
        return next((r.tail for r in self.relations if r.head == claim_id and r.label == CLAIMANT), None)

    def set_claimant(self, claim_id: int, actor_id: int | None) -> None:
        old = [r for r in self.relations if r.head == claim_id and r.label == CLAIMANT]
        if actor_id is not None and any(r.tail == actor_id for r in old):
            return
        cmds: list = [C.DeleteRelation(r.id) for r in old]
        if actor_id is not None:
            cmds.append(C.AddRelation(claim_id, actor_id, CLAIMANT))
        elif (claim := self.span(claim_id)) is not None and self.suggested_claimant(claim) is not None:
            # "no claimant" turns the suggested one down: it is not offered again
            attrs = {k: v for k, v in claim.attrs.items() if k != "claimant"}
            cmds.append(C.UpdateSpans([(claim_id, {"attrs": attrs})]))
        if cmds:
            self.execute(C.Batch(cmds, translate("desk", "Set claimant")))

    # -- moving between spans ---------------------------------------------------------------

    def _ordered(self) -> list[Span]:
        return self.visible_spans()  # self.spans is in text order

    def _neighbour_span(self, span_id: int, step: int) -> Span | None:
        order = self._ordered()
        ids = [sp.id for sp in order]
        if span_id not in ids:
            return None
        i = ids.index(span_id) + step
        return order[i] if 0 <= i < len(order) else None

    def _next_suggestion(self, after: Span) -> Span | None:
        order = [sp for sp in self._ordered() if sp.status == "suggested" and sp.id != after.id]
        later = [sp for sp in order if (sp.start, -sp.end) > (after.start, -after.end)]
        return (later or order or [None])[0]

    def step_span(self, step: int) -> None:
        order = self._ordered()
        if not order:
            return
        if self.selected is not None and any(sp.id == self.selected for sp in order):
            ids = [sp.id for sp in order]
            i = (ids.index(self.selected) + step) % len(order)
        else:
            pos = self.view.cursor_pos()
            after = [i for i, sp in enumerate(order) if sp.start >= pos]
            i = (after[0] if after else 0) if step > 0 else ((after[0] - 1) if after else len(order) - 1)
        self.select_span(order[i].id)

    def _on_click(self, pos: int) -> None:
        hits = self.view.spans_at(pos)
        if not hits:
            self.select_span(None, reveal=False)
            return
        ids = [sp.id for sp in hits]
        # Clicking again where a span is selected steps outward through the nested spans.
        if self.selected in ids:
            nxt = ids[(ids.index(self.selected) + 1) % len(ids)]
        else:
            nxt = ids[0]
        self.select_span(nxt, reveal=False)

    # -- keys ---------------------------------------------------------------------------------

    def handle_key(self, e: QKeyEvent) -> bool:
        """A key pressed in the article text: the keymap's action for it, else a label key.

        A window action's key (Ctrl+Z, Ctrl+K...) is normally taken by its menu shortcut before
        the article text sees it; when the shortcut did not take it (the window is not the
        active one), it runs the same menu action here. Either way one press, one action."""
        action = self.keymap.action_for(e)
        if action is not None:
            if action.where == DESK:
                action.run(self)
                return True
            return self.keymap.trigger(action.id)
        if e.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        lab = self.label_for_key(e.text())
        if lab is not None:
            self.apply_label(lab.name)
            return True
        return False
