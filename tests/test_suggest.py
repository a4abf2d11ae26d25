"""Suggesters: rules on real news, the learned gazetteer, merging, spaCy pipelines, failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import ModelError
from annotator.suggest import build_suggesters
from annotator.suggest.base import Suggestion, merge, run_suggesters
from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester
from annotator.suggest.rules import RulesSuggester
from tests.paths import SAMPLE  # noqa: E402

ID_TEXT = (
    "Menteri Pertahanan Rusia Andrey Belousov bertemu langsung dengan Presiden Korea Utara "
    "Kim Jong Un di ibu kota Pyongyang pada Sabtu (30/11/2024).\n"
    "Hal tersebut diungkapkan langsung oleh media pemerintah Pyongyang, KCNA.\n"
    "“Kim mengadakan pertemuan yang bersahabat dengan Menteri Pertahanan Rusia Andrey Belousov "
    "di Pyongyang,” demikian laporan KCNA.\n"
    "Korea Utara dan Rusia telah berjanji untuk saling memberikan bantuan militer.\n"
)


def found(text: str, suggestions: list[Suggestion]) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.label) for s in suggestions}


@pytest.fixture(scope="module")
def rules() -> RulesSuggester:
    return RulesSuggester()


def test_rules_on_indonesian_news(rules):
    # Given the sample article, or a stand-in when the shared data is absent
    text = SAMPLE.read_text(encoding="utf-8") if SAMPLE.exists() else ID_TEXT
    # When the rules suggest spans
    got = found(text, rules.suggest([text], ["id"])[0])
    # Then actors, places and the quoted claim are there, titles left out
    for expected in [
        ("Andrey Belousov", "ACTOR"),
        ("Kim Jong Un", "ACTOR"),
        ("KCNA", "ACTOR"),
        ("Pyongyang", "LOCATION"),
        ("Korea Utara", "LOCATION"),
        ("Rusia", "LOCATION"),
    ]:
        assert expected in got
    claims = [t for t, label in got if label == "CLAIM"]
    assert any(t.startswith("“Kim mengadakan") and "KCNA" in t for t in claims)
    assert ("Menteri Pertahanan Rusia Andrey Belousov", "ACTOR") not in got
    assert not any(t in ("Dalam", "Hal", "Tak", "Sabtu") for t, _ in got)


def test_rules_on_english_news(rules):
    text = (
        "Russian Defence Minister Andrey Belousov met North Korean leader Kim Jong Un in Pyongyang.\n"
        "The meeting was reported by KCNA.\n"
        '"We will stand together," Belousov said, according to the Korean Central News Agency.\n'
        "Prime Minister Anthony Albanese travelled to Jakarta and Indonesia welcomed him.\n"
    )
    got = found(text, rules.suggest([text], ["en"])[0])
    assert ("Andrey Belousov", "ACTOR") in got
    assert ("Kim Jong Un", "ACTOR") in got
    assert ("Anthony Albanese", "ACTOR") in got
    assert ("Pyongyang", "LOCATION") in got
    assert ("Jakarta", "LOCATION") in got
    assert ("Indonesia", "LOCATION") in got
    assert ("KCNA", "ACTOR") in got
    assert ("Korean Central News Agency", "ACTOR") in got
    assert any(label == "CLAIM" and t.startswith('"We will') for t, label in got)
    # The claim carries its claimant: the speaker, not the agency it was reported by
    [claim] = [s for s in rules.suggest([text], ["en"])[0] if s.label == "CLAIM"]
    start, end = claim.attrs["claimant"]
    assert text[start:end] == "Belousov"


def test_rules_batch_keeps_order_and_languages(rules):
    texts = ["Presiden Joko Widodo tiba di Bandung.", "", "Mayor Sadiq Khan visited Paris."]
    out = rules.suggest(texts, ["id", "xx", "en"])
    assert len(out) == 3 and out[1] == []
    assert ("Joko Widodo", "ACTOR") in found(texts[0], out[0])
    assert ("Sadiq Khan", "ACTOR") in found(texts[2], out[2])


# --- gazetteer ------------------------------------------------------------------------------


def test_gazetteer_learns_and_matches_whole_tokens():
    gaz = Gazetteer()
    gaz.learn("Lee Woong-gil", "ACTOR")
    gaz.learn("Lee", "ACTOR")
    gaz.learn("APNews", "ACTOR")
    sug = GazetteerSuggester(gaz)
    text = "kata Lee Woong-gil, seperti dikutip APNews. Leeds dan APNewsroom tidak."
    got = found(text, sug.suggest([text], ["id"])[0])
    # longest match wins, and no match inside a longer word
    assert got == {("Lee Woong-gil", "ACTOR"), ("APNews", "ACTOR")}


def test_gazetteer_is_case_sensitive_and_stops_after_rejections():
    gaz = Gazetteer.from_counts([("Rusia", "LOCATION", 1, 0)])
    sug = GazetteerSuggester(gaz)
    text = "Rusia dan rusia."
    assert found(text, sug.suggest([text])[0]) == {("Rusia", "LOCATION")}
    gaz.reject("Rusia", "LOCATION")
    assert gaz.is_suggested("Rusia", "LOCATION")  # one rejection does not outweigh
    gaz.reject("Rusia", "LOCATION")
    assert not gaz.is_suggested("Rusia", "LOCATION")
    assert sug.suggest([text])[0] == []
    gaz.learn("Rusia", "LOCATION")
    gaz.learn("Rusia", "LOCATION")
    assert found(text, sug.suggest([text])[0]) == {("Rusia", "LOCATION")}
    gaz.unlearn("Rusia", "LOCATION")
    assert gaz.is_suggested("Rusia", "LOCATION")  # 2 accepted, 2 rejected: a tie still counts
    gaz.unlearn("Rusia", "LOCATION")
    assert not gaz.is_suggested("Rusia", "LOCATION")


class Fixed:
    """A suggester that proposes the same (text, label) pairs wherever they occur."""

    def __init__(self, name: str, pairs: list[tuple[str, str]]) -> None:
        self.name, self.pairs = name, pairs

    def suggest(self, texts, langs=None):
        out = []
        for text in texts:
            found_here = []
            for words, label in self.pairs:
                at = text.find(words)
                if at >= 0:
                    found_here.append(Suggestion(at, at + len(words), label, None, self.name))
            out.append(found_here)
        return out


def test_gazetteer_corrects_the_other_suggesters_with_what_the_analyst_decided():
    # Given an analyst who twice rejected "APBD" as a place, always took "Ajax" for an actor,
    # and labelled three "SMK ..." schools as places
    rows = [("APBD", "LOCATION", 0, 2), ("Ajax", "ACTOR", 3, 0), ("SMK Negeri 1", "LOCATION", 1, 0),
            ("SMK Cikeusik", "LOCATION", 1, 0), ("SMK Bina", "LOCATION", 1, 0), ("Bekasi", "LOCATION", 1, 1)]  # fmt: skip
    gaz = GazetteerSuggester(Gazetteer.from_counts(rows))
    rules = Fixed("rules", [("APBD", "LOCATION"), ("Ajax", "LOCATION"), ("SMK Pandeglang", "ACTOR"),
                            ("Bekasi", "LOCATION"), ("Polri", "ACTOR"), ("Dana APBD naik", "CLAIM")])  # fmt: skip
    text = "Dana APBD naik untuk Ajax di SMK Pandeglang, Bekasi, kata Polri."
    # When both run, the rules first
    unmerged: list = []
    [merged] = run_suggesters([rules, gaz], [text], ["id"], unmerged=unmerged)
    # Then the rejected pair is gone, the learned labels win, the rest stands untouched
    assert found(text, merged) == {
        ("Ajax", "ACTOR"), ("SMK Pandeglang", "LOCATION"), ("Bekasi", "LOCATION"), ("Polri", "ACTOR"),
        ("Dana APBD naik", "CLAIM"),
    }  # fmt: skip
    by_origin = {(text[s.start : s.end], s.origin) for s in merged}
    assert ("Ajax", "gazetteer") in by_origin and ("Polri", "rules") in by_origin
    assert ("Bekasi", "rules") in by_origin  # accepted once before: the rules' own proposal stays
    # the queue's usefulness sees the proposals as corrected
    assert found(text, unmerged[0]["rules"]) == found(text, merged)
    # A suggester the gazetteer knows nothing about is left alone when the gazetteer is empty
    [plain] = run_suggesters([rules, GazetteerSuggester()], [text], ["id"])
    assert ("APBD", "LOCATION") in found(text, plain) and ("Ajax", "LOCATION") in found(text, plain)


def test_gazetteer_settles_a_first_word_only_with_enough_agreement():
    two = Gazetteer.from_counts([("SMA Negeri 5", "LOCATION", 1, 0), ("SMA Taruna", "LOCATION", 1, 0)])
    assert two.heads() == {}
    mixed = Gazetteer.from_counts(
        [("SMA Negeri 5", "LOCATION", 2, 0), ("SMA Taruna", "LOCATION", 1, 0), ("SMA Kristen", "ACTOR", 1, 0)]
    )
    assert mixed.heads() == {}  # 3 of 4: below the share
    settled = Gazetteer.from_counts([("SMA Negeri 5", "LOCATION", 4, 0), ("SMA Kristen", "ACTOR", 1, 0)])
    assert settled.heads() == {"SMA": ("LOCATION", 0.8)}


def test_gazetteer_many_entries_stay_fast():
    import time

    rows = [(f"Nama{i} Orang{i}", "ACTOR", 1, 0) for i in range(10_000)]
    sug = GazetteerSuggester(Gazetteer.from_counts(rows))
    text = "Kemarin Nama42 Orang42 bertemu Nama9999 Orang9999 di kota. " * 200
    sug.suggest([text])  # builds the index
    t0 = time.perf_counter()
    out = sug.suggest([text])[0]
    assert time.perf_counter() - t0 < 1.0
    assert len(out) == 400


# --- merge ----------------------------------------------------------------------------------


def test_merge_rules():
    first = [Suggestion(0, 10, "ACTOR", 0.5, "a"), Suggestion(20, 25, "LOCATION", 0.5, "a")]
    second = [
        Suggestion(0, 10, "ACTOR", 0.9, "b"),  # identical: dropped
        Suggestion(0, 15, "ACTOR", 0.9, "b"),  # overlaps an earlier suggester's: dropped
        Suggestion(30, 40, "ACTOR", 0.9, "b"),
        Suggestion(30, 35, "ACTOR", 0.9, "b"),  # same suggester, shorter: dropped
        Suggestion(0, 40, "CLAIM", 0.7, "b"),  # claims overlap entities
        Suggestion(50, 55, "ACTOR", 0.9, "b"),  # already a span
        Suggestion(60, 65, "LOCATION", 0.9, "b"),  # already rejected
    ]
    merged = merge([first, second], existing={(50, 55, "ACTOR")}, rejected={(60, 65, "LOCATION")})
    assert [(s.start, s.end, s.label, s.origin) for s in merged] == [
        (0, 40, "CLAIM", "b"),
        (0, 10, "ACTOR", "a"),
        (20, 25, "LOCATION", "a"),
        (30, 40, "ACTOR", "b"),
    ]


class Flaky:
    name = "flaky"

    def suggest(self, texts, langs=None):
        if any("boom" in t for t in texts):
            raise RuntimeError("boom")
        return [[Suggestion(0, 4, "ACTOR", 1.0, self.name)] for _ in texts]


def test_one_failing_text_does_not_stop_the_rest():
    errors: list[tuple[int, str]] = []
    texts = ["Budi pergi.", "boom here", "Siti pulang."]
    out = run_suggesters(
        [Flaky(), GazetteerSuggester(Gazetteer.from_counts([("here", "LOCATION", 1, 0)]))],
        texts,
        ["id"] * 3,
        existing_per_text=[set(), set(), {(0, 4, "ACTOR")}],
        rejected_per_text=[set(), set(), set()],
        on_error=lambda i, exc: errors.append((i, str(exc))),
    )
    assert errors == [(1, "boom")]
    assert [(s.start, s.end) for s in out[0]] == [(0, 4)]
    assert [(s.start, s.end, s.label) for s in out[1]] == [(5, 9, "LOCATION")]
    assert out[2] == []  # its only suggestion already exists


# --- spaCy pipelines ------------------------------------------------------------------------


@pytest.fixture()
def tiny_pipeline(tmp_path) -> Path:
    import spacy

    nlp = spacy.blank("id")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Andrey Belousov"},
            {"label": "GPE", "pattern": "Pyongyang"},
            {"label": "DATE", "pattern": "Sabtu"},
        ]
    )
    path = tmp_path / "tiny"
    nlp.to_disk(path)
    return path


def test_spacy_suggester_loads_by_path_and_maps_labels(tiny_pipeline):
    from annotator.suggest.spacy_pipeline import SpacySuggester

    sug = SpacySuggester(str(tiny_pipeline), label_map={"PERSON": "ACTOR", "GPE": "LOCATION"})
    assert sug.name == f"spacy:{tiny_pipeline}"
    text = "Andrey Belousov tiba di Pyongyang pada Sabtu."
    got = found(text, sug.suggest([text], ["id"])[0])
    assert got == {("Andrey Belousov", "ACTOR"), ("Pyongyang", "LOCATION")}  # DATE unmapped: dropped
    sug.suggest([text], ["en"])
    assert sug.warnings and "'id'" in sug.warnings[0]


def test_spacy_suggester_reads_span_groups(tmp_path):
    import spacy
    from spacy.language import Language
    from spacy.tokens import Span

    @Language.component("sorot_test_claims")
    def claims(doc):
        doc.spans["sc"] = [Span(doc, 0, len(doc), label="CLAIM")]
        return doc

    nlp = spacy.blank("id")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PER", "pattern": "Kim"}])
    nlp.add_pipe("sorot_test_claims")
    from annotator.suggest.spacy_pipeline import SpacySuggester

    sug = SpacySuggester("unused")
    sug._nlp = nlp  # built in memory: a custom component cannot be loaded from disk here
    text = "Kim berkata begitu."
    assert found(text, sug.suggest([text])[0]) == {("Kim", "ACTOR"), (text, "CLAIM")}


def test_missing_pipeline_lists_installed():
    from annotator.suggest.spacy_pipeline import SpacySuggester, installed_pipelines

    with pytest.raises(ModelError) as err:
        SpacySuggester("xx_no_such_pipeline_sorot").suggest(["teks"])
    message = str(err.value)
    assert "pip install" in message
    for name in installed_pipelines():
        assert name in message


def test_build_suggesters():
    suggesters = build_suggesters(
        "rules, gazetteer ,spacy:/nowhere", gazetteer_rows=[("KCNA", "ACTOR", 2, 0)]
    )
    assert [s.name for s in suggesters] == ["rules", "gazetteer", "spacy:/nowhere"]
    assert [s.name for s in build_suggesters("")] == ["rules", "gazetteer"]
    with pytest.raises(ModelError):
        build_suggesters("magic")
    with pytest.raises(ModelError):
        suggesters[2].suggest(["x"])


def test_a_suggester_kind_declared_once_reaches_the_spec_checks_the_lists_and_the_builder(monkeypatch):
    # Given one more kind in the registry, taking an argument
    from annotator import suggest

    class Echo:
        name = "echo"

        def __init__(self, word: str) -> None:
            self.word = word

        def suggest(self, texts, langs=None):
            return [[] for _ in texts]

    kind = suggest.SuggesterKind("echo", "WORD", lambda arg, ctx: Echo(arg), "Echo", "Says a word.")
    monkeypatch.setitem(suggest.SUGGESTER_KINDS, "echo", kind)
    # Then the spec syntax, the checks and the builder know it, and only argument-free kinds are built in
    assert suggest.spec_syntax().endswith("echo:WORD")
    assert suggest.spec_problem("rules,echo:hi") is None
    assert "echo" in (suggest.spec_problem("echo") or "")
    assert [c[0] for c in suggest.builtin_choices()] == ["rules", "gazetteer"]
    [built] = build_suggesters("Echo:hi")
    assert isinstance(built, Echo) and built.word == "hi"
    with pytest.raises(ModelError, match="rules takes no argument"):
        build_suggesters("rules:x")
