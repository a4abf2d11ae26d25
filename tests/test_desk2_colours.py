"""[desk-2] The default label colours, as analysts with protanopia or deuteranopia see them
in the light and the dark theme: every pair of labels and every label against the text
background differ by a minimum CIEDE2000 distance, for each way the desk paints a label.
No Qt here (the dark background is checked against ui.appearance in test_desk2_eyes.py)."""

from __future__ import annotations

import pytest

from annotator.colours import as_painted, delta_e, delta_e_lab, problems, simulate
from storage.schema import default_labels

#: The text backgrounds of the two themes (ui/appearance.py: the palette's Base).
BACKGROUNDS = {"light": "#ffffff", "dark": "#1e1f22"}
#: How the desk paints a label (ui/highlight.py), and the differences each must keep:
#: the colour itself (claim underlines, suggestion underlines, palette borders), an accepted
#: entity's tint, a suggestion's faint tint (which also has its colour's dashed underline).
PAINTS = {
    "full colour": (1.0, 15.0, 25.0),
    "accepted tint": (0.55, 10.0, 12.0),
    "suggestion tint": (0.22, 5.0, 5.0),
}


def test_ciede2000_matches_the_published_test_data():
    # Sharma, Wu & Dalal (2005), pairs 1, 7 and 17
    assert delta_e_lab((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e_lab((50.0, 0.0, 0.0), (50.0, -1.0, 2.0)) == pytest.approx(2.3669, abs=1e-4)
    assert delta_e_lab((50.0, 2.5, 0.0), (73.0, 25.0, -18.0)) == pytest.approx(27.1492, abs=1e-4)


def test_the_simulation_confuses_what_it_should():
    # red and green, far apart for normal vision, nearly one colour without M or L cones
    assert delta_e("#d62728", "#2ca02c") > 50
    assert delta_e(simulate("#e15759", "deuteranopia"), simulate("#59a14f", "deuteranopia")) < 3
    assert simulate("#808080", "protanopia") == "#808080"  # greys stay grey


@pytest.mark.parametrize("theme", sorted(BACKGROUNDS))
@pytest.mark.parametrize("paint", sorted(PAINTS))
def test_default_labels_stay_apart_for_colour_blind_analysts(theme, paint):
    colours = {lab["name"]: lab["colour"] for lab in default_labels()}
    alpha, pair, against_background = PAINTS[paint]
    background = BACKGROUNDS[theme]
    seen = as_painted(colours, alpha, background)
    assert problems(seen, background, pair=pair, against_background=against_background) == []


def test_the_old_defaults_would_have_failed():
    # the Tableau colours Sorot shipped before: LOCATION and CLAIM merge under deuteranopia
    old = {"ACTOR": "#4e79a7", "LOCATION": "#59a14f", "CLAIM": "#e15759"}
    found = problems(old, "#ffffff", pair=15.0, against_background=25.0)
    assert any("deuteranopia: CLAIM and LOCATION" in p for p in found)
