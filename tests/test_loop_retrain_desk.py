"""The model in the loop, in the desk: the analyst finishes articles with Ctrl+Enter, the
desk trains the next model in a background process, puts it in use (the suggesters spec),
and Model versions… rolls back, as a person would do it (ui/retrain.py)."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt

from annotator.model import Label

pytestmark = pytest.mark.gui
pytest.importorskip("spacy")

from tests.test_train import make_article  # noqa: E402

DONE = 29
EVERY = 30


def make_project(path) -> None:
    from storage.store import Store

    rng = random.Random(5)
    with Store.open(path) as store:
        store.save_label(Label("ACTOR", "entity", "#4e79a7"))
        store.save_label(Label("LOCATION", "entity", "#59a14f"))
        store.set_setting("suggesters", "gazetteer")
        store.set_setting("loop.retrain_every", str(EVERY))
        # a deterministic run (seeded, a fixed number of passes); the time limit only guards
        store.set_setting("loop.max_epochs", "8")
        store.set_setting("loop.max_minutes", "4")
        docs = [make_article(rng, status="done") for _ in range(DONE)]
        docs += [make_article(rng, status="new") for _ in range(4)]
        for d in docs[DONE:]:
            d.spans = [s for s in d.spans if s.label == "ACTOR"]  # half labelled yet
        store.import_documents(docs, annotator="tester")


def test_finishing_the_thirtieth_article_trains_a_model_that_is_then_used_and_can_be_rolled_back(
    qtbot, open_window, project_path
):
    make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    assert w.desk.article is not None and w.desk.article.status == "new"
    assert not w.retrain.running

    # Given 29 finished articles and "retrain every 30", when the analyst finishes the 30th
    with qtbot.waitSignal(w.retrain.running_changed, timeout=10_000) as started:
        qtbot.keyClick(w.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert started.args == [True]
    assert "Training" in w.retrain_label.text()
    # the desk stays usable meanwhile: the next article is open and editable
    assert w.desk.article.status == "new"

    # then a version is made from the 10 finished articles and put in use
    with qtbot.waitSignal(w.retrain.version_made, timeout=240_000) as made:
        pass
    outcome = made.args[0]
    assert outcome.swapped and outcome.version.articles == DONE + 1 and outcome.version.cause == "auto"
    assert w.store.setting("suggesters") == f"spacy:{outcome.version.path},gazetteer"
    assert w.suggest.worker.spec == w.store.setting("suggesters")
    assert f"v{outcome.version.id}" in w.retrain_label.text()

    # When the analyst opens Model versions… and chooses "Use no model"
    from ui.retrain import VersionsDialog

    dlg = VersionsDialog(w.store, w.retrain, w)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 7).text() == "✓"
    qtbot.mouseClick(dlg.none_button, Qt.MouseButton.LeftButton)
    # then the project's suggesters no longer use it, and the desk's worker follows
    assert w.store.setting("suggesters") == "gazetteer"
    qtbot.waitUntil(lambda: w.suggest.worker.spec == "gazetteer", timeout=5_000)
    assert dlg.table.item(0, 7).text() == ""
    # and choosing the version again puts it back
    dlg.table.selectRow(0)
    qtbot.mouseClick(dlg.use_button, Qt.MouseButton.LeftButton)
    assert w.store.active_model_version().id == outcome.version.id
    dlg.grab().save(str(project_path.parent / "versions.png"))
    dlg.close()


def test_cancelled_training_leaves_the_model_in_use_unchanged(qtbot, open_window, project_path):
    make_project(project_path)
    w = open_window(project_path, auto_suggest=False)
    with qtbot.waitSignal(w.retrain.running_changed, timeout=10_000):
        w.retrain.start("manual")
    with qtbot.waitSignal(w.retrain.running_changed, timeout=20_000) as stopped:
        w.retrain.cancel()
    assert stopped.args == [False]
    assert w.store.model_versions() == [] and w.store.setting("suggesters") == "gazetteer"
    assert "cancelled" in w.retrain_label.text()
    assert not list((project_path.parent / "project.sorot.models").glob(".partial-*"))
