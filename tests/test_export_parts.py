"""Exports written in parts by helper processes give the same file as one process."""

from __future__ import annotations

import pytest

from annotator import export_parts
from annotator.errors import StoreError
from annotator.progress import Cancelled, Progress
from ops.workflows import export_project, import_paths
from storage.store import ArticleFilter, Store
from tests.paths import DATA


@pytest.fixture(autouse=True)
def parts_on_a_warm_cache_too(monkeypatch):
    # the project is writable: its first export fills the token cache, and a warm cache
    # would otherwise keep these small exports in one process
    monkeypatch.setattr(export_parts, "WARM_PARTS_FROM", 0)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("parts") / "p.sorot"
    store = Store.open(path)
    summary = import_paths(
        store, [DATA / "nergrit" / "valid.iob"], fmt="conll", options={"sentences_per_article": 5}
    )
    assert summary.articles_added >= 30 and not summary.failures
    # a rejected span and a note, so the filters and every span field take part
    spans = store.spans(store.article_ids()[0])
    store.update_spans([(spans[0].id, {"status": "rejected"}), (spans[1].id, {"note": "cek lagi"})])
    yield store
    store.close()


@pytest.mark.parametrize("fork", [False, True], ids=["spawned", "forked"])
@pytest.mark.parametrize("fmt", ["prodigy", "doccano", "spacy"])
def test_parts_give_the_same_bytes(project, tmp_path, monkeypatch, fmt, fork):
    monkeypatch.setattr(export_parts, "FORK", fork)
    monkeypatch.setattr(export_parts, "PART_SIZE", 4)
    monkeypatch.setattr(export_parts, "PARTS_FROM", 8)
    monkeypatch.setattr(export_parts, "HELPERS_FIRST", True)
    flt = ArticleFilter(span_statuses=("accepted", "rejected"))
    one = export_project(project, tmp_path / f"one.{fmt}", fmt=fmt, flt=flt, workers=0)
    seen: list[int] = []
    parts = export_project(
        project,
        tmp_path / f"parts.{fmt}",
        fmt=fmt,
        flt=flt,
        workers=1,
        progress=Progress(lambda d, t, m: seen.append(d)),
    )
    assert (parts.articles, parts.spans) == (one.articles, one.spans)
    assert parts.problems == one.problems
    assert (tmp_path / f"parts.{fmt}").read_bytes() == (tmp_path / f"one.{fmt}").read_bytes()
    assert seen[-1] == one.articles and len(seen) > 3  # progress part by part
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"one.{fmt}", f"parts.{fmt}"])


def test_cancel_leaves_no_file(project, tmp_path, monkeypatch):
    monkeypatch.setattr(export_parts, "PART_SIZE", 4)
    monkeypatch.setattr(export_parts, "PARTS_FROM", 8)
    progress = Progress(lambda done, total, message: progress.cancel())
    with pytest.raises(Cancelled):
        export_project(
            project, tmp_path / "out.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=1, progress=progress
        )
    assert list(tmp_path.iterdir()) == []  # neither the file nor the parts folder


def test_a_filter_that_picks_few_articles_stays_in_process(project, tmp_path, monkeypatch):
    def no_parts(*args, **kwargs):
        raise AssertionError("a small export is written by this process alone")

    monkeypatch.setattr(export_parts, "export_in_parts", no_parts)
    first = project.article_ids()[0]
    summary = export_project(
        project, tmp_path / "one.jsonl", fmt="prodigy", flt=ArticleFilter(article_ids=(first,)), workers=1
    )
    assert summary.articles == 1


class HelperCannotOpen(Store):
    """A store that helper processes cannot open (as with a project they may not read)."""

    @classmethod
    def open(cls, *args, **kwargs):
        raise StoreError("helpers may not open this project")


def test_helpers_that_fail_leave_the_work_to_this_process(project, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(export_parts, "PART_SIZE", 4)
    monkeypatch.setattr(export_parts, "PARTS_FROM", 8)
    monkeypatch.setattr(export_parts, "HELPERS_FIRST", True)
    one = export_project(project, tmp_path / "one.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=0)
    monkeypatch.setattr(project, "__class__", HelperCannotOpen)
    parts = export_project(project, tmp_path / "parts.jsonl", fmt="prodigy", flt=ArticleFilter(), workers=1)
    assert parts.articles == one.articles
    assert (tmp_path / "parts.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert "helpers may not open this project" in caplog.text
