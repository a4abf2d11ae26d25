"""The format registry: each format declared once; choices, filters and reader options
derived from it."""

from __future__ import annotations

import inspect

from annotator.formats import FORMATS, export_choices, file_filters, import_choices, read_options


def test_choices_come_from_the_declarations():
    assert import_choices()[0] == "auto"
    assert set(import_choices()[1:]) <= {n for n, spec in FORMATS.items() if spec.read is not None}
    assert "prodigy" not in import_choices()  # read as jsonl
    assert export_choices() == tuple(n for n, spec in FORMATS.items() if spec.write is not None)
    assert {"prodigy", "doccano", "doccano-relations", "spacy", "conll", "brat", "csv", "txt"} <= set(
        export_choices()
    )


def test_every_reader_takes_the_options_it_declares():
    for name, spec in FORMATS.items():
        params = inspect.signature(spec.read).parameters
        assert any(p.kind is p.VAR_KEYWORD for p in params.values()), name  # the common ones
        for option in spec.options:
            assert option in params, (name, option)
        assert read_options(name)[:5] == ("label_map", "lang", "annotator", "status", "problems")


def test_file_filters_name_every_extension():
    filters = file_filters("import")
    assert filters[0].startswith("Everything Sorot reads (") and "*.spacy" in filters[0]
    assert any(f.startswith("CoNLL") and "*.iob" in f for f in filters)
    exports = file_filters("export")
    assert not any("brat" in f for f in exports)  # a folder, not a file
    assert all(f.endswith(")") for f in filters + exports)


def test_an_extension_names_one_importable_format(tmp_path):
    from annotator.formats import detect_format

    seen: dict[str, str] = {}
    for name in import_choices()[1:]:
        for ext in FORMATS[name].extensions:
            assert ext not in seen, (ext, seen.get(ext), name)
            seen[ext] = name
    assert seen[".iob"] == "conll" and seen[".ann"] == "brat" and seen[".spacy"] == "spacy"
    (tmp_path / "x.ner").write_text("Bob\tB-P\n", encoding="utf-8")
    assert detect_format(tmp_path / "x.ner") == "conll"
