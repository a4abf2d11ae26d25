"""History, side-by-side comparison, agreement and adjudication views. Thin: the logic lives in
``annotator.history``, ``annotator.agreement`` and ``storage.review``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import history
from annotator.agreement import CompareRow, Report, compare
from annotator.changes import Changes
from annotator.errors import SorotError
from annotator.model import Span
from annotator.project import gold_annotator
from ops.review import adjudicate_command, agreement_report
from storage import review
from storage.store import Store
from ui.events import StoreEvents
from ui.i18n import marked_word, status_name, translate
from ui.jobs import start_job
from ui.review.common import EditingPanel, fmt_score, push, stamp_text

KIND_COLOURS = {"match": "#e3f4e1", "mismatch": "#fde2cf"}
ONLY_COLOUR = "#fff4c2"
#: The comparison's words (``annotator.agreement``), translated where shown.
VERDICT_WORDS = (
    QT_TRANSLATE_NOOP("review", "match"),
    QT_TRANSLATE_NOOP("review", "mismatch"),
    QT_TRANSLATE_NOOP("review", "label"),
    QT_TRANSLATE_NOOP("review", "boundary"),
    QT_TRANSLATE_NOOP("review", "missing"),
    QT_TRANSLATE_NOOP("review", "only one"),
)


def verdict_word(word: str) -> str:
    """A comparison word in the desk's language ("label+boundary" word by word)."""
    return "+".join(marked_word("review", VERDICT_WORDS, w) for w in word.split("+"))


def _item(text: Any, *, data: Any = None, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(22)
    t.horizontalHeader().setStretchLastSection(True)
    t.setWordWrap(False)
    return t


def _beside(left: QWidget, right: list[QWidget | QLayout], *, grow: QWidget, sizes: list[int]) -> QSplitter:
    """``left`` beside a column of ``right`` (``grow`` takes the spare height)."""
    column = QWidget()
    col = QVBoxLayout(column)
    col.setContentsMargins(0, 0, 0, 0)
    for item in right:
        if isinstance(item, QLayout):
            col.addLayout(item)
        else:
            col.addWidget(item, 1 if item is grow else 0)
    split = QSplitter()
    split.addWidget(left)
    split.addWidget(column)
    split.setSizes(sizes)
    return split


def _span_text(sp: Span | None) -> str:
    if sp is None:
        return ""
    return f"{sp.label}  “{sp.text}”  [{sp.start}–{sp.end})"


class HistoryPanel(EditingPanel):
    """An article's timeline; pick a change to see the article as it was, restore it (undoably)."""

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None
    ) -> None:
        super().__init__(store, parent, undo_stack=undo_stack)
        self.article_id: int | None = None
        self.article_box = QSpinBox(minimum=1, maximum=2_000_000_000)
        self.article_box.setPrefix(translate("review", "Article #"))
        self.title = QLabel()
        self.events = _table(
            [translate("review", "When"), translate("review", "Who"), translate("review", "What")]
        )
        self.events.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.events.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.then = _table(
            [translate("review", "Span"), translate("review", "Status"), translate("review", "Annotator")]
        )
        self.then_label = QLabel(
            translate("review", "Pick a change to see the article as it was right after it.")
        )
        self.restore_btn = QPushButton(translate("review", "Restore this version"))
        self.restore_btn.setEnabled(False)
        self.restore_btn.clicked.connect(self.restore_selected)
        self.events.itemSelectionChanged.connect(self._on_pick)
        self.article_box.editingFinished.connect(lambda: self.show_article(self.article_box.value()))

        top = QHBoxLayout()
        top.addWidget(self.article_box)
        top.addWidget(self.title, 1)
        split = _beside(
            self.events, [self.then_label, self.then, self.restore_btn], grow=self.then, sizes=[600, 400]
        )
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self._relay = StoreEvents(store, self)
        self._relay.changed.connect(self._on_store_changed)

    def show_article(self, article_id: int) -> None:
        try:
            art = self.store.article(article_id)
        except SorotError as exc:
            self.title.setText(str(exc))
            return
        self.article_id = article_id
        self.article_box.blockSignals(True)
        self.article_box.setValue(article_id)
        self.article_box.blockSignals(False)
        self.title.setText(f"<b>{art.title or art.uid}</b> — {status_name(art.status)}")
        self._fill()

    def _fill(self) -> None:
        assert self.article_id is not None
        entries = history.timeline(self.store, self.article_id)
        self.events.setRowCount(len(entries))
        for i, ev in enumerate(entries):
            self.events.setItem(i, 0, _item(stamp_text(ev["ts"]), data=ev["id"]))
            self.events.setItem(i, 1, _item(ev["annotator"] or ""))
            self.events.setItem(i, 2, _item(ev["what"]))
        self.then.setRowCount(0)
        self.restore_btn.setEnabled(False)

    def selected_event(self) -> int | None:
        rows = self.events.selectionModel().selectedRows()
        if not rows:
            return None
        return self.events.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def _on_pick(self) -> None:
        event_id = self.selected_event()
        if event_id is None or self.article_id is None:
            return
        spans = history.state_at(self.store, self.article_id, event_id)
        self.then_label.setText(
            translate("review", "As it was right after change {event}: {count} spans").format(
                event=event_id, count=QLocale().toString(len(spans))
            )
        )
        self.then.setRowCount(len(spans))
        for i, sp in enumerate(spans):
            self.then.setItem(i, 0, _item(_span_text(sp)))
            self.then.setItem(i, 1, _item(status_name(sp.status)))
            self.then.setItem(i, 2, _item(sp.annotator or ""))
        self.then.resizeColumnsToContents()
        newest = self.events.item(0, 0).data(Qt.ItemDataRole.UserRole)
        self.restore_btn.setEnabled(event_id != newest)

    def restore_selected(self) -> bool:
        event_id = self.selected_event()
        if event_id is None or self.article_id is None:
            return False
        try:
            push(self.undo_stack, self.store, history.restore_command(self.store, self.article_id, event_id))
        except SorotError as exc:
            self.then_label.setText(str(exc))
            return False
        return True

    def _on_store_changed(self, changes: Changes) -> None:
        if changes.concerns(self.article_id) or (self.article_id is not None and changes.project):
            self._fill()


def _verdict(row: CompareRow, names: list[str]) -> str:
    if row.kind.startswith("only-"):
        who = [n for n in names if row.cells.get(n) is not None]
        return translate("review", "only {annotator}").format(annotator=who[0]) if who else row.kind
    kind = verdict_word(row.kind)
    return kind if not row.detail else f"{kind} ({verdict_word(row.detail)})"


def fill_compare(table: QTableWidget, names: list[str], rows: list[CompareRow]) -> None:
    table.setColumnCount(2 + len(names))
    table.setHorizontalHeaderLabels([translate("review", "Where"), translate("review", "Verdict"), *names])
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        verdict = _verdict(row, names)
        colour = QColor(KIND_COLOURS.get(row.kind, ONLY_COLOUR))
        cells = [_item(f"{row.start}–{row.end}", data=i), _item(verdict)]
        cells += [_item(_span_text(row.cells.get(n))) for n in names]
        for j, cell in enumerate(cells):
            cell.setBackground(QBrush(colour))
            table.setItem(i, j, cell)
    table.resizeColumnsToContents()


class ComparePanel(QWidget):
    """Each annotator's spans of one article side by side, differences marked."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[CompareRow] = []
        self.names: list[str] = []
        self.articles = QListWidget()
        self.articles.currentItemChanged.connect(self._on_article)
        self.table = _table([translate("review", "Where"), translate("review", "Verdict")])
        self.summary = QLabel()
        split = _beside(self.articles, [self.summary, self.table], grow=self.table, sizes=[220, 700])
        QVBoxLayout(self).addWidget(split)
        self.reload()

    def reload(self) -> None:
        self.articles.clear()
        ids = review.multi_annotated_ids(self.store, exclude=(gold_annotator(self.store),))
        for aid in ids[:5000]:
            item = QListWidgetItem(f"#{aid}")
            item.setData(Qt.ItemDataRole.UserRole, aid)
            self.articles.addItem(item)

    def _on_article(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_article(item.data(Qt.ItemDataRole.UserRole))

    def show_article(self, article_id: int, annotators: tuple[str, ...] = ()) -> list[CompareRow]:
        arts = list(review.annotated_articles(self.store, [article_id], annotators=annotators))
        spans = arts[0].spans if arts else {}
        self.names = sorted(spans)
        self.rows = compare({n: spans[n] for n in self.names})
        fill_compare(self.table, self.names, self.rows)
        counts: dict[str, int] = {}
        for r in self.rows:
            key = "only one" if r.kind.startswith("only-") else r.kind
            counts[key] = counts.get(key, 0) + 1
        title = arts[0].title if arts else ""
        self.summary.setText(
            f"<b>{title}</b> — " + ", ".join(f"{n} {verdict_word(k)}" for k, n in sorted(counts.items()))
            if self.rows
            else title
        )
        return self.rows


class AgreementPanel(QWidget):
    """Agreement per label and per article, computed in a worker."""

    computed = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.report: Report | None = None
        self.job = None
        self.annotators = QLineEdit(
            placeholderText=translate("review", "annotators (comma separated; empty = all but gold)")
        )
        self.labels = QLineEdit(placeholderText=translate("review", "labels (empty = all)"))
        self.run_btn = QPushButton(translate("review", "Compute"))
        self.run_btn.clicked.connect(self.compute)
        self.status = QLabel()
        self.table = _table(
            [
                translate("review", "Label"),
                translate("review", "Spans"),
                translate("review", "F1 exact"),
                translate("review", "F1 overlap"),
                translate("review", "Cohen's κ"),
                translate("review", "Krippendorff's α"),
            ]
        )
        self.per_article = _table(
            [
                translate("review", "Article"),
                translate("review", "Spans"),
                translate("review", "F1 exact"),
                translate("review", "F1 overlap"),
                "κ",
                "α",
            ]
        )
        self.note = QLabel(wordWrap=True)
        top = QHBoxLayout()
        top.addWidget(self.annotators, 2)
        top.addWidget(self.labels, 1)
        top.addWidget(self.run_btn)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.per_article)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        lay.addWidget(self.note)

    def compute(self) -> None:
        annotators = tuple(a.strip() for a in self.annotators.text().split(",") if a.strip())
        labels = tuple(x.strip() for x in self.labels.text().split(",") if x.strip())
        store = self.store
        self.run_btn.setEnabled(False)
        self.status.setText(translate("review", "Computing…"))

        def work(progress) -> Report:
            return agreement_report(store, annotators=annotators, labels=labels)

        self.job = start_job(work, "agreement")
        self.job.succeeded.connect(self.show_report)
        self.job.failed.connect(self._failed)

    def _failed(self, message: str) -> None:
        self.run_btn.setEnabled(True)
        self.status.setText(message)

    def show_report(self, report: Report) -> None:
        self.report = report
        self.run_btn.setEnabled(True)
        self.status.setText(
            translate("review", "{count} articles annotated by two or more of {annotators}").format(
                count=QLocale().toString(report.articles), annotators=", ".join(report.annotators) or "—"
            )
        )
        overall = translate("review", "overall")
        rows = [(lab, report.per_label[lab]) for lab in report.labels] + [(overall, report.overall)]
        self.table.setRowCount(len(rows))
        for i, (name, s) in enumerate(rows):
            values = [name, QLocale().toString(s.spans), fmt_score(s.f1_exact), fmt_score(s.f1_overlap), fmt_score(s.kappa),
                      fmt_score(s.alpha)]  # fmt: skip
            for j, v in enumerate(values):
                item = _item(v, align_right=j > 0)
                if name == overall and i == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        worst = sorted(
            report.per_article.items(), key=lambda kv: (kv[1].f1_exact is None, kv[1].f1_exact or 0)
        )
        self.per_article.setRowCount(min(len(worst), 500))
        for i, (aid, s) in enumerate(worst[:500]):
            values = [f"#{aid}", QLocale().toString(s.spans), fmt_score(s.f1_exact), fmt_score(s.f1_overlap), fmt_score(s.kappa),
                      fmt_score(s.alpha)]  # fmt: skip
            for j, v in enumerate(values):
                self.per_article.setItem(i, j, _item(v, data=aid if j == 0 else None, align_right=j > 0))
        self.table.resizeColumnsToContents()
        self.note.setText(
            translate("review", "Articles listed from least agreement. Note: {note}.").format(
                note=report.note
            )
        )
        self.computed.emit(report)


class AdjudicationPanel(EditingPanel):
    """Walk the articles where annotators disagree; pick the right span per row; save the reviewed version."""

    saved = Signal(int)  # article id

    def __init__(
        self, store: Store, parent: QWidget | None = None, *, undo_stack: QUndoStack | None = None
    ) -> None:
        super().__init__(store, parent, undo_stack=undo_stack)
        self.article_id: int | None = None
        self.rows: list[CompareRow] = []
        self.names: list[str] = []
        self.queue: list[int] = []
        self.articles = QListWidget()
        self.articles.currentItemChanged.connect(
            lambda item, _old: item is not None and self.show_article(item.data(Qt.ItemDataRole.UserRole))
        )
        self.title = QLabel()
        self.table = _table(
            [translate("review", "Where"), translate("review", "Verdict"), translate("review", "Decision")]
        )
        self.save_btn = QPushButton(translate("review", "Save reviewed version && next"))
        self.save_btn.clicked.connect(self.save_and_next)
        self.gold = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.gold, 1)
        bottom.addWidget(self.save_btn)
        split = _beside(self.articles, [self.title, self.table, bottom], grow=self.table, sizes=[220, 700])
        QVBoxLayout(self).addWidget(split)
        self.reload()

    def reload(self) -> None:
        """The queue: articles with 2+ annotators not yet reviewed, disagreements first."""
        gold = gold_annotator(self.store)
        self.gold.setText(
            translate(
                "review", "Saved as annotator “{gold}”, status accepted; the article becomes reviewed."
            ).format(gold=gold)
        )
        self.articles.blockSignals(True)
        self.articles.clear()
        self.queue = []
        ids = review.multi_annotated_ids(self.store, exclude=(gold,))
        for art in review.annotated_articles(self.store, ids[:2000], exclude=(gold,)):
            if art.status == "reviewed":
                continue
            rows = compare(art.spans)
            open_rows = sum(1 for r in rows if r.kind != "match")
            if not open_rows:
                continue
            self.queue.append(art.article_id)
            item = QListWidgetItem(
                f"#{art.article_id} {art.title[:30]} — "
                + translate("review", "{count} to decide").format(count=QLocale().toString(open_rows))
            )
            item.setData(Qt.ItemDataRole.UserRole, art.article_id)
            self.articles.addItem(item)
        self.articles.blockSignals(False)
        if self.queue:
            self.articles.setCurrentRow(0)
            self.show_article(self.queue[0])

    def show_article(self, article_id: int) -> None:
        gold = gold_annotator(self.store)
        arts = list(review.annotated_articles(self.store, [article_id], exclude=(gold,)))
        if not arts:
            return
        art = arts[0]
        self.article_id = article_id
        self.names = sorted(art.spans)
        self.rows = compare({n: art.spans[n] for n in self.names})
        who = translate("review", "annotators: {names}").format(names=", ".join(self.names))
        self.title.setText(f"<b>{art.title}</b> (#{article_id}) — {who}")
        self.table.clearContents()  # the last article's choice boxes go too
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            verdict = _verdict(row, self.names)
            colour = QColor(KIND_COLOURS.get(row.kind, ONLY_COLOUR))
            for j, cell in enumerate((_item(f"{row.start}–{row.end}"), _item(verdict))):
                cell.setBackground(QBrush(colour))
                self.table.setItem(i, j, cell)
            combo = QComboBox()
            seen = set()
            for name in self.names:
                sp = row.cells.get(name)
                if sp is not None and sp.key not in seen:
                    seen.add(sp.key)
                    combo.addItem(f"{_span_text(sp)}  ({name})", sp)
            combo.addItem(translate("review", "no span here"), None)
            # A match is decided already; elsewhere the first annotator's span is the starting point.
            combo.setCurrentIndex(0)
            self.table.setCellWidget(i, 2, combo)
        self.table.resizeColumnsToContents()

    def choose(self, row: int, annotator: str | None) -> None:
        """Pick ``annotator``'s span for a row (None: no span)."""
        combo: QComboBox = self.table.cellWidget(row, 2)
        target = self.rows[row].cells.get(annotator) if annotator else None
        for i in range(combo.count()):
            sp = combo.itemData(i)
            if (sp is None and target is None) or (
                sp is not None and target is not None and sp.key == target.key
            ):
                combo.setCurrentIndex(i)
                return

    def chosen(self) -> list[Span]:
        out = []
        for i in range(self.table.rowCount()):
            sp = self.table.cellWidget(i, 2).currentData()
            if sp is not None:
                out.append(sp)
        return out

    def save(self) -> bool:
        if self.article_id is None:
            return False
        try:
            push(
                self.undo_stack,
                self.store,
                adjudicate_command(self.store, self.article_id, self.chosen()),
            )
        except SorotError as exc:
            self.title.setText(str(exc))
            return False
        self.saved.emit(self.article_id)
        return True

    def save_and_next(self) -> None:
        done = self.article_id
        if not self.save():
            return
        if done in self.queue:
            idx = self.queue.index(done)
            self.queue.remove(done)
            self.articles.blockSignals(True)
            self.articles.takeItem(idx)
            self.articles.blockSignals(False)
            if self.queue:
                nxt = min(idx, len(self.queue) - 1)
                self.articles.setCurrentRow(nxt)
                self.show_article(self.queue[nxt])
