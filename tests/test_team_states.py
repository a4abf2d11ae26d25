"""Per-annotator article state and assignment (issue #13, a team shares a project): the
m006 tables and back-fill, the store's writes (one transaction with the derived overall
status, in the history), the undoable commands, agreement over "both done", the import that
records "bob done", and the deterministic assignment (``team assign``)."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator import commands as C
from annotator.errors import StoreError
from annotator.model import Article, Document, Span, derived_status
from ops.review import agreement_report, status_command
from ops.team_assign import assign, assign_command, assign_to_command, plan_assignment
from ops.workflows import import_paths
from storage.review import annotated_articles, multi_annotated_ids
from storage.schema import migrations
from storage.store import Store

TEXT = "Presiden Joko Widodo bertemu warga di Jakarta hari ke-{}."


def new_project(n: int = 3) -> tuple[Store, list[int]]:
    store = Store.memory()
    store.annotator = "alice"
    ids = store.import_documents([Document(Article(TEXT.format(i))) for i in range(n)]).article_ids
    return store, ids


def overall(store: Store, aid: int) -> str:
    return store.article(aid).status


# -- the rule ---------------------------------------------------------------------------------------


def test_the_derived_rule():
    none: set[str] = set()
    # Solo (no assignment): the overall state follows whoever changed last
    assert derived_status(("done", ""), {"a": ("in_progress", "")}, none, "a") == ("in_progress", "")
    assert derived_status(("new", ""), {"a": ("skipped", "dup")}, none, "a") == ("skipped", "dup")
    # With assignments: all assigned done -> done; anyone started -> in progress; else new
    team = {"a", "b"}
    assert derived_status(("new", ""), {"a": ("done", "")}, team, "a") == ("in_progress", "")
    assert derived_status(("in_progress", ""), {"a": ("done", ""), "b": ("done", "")}, team, "b") == ("done", "")
    assert derived_status(("in_progress", ""), {"a": ("done", ""), "b": ("skipped", "x")}, team, "b") == ("done", "")
    assert derived_status(("new", ""), {"a": ("skipped", "x"), "b": ("skipped", "y")}, team, "b") == ("skipped", "x; y")
    assert derived_status(("in_progress", ""), {"a": ("new", "")}, team, "a") == ("new", "")
    # A reviewer's reviewed / flagged stay in a team; a solo analyst moves them as always
    for kept in (("reviewed", ""), ("flagged", "why")):
        assert derived_status(kept, {"a": ("done", ""), "b": ("done", "")}, team, "a") == kept
        assert derived_status(kept, {"a": ("done", "")}, none, "a") == ("done", "")


# -- the store ---------------------------------------------------------------------------------------


def test_solo_state_moves_the_article_as_before_and_is_in_the_history():
    store, (aid, *_) = new_project()
    heard = []
    store.subscribe(heard.append)
    # When alice marks the article done (no assignment: a solo project)
    after = store.set_annotator_state(aid, "alice", "done")
    # Then her row holds it, and the article is done as it always was
    assert after == ("done", "") and overall(store, aid) == "done"
    assert store.annotator_state(aid, "alice") == ("done", "")
    [changes] = heard
    assert {"article.state", "article.status"} <= changes.actions and changes.article_ids == {aid}
    state_event = next(e for e in store.events(article_id=aid) if e["action"] == "article.state")
    assert state_event["before"]["status"] is None and state_event["after"] == {
        "annotator": "alice", "status": "done", "reason": ""
    }
    # And a state of a kind an annotator cannot have is refused
    with pytest.raises(StoreError):
        store.set_annotator_state(aid, "alice", "reviewed")


def test_with_assignments_the_article_is_done_when_every_assigned_annotator_is():
    store, (aid, *_) = new_project()
    store.assign([(aid, "alice"), (aid, "bob")], assigned_by="lead")
    store.set_annotator_state(aid, "alice", "done")
    assert overall(store, aid) == "in_progress"  # bob has not finished
    store.set_annotator_state(aid, "bob", "done")
    assert overall(store, aid) == "done"  # ready for review
    # A reviewer marks it reviewed; a later annotator change leaves that alone
    C.apply(store, status_command(store, aid, "reviewed"))
    store.set_annotator_state(aid, "bob", "in_progress")
    assert overall(store, aid) == "reviewed"
    assert store.assignments([aid]) == {aid: ["alice", "bob"]}
    assert store.assigned_article_ids("bob") == [aid]


def test_states_arriving_from_elsewhere_are_derived_again():
    store, (aid, other, _) = new_project()
    store.assign([(aid, "alice"), (aid, "bob")])
    # Given states written without the store's derivation (as a sync applies other desks' rows)
    with store.transaction():
        store.db.execute(
            "INSERT INTO article_states (article_id, annotator, status, reason, updated_at) VALUES "
            "(?, 'alice', 'done', '', '2026-01-01T00:00:00'), (?, 'bob', 'done', '', '2026-01-02T00:00:00'), "
            "(?, 'bob', 'skipped', 'dup', '2026-01-02T00:00:00')",
            (aid, aid, other),
        )
    # When they are derived again, Then both articles follow the rule
    assert store.rederive_article_status([aid, other]) == [aid, other]
    assert (overall(store, aid), overall(store, other)) == ("done", "skipped")
    assert store.rederive_article_status([aid, other]) == []


def test_set_annotator_state_command_undoes_exactly():
    store, (aid, *_) = new_project()
    # Given a new article; When alice marks it done through the command layer
    inverse = C.apply(store, C.SetAnnotatorState(aid, "alice", "done"))
    assert overall(store, aid) == "done" and store.annotator_state(aid, "alice") == ("done", "")
    # Then its inverse removes her row and puts the article back to new
    assert inverse == C.SetAnnotatorState(aid, "alice", None, "", "Set my article state", overall=("new", ""))
    redo = C.apply(store, inverse)
    assert store.annotator_state(aid, "alice") is None and overall(store, aid) == "new"
    C.apply(store, redo)
    assert store.annotator_state(aid, "alice") == ("done", "") and overall(store, aid) == "done"


def test_a_failure_between_the_state_and_the_overall_status_leaves_nothing_half_applied(monkeypatch):
    store, (aid, *_) = new_project()
    before = (store.annotator_states(aid), overall(store, aid), store.events(limit=1)[0]["id"])
    heard = []
    store.subscribe(heard.append)

    def fail(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    # Given the overall status write fails, after the annotator's row was written
    monkeypatch.setattr(store, "set_article_status", fail)
    # When alice marks the article done, Then it fails as a whole
    with pytest.raises(StoreError):
        C.apply(store, C.SetAnnotatorState(aid, "alice", "done"))
    assert (store.annotator_states(aid), overall(store, aid), store.events(limit=1)[0]["id"]) == before
    assert heard == []


KILLER = """
import os, signal, sys
sys.path.insert(0, {root!r})
from annotator import commands as C
from storage.store import Store
store = Store.open(sys.argv[1])
aid = store.article_ids()[0]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # the state row is written, the overall status not yet
store.set_article_status = die
C.apply(store, C.SetAnnotatorState(aid, "alice", "done"))
"""


def test_a_kill_between_the_state_and_the_overall_status_leaves_nothing_half_applied(tmp_path: Path):
    import signal
    import subprocess
    import sys

    path = tmp_path / "kill.sorot"
    with Store.open(path) as store:
        store.import_documents([Document(Article(TEXT.format(0)))])
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(root=str(Path(__file__).resolve().parents[1])))
    proc = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with Store.open(path) as store:
        [aid] = store.article_ids()
        assert store.annotator_states(aid) == {} and overall(store, aid) == "new"
        assert not [e for e in store.events(article_id=aid) if e["action"] == "article.state"]
        assert store.integrity_check() == "ok"


def test_assignment_command_undoes_only_what_it_changed():
    store, ids = new_project(4)
    store.assign([(ids[0], "alice")], assigned_by="lead")
    cmd = assign_to_command(store, ids[:2], ["alice", "bob"])
    inverse = C.apply(store, cmd)
    assert store.assignments(ids) == {ids[0]: ["alice", "bob"], ids[1]: ["alice", "bob"]}
    C.apply(store, inverse)
    assert store.assignments(ids) == {ids[0]: ["alice"]}  # the lead's earlier one stays
    events = [e["action"] for e in store.events(article_id=ids[1])]
    assert events.count("article.assign") == 2 and events.count("article.unassign") == 2
    # Replacing: the selected article goes to carol alone; undo gives alice her article back
    inverse = C.apply(store, assign_to_command(store, [ids[0]], ["carol"], replace=True))
    assert store.assignments([ids[0]]) == {ids[0]: ["carol"]}
    C.apply(store, inverse)
    assert store.assignments([ids[0]]) == {ids[0]: ["alice"]}
    assert store.query("SELECT assigned_by FROM assignments WHERE article_id = ?", (ids[0],)) == [("lead",)]


def test_next_not_done_follows_the_analysts_own_articles_and_state():
    store, ids = new_project(6)
    store.assign([(ids[1], "alice"), (ids[4], "alice"), (ids[5], "alice"), (ids[2], "bob")])
    store.set_annotator_state(ids[4], "alice", "done")
    # From her first article, the next not done by her is her sixth (her fifth is done), not the third
    assert store.neighbour_article(ids[1], 1, skip_done=True, annotator="alice") == ids[5]
    # After her last one: back to her first not done (wrapping round her articles)
    assert store.neighbour_article(ids[5], 1, skip_done=True, annotator="alice") == ids[1]
    # Bob's done on an article of his does not make it done for alice, and the reverse
    store.set_annotator_state(ids[2], "bob", "done")
    store.set_annotator_state(ids[1], "alice", "done")
    store.set_annotator_state(ids[5], "alice", "done")
    # Once all hers are done, the rest of the project in id order (the overall status decides there)
    assert store.neighbour_article(ids[5], 1, skip_done=True, annotator="alice") == ids[0]
    assert store.neighbour_article(ids[0], 1, skip_done=True, annotator="alice") == ids[3]
    # Without an annotator, as before: by the article's status
    assert store.neighbour_article(ids[0], 1, skip_done=True) == ids[3]


def test_deleting_an_article_takes_its_states_and_assignments_along():
    store, (aid, *_) = new_project()
    store.assign([(aid, "alice")])
    store.set_annotator_state(aid, "alice", "in_progress")
    store.delete_article(aid)
    assert store.query("SELECT count(*) FROM article_states")[0][0] == 0
    assert store.query("SELECT count(*) FROM assignments")[0][0] == 0


# -- the migration -----------------------------------------------------------------------------------


def test_migration_back_fills_the_one_annotator_of_each_started_article(tmp_path: Path):
    # Given a project made before m006
    path = tmp_path / "old.sorot"
    db = Database(sqlite3.connect(str(path), check_same_thread=False))
    migrations.apply(db, stop_before="m006_annotator_states")
    old = Store(db, path, read_only=False, lock=None)
    old.annotator = "carol"
    one = Document(Article(TEXT.format(1), status="done"), [Span(9, 20, "ACTOR", annotator="alice")])
    two = Document(
        Article(TEXT.format(2), status="done"),
        [Span(9, 20, "ACTOR", annotator="alice"), Span(9, 20, "ACTOR", annotator="bob")],
    )
    gold_too = Document(
        Article(TEXT.format(3), status="in_progress"),
        [Span(9, 20, "ACTOR", annotator="bob"), Span(9, 20, "ACTOR", annotator="gold")],
    )
    fresh = Document(Article(TEXT.format(4)), [Span(9, 20, "ACTOR", annotator="alice")])
    empty = Document(Article(TEXT.format(5)))
    ids = old.import_documents([one, two, gold_too, fresh, empty]).article_ids
    old.set_article_status(ids[4], "skipped", "not news")  # by carol, no span anywhere
    old.close()
    # When it is opened with this version
    with Store.open(path) as store:
        rows = store.query("SELECT article_id, annotator, status, reason FROM article_states ORDER BY article_id")
        # Then each started article with one annotator (gold aside) has that annotator's row,
        # the one without spans has the row of who set its status; two annotators: nobody
        assert rows == [
            (ids[0], "alice", "done", ""),
            (ids[2], "bob", "in_progress", ""),
            (ids[4], "carol", "skipped", "not news"),
        ]
        filled = [e for e in store.events(article_id=ids[0]) if e["action"] == "article.state"]
        assert filled[0]["after"]["by"] == "m006_annotator_states"
        assert [overall(store, i) for i in ids] == ["done", "done", "in_progress", "new", "skipped"]


# -- import and agreement ------------------------------------------------------------------------


def doccano_pair(tmp_path: Path) -> tuple[Path, Path]:
    """40 articles labelled by alice and by bob; bob found nothing in one (``"label": []``)."""
    paths = []
    for who in ("alice", "bob"):
        path = tmp_path / f"{who}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(40):
                labels = [[9, 20, "ACTOR"], [40, 47, "LOCATION"]]
                if who == "bob" and i == 7:
                    labels = []
                fh.write(json.dumps({"text": TEXT.format(i), "label": labels}) + "\n")
        paths.append(path)
    return paths[0], paths[1]


def test_agreement_counts_an_article_bob_finished_with_no_spans(tmp_path: Path):
    alice_file, bob_file = doccano_pair(tmp_path)
    with Store.memory() as store:
        # Given each analyst's doccano file imported under their name, status done
        for who, path in (("alice", alice_file), ("bob", bob_file)):
            summary = import_paths(store, [path], fmt="doccano", options={"status": "done"}, annotator=who)
            assert not summary.failures
        # Then each has their own "done" for all 40, the empty one included
        assert store.query("SELECT annotator, status, count(*) FROM article_states GROUP BY 1, 2") == [
            ("alice", "done", 40), ("bob", "done", 40)
        ]
        # And agreement counts 40 articles of 40, the empty one as a disagreement
        report = agreement_report(store)
        assert report.articles == 40
        empty = next(a for a in store.article_ids() if not store.spans(a, annotators=["bob"]))
        assert report.per_article[empty].f1_exact == 0.0
        assert report.overall.f1_exact == pytest.approx(2 * 78 / (80 + 78))  # bob's 2 missing spans count
        assert len(multi_annotated_ids(store)) == 40


def test_agreement_leaves_out_an_annotator_who_has_not_finished():
    store, (aid, other, _) = new_project()
    for who in ("alice", "bob"):
        store.add_spans(aid, [Span(9, 20, "ACTOR", annotator=who)])
        store.add_spans(other, [Span(9, 20, "ACTOR", annotator=who)])
    # Without any state (an older project) both articles count by their spans, as before
    assert agreement_report(store).articles == 2
    # With bob still in progress on one, that one does not count for the pair
    store.set_annotator_state(aid, "alice", "done")
    store.set_annotator_state(aid, "bob", "in_progress")
    assert agreement_report(store).articles == 1
    # But the reviewer sees every annotator's version of it
    [art] = annotated_articles(store, [aid])
    assert sorted(art.spans) == ["alice", "bob"]
    # Both done, nothing labelled by carol: carol is a coder with no span
    store.set_annotator_state(aid, "bob", "done")
    store.set_annotator_state(aid, "carol", "done")
    [art] = annotated_articles(store, [aid])
    assert art.spans["carol"] == [] and agreement_report(store).articles == 2


def test_an_import_merged_into_an_assigned_article_derives_its_status(tmp_path: Path):
    alice_file, bob_file = doccano_pair(tmp_path)
    with Store.memory() as store:
        import_paths(store, [alice_file], fmt="doccano", options={"status": "in_progress"}, annotator="alice")
        ids = store.article_ids()
        store.assign([(i, w) for i in ids for w in ("alice", "bob")])
        store.set_annotator_state(ids[0], "alice", "done")
        import_paths(store, [bob_file], fmt="doccano", options={"status": "done"}, annotator="bob")
        assert overall(store, ids[0]) == "done"  # both assigned annotators done
        assert overall(store, ids[1]) == "in_progress"  # alice still at it


# -- assignment ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 7, 40, 101])
@pytest.mark.parametrize("team", [["a", "b"], ["a", "b", "c"], ["a", "b", "c", "d", "e"]])
@pytest.mark.parametrize("overlap", [0.0, 0.2, 0.5, 1.0])
def test_assign_gives_every_article_one_annotator_and_the_overlap_two(n, team, overlap):
    ids = list(range(100, 100 + n))
    pairs = assign(ids, team, overlap, seed=n)
    by_article: dict[int, list[str]] = {}
    for aid, who in pairs:
        by_article.setdefault(aid, []).append(who)
    assert sorted(by_article) == ids
    assert sum(len(w) == 2 for w in by_article.values()) == round(overlap * n)
    assert all(len(w) in (1, 2) and len(set(w)) == len(w) for w in by_article.values())
    load = Counter(who for _, who in pairs)
    assert max(load[w] for w in team) - min(load[w] for w in team) <= 1
    # the same seed, the same split, whatever order the ids come in
    assert assign(list(reversed(ids)), team, overlap, seed=n) == pairs
    assert assign(ids, team, overlap, seed=n) == pairs


def test_assign_refuses_what_it_cannot_do():
    with pytest.raises(StoreError):
        assign([1, 2], [], 0.0)
    with pytest.raises(StoreError):
        assign([1, 2], ["a"], 0.5)
    with pytest.raises(StoreError):
        assign([1, 2], ["a", "b"], 1.5)


def test_plan_skips_assigned_articles_unless_reassign():
    store, ids = new_project(10)
    store.assign([(ids[0], "zoe")], assigned_by="lead")
    plan = plan_assignment(store, ["a", "b"], 0.2, seed=3)
    assert plan.skipped == 1 and {aid for aid, _ in plan.pairs} == set(ids[1:])
    C.apply(store, assign_command(store, plan))
    assert store.assignments([ids[0]]) == {ids[0]: ["zoe"]}
    again = plan_assignment(store, ["a", "b"], 0.2, seed=3, reassign=True)
    C.apply(store, assign_command(store, again, reassign=True))
    assert "zoe" not in {w for names in store.assignments().values() for w in names}
    assert len(store.assignments()) == 10


def test_cli_team_assign(tmp_path: Path, capsys):
    import cli

    path = tmp_path / "p.sorot"
    with Store.open(path) as store:
        store.import_documents([Document(Article(TEXT.format(i))) for i in range(10)])
    # `team` is cli/team.py's group; `assign` is added to it by cli/assign.add_assign_parser
    assert cli.run(cli.parse(["team", "assign", "--annotators", "a,b,c", "--overlap", "0.2", "--db", str(path)])) == 0
    out = capsys.readouterr().out
    assert "assigned 10 article(s), 2 of them to two analysts" in out
    with Store.open(path) as store:
        assignments = store.assignments()
        assert len(assignments) == 10 and sum(len(v) for v in assignments.values()) == 12
    # a second run finds nothing left to share out
    assert cli.run(cli.parse(["--db", str(path), "team", "assign", "--annotators", "a,b,c"])) == 0
    assert "10 article(s) had an analyst already" in capsys.readouterr().out
