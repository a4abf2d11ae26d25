"""Rules and gazetteer on unseen text (issue #14, item 5): the names labelled in news, and the
rule changes measured with bench/bench_rules_unseen.py."""

from __future__ import annotations

import pytest

from annotator.suggest.base import LOCATION, Suggestion
from annotator.suggest.rules import RulesSuggester, load_places


def found(text: str, suggestions: list[Suggestion]) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.label) for s in suggestions if s.label != "CLAIM"}


@pytest.fixture(scope="module")
def rules() -> RulesSuggester:
    return RulesSuggester(claims=False)


def test_names_labelled_in_news_are_loaded_beside_the_place_data():
    # Given the shipped lists
    with_names, without = load_places(), load_places(news_names=False)
    # Then names.tsv adds names (people and organisations as ACTOR) and never relabels a place
    added = set(with_names) - set(without)
    assert len(added) > 1000
    assert with_names["Joko Widodo"] == "ACTOR"
    assert all(with_names[n] == lab for n, lab in without.items())
    assert {with_names[n] for n in added} <= {"ACTOR", LOCATION}


def test_a_listed_name_is_suggested_with_its_label_even_as_a_single_word(rules):
    # Given a single capitalised word no rule supports, once listed as a name
    text = "Kami bertemu Widodo kemarin ."
    places = dict(load_places())
    places["Widodo"] = "ACTOR"
    listed = RulesSuggester(claims=False, places=places)
    # Then only the suggester that knows the name offers it
    assert ("Widodo", "ACTOR") in found(text, listed.suggest([text], ["id"])[0])
    assert ("Widodo", "ACTOR") not in found(text, rules.suggest([text], ["id"])[0])


def test_di_is_a_preposition_not_a_connector_inside_a_name(rules):
    text = "Ia bekerja di Nair Hospital di Mumbai sejak 1990 ."
    got = found(text, rules.suggest([text], ["id"])[0])
    assert ("Nair Hospital di Mumbai", "ACTOR") not in got
    assert ("Mumbai", LOCATION) in got


def test_the_title_of_a_work_is_not_an_actor(rules):
    text = 'Ia bermain dalam film Cinta Bertasbih dan menyanyikan lagu " Hey Ya " bersama Rossa Lestari .'
    got = found(text, rules.suggest([text], ["id"])[0])
    assert not {t for t, _ in got} & {"Cinta Bertasbih", "Hey Ya"}


def test_a_numbered_school_takes_its_number_and_town(rules):
    text = "Ia bersekolah di SMA Negeri 1 Malang lalu pindah ke Surabaya ."
    got = found(text, rules.suggest([text], ["id"])[0])
    assert ("SMA Negeri 1 Malang", "ACTOR") in got
    assert ("SMA Negeri", "ACTOR") not in got


def test_an_unknown_acronym_needs_to_be_repeated(rules):
    once = "Laporan itu dikirim ke XKCD kemarin ."
    twice = "Laporan itu dikirim ke XKCD kemarin . XKCD membantah ."
    assert ("XKCD", "ACTOR") not in found(once, rules.suggest([once], ["id"])[0])
    assert ("XKCD", "ACTOR") in found(twice, rules.suggest([twice], ["id"])[0])
    known = "Laporan itu dikirim ke KPK kemarin ."
    assert ("KPK", "ACTOR") in found(known, rules.suggest([known], ["id"])[0])


def test_a_commander_is_a_title(rules):
    text = "Pasukan itu di bawah Komandan Benny Moerdani ."
    assert ("Benny Moerdani", "ACTOR") in found(text, rules.suggest([text], ["id"])[0])
