"""The long jobs the CLI and the desk share: import, cancel, export."""

from __future__ import annotations

import pytest

from annotator.progress import Cancelled, Progress
from annotator.workflows import export_project, import_paths
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
