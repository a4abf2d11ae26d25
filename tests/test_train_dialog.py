"""The TrainDialog offscreen: runs in a job, streams epochs, registers the model, Cancel keeps the best."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("pytestqt")
spacy = pytest.importorskip("spacy")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_train import FAST, build_store  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, tmp_path):
    from ui.train_dialog import TrainDialog

    store = build_store(16)
    dlg = TrainDialog(store, settings=FAST)
    qtbot.addWidget(dlg)
    dlg.outdir.setText(str(tmp_path / "model"))
    yield dlg
    from ui.jobs import wait_all

    wait_all()


def test_dialog_trains_streams_epochs_and_registers_the_model(qtbot, dialog, tmp_path):
    assert dialog.chosen_labels() == ["ACTOR", "LOCATION"]  # CLAIM has no accepted span
    dialog.max_epochs.setValue(2)
    with qtbot.waitSignal(dialog.ended, timeout=60000) as blocker:
        dialog.train_button.click()
        assert dialog.running and not dialog.train_button.isEnabled()
    assert blocker.args == ["done"]
    log = dialog.log.toPlainText()
    assert "epoch   1" in log and "epoch   2" in log
    assert dialog.result is not None and not dialog.result.cancelled
    models = json.loads(dialog.store.setting("models"))
    assert models[0]["path"] == str((tmp_path / "model").resolve())
    assert spacy.load(tmp_path / "model").get_pipe("ner").labels
    assert dialog.train_button.isEnabled() and dialog.cancel_button.text() == "Close"


def test_dialog_cancel_keeps_the_best_model(qtbot, dialog, tmp_path):
    dialog.max_epochs.setValue(20)
    dialog._relay.line.connect(lambda _line: dialog.cancel())
    with qtbot.waitSignal(dialog.ended, timeout=60000) as blocker:
        dialog.train_button.click()
    assert blocker.args == ["cancelled"]
    assert dialog.result is not None and dialog.result.cancelled
    assert len(dialog.result.epochs) < 20
    assert "ner" in spacy.load(tmp_path / "model").pipe_names
    assert json.loads(dialog.store.setting("models"))[0]["path"].endswith("model")


def test_dialog_reports_no_done_articles(qtbot, tmp_path):
    from ui.train_dialog import TrainDialog

    dlg = TrainDialog(build_store(3, status="in_progress"), settings=FAST)
    qtbot.addWidget(dlg)
    dlg.outdir.setText(str(tmp_path / "m"))
    with qtbot.waitSignal(dlg.ended, timeout=30000) as blocker:
        dlg.train_button.click()
    assert blocker.args == ["failed"]
    assert "done" in dlg.status.text()
