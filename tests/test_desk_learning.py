"""The learned gazetteer driven from the desk: what the analyst labels is suggested in the
other articles at once; what they keep rejecting stops being suggested. Also the review
window's "show this span" and the Settings > Suggesters chooser."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui

NAME = "Retno Marsudi"
TEXTS = {
    "A": "Menteri Luar Negeri Retno Marsudi bertemu duta besar. Kemudian Retno Marsudi pergi ke Bali.",
    "B": "Dalam rapat itu, Retno Marsudi berbicara tentang damai.",
    "C": "Pagi ini Retno Marsudi tiba di Bali.",
    "D": "Sore itu Retno Marsudi pulang ke rumah.",
}


def make_project(path, spec: str = "gazetteer") -> dict[str, int]:
    """Four articles, A to D in list order, all naming the minister; only the gazetteer suggests."""
    from annotator.model import Article, Document
    from storage.store import Store

    with Store.open(path) as store:
        store.set_setting("suggesters", spec)
        ids = {}
        for key, text in TEXTS.items():
            ids[key] = store.import_documents(
                [Document(Article(text, title=key, language="id"))]
            ).article_ids[0]
    return ids


def settle(qtbot, w, article_id: int) -> None:
    """Wait until the article is open, suggested, the worker has nothing left to do, and the
    desk shows what the project holds (the worker's Changes reach it queued)."""
    from ui.suggest_service import was_suggested

    def shown() -> bool:
        stored = {(sp.id, sp.key, sp.status) for sp in w.store.spans(article_id)}
        return {(sp.id, sp.key, sp.status) for sp in w.desk.spans} == stored

    qtbot.waitUntil(lambda: w.desk.article is not None and w.desk.article.id == article_id)
    qtbot.waitUntil(lambda: w.suggest.idle() and was_suggested(w.store, article_id), timeout=20000)
    qtbot.waitUntil(shown, timeout=20000)


def name_suggestions(spans, status: str = "suggested"):
    return [
        sp
        for sp in spans
        if sp.text == NAME and sp.label == "ACTOR" and sp.origin == "gazetteer" and sp.status == status
    ]


def learned_rows(w) -> set[tuple[str, str, int, int]]:
    """What the worker's gazetteer counts (read while the worker is idle)."""
    gaz = w.suggest.worker.gazetteer()
    return {row for row in gaz.rows() if row[2] or row[3]}


def stored_rows(w) -> set[tuple[str, str, int, int]]:
    """What the project counts: the gazetteer the worker would build from scratch."""
    from annotator.suggest.gazetteer import Gazetteer

    return {row for row in Gazetteer.from_counts(w.store.gazetteer_rows()).rows() if row[2] or row[3]}


def test_labelled_name_is_suggested_elsewhere_until_rejected_twice(qtbot, open_window, project_path):
    # Given four articles naming the minister, and A and B already suggested with nothing learned
    ids = make_project(project_path)
    w = open_window(project_path)
    desk, view = w.desk, w.view
    settle(qtbot, w, ids["A"])
    assert not name_suggestions(desk.spans)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    settle(qtbot, w, ids["B"])
    assert not name_suggestions(w.store.spans(ids["B"]))
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    settle(qtbot, w, ids["A"])

    # When in A I select the name and press the ACTOR key
    text = desk.article.text
    start = text.index(NAME)
    view.select_range(start, start + len(NAME))
    qtbot.keyClick(view, Qt.Key.Key_1)
    made = desk.span(desk.selected)
    assert (made.label, made.text, made.status) == ("ACTOR", NAME, "accepted")

    # Then its second mention in A is suggested at once
    qtbot.waitUntil(lambda: len(name_suggestions(desk.spans)) == 1)
    assert name_suggestions(desk.spans)[0].start == text.index(NAME, start + 1)
    assert desk.selected == made.id  # the refresh kept my selection

    # And B, suggested before I taught it, gets the suggestion when I open it again
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    settle(qtbot, w, ids["B"])
    qtbot.waitUntil(lambda: len(name_suggestions(desk.spans)) == 1)

    # When I reject it in B and in C (never opened before)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert desk.span(desk.selected).text == NAME
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert len(name_suggestions(w.store.spans(ids["B"]), "rejected")) == 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    settle(qtbot, w, ids["C"])
    qtbot.waitUntil(lambda: len(name_suggestions(desk.spans)) == 1)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert len(name_suggestions(w.store.spans(ids["C"]), "rejected")) == 1

    # Then D no longer gets it: rejected twice outweighs learned once
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    settle(qtbot, w, ids["D"])
    assert not name_suggestions(w.store.spans(ids["D"]))
    assert not w.suggest.worker.gazetteer().is_suggested(NAME, "ACTOR")
    assert learned_rows(w) == stored_rows(w) == {(NAME, "ACTOR", 1, 2)}


def test_relabel_delete_and_undo_keep_the_gazetteer_in_step(qtbot, open_window, project_path):
    # Given article A open with nothing learned
    ids = make_project(project_path)
    w = open_window(project_path)
    desk, view = w.desk, w.view
    settle(qtbot, w, ids["A"])
    view.setFocus()
    text = desk.article.text
    start = text.index(NAME)

    def step(expected):
        qtbot.waitUntil(w.suggest.idle)
        assert learned_rows(w) == stored_rows(w) == expected

    # Creating teaches; relabelling moves the count; undo and redo follow
    view.select_range(start, start + len(NAME))
    qtbot.keyClick(view, Qt.Key.Key_1)
    made = desk.selected
    step({(NAME, "ACTOR", 1, 0)})
    qtbot.keyClick(view, Qt.Key.Key_2)  # relabel the selected span as LOCATION
    step({(NAME, "LOCATION", 1, 0)})
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    step({(NAME, "ACTOR", 1, 0)})
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the create
    step(set())
    assert desk.span(made) is None
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    step({(NAME, "ACTOR", 1, 0)})

    # Accepting the suggested second mention teaches it again; rejecting it then undoing the reject too
    qtbot.waitUntil(lambda: len(name_suggestions(desk.spans)) == 1)
    second = name_suggestions(desk.spans)[0]
    desk.select_span(second.id)
    qtbot.keyClick(view, Qt.Key.Key_X)
    step({(NAME, "ACTOR", 1, 1)})
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    step({(NAME, "ACTOR", 1, 0)})
    desk.select_span(second.id)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    step({(NAME, "ACTOR", 2, 0)})

    # Deleting a span unteaches it
    desk.select_span(made)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    step({(NAME, "ACTOR", 1, 0)})


def test_review_window_shows_a_span_in_the_desk(qtbot, open_window, project_path):
    from annotator.model import Span
    from storage.store import Store

    ids = make_project(project_path)
    with Store.open(project_path) as store:
        text = TEXTS["C"]
        start = text.index(NAME)
        span = store.add_spans(ids["C"], [Span(start, start + len(NAME), "ACTOR", status="accepted")])[0]
    w = open_window(project_path, auto_suggest=False)
    assert w.desk.article.id == ids["A"]

    # When I open View > Review
    review_action = next(a for a in w.menuBar().actions() if a.text() == "&View").menu().actions()
    next(a for a in review_action if a.text() == "Review").trigger()
    from ui.review import ReviewWindow

    assert isinstance(w.review_panel, ReviewWindow)
    qtbot.waitUntil(w.review_panel.isVisible)

    # And the review screen asks to show a span
    w.review_panel.review.open_span.emit(ids["C"], span.id)

    # Then the desk shows its article with the span selected
    assert w.desk.article.id == ids["C"]
    assert w.desk.selected == span.id
    assert w.spans_panel is not None
    w.show_review()  # a second time: the same window again
    assert w.review_panel.isVisible()


def test_settings_suggesters_pick_and_order(qtbot, open_window, project_path, monkeypatch):
    import json

    from annotator.suggest import spacy_pipeline
    from ui import dialogs

    # Given a project with a trained model and one spaCy pipeline installed
    make_project(project_path, spec="rules,gazetteer")
    w = open_window(project_path, auto_suggest=False)
    model = str(project_path.parent / "models" / "ner-1")
    w.store.set_setting("models", json.dumps([{"path": model, "name": "ner-1", "f": 0.83}]))
    monkeypatch.setattr(spacy_pipeline, "installed_pipelines", lambda: ["xx_ent_wiki_sm"])
    seen = {}

    def choose(dlg) -> int:
        chooser = dlg.suggesters
        rows = [chooser.list.item(r) for r in range(chooser.list.count())]
        seen["rows"] = [
            (it.data(Qt.ItemDataRole.UserRole), it.checkState() == Qt.CheckState.Checked) for it in rows
        ]
        seen["labels"] = [it.text() for it in rows]
        # When I tick the trained model, move it to the top and untick the rules
        trained = next(
            i for i, it in enumerate(rows) if it.data(Qt.ItemDataRole.UserRole) == f"spacy:{model}"
        )
        rows[trained].setCheckState(Qt.CheckState.Checked)
        chooser.list.setCurrentRow(trained)
        for _ in range(trained):
            qtbot.mouseClick(chooser.up_button, Qt.MouseButton.LeftButton)
        assert not chooser.up_button.isEnabled()
        chooser.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # rules, now second
        seen["text"] = chooser.edit.text()
        return 1

    monkeypatch.setattr(dialogs.SettingsDialog, "exec", choose)
    w.settings_dialog(suggesters=True)

    # Then every choice was offered, the current spec ticked and first
    assert seen["rows"] == [
        ("rules", True),
        ("gazetteer", True),
        ("spacy:xx_ent_wiki_sm", False),
        (f"spacy:{model}", False),
    ]
    assert seen["labels"][3] == "Trained model: ner-1 (F 0.83)"
    # And the spec is stored in my order, and the worker uses it
    assert seen["text"] == f"spacy:{model},gazetteer"
    assert w.store.setting("suggesters") == f"spacy:{model},gazetteer"
    assert w.suggest.worker.spec == f"spacy:{model},gazetteer"


def test_suggester_spec_can_be_typed(qtbot):
    from ui.dialogs import BUILTIN_CHOICES, SettingsDialog

    dlg = SettingsDialog(
        "tester", "rules", choices=[*BUILTIN_CHOICES, ("spacy:xx_a", "spaCy pipeline: xx_a", "")]
    )
    qtbot.addWidget(dlg)
    chooser = dlg.suggesters
    chooser.edit.clear()
    qtbot.keyClicks(chooser.edit, "spacy:xx_a, Gazetteer, spacy:/models/mine")
    assert chooser.checked_items() == ["spacy:xx_a", "gazetteer", "spacy:/models/mine"]
    assert chooser.list.item(3).data(Qt.ItemDataRole.UserRole) == "rules"
    assert chooser.list.item(3).checkState() == Qt.CheckState.Unchecked
    assert chooser.list.item(2).text() == "spacy:/models/mine (typed)"
    assert dlg.values() == ("tester", "spacy:xx_a,gazetteer,spacy:/models/mine")
    # A typo is refused with a reason
    qtbot.keyClicks(chooser.edit, ",rulez")
    assert "rulez" in chooser.hint.text()


def test_a_missing_model_is_said_in_the_status_bar(open_window, project_path, qtbot):
    # Given a project whose suggester names a pipeline that is not installed
    from annotator.model import Article, Document
    from storage.store import Store

    with Store.open(project_path) as store:
        store.set_setting("suggesters", "spacy:no_such_pipeline")
        store.import_documents([Document(Article("Kim Jong Un tiba di Moskow.", title="a"))])
    window = open_window(project_path)
    # When the worker tries to suggest for the opened article
    with qtbot.waitSignal(window.suggest.worker.failed, timeout=30000):
        window.suggest.enqueue(window.store.article_ids(), first=True, force=True)
    # Then the analyst is told, in words that name the model
    qtbot.waitUntil(lambda: window.suggest.idle())
    qtbot.waitUntil(lambda: "Suggesting failed" in window.suggest_label.text())
    assert "no_such_pipeline" in window.suggest_label.text()
