"""Span identity under everything at once: a hypothesis state machine interleaves the
analyst's edits (on human spans and on pending suggestions), undo and redo, and suggester
re-runs (rules, the gazetteer learning from the project, a real spaCy pipeline) on one
article, and checks after every step that

* no span id is ever given to a second span (an id that comes back is the same span, back
  through undo);
* a suggester re-run changes nothing the analyst owns (edited, accepted, rejected, linked);
* an edit undone and redone right away gives exactly the state before and after it;
* an undo the world overtook fails as a whole with ``SpanGone`` and changes nothing;
* the history rebuilds the article as it was after any earlier step.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from annotator import commands as C
from annotator.errors import SpanGone
from annotator.history import state_at
from annotator.model import HUMAN, Article, Document, Span
from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester
from annotator.suggest.rules import RulesSuggester
from storage.store import Store

TEXT = (
    "Presiden Joko Widodo bertemu Menteri Retno Marsudi di Jakarta pada hari Senin. "
    '"Kami siap membantu," kata Retno Marsudi kepada wartawan di Bandung. '
    "Joko Widodo kemudian terbang ke Surabaya bersama Retno Marsudi."
)
WORDS = [(m, TEXT.index(m)) for m in ("Joko Widodo", "Retno Marsudi", "Jakarta", "Bandung", "Surabaya",
                                       "Presiden", "wartawan", "hari Senin")]  # fmt: skip
LABELS = ("ACTOR", "LOCATION", "CLAIM")
FIELDS = ("start", "end", "label", "status", "note", "annotator", "origin", "attrs")


@pytest.fixture(scope="module")
def fixed_suggestions(tmp_path_factory):
    """What the rules and a real spaCy pipeline on disk (blank Indonesian + an entity ruler, as
    a trained one would be loaded) suggest for the article: the same at every re-run, so they
    run once here and the machine replays them; the gazetteer runs afresh at every step."""
    import spacy

    from annotator.suggest.spacy_pipeline import SpacySuggester

    nlp = spacy.blank("id")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "Retno Marsudi"},
        {"label": "GPE", "pattern": "Bandung"},
        {"label": "GPE", "pattern": "Surabaya"},
        {"label": "PERSON", "pattern": "Presiden"},
    ])  # fmt: skip
    path = tmp_path_factory.mktemp("model") / "ruler"
    nlp.to_disk(path)
    with Store.memory() as store:
        label_map = store.label_map()
    out = {}
    for suggester in (RulesSuggester(), SpacySuggester(str(path), label_map=label_map)):
        out[suggester.name] = suggester.suggest([TEXT], ["id"])[0]
    assert all(out.values())
    return out


def snapshot(store: Store, aid: int) -> dict[int, tuple]:
    return {sp.id: tuple(getattr(sp, f) for f in FIELDS) for sp in store.spans(aid)}


class SpanIdentity(RuleBasedStateMachine):
    fixed: dict = {}  # suggester name -> its suggestions for TEXT

    @initialize()
    def setup(self):
        self.store = Store.memory()
        self.store.annotator = "ana"
        [self.aid] = self.store.import_documents([Document(Article(TEXT, language="id"))]).article_ids
        self.done: list[list] = []  # [forward, inverse], newest last (what Ctrl+Z takes)
        self.undone: list[list] = []
        self.seen: dict[int, tuple] = {}  # every id ever seen -> its span as last seen
        self.present: set[int] = set()
        self.history: list[tuple[int, dict]] = []  # (last event id, spans then)
        self._observe()

    def teardown(self):
        if hasattr(self, "store"):
            self.store.close()

    # -- helpers ------------------------------------------------------------------------------

    def _spans(self) -> list[Span]:
        return self.store.spans(self.aid)

    def _pick(self, data, pred=lambda sp: True) -> Span | None:
        pool = [sp for sp in self._spans() if pred(sp)]
        return data.draw(st.sampled_from(pool)) if pool else None

    def _do(self, cmd) -> None:
        before = snapshot(self.store, self.aid)
        inverse = C.apply(self.store, cmd)
        after = snapshot(self.store, self.aid)
        # undone and redone at once: exactly the states before and after
        redo = C.apply(self.store, inverse)
        assert snapshot(self.store, self.aid) == before
        inverse = C.apply(self.store, redo)
        assert snapshot(self.store, self.aid) == after
        self.done.append([redo, inverse])
        self.undone.clear()

    def _observe(self) -> None:
        now = snapshot(self.store, self.aid)
        highest = max(self.seen, default=0)
        for sid, rec in now.items():
            if sid in self.seen and sid not in self.present:
                # an id that comes back is the same span (undo of a delete), never a new one
                assert rec[:3] == self.seen[sid][:3], f"id {sid} given to another span"
            elif sid not in self.seen:
                assert sid > highest, f"new span got an old id {sid}"
            self.seen[sid] = rec
        self.present = set(now)
        last = self.store.events(limit=1)[0]["id"]
        self.history.append((last, now))

    # -- the analyst ---------------------------------------------------------------------------

    @rule(word=st.sampled_from(WORDS), label=st.sampled_from(LABELS))
    def add_span(self, word, label):
        text, start = word
        key = (start, start + len(text), label)
        if any(sp.key == key for sp in self._spans()):
            return
        self._do(C.AddSpans(self.aid, [Span(*key, origin=HUMAN, status="accepted", annotator="ana")]))

    @rule(data=st.data(), note=st.sampled_from(["cek", "periksa lagi", ""]))
    def note(self, data, note):
        sp = self._pick(data)
        if sp is not None and sp.note != note:
            self._do(C.UpdateSpans([(sp.id, {"note": note})], "Edit note"))

    @rule(data=st.data(), side=st.sampled_from(["start", "end"]), step=st.sampled_from([-1, 1]))
    def resize(self, data, side, step):
        sp = self._pick(data, lambda s: s.end - s.start > 2)
        if sp is None:
            return
        start, end = (sp.start + step, sp.end) if side == "start" else (sp.start, sp.end + step)
        if 0 <= start < end <= len(TEXT) and not any(o.key == (start, end, sp.label) for o in self._spans()):
            self._do(C.UpdateSpans([(sp.id, {"start": start, "end": end})], "Resize span"))

    @rule(data=st.data(), label=st.sampled_from(LABELS))
    def relabel(self, data, label):
        sp = self._pick(data, lambda s: s.label != label)
        if sp is not None and not any(o.key == (sp.start, sp.end, label) for o in self._spans()):
            self._do(C.UpdateSpans([(sp.id, {"label": label, "status": "accepted", "annotator": "ana"})]))

    @rule(data=st.data(), status=st.sampled_from(["accepted", "rejected"]))
    def decide(self, data, status):
        sp = self._pick(data, lambda s: s.status == "suggested")
        if sp is not None:
            self._do(C.UpdateSpans([(sp.id, {"status": status, "annotator": "ana"})]))

    @rule(data=st.data())
    def delete(self, data):
        sp = self._pick(data)
        if sp is not None:
            self._do(C.DeleteSpans([sp.id]))

    @rule(data=st.data())
    def link(self, data):
        claim = self._pick(data)
        actor = self._pick(data)
        if claim is not None and actor is not None and claim.id != actor.id:
            self._do(C.AddRelation(claim.id, actor.id))

    @rule()
    def undo(self):
        if self.done:
            self._step(self.done, self.undone, 1)

    @rule()
    def redo(self):
        if self.undone:
            self._step(self.undone, self.done, 0)

    def _step(self, source, target, which):
        pair = source.pop()
        before = snapshot(self.store, self.aid)
        try:
            result = C.apply(self.store, pair[which])
        except SpanGone:
            # the world moved on: nothing half-applied, and the step leaves the stack
            assert snapshot(self.store, self.aid) == before
            return
        pair[1 - which] = result
        target.append(pair)

    # -- the suggesters ------------------------------------------------------------------------

    @rule(which=st.sampled_from(["rules", "gazetteer", "spacy"]))
    def resuggest(self, which):
        if which == "gazetteer":
            suggester = GazetteerSuggester(Gazetteer.from_counts(self.store.gazetteer_rows()))
            name, found = suggester.name, suggester.suggest([TEXT], ["id"])[0]
        else:
            name = next(n for n in self.fixed if n.startswith(which))
            found = self.fixed[name]
        fresh = [Span(s.start, s.end, s.label, origin=name, status="suggested", score=s.score)
                 for s in found]  # fmt: skip
        owned = {sid: rec for sid, rec in snapshot(self.store, self.aid).items()
                 if rec[FIELDS.index("annotator")] is not None}  # fmt: skip
        self.store.replace_suggestions(self.aid, fresh, origins=[name])
        after = snapshot(self.store, self.aid)
        assert {sid: after.get(sid) for sid in owned} == owned, "a re-run changed the analyst's spans"

    # -- after every step ----------------------------------------------------------------------

    @invariant()
    def ids_and_history(self):
        if not hasattr(self, "store"):
            return
        self._observe()
        # the history rebuilds the present and an earlier moment
        for event_id, then in (self.history[-1], self.history[len(self.history) // 2]):
            rebuilt = {sp.id: tuple(getattr(sp, f) for f in FIELDS) for sp in state_at(self.store, self.aid, event_id)}
            assert rebuilt == then


@pytest.mark.slow
def test_span_identity_state_machine(fixed_suggestions):
    SpanIdentity.fixed = fixed_suggestions
    runner = SpanIdentity.TestCase()
    runner.settings = settings(
        max_examples=150, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
    )
    runner.runTest()
