"""The desk in a team project: background sync with its status word, another analyst's edit
arriving without a restart (LISTEN/NOTIFY), offline, and File > Join team project…."""

from __future__ import annotations

import time

import psycopg
import pytest

from annotator.model import Article, Document, Span
from storage.store import Store
from storage.team import local, sync

pytestmark = pytest.mark.gui

TEXT = "Presiden Joko Widodo mengatakan di Jakarta bahwa ekonomi tumbuh."


@pytest.fixture
def team(tmp_path, team_url, monkeypatch):
    """A lead's project on the server; alice and bob joined, their passwords in the password file."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    paths = {"lead": tmp_path / "lead.sorot"}
    with Store.open(paths["lead"]) as lead:
        lead.import_documents([Document(Article(f"{TEXT} {i}", title=f"t{i}"), []) for i in range(2)], annotator="lead")
        sync.init(lead, team_url, member="lead")
    with psycopg.connect(team_url, autocommit=True) as conn:
        for name in ("alice", "bob"):
            sync.add_member(conn, name, "annotator", f"pw-{name}")
            sync.save_password(team_url, name, f"pw-{name}")
            paths[name] = tmp_path / f"{name}.sorot"
            with Store.open(paths[name]) as store:
                sync.join(store, team_url.replace("postgres@", f"{name}@"), name)
    return paths


def test_the_desk_syncs_and_shows_another_analysts_edit_within_two_seconds(team, open_window, qtbot):
    # Given alice's desk on her copy
    window = open_window(team["alice"])
    assert window.store.annotator == "alice"
    status = window.team.status
    qtbot.waitUntil(lambda: status.text() == "Synced", timeout=10000)
    # When bob adds a span on his copy and syncs
    with Store.open(team["bob"]) as bob:
        bob.annotator = "bob"
        aid = min(bob.article_ids())
        bob.add_spans(aid, [Span(9, 20, "ACTOR")])
        sent = time.monotonic()
        sync.sync(bob)
    # Then it is on alice's desk within two seconds, without a restart
    aid = min(window.store.article_ids())
    qtbot.waitUntil(lambda: any(s.annotator == "bob" for s in window.store.spans(aid)), timeout=2000)
    assert time.monotonic() - sent < 2.0
    # When alice edits, her change is sent in the background
    window.store.add_spans(aid, [Span(35, 42, "LOCATION")])
    qtbot.waitUntil(lambda: local.pending(window.store) == 0 and status.text() == "Synced", timeout=10000)
    with Store.open(team["bob"]) as bob:
        sync.sync(bob)
        assert any(s.annotator == "alice" for s in bob.spans(min(bob.article_ids())))


def test_offline_the_desk_keeps_saving_and_says_so(team, open_window, qtbot):
    with Store.open(team["alice"]) as store:  # a server that is not there
        link = local.get_link(store)
        with store.transaction() as db:
            local.set_values(db, {"url": link.url.rsplit(":", 1)[0] + ":1/none"})
    window = open_window(team["alice"])
    status = window.team.status
    qtbot.waitUntil(lambda: status.text().startswith("Offline since"), timeout=10000)
    window.store.add_spans(min(window.store.article_ids()), [Span(35, 42, "LOCATION")])
    # Then the edit is saved and waits (the article she opened is in progress for her: a change too)
    spans = local.pending(window.store)
    assert spans >= 1
    qtbot.waitUntil(lambda: f"{spans} changes to send" in status.text(), timeout=5000)
    assert "cannot reach" in status.toolTip()


def test_join_team_project_from_the_file_menu(team, team_url, open_window, qtbot, tmp_path, monkeypatch):
    from ui import team as team_ui

    window = open_window(tmp_path / "solo.sorot")
    assert window.team is None and window.join_team_action.text().startswith("Join team project")
    target = tmp_path / "joined.sorot"

    def fill(dlg) -> int:
        dlg.url.setText(team_url.replace("postgres@", ""))
        dlg.member.setText("bob")
        dlg.path.setText(str(target))
        dlg.password.setText("pw-bob")
        return team_ui.QDialog.DialogCode.Accepted

    monkeypatch.setattr(team_ui.JoinDialog, "exec", fill)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "empty-pgpass"))  # the dialog's password is used
    with qtbot.waitSignal(window.project_requested, timeout=15000) as opened:
        window.join_team_action.trigger()
    assert opened.args == [str(target)]
    with Store.open(target) as store:
        assert local.get_link(store).member == "bob"
        assert store.count_articles() == 2
        assert "pw-bob" not in str(store.query("SELECT * FROM team_link"))
