"""spaCy's entry point for Sorot's ensemble component (``pyproject.toml``,
``[project.entry-points.spacy_factories]``): wherever Sorot is installed, a plain
``spacy.load`` of a model Sorot trained with two members finds the ``sorot_ensemble_ner``
factory without importing Sorot first. spaCy imports this module when it meets the factory's
name; importing it registers the factory (with its default config, which spaCy needs)."""

from __future__ import annotations

from annotator.ensemble import _make, register

register()

make = _make
