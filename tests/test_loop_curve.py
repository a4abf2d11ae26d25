"""Is more data still helping: the training curve (ops/curve.py, main.py train-curve) and the
acceptance rate of each suggester over time, as the review window's Stats chart them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storage import review
from storage.store import Store

pytest.importorskip("spacy")

from tests.test_loop_versions import project  # noqa: E402
from tests.test_train import FAST  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_curve_scores_growing_shares_on_the_same_held_back_articles(tmp_path):
    from ops.curve import save_curve, saved_curve, table, train_curve

    store = project(tmp_path)
    seen = []
    curve = train_curve(store, fractions=(0.5, 1.0), settings=FAST, max_epochs=4, on_point=seen.append)
    assert curve["held_back"] == 6
    assert [p["fraction"] for p in curve["points"]] == [0.5, 1.0] == [p["fraction"] for p in seen]
    assert [p["articles"] for p in curve["points"]] == [12, 24]
    for p in curve["points"]:
        assert 0.0 <= p["f"] <= 1.0 and set(p["per_label"]) == {"ACTOR", "LOCATION"}
    lines = table(curve)
    assert lines[0].split()[:3] == ["share", "articles", "F"] and "ACTOR" in lines[0]
    assert lines[-1] == "scored on the same 6 held-back articles"
    save_curve(store, curve)
    assert saved_curve(store) == curve
    store.close()


def test_train_curve_command_keeps_the_curve_in_the_project(tmp_path):
    project(tmp_path, n=12).close()
    out = tmp_path / "curve.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "p.sorot"), "train-curve",
         "--fractions", "1", "--max-epochs", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "scored on the same" in done.stdout
    curve = json.loads(out.read_text())
    assert [p["articles"] for p in curve["points"]] == [curve["points"][0]["articles"]]
    with Store.open(tmp_path / "p.sorot") as store:
        assert json.loads(store.setting("loop.train_curve")) == curve
    bad = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "p.sorot"), "train-curve", "--fractions", "2"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert bad.returncode == 2 and "at most 1" in bad.stderr


def test_acceptance_rate_per_suggester_per_day(tmp_path):
    from annotator.model import Span

    store = project(tmp_path, n=2)
    aid = store.article_ids()[0]
    text = store.article(aid).text
    made = store.add_spans(aid, [Span(0, 7, "ACTOR", origin="rules", status="suggested"),
                                 Span(8, 15, "ACTOR", origin="rules", status="suggested"),
                                 Span(17, 20, "LOCATION", origin="gazetteer", status="suggested")])  # fmt: skip
    assert text
    store.update_spans([(made[0].id, {"status": "accepted"}), (made[1].id, {"status": "rejected"}),
                        (made[2].id, {"status": "accepted"})])  # fmt: skip
    rows = review.acceptance_by_day(store)
    by_origin = {r["origin"]: r for r in rows}
    assert by_origin["rules"]["accepted"] == 1 and by_origin["rules"]["rejected"] == 1
    assert by_origin["rules"]["rate"] == 0.5 and by_origin["gazetteer"]["rate"] == 1.0
    assert len({r["day"] for r in rows}) == 1, "all decided today"
    store.close()


@pytest.mark.gui
def test_stats_chart_the_acceptance_over_time_and_the_training_curve(qtbot, tmp_path):
    from ops.curve import save_curve
    from ui.review.stats import StatsPanel

    store = project(tmp_path, n=2)
    save_curve(store, {"held_back": 6, "points": [
        {"fraction": 0.5, "articles": 12, "f": 0.4, "per_label": {"ACTOR": 0.5, "LOCATION": 0.3}},
        {"fraction": 1.0, "articles": 24, "f": 0.6, "per_label": {"ACTOR": 0.7, "LOCATION": 0.5}}]})  # fmt: skip
    panel = StatsPanel(store)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.computed, timeout=10_000):
        pass
    axes = panel.figure.axes
    titles = [ax.get_title() for ax in axes]
    assert "Acceptance rate per suggester, per day" in titles
    curve_ax = axes[titles.index("Training curve (held-out F)")]
    assert len(curve_ax.lines) == 3  # all labels + one per label
    assert list(curve_ax.lines[0].get_ydata()) == [0.4, 0.6]
    panel.resize(1000, 900)
    panel.grab().save(str(tmp_path / "stats.png"))
    store.close()


@pytest.mark.gui
def test_compute_training_curve_button_runs_in_the_background_and_draws_it(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from ui.review.stats import StatsPanel

    store = project(tmp_path, n=12)
    store.set_setting("loop.max_epochs", "1")
    panel = StatsPanel(store)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.computed, timeout=10_000):
        pass
    assert not any(ax.lines for ax in panel.figure.axes)
    with qtbot.waitSignal(panel.computed, timeout=240_000):
        qtbot.mouseClick(panel.curve_btn, Qt.MouseButton.LeftButton)
        assert not panel.curve_btn.isEnabled()
    curve = panel.tables["train_curve"]
    assert [p["fraction"] for p in curve["points"]] == [0.25, 0.5, 0.75, 1.0]
    assert json.loads(store.setting("loop.train_curve")) == curve
    titles = [ax.get_title() for ax in panel.figure.axes]
    assert len(panel.figure.axes[titles.index("Training curve (held-out F)")].lines) == 3
    assert panel.curve_btn.isEnabled()
    store.close()
