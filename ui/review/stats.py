"""Charts of the project's numbers, drawn by matplotlib inside Qt (QtAgg backend)."""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ops.curve import saved_curve
from storage import review
from storage.store import Store
from ui.i18n import status_name, translate
from ui.jobs import start_job

STATUS_COLOURS = {"accepted": "#59a14f", "suggested": "#edc948", "rejected": "#e15759"}


class StatsPanel(QWidget):
    """Spans per label, articles done per day, per annotator, suggester usefulness."""

    computed = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None, *, auto: bool = True) -> None:
        super().__init__(parent)
        self.store = store
        self.tables: dict[str, Any] | None = None
        self.job = None
        self.figure = Figure(figsize=(10, 7), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.status = QLabel()
        self.refresh_btn = QPushButton(translate("stats", "Refresh"))
        self.refresh_btn.clicked.connect(self.refresh)
        self.curve_btn = QPushButton(translate("stats", "Compute training curve"))
        self.curve_btn.setToolTip(
            translate("stats", "Train on 25, 50, 75 and 100% of the finished articles in the background and "
                               "score each on the same held-back articles: is more data still helping?")
        )  # fmt: skip
        self.curve_btn.clicked.connect(self.compute_curve)
        self.curve_btn.setEnabled(not store.read_only and store.path is not None)
        self.curve_proc = None
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.curve_btn)
        top.addWidget(self.refresh_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.canvas, 1)
        if auto:
            self.refresh()

    def refresh(self) -> None:
        """Count in a worker (a few seconds on millions of spans), then draw."""
        store = self.store
        self.refresh_btn.setEnabled(False)
        self.status.setText(translate("stats", "Counting…"))
        self.job = start_job(
            lambda progress: {
                **review.stats_tables(store),
                "acceptance_by_day": review.acceptance_by_day(store),
                "train_curve": saved_curve(store),
            },
            "stats",
        )
        self.job.succeeded.connect(self.show_tables)
        self.job.failed.connect(self.status.setText)

    def compute_curve(self) -> None:
        """``main.py train-curve`` in a background process (the project read-only there); its
        curve is kept in the project and drawn when it ends."""
        from ops.retrain import child_command, max_epochs, models_dir
        from ui.retrain import child_process

        folder = models_dir(self.store)
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / "train-curve.json"
        out.unlink(missing_ok=True)
        proc = self.curve_proc = child_process(child_command(
            self.store, "train-curve", "--json", str(out), "--max-epochs", str(max_epochs(self.store))
        ), self)
        proc.readyReadStandardOutput.connect(self._curve_output)
        proc.finished.connect(lambda code, _status: self._curve_done(code, out))
        self.curve_btn.setEnabled(False)
        self.status.setText(translate("stats", "Training curve: training on 25% of the finished articles…"))
        proc.start()

    def _curve_output(self) -> None:
        lines = bytes(self.curve_proc.readAllStandardOutput()).decode("utf-8", "replace").strip().splitlines()
        if lines:
            self.status.setText(translate("stats", "Training curve: {line}").format(line=lines[-1][:80]))

    def _curve_done(self, code: int, out) -> None:
        import json

        from ops.curve import save_curve

        self.curve_proc = None
        self.curve_btn.setEnabled(True)
        try:
            curve = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.status.setText(translate("stats", "The training curve could not be made (exit code {code})").format(code=code))
            return
        save_curve(self.store, curve)
        self.refresh()

    def show_tables(self, tables: dict[str, Any]) -> None:
        self.tables = tables
        self.refresh_btn.setEnabled(True)
        arts = tables["articles_by_status"]
        loc = QLocale()
        self.status.setText(
            translate("stats", "{count} articles: ").format(count=loc.toString(sum(arts.values())))
            + ", ".join(f"{loc.toString(n)} {status_name(s)}" for s, n in arts.items() if n)
        )
        self.draw(tables)
        self.computed.emit(tables)

    def draw(self, t: dict[str, Any]) -> None:
        fig = self.figure
        fig.clear()
        (ax1, ax2), (ax3, ax4), (ax5, ax6) = fig.subplots(3, 2)

        labels = t["spans_per_label"]
        names = [r["label"] for r in labels]
        bottom = [0] * len(labels)
        for status in ("accepted", "suggested", "rejected"):
            values = [r[status] for r in labels]
            ax1.barh(names, values, left=bottom, color=STATUS_COLOURS[status], label=status_name(status), height=0.6)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax1.invert_yaxis()
        ax1.set_title(translate("stats", "Spans per label"))
        _legend(ax1)
        _empty(ax1, labels)

        days = t["articles_done_per_day"]
        if days:
            x = list(range(len(days)))
            ax2.bar(x, [d["done"] for d in days], color="#4e79a7", label=status_name("done"))
            ax2.bar(x, [d["reviewed"] for d in days], bottom=[d["done"] for d in days], color="#b07aa1",
                    label=status_name("reviewed"))  # fmt: skip
            step = max(1, len(days) // 6)
            ax2.set_xticks(x[::step], [d["day"][5:] for d in days][::step])
            _legend(ax2)
        ax2.set_title(translate("stats", "Articles finished per day"))
        _empty(ax2, days)

        people = t["per_annotator"]
        ax3.bar([p["annotator"] for p in people], [p["spans"] for p in people], color="#76b7b2")
        for i, p in enumerate(people):
            ax3.annotate(
                translate("stats", "{count} art.").format(count=QLocale().toString(p["articles"])), (i, p["spans"]), ha="center", va="bottom", fontsize="small"
            )
        ax3.set_title(translate("stats", "Spans per annotator"))
        _empty(ax3, people)

        useful = t["usefulness"]
        if useful:
            names = [u["origin"] for u in useful]
            acc = [u["accepted"] for u in useful]
            rej = [u["rejected"] for u in useful]
            pend = [u["pending"] for u in useful]
            ax4.barh(names, acc, color=STATUS_COLOURS["accepted"], label=status_name("accepted"), height=0.5)
            ax4.barh(names, rej, left=acc, color=STATUS_COLOURS["rejected"], label=status_name("rejected"), height=0.5)
            done = [a + r for a, r in zip(acc, rej, strict=True)]
            ax4.barh(names, pend, left=done, color=STATUS_COLOURS["suggested"], label=translate("stats", "pending"), height=0.5)
            for i, u in enumerate(useful):
                decided = u["accepted"] + u["rejected"]
                if u["rate"] is None:
                    rate = translate("stats", "nothing decided yet")
                else:
                    rate = translate("stats", "{rate} of {decided} accepted").format(
                        rate=f"{u['rate']:.0%}", decided=QLocale().toString(decided)
                    )
                ax4.annotate(rate, (done[i] + pend[i], i), xytext=(-4, 0), textcoords="offset points", ha="right",
                             va="center", fontsize="small")  # fmt: skip
            ax4.invert_yaxis()
            _legend(ax4)
        ax4.set_title(translate("stats", "Suggestions: accepted / rejected per suggester"))
        _empty(ax4, useful)

        by_day = t.get("acceptance_by_day") or []
        days = sorted({r["day"] for r in by_day})
        x_of = {d: i for i, d in enumerate(days)}
        for origin in sorted({r["origin"] for r in by_day}):
            rows = [r for r in by_day if r["origin"] == origin and r["rate"] is not None]
            ax5.plot([x_of[r["day"]] for r in rows], [r["rate"] for r in rows], marker="o", label=origin)
        if days:
            step = max(1, len(days) // 6)
            ax5.set_xticks(list(range(len(days)))[::step], [d[5:] for d in days][::step])
            ax5.set_ylim(0, 1.05)
            ax5.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
            _legend(ax5)
        ax5.set_title(translate("stats", "Acceptance rate per suggester, per day"))
        _empty(ax5, by_day)

        self.draw_curve(ax6, t.get("train_curve"))
        self.canvas.draw_idle()

    def draw_curve(self, ax, curve: dict[str, Any] | None) -> None:
        """The training curve (``ops.curve``): held-out F per label against the share of the
        finished articles trained on."""
        points = (curve or {}).get("points") or []
        if points:
            xs = [p["fraction"] for p in points]
            ax.plot(xs, [p["f"] or 0 for p in points], marker="o", linewidth=2, label=translate("stats", "all labels"))
            for lab in sorted({lab for p in points for lab in p.get("per_label", {})}):
                ax.plot(xs, [p.get("per_label", {}).get(lab, 0) for p in points], marker=".", label=lab)
            ax.set_xticks(xs, [f"{x:.0%}" for x in xs])
            ax.set_ylim(0, 1.05)
            _legend(ax)
        ax.set_title(translate("stats", "Training curve (held-out F)"))
        _empty(ax, points)


def _legend(ax) -> None:
    ax.legend(ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False, fontsize="small")


def _empty(ax, rows) -> None:
    if not rows:
        ax.text(0.5, 0.5, translate("stats", "nothing yet"), ha="center", va="center", transform=ax.transAxes, color="#888888")
        ax.set_xticks([])
        ax.set_yticks([])
