"""The long jobs the CLI and the desk share: import, cancel, export."""

from __future__ import annotations

import json

import pytest

from annotator.progress import Cancelled, Progress
from ops.workflows import export_project, import_paths
from storage.store import ArticleFilter, Store


def write_files(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(
            f"Berita {i}\nKim Jong Un tiba di Moskow pada hari {i}.\n", encoding="utf-8"
        )


def test_import_stores_every_file(tmp_path):
    write_files(tmp_path / "in", 12)
    store = Store.memory()
    summary = import_paths(store, [tmp_path / "in"])
    assert (summary.files_ok, summary.articles_added, summary.failures) == (12, 12, [])
    assert store.count_articles() == 12


def test_cancel_stops_after_the_file_in_hand(tmp_path):
    write_files(tmp_path / "in", 12)
    store = Store.memory()
    progress = Progress(lambda done, total, message: progress.cancel() if done == 3 else None)
    with pytest.raises(Cancelled):
        import_paths(store, [tmp_path / "in"], progress=progress)
    assert store.count_articles() == 3  # whole files only, none half-imported


def test_export_follows_the_filter(tmp_path):
    write_files(tmp_path / "in", 3)
    store = Store.memory()
    import_paths(store, [tmp_path / "in"])
    first = store.article_ids()[0]
    store.set_article_status(first, "done")
    summary = export_project(
        store, tmp_path / "out.jsonl", fmt="doccano", flt=ArticleFilter(statuses=("done",))
    )
    assert summary.articles == 1
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def _jsonl(path, texts, bad_line=None):
    lines = []
    for i, text in enumerate(texts, 1):
        start = text.index("Jokowi")
        lines.append(
            json.dumps({"text": text, "spans": [{"start": start, "end": start + 6, "label": "TOKOH"}]})
        )
        if i == bad_line:
            lines[-1] = '{"text": "broken'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def streamed(monkeypatch):
    """Every JSON-lines file read a line at a time, in batches of three documents."""
    from annotator.formats import jsonl
    from ops import workflows

    monkeypatch.setattr(jsonl, "STREAM_FROM", 0)
    monkeypatch.setattr(workflows, "IMPORT_BATCH", 3)


def test_a_streamed_file_is_one_transaction(tmp_path, streamed):
    folder = tmp_path / "in"
    folder.mkdir()
    texts = [f"Berita {i}: Jokowi tiba di Medan." for i in range(10)]
    _jsonl(folder / "a-good.jsonl", texts[:7] + [texts[0]])  # the last line repeats the first
    _jsonl(folder / "b-bad.jsonl", [t.replace("Berita", "Kabar") for t in texts], bad_line=9)
    store = Store.memory()
    summary = import_paths(store, [folder], annotator="ana")
    assert (summary.files_ok, summary.articles_added, summary.articles_merged) == (1, 7, 1)
    assert store.count_articles() == 7  # nothing of b-bad.jsonl, though 8 of its lines were read
    [(path, message)] = summary.failures
    assert path.endswith("b-bad.jsonl") and ":9" in message and "not valid JSON" in message
    assert "TOKOH" in {lab.name for lab in store.labels()}  # created in the import's transaction
    first = store.article_ids()[0]
    assert [(sp.label, sp.annotator) for sp in store.spans(first)] == [("TOKOH", "ana")]


def test_cancel_in_the_middle_of_a_streamed_file_drops_it(tmp_path, streamed):
    _jsonl(tmp_path / "big.jsonl", [f"Berita {i}: Jokowi tiba di Medan." for i in range(10)])
    store = Store.memory()
    progress = Progress(lambda done, total, message: progress.cancel())
    with pytest.raises(Cancelled):
        import_paths(store, [tmp_path / "big.jsonl"], progress=progress)
    assert store.count_articles() == 0
    assert import_paths(store, [tmp_path / "big.jsonl"]).articles_added == 10  # and the store still works
