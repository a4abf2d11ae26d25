"""A team project against a real PostgreSQL server (tests/team_server.py): init, join, push,
pull, exactly-once, suggestions, conflicts, roles and row-level security, the command line."""

from __future__ import annotations

import psycopg
import pytest

from annotator.errors import TeamError, TeamOffline
from annotator.model import Article, Document, Label, Span
from cli import parse, run
from storage.store import Store
from storage.team import local, sync

TEXT = "Presiden Joko Widodo mengatakan di Jakarta bahwa ekonomi tumbuh."


def docs(n: int = 3) -> list[Document]:
    return [Document(Article(f"{TEXT} ({i})", title=f"t{i}"), [Span(9, 20, "ACTOR")]) for i in range(n)]


def member_url(url: str, name: str) -> str:
    return url.replace("postgres@", f"{name}@")


@pytest.fixture
def pgpass(tmp_path, monkeypatch):
    path = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return path


@pytest.fixture
def team(tmp_path, team_url, pgpass):
    """Given a lead's project of three articles uploaded to the server, and members alice and
    bob (annotators) with their passwords in the password file, each with a joined copy."""
    lead = Store.open(tmp_path / "lead.sorot")
    lead.annotator = "lead"
    lead.import_documents(docs(), annotator="alice")
    sync.init(lead, team_url, member="lead")
    conn = psycopg.connect(team_url, autocommit=True)
    copies = {"lead": lead}
    for name in ("alice", "bob"):
        sync.add_member(conn, name, "annotator", f"pw-{name}")
        sync.save_password(team_url, name, f"pw-{name}")
        copies[name] = Store.open(tmp_path / f"{name}.sorot")
        sync.join(copies[name], member_url(team_url, name), name)
    yield copies, conn
    for store in copies.values():
        store.close()
    conn.close()


def first_article(store: Store) -> int:
    return min(store.article_ids())


def sync_all(copies: dict[str, Store], rounds: int = 2) -> None:
    for _ in range(rounds):
        for store in copies.values():
            sync.sync(store)


def test_init_and_join_give_identical_copies(team):
    copies, conn = team
    # Then the server and every copy hold the same project
    server = sync.server_dump(conn)
    assert len(server["articles"]) == 3 and len(server["spans"]) == 3
    for store in copies.values():
        assert local.dump(store) == server
    assert local.get_link(copies["alice"]).role == "annotator"
    assert local.get_link(copies["lead"]).role == "lead"


def test_edits_of_two_annotators_merge_without_overwriting(team):
    copies, conn = team
    alice, bob = copies["alice"], copies["bob"]
    # When alice and bob each add a span to the same article, and bob deletes nothing of alice's
    alice.add_spans(first_article(alice), [Span(35, 42, "LOCATION")])
    bob.add_spans(first_article(bob), [Span(0, 8, "ACTOR")])
    assert local.pending(alice) == 1
    sync_all(copies)
    # Then everyone has both, each under its annotator
    for store in copies.values():
        spans = store.spans(first_article(store))
        assert {(s.text, s.annotator) for s in spans} >= {("Jakarta", "alice"), ("Presiden", "bob")}
        assert local.dump(store) == sync.server_dump(conn)
    assert local.pending(alice) == 0


def test_updates_and_deletes_travel(team):
    copies, conn = team
    alice, bob = copies["alice"], copies["bob"]
    (added,) = alice.add_spans(first_article(alice), [Span(35, 42, "LOCATION")])
    sync_all(copies)
    alice.update_spans([(added.id, {"label": "ACTOR", "note": "a place?"})])
    sync_all(copies)
    (seen,) = [s for s in bob.spans(first_article(bob)) if s.text == "Jakarta"]
    assert (seen.label, seen.note) == ("ACTOR", "a place?")
    alice.delete_spans([added.id])
    sync_all(copies)
    assert not [s for s in bob.spans(first_article(bob)) if s.text == "Jakarta"]
    assert local.dump(bob) == local.dump(alice) == sync.server_dump(conn)


def test_labels_settings_states_and_assignments_from_the_lead(team):
    copies, conn = team
    lead, alice = copies["lead"], copies["alice"]
    # When the lead adds a label, a setting and assigns an article, and alice marks it done
    lead.save_label(Label("EVENT", colour="#f28e2b"))
    lead.set_setting("guidelines", "Label every actor.")
    lead.set_setting("models", "/lead/only/path")  # machine-local: never sent
    lead.assign([(first_article(lead), "alice")], assigned_by="lead")
    sync_all(copies)
    alice.set_annotator_state(first_article(alice), "alice", "done")
    sync_all(copies)
    # Then every copy has them, and the lead sees alice's state and the article's derived status
    assert alice.label("EVENT") is not None
    assert alice.setting("guidelines") == "Label every actor."
    assert alice.setting("models") is None
    assert lead.states_many([first_article(lead)])[first_article(lead)]["alice"] == "done"
    assert lead.article(first_article(lead)).status == "done"
    for store in copies.values():
        assert local.dump(store) == sync.server_dump(conn)


def test_suggestions_stay_local_until_accepted(team):
    copies, conn = team
    alice, bob = copies["alice"], copies["bob"]
    aid = first_article(alice)
    # Given a suggestion on alice's desk
    (sug,) = alice.add_spans(aid, [Span(35, 42, "LOCATION", origin="rules", status="suggested")])
    # Then nothing is queued and the server never sees it
    assert local.pending(alice) == 0
    sync_all(copies)
    assert len(sync.server_dump(conn)["spans"]) == 3
    # When she accepts it, it is hers and it travels
    alice.update_spans([(sug.id, {"status": "accepted", "annotator": "alice"})])
    sync_all(copies)
    assert [(s.origin, s.annotator) for s in bob.spans(first_article(bob)) if s.text == "Jakarta"] == [
        ("rules", "alice")
    ]


def test_a_push_cut_off_after_the_commit_is_not_applied_twice(team, monkeypatch):
    copies, conn = team
    alice = copies["alice"]
    aid = first_article(alice)
    alice.add_spans(aid, [Span(35, 42, "LOCATION")])
    alice.add_spans(aid, [Span(0, 8, "ACTOR")])
    # When the server commits the push but the client dies before it records that
    real = sync._acknowledge
    calls = {"n": 0}

    def cut(store, acked):
        calls["n"] += 1
        if calls["n"] == 2:  # the first is the check before sending
            raise TeamOffline("cut off")
        real(store, acked)

    monkeypatch.setattr(sync, "_acknowledge", cut)
    with pytest.raises(TeamOffline):
        sync.sync(alice)
    monkeypatch.setattr(sync, "_acknowledge", real)
    assert local.pending(alice) == 2  # the client does not know it arrived
    # Then the retry sends nothing twice, and the outbox empties
    result = sync.sync(alice)
    assert result.pushed == 0 and local.pending(alice) == 0
    rows = conn.execute("SELECT client_id, client_seq FROM changes").fetchall()
    assert len(rows) == len(set(rows)) == 2
    assert local.dump(alice) == sync.server_dump(conn)


def test_same_annotator_on_two_machines_last_writer_wins_with_a_notice(team, tmp_path):
    copies, conn = team
    alice = copies["alice"]
    laptop = Store.open(tmp_path / "alice-laptop.sorot")
    try:
        sync.join(laptop, member_url(sync.clean_url(local.get_link(alice).url), "alice"), "alice")
        (sp,) = [s for s in alice.spans(first_article(alice))]
        (sp2,) = [s for s in laptop.spans(first_article(laptop))]
        assert local.dump(laptop) == local.dump(alice)
        # When both machines change the same span's note before syncing
        alice.update_spans([(sp.id, {"note": "desk"})])
        laptop.update_spans([(sp2.id, {"note": "laptop"})])
        sync.sync(alice)
        result = sync.sync(laptop)  # the laptop's change is sent later: it wins
        sync.sync(alice)
        # Then both say "laptop", and both were told
        assert alice.span(sp.id).note == laptop.span(sp2.id).note == "laptop"
        assert any("last writer wins" in n for n in result.notices + local.notices(laptop))
        assert any("replaced by alice" in n for n in local.notices(alice))
        assert local.dump(laptop) == local.dump(alice) == sync.server_dump(conn)
    finally:
        laptop.close()


def test_wrong_password_is_refused_in_words(team, team_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "not-her-password")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(TeamError, match="refused the password of alice.*pgpass"):
        sync.connect(member_url(team_url, "alice"))
    with pytest.raises(TeamError, match="no member|refused the password"):
        sync.connect(member_url(team_url, "mallory"))


def test_an_annotator_writing_someone_elses_span_in_sql_is_refused(team, team_url):
    copies, conn = team
    bob_span = copies["bob"].add_spans(first_article(copies["bob"]), [Span(0, 8, "ACTOR")])[0]
    sync.sync(copies["bob"])
    uid = copies["bob"].query("SELECT uid FROM spans WHERE id = ?", (bob_span.id,))[0][0]
    with psycopg.connect(member_url(team_url, "alice"), autocommit=True) as alice:
        # When alice changes, deletes or makes a span in bob's name directly in SQL
        for statement, params in [
            ("UPDATE spans SET label = 'LOCATION' WHERE uid = %s", (uid,)),
            ("DELETE FROM spans WHERE uid = %s", (uid,)),
            (
                "INSERT INTO spans (uid, article_uid, char_start, char_end, label, text, origin, status, annotator, "
                "created_at, updated_at) SELECT 'x1', article_uid, 0, 3, 'ACTOR', 'Pre', 'human', 'accepted', 'bob', "
                "'', '' FROM spans WHERE uid = %s",
                (uid,),
            ),
            ("INSERT INTO labels VALUES ('HACK', 'entity', '#000', '', '', '[]', 9)", ()),
        ]:
            # Then the server refuses, saying why
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="refused|row-level|permission denied"):
                alice.execute(statement, params)
        # and her own spans she may write
        alice.execute("UPDATE spans SET note = 'mine' WHERE annotator = 'alice'")
    assert conn.execute("SELECT label FROM spans WHERE uid = %s", (uid,)).fetchone()[0] == "ACTOR"


def test_a_change_that_is_not_yours_is_put_back_with_a_notice(team):
    copies, conn = team
    alice, bob = copies["alice"], copies["bob"]
    bob.add_spans(first_article(bob), [Span(0, 8, "ACTOR")])
    sync_all(copies)
    (bobs,) = [s for s in alice.spans(first_article(alice)) if s.annotator == "bob"]
    # When alice, an annotator, deletes bob's span and renames a label on her desk
    alice.delete_spans([bobs.id])
    alice.save_label(Label("ACTOR", colour="#000000"))
    alice.add_spans(first_article(alice), [Span(35, 42, "LOCATION")])
    result = sync.sync(alice)
    # Then her own span is sent, the rest is put back from the server, and she is told
    assert result.refused == 2
    assert any(s.annotator == "bob" for s in alice.spans(first_article(alice)))
    assert alice.label("ACTOR").colour != "#000000"
    assert any("not yours" in n for n in local.notices(alice))
    sync_all(copies)
    assert local.dump(alice) == local.dump(bob) == sync.server_dump(conn)


def test_offline_keeps_every_change_for_later(team, team_server):
    copies, conn = team
    alice = copies["alice"]
    link = local.get_link(alice)
    offline = local.Link(link.url.replace(str(team_server.port), "1"), link.user, link.member, link.role,
                         link.client_id)  # fmt: skip
    alice.add_spans(first_article(alice), [Span(35, 42, "LOCATION")])
    with pytest.raises(TeamOffline, match="cannot reach"):
        sync.sync(alice, link=offline)
    assert local.pending(alice) == 1
    sync.sync(alice)
    assert local.pending(alice) == 0 and local.dump(alice) == sync.server_dump(conn)


def test_the_command_line(tmp_path, team_url, pgpass, capsys, monkeypatch):
    lead_db, ann_db = tmp_path / "lead.sorot", tmp_path / "ann.sorot"
    with Store.open(lead_db) as store:
        store.import_documents(docs(2), annotator="lead")

    def main(*argv: str) -> int:
        return run(parse(list(argv)))

    # When the lead uploads, adds a member with a saved password, and the member joins and syncs
    assert main("--db", str(lead_db), "--annotator", "lead", "team", "init", team_url) == 0
    assert "you (lead) are its lead" in capsys.readouterr().out
    monkeypatch.setenv("SOROT_MEMBER_PASSWORD", "s3cret")
    assert main("--db", str(lead_db), "team", "add-member", "carol", "--role", "reviewer", "--save-password") == 0
    monkeypatch.delenv("SOROT_MEMBER_PASSWORD")
    assert "s3cret" in pgpass.read_text()
    assert main("team", "join", member_url(team_url, "carol").replace("carol@", ""), "--as", "carol", "--db", str(ann_db)) == 0
    assert "joined" in capsys.readouterr().out
    with Store.open(ann_db) as store:
        assert "s3cret" not in str(store.query("SELECT * FROM team_link"))
        store.annotator = "carol"
        store.add_spans(min(store.article_ids()), [Span(35, 42, "LOCATION", annotator="gold")])
    assert main("--db", str(ann_db), "team", "status") == 0
    assert "changes to send: 1" in capsys.readouterr().out
    assert main("--db", str(ann_db), "sync") == 0
    assert "sent 1" in capsys.readouterr().out
    assert main("--db", str(lead_db), "sync") == 0
    assert "received 1" in capsys.readouterr().out
    assert main("--db", str(lead_db), "team", "members") == 0
    assert "carol\treviewer" in capsys.readouterr().out
    # A wrong password is refused in words, and the change waits
    with Store.open(ann_db) as store:
        store.annotator = "carol"
        store.add_spans(min(store.article_ids()), [Span(0, 8, "ACTOR", annotator="carol")])
    pgpass.write_text(pgpass.read_text().replace("s3cret", "wrong"))
    assert main("--db", str(ann_db), "sync") == 1
    assert "refused the password of carol" in capsys.readouterr().err
    assert main("--db", str(lead_db), "team", "init", team_url) == 1
    assert "already linked" in capsys.readouterr().err


def test_relations_travel_with_their_spans(team):
    copies, conn = team
    alice, bob = copies["alice"], copies["bob"]
    aid = first_article(alice)
    # Given a claim of alice's linked to a suggested actor (a suggestion stays local, so does the link)
    claim, actor = alice.add_spans(aid, [Span(21, 64, "CLAIM"), Span(35, 42, "LOCATION", origin="rules", status="suggested")])
    alice.add_relation(claim.id, actor.id)
    sync_all(copies)
    assert not bob.relations(first_article(bob))
    # When she accepts the suggestion, the link goes with it
    alice.update_spans([(actor.id, {"status": "accepted", "annotator": "alice"})])
    sync_all(copies)
    (rel,) = bob.relations(first_article(bob))
    assert {bob.span(rel.head).text, bob.span(rel.tail).text} == {"Jakarta", claim.text}
    # and when she deletes the actor, the link goes on every copy
    alice.delete_spans([actor.id])
    sync_all(copies)
    assert not bob.relations(first_article(bob))
    assert local.dump(bob) == local.dump(alice) == sync.server_dump(conn)


def test_a_lead_added_as_member_adds_members_too(team, team_url):
    copies, conn = team
    sync.add_member(conn, "dana", "lead", "pw-dana")
    sync.save_password(team_url, "dana", "pw-dana")
    with sync.connect(member_url(team_url, "dana")) as dana:
        sync.add_member(dana, "erin", "annotator", "pw-erin")
        assert ("erin", "annotator") in sync.members(dana)
        dana.execute("INSERT INTO labels VALUES ('EVENT', 'entity', '#000', '', '', '[]', 9)")
    with pytest.raises(TeamError, match="refused"), sync.connect(member_url(team_url, "alice")) as alice:
        sync.add_member(alice, "mallory", "lead", "x")


def test_a_join_cut_off_leaves_no_project_and_the_next_join_starts_again(team, team_url, tmp_path, monkeypatch):
    copies, conn = team
    target = tmp_path / "carol.sorot"
    sync.add_member(conn, "carol", "annotator", "pw-carol")
    sync.save_password(team_url, "carol", "pw-carol")
    real_copy = sync._copy_project

    def cut_off(store, *args, **kwargs):
        # the articles are in, then the connection drops
        real_copy(store, *args, **kwargs)
        raise TeamOffline("the server went away in the middle of the join")

    monkeypatch.setattr(sync, "_copy_project", cut_off)
    with pytest.raises(TeamOffline):
        sync.join_file(member_url(team_url, "carol"), "carol", target)
    # Then no file looks like a project, and nothing half-built is left beside it
    assert not target.exists() and not list(tmp_path.glob("carol.sorot.joining*"))
    monkeypatch.setattr(sync, "_copy_project", real_copy)
    sync.join_file(member_url(team_url, "carol"), "carol", target)
    with Store.open(target) as carol:
        assert local.dump(carol) == sync.server_dump(conn)
        assert local.get_link(carol).member == "carol"
    # and a file that already holds a project is never joined into
    with pytest.raises(TeamError, match="holds a project already"):
        sync.join_file(member_url(team_url, "carol"), "carol", target)


def test_without_the_team_extra_team_commands_say_what_to_install(tmp_path):
    """A desk installed without psycopg works as ever; a team command says what is missing."""
    import subprocess
    import sys

    from tests.paths import ROOT

    code = (
        "import sys; sys.modules['psycopg'] = None; sys.path.insert(0, sys.argv[1]); import main; "
        "sys.exit(main.main(['--db', sys.argv[2], *sys.argv[3:]]))"
    )
    db = str(tmp_path / "p.sorot")
    Store.open(db).close()
    stats = subprocess.run([sys.executable, "-c", code, str(ROOT), db, "stats"], capture_output=True, text=True)
    assert stats.returncode == 0, stats.stderr
    synced = subprocess.run([sys.executable, "-c", code, str(ROOT), db, "sync"], capture_output=True, text=True)
    assert synced.returncode == 1
    assert synced.stderr.strip() == 'sorot: team projects need psycopg 3, which this installation lacks: pip install -e ".[team]"'
