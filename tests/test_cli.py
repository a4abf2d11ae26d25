"""The command line, run as a person would: ``python main.py COMMAND`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.paths import DATA, ROOT, SAMPLE

NERGRIT = DATA / "nergrit" / "valid.iob"


def sorot(db, *args, check=True, env=None):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--annotator", "cli", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def test_every_command_documents_itself(tmp_path):
    for command in (
        "import",
        "export",
        "suggest",
        "stats",
        "labels",
        "train",
        "evaluate",
        "agreement",
        "history",
        "models",
    ):
        out = sorot(tmp_path / "p.sorot", command, "--help").stdout
        assert "usage: sorot" in out and command in out


def test_import_suggest_export_and_reimport_round_trip(tmp_path):
    db = tmp_path / "p.sorot"
    out = sorot(
        db,
        "import",
        NERGRIT,
        "--format",
        "conll",
        "--sentences-per-article",
        "20",
        "--label-map",
        "PERSON=ACTOR",
        "ORGANISATION=ACTOR",
        "PLACE=LOCATION",
        "--status",
        "done",
    ).stdout
    assert "new article(s)" in out
    sorot(db, "import", SAMPLE, "--suggest")
    stats = json.loads(sorot(db, "stats", "--json").stdout)
    assert stats["articles_by_status"]["new"] == 1
    assert stats["spans_by_label"]["ACTOR"]["suggested"] > 0
    assert stats["spans_by_label"]["CLAIM"]["suggested"] > 0
    exported = tmp_path / "out.jsonl"
    sorot(db, "export", exported, "--format", "prodigy", "--status", "done")
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert len(lines) == stats["articles_by_status"]["done"]
    again = tmp_path / "again.sorot"
    sorot(again, "import", exported)
    back = json.loads(sorot(again, "stats", "--json").stdout)
    accepted = {k: v.get("accepted", 0) for k, v in stats["spans_by_label"].items() if v.get("accepted")}
    assert {k: v.get("accepted", 0) for k, v in back["spans_by_label"].items()} == accepted
    # importing the same file again merges instead of duplicating
    sorot(again, "import", exported)
    assert json.loads(sorot(again, "stats", "--json").stdout)["articles"] == back["articles"]


def test_bad_files_get_one_clear_error_and_the_rest_of_the_batch_imports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Kim Jong Un tiba di Moskow.\nIa bertemu Putin.\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / "broken.jsonl").write_text('{"text": "ok", "spans": [{"start": 0, "end": 99, "label": "X"}]}\n')
    proc = sorot(tmp_path / "p.sorot", "import", folder, check=False)
    assert proc.returncode == 2  # some files failed
    assert "binary.txt" in proc.stderr and "broken.jsonl:1" in proc.stderr
    assert json.loads(sorot(tmp_path / "p.sorot", "stats", "--json").stdout)["articles"] == 1


def test_a_file_that_is_not_a_project_is_refused(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n" * 100)
    proc = sorot(notes, "stats", check=False)
    assert proc.returncode == 1 and "not a Sorot project" in proc.stderr
    assert notes.read_text() == "hello\n" * 100


def test_labels_add_edit_and_export_filters(tmp_path):
    db = tmp_path / "p.sorot"
    sorot(db, "labels", "add", "EVENT", "--colour", "#f28e2b", "--shortcut", "4", "--maps-from", "EVENT")
    sorot(db, "labels", "edit", "EVENT", "--kind", "claim")
    out = sorot(db, "labels").stdout
    assert "EVENT" in out and "claim" in out and "#f28e2b" in out
    proc = sorot(db, "labels", "add", "EVENT", check=False)
    assert proc.returncode != 0 and "already exists" in proc.stderr


def test_a_missing_pipeline_is_one_clear_error_listing_what_is_installed(tmp_path):
    db = tmp_path / "p.sorot"
    sorot(db, "import", SAMPLE)
    proc = sorot(db, "suggest", "--suggesters", "spacy:no_such_pipeline", "--articles", "all", check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("no_such_pipeline") == 1 and "Installed pipelines" in proc.stderr


def test_an_export_that_cannot_be_written_is_one_clear_error(tmp_path):
    db = tmp_path / "p.sorot"
    sorot(db, "import", SAMPLE)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    proc = sorot(db, "export", tmp_path / "a-file" / "out.jsonl", "--format", "prodigy", check=False)
    assert proc.returncode == 1
    assert "cannot write" in proc.stderr and "Traceback" not in proc.stderr


def test_output_to_a_closed_pipe_ends_quietly(tmp_path):
    """``main.py stats | head -1``: the reader may be gone before sorot writes."""
    db = tmp_path / "p.sorot"
    sorot(db, "import", SAMPLE)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), "stats"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_a_command_module_that_cannot_be_imported_is_an_error_naming_it(tmp_path):
    # Given the module of the train command cannot be imported
    code = (
        "import sys; sys.modules['cli.train'] = None; sys.argv[1:] = ['--db', sys.argv[1], 'stats'];"
        "import runpy; runpy.run_path('main.py', run_name='__main__')"
    )
    # When any command runs
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "p.sorot")],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    # Then it fails, naming the module, instead of running without the train command
    assert proc.returncode != 0 and "cli.train" in proc.stderr


def test_models_history_and_agreement_run_on_a_project(tmp_path):
    db = tmp_path / "p.sorot"
    sorot(db, "import", SAMPLE)
    models = sorot(db, "models").stdout
    assert "built in: rules, gazetteer" in models and "this project suggests with: rules,gazetteer" in models
    assert "article 1:" in sorot(db, "history", "1").stdout
    proc = sorot(db, "agreement", check=False)
    assert proc.returncode == 1 and "no article is annotated by two or more annotators" in proc.stdout


def test_train_and_evaluate_say_in_one_line_when_there_is_nothing_finished(tmp_path):
    # Given a project whose only article is new
    db = tmp_path / "p.sorot"
    sorot(db, "import", SAMPLE)
    # When training or evaluating on it
    trained = sorot(db, "train", tmp_path / "model", check=False)
    evaluated = sorot(db, "evaluate", "xx_no_such_model", check=False)
    # Then each says why in one line, with no traceback and nothing written
    assert trained.returncode == 2 and "nothing to train on" in trained.stderr
    assert evaluated.returncode == 2 and "no articles match" in evaluated.stderr
    assert "Traceback" not in trained.stderr + evaluated.stderr and not (tmp_path / "model").exists()


def test_format_choices_come_from_the_format_registry_and_cost_other_commands_nothing(tmp_path):
    from annotator.formats import export_choices, import_choices

    # The command line offers exactly the registry's formats ...
    assert all(f in sorot(tmp_path / "p.sorot", "import", "--help").stdout for f in import_choices())
    out = " ".join(sorot(tmp_path / "p.sorot", "export", "--help").stdout.split())
    assert all(f in out for f in export_choices())
    # ... and building the parser does not import the formats (start-up stays quick)
    code = "import sys, cli; cli.build_parser(); print('annotator.formats' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr
