"""Agreement math against numbers worked out by hand."""

from __future__ import annotations

import pytest

from annotator.agreement import Item, agreement, cohen_kappa, compare, krippendorff_alpha, tokenize
from annotator.model import Span

TEXT = "Jokowi met Prabowo in Jakarta ."
# tokens: 0 Jokowi [0,6) 1 met [7,10) 2 Prabowo [11,18) 3 in [19,21) 4 Jakarta [22,29) 5 . [30,31)
ALICE = [Span(0, 6, "ACTOR"), Span(11, 18, "ACTOR"), Span(22, 29, "LOCATION")]
BOB = [Span(0, 6, "ACTOR"), Span(11, 18, "LOCATION"), Span(19, 29, "LOCATION")]


def report():
    return agreement([Item(1, TEXT, {"alice": ALICE, "bob": BOB})])


def test_tokens():
    starts, ends = tokenize(TEXT)
    assert list(zip(starts, ends, strict=True)) == [(0, 6), (7, 10), (11, 18), (19, 21), (22, 29), (30, 31)]


@pytest.mark.parametrize(
    ("measure", "overall", "actor", "location"),
    [
        # Only ACTOR [0,6) is identical: F1 = 2*1 / (3 + 3) = 1/3.
        # ACTOR: alice 2, bob 1, one match -> 2/3. LOCATION: alice 1, bob 2, no match -> 0.
        pytest.param("f1_exact", 1 / 3, 2 / 3, 0, id="span F1, exact"),
        # Alice's spans found by an overlapping same-label span of Bob: Jokowi, Jakarta (2 of 3);
        # Bob's found in Alice: Jokowi, "in Jakarta" (2 of 3). P = R = 2/3, F1 = 2/3.
        # ACTOR: recall 1/2, precision 1/1 -> 2/3. LOCATION: recall 1/1, precision 1/2 -> 2/3.
        pytest.param("f1_overlap", 2 / 3, 2 / 3, 2 / 3, id="span F1, overlap"),
        # alice: ACT O ACT O   LOC O      bob: ACT O LOC LOC LOC O
        # p_o = 4/6. Marginals alice ACT 2, O 3, LOC 1; bob ACT 1, O 2, LOC 3.
        # p_e = (2*1 + 3*2 + 1*3) / 36 = 11/36; kappa = (24/36 - 11/36) / (25/36) = 13/25.
        # ACTOR binary: alice {0,2}, bob {0}: p_o = 5/6, p_e = (2*1 + 4*5)/36 = 22/36 -> (30-22)/(36-22) = 8/14.
        # LOCATION binary: alice {4}, bob {2,3,4}: p_o = 4/6, p_e = (1*3 + 5*3)/36 = 1/2 -> (24-18)/18 = 1/3.
        pytest.param("kappa", 13 / 25, 8 / 14, 1 / 3, id="token kappa"),
        # Values ACT 3, O 5, LOC 4 (n = 12); two disagreeing units, each adds 2 -> D = 4.
        # alpha = 1 - (n - 1) * D / (n^2 - sum n_c^2) = 1 - 11*4 / (144 - 50) = 50/94.
        # ACTOR: n_T 3, n_F 9, one disagreeing unit: 1 - 11*2 / (144 - 9 - 81) = 32/54.
        # LOCATION: n_T 4, n_F 8, two disagreeing units: 1 - 11*4 / (144 - 16 - 64) = 20/64.
        pytest.param("alpha", 50 / 94, 32 / 54, 20 / 64, id="alpha"),
    ],
)
def test_by_hand(measure: str, overall: float, actor: float, location: float):
    r = report()
    assert getattr(r.overall, measure) == pytest.approx(overall)
    assert getattr(r.per_label["ACTOR"], measure) == pytest.approx(actor)
    assert getattr(r.per_label["LOCATION"], measure) == pytest.approx(location)


def test_per_article_and_spans():
    r = report()
    assert r.articles == 1 and r.tokens == 6
    assert r.per_article[1].f1_exact == pytest.approx(1 / 3)
    assert r.per_label["ACTOR"].spans == 3 and r.overall.spans == 6


def test_perfect_and_undefined():
    same = agreement([Item(1, TEXT, {"a": ALICE, "b": list(ALICE)})])
    assert same.overall.f1_exact == 1 and same.overall.kappa == 1 and same.overall.alpha == 1
    # Nobody marked anything: chance agreement is total, kappa undefined.
    assert cohen_kappa({("O", "O"): 6}) is None
    assert krippendorff_alpha({("O", "O"): 6}) is None


def test_single_annotator_articles_are_skipped():
    r = agreement([Item(1, TEXT, {"alice": ALICE}), Item(2, TEXT, {"alice": ALICE, "bob": BOB})])
    assert r.articles == 1 and list(r.per_article) == [2]


def test_three_annotators_pairs_and_alpha():
    r = agreement([Item(1, TEXT, {"a": ALICE, "b": BOB, "c": list(ALICE)})])
    assert set(r.pairs) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert r.pairs[("a", "c")].f1_exact == 1
    # Macro mean over pairs: (1/3 + 1 + 1/3) / 3.
    assert r.overall.f1_exact == pytest.approx(5 / 9)


def test_compare_rows():
    rows = compare({"alice": ALICE, "bob": BOB})
    kinds = [(r.start, r.end, r.kind, r.detail) for r in rows]
    assert kinds == [(0, 6, "match", ""), (11, 18, "mismatch", "label"), (19, 29, "mismatch", "boundary")]
    rows = compare({"alice": [Span(0, 6, "ACTOR")], "bob": [Span(22, 29, "LOCATION")]})
    assert [r.kind for r in rows] == ["only-A", "only-B"]
