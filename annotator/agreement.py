"""Inter-annotator agreement: pure functions, no Qt, no storage.

For every pair of annotators who both annotated an article:

* span F1, **exact**: a span counts as found when the other annotator has one with the
  same start, end and label; F1 = 2·matches / (spans of A + spans of B).
* span F1, **overlap**: a span of A is found when B has an overlapping span with the
  same label (and the other way round); F1 is the harmonic mean of the two rates.
* **Cohen's kappa on tokens**: tokens are ``\\w+`` runs and single punctuation marks.
  Per label, each token is "in a span of that label" or not (binary kappa; nesting is
  fine). Overall, each token takes the label of the innermost span covering it, else
  ``O`` (multi-class kappa).

Across all annotators at once, **Krippendorff's alpha** (nominal) over the same tokens,
per label (binary) and overall. This is alpha over token units, not the unitizing αu
of Krippendorff (1995): close to it when spans follow token boundaries, which Sorot's
snapping makes the usual case.

Scores that cannot be defined (no spans of a label anywhere, so chance agreement is
total) are ``None`` and print as "—". With more than two annotators, pair scores are
averaged over the pairs (macro).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations
from typing import Protocol

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"


class SpanLike(Protocol):
    start: int
    end: int
    label: str


class ArticleAnnotations(Protocol):
    """An article's text and each annotator's spans (``storage.review.AnnotatedArticle`` fits)."""

    article_id: int
    text: str
    spans: Mapping[str, Sequence[SpanLike]]


@dataclass
class Item:
    """The plainest ``ArticleAnnotations``, for tests and callers without a store."""

    article_id: int
    text: str
    spans: dict[str, list[SpanLike]]


@dataclass
class Scores:
    f1_exact: float | None = None
    f1_overlap: float | None = None
    kappa: float | None = None
    alpha: float | None = None
    spans: int = 0


@dataclass
class Report:
    annotators: list[str]
    labels: list[str]
    articles: int
    tokens: int
    overall: Scores
    per_label: dict[str, Scores]
    per_article: dict[int, Scores]
    pairs: dict[tuple[str, str], Scores] = field(default_factory=dict)
    note: str = "kappa and alpha over word tokens; alpha is nominal alpha over tokens, not unitizing alpha"


def tokenize(text: str) -> tuple[list[int], list[int]]:
    """Token starts and ends."""
    starts, ends = [], []
    for m in TOKEN_RE.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _token_range(starts: list[int], ends: list[int], start: int, end: int) -> range:
    """Indexes of the tokens a span [start, end) overlaps."""
    return range(bisect_right(ends, start), bisect_left(starts, end))


class _PairCounts:
    """Running sums for one pair of annotators (or one article's pair)."""

    __slots__ = ("exact", "n_a", "n_b", "found_a", "found_b", "confusion", "binary")

    def __init__(self) -> None:
        self.exact: Counter[str] = Counter()
        self.n_a: Counter[str] = Counter()
        self.n_b: Counter[str] = Counter()
        self.found_a: Counter[str] = Counter()  # A's spans that overlap a same-label span of B
        self.found_b: Counter[str] = Counter()
        self.confusion: Counter[tuple[str, str]] = Counter()  # innermost-label pairs per token
        self.binary: dict[str, list[int]] = {}  # label -> [both, only A, only B, neither]

    def add(self, other: _PairCounts) -> None:
        for name in ("exact", "n_a", "n_b", "found_a", "found_b", "confusion"):
            getattr(self, name).update(getattr(other, name))
        for label, cells in other.binary.items():
            mine = self.binary.setdefault(label, [0, 0, 0, 0])
            for i in range(4):
                mine[i] += cells[i]

    def scores(self, label: str | None = None) -> Scores:
        if label is None:
            n_a, n_b = sum(self.n_a.values()), sum(self.n_b.values())
            exact, fa, fb = sum(self.exact.values()), sum(self.found_a.values()), sum(self.found_b.values())
            kappa = cohen_kappa(self.confusion)
        else:
            n_a, n_b, exact = self.n_a[label], self.n_b[label], self.exact[label]
            fa, fb = self.found_a[label], self.found_b[label]
            both, only_a, only_b, neither = self.binary.get(label, [0, 0, 0, 0])
            kappa = cohen_kappa(
                Counter(
                    {
                        (True, True): both,
                        (True, False): only_a,
                        (False, True): only_b,
                        (False, False): neither,
                    }
                )
            )
        f1_exact = 2 * exact / (n_a + n_b) if n_a + n_b else None
        f1_overlap = None
        if n_a and n_b:
            recall, precision = fa / n_a, fb / n_b
            f1_overlap = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        elif n_a + n_b:
            f1_overlap = 0.0
        return Scores(f1_exact, f1_overlap, kappa, None, n_a + n_b)


def cohen_kappa(confusion: Mapping[tuple[object, object], int]) -> float | None:
    """Cohen's kappa from counts of (A's category, B's category); None when chance agreement is total."""
    n = sum(confusion.values())
    if not n:
        return None
    rows: Counter[object] = Counter()
    cols: Counter[object] = Counter()
    agree = 0
    for (a, b), c in confusion.items():
        rows[a] += c
        cols[b] += c
        if a == b:
            agree += c
    p_o = agree / n
    p_e = sum(rows[k] * cols.get(k, 0) for k in rows) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1 - p_e)


def krippendorff_alpha(units: Mapping[tuple[object, ...], int]) -> float | None:
    """Nominal alpha from ``units``: each unit's values (one per coder, sorted tuple) -> how many such units.

    Units with fewer than two values cannot be paired and are left out.
    """
    n_c: Counter[object] = Counter()
    disagree = 0.0
    for values, times in units.items():
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, k in counts.items():
            n_c[c] += k * times
        disagree += times * (m * m - sum(k * k for k in counts.values())) / (m - 1)
    n = sum(n_c.values())
    if n < 2:
        return None
    expected = (n * n - sum(k * k for k in n_c.values())) / (n - 1)
    if expected == 0:
        return None
    return 1.0 - disagree / expected


def _innermost(spans: Sequence[SpanLike], starts: list[int], ends: list[int]) -> list[str]:
    labels = [OUTSIDE] * len(starts)
    # Longest first, so the innermost span's label is written last and wins.
    for sp in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label)):
        for i in _token_range(starts, ends, sp.start, sp.end):
            labels[i] = sp.label
    return labels


def _token_sets(spans: Sequence[SpanLike], starts: list[int], ends: list[int]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for sp in spans:
        out.setdefault(sp.label, set()).update(_token_range(starts, ends, sp.start, sp.end))
    return out


def _found(mine: Sequence[SpanLike], theirs: Sequence[SpanLike]) -> int:
    """How many of ``mine`` overlap at least one of ``theirs`` (all one label)."""
    if not theirs:
        return 0
    ordered = sorted(theirs, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    reach, best = [], -1
    for s in ordered:
        best = max(best, s.end)
        reach.append(best)
    n = 0
    for sp in mine:
        j = bisect_left(starts, sp.end)  # candidates start before sp ends
        if j and reach[j - 1] > sp.start:
            n += 1
    return n


def _pair(
    a: Sequence[SpanLike], b: Sequence[SpanLike], tok_a: list[str], tok_b: list[str],
    sets_a: dict[str, set[int]], sets_b: dict[str, set[int]], n_tokens: int, labels: Iterable[str],
) -> _PairCounts:  # fmt: skip
    pc = _PairCounts()
    by_a: dict[str, list[SpanLike]] = {}
    by_b: dict[str, list[SpanLike]] = {}
    for sp in a:
        by_a.setdefault(sp.label, []).append(sp)
    for sp in b:
        by_b.setdefault(sp.label, []).append(sp)
    keys_a = Counter((s.start, s.end, s.label) for s in a)
    keys_b = Counter((s.start, s.end, s.label) for s in b)
    for (_s, _e, label), k in (keys_a & keys_b).items():
        pc.exact[label] += k
    for label in set(by_a) | set(by_b):
        la, lb = by_a.get(label, []), by_b.get(label, [])
        pc.n_a[label] = len(la)
        pc.n_b[label] = len(lb)
        pc.found_a[label] = _found(la, lb)
        pc.found_b[label] = _found(lb, la)
    pc.confusion.update(zip(tok_a, tok_b, strict=True))
    for label in labels:
        sa, sb = sets_a.get(label, set()), sets_b.get(label, set())
        both = len(sa & sb)
        only_a, only_b = len(sa) - both, len(sb) - both
        pc.binary[label] = [both, only_a, only_b, n_tokens - both - only_a - only_b]
    return pc


def agreement(
    articles: Iterable[ArticleAnnotations], *, annotators: Sequence[str] = (), labels: Sequence[str] = ()
) -> Report:
    """Agreement per label, per article and for the whole set, from articles with 2+ annotators."""
    items = list(articles)
    wanted_labels = set(labels)
    names: list[str] = list(annotators)
    label_spans: Counter[str] = Counter()
    prepared = []
    for art in items:
        spans = {
            who: [sp for sp in sps if not wanted_labels or sp.label in wanted_labels]
            for who, sps in art.spans.items()
            if not annotators or who in annotators
        }
        if len(spans) < 2:
            continue
        for who, sps in spans.items():
            if who not in names:
                names.append(who)
            label_spans.update(sp.label for sp in sps)
        prepared.append((art, spans))
    all_labels = sorted(set(label_spans) | set(labels))
    order = {n: i for i, n in enumerate(names)}

    totals: dict[tuple[str, str], _PairCounts] = {}
    alpha_units: Counter[tuple[str, ...]] = Counter()
    alpha_binary: dict[str, Counter[tuple[int, int]]] = {lab: Counter() for lab in all_labels}
    per_article: dict[int, Scores] = {}
    n_tokens_total = 0
    for art, spans in prepared:
        starts, ends = tokenize(art.text)
        n_tok = len(starts)
        n_tokens_total += n_tok
        coders = sorted(spans, key=order.__getitem__)
        tokens = {who: _innermost(spans[who], starts, ends) for who in coders}
        sets = {who: _token_sets(spans[who], starts, ends) for who in coders}
        article_pairs = []
        for a, b in combinations(coders, 2):
            pc = _pair(spans[a], spans[b], tokens[a], tokens[b], sets[a], sets[b], n_tok, all_labels)
            totals.setdefault((a, b), _PairCounts()).add(pc)
            article_pairs.append(pc.scores())
        units = Counter(tuple(sorted(values)) for values in zip(*(tokens[w] for w in coders), strict=True))
        alpha_units.update(units)
        m = len(coders)
        for label in all_labels:
            covered = Counter(chain.from_iterable(sets[w].get(label, ()) for w in coders))
            cnt = Counter(covered.values())
            cnt[0] += n_tok - len(covered)
            for k, times in cnt.items():
                alpha_binary[label][(m, k)] += times
        scores = _mean(article_pairs)
        scores.alpha = krippendorff_alpha(units)
        scores.spans = sum(len(v) for v in spans.values())
        per_article[art.article_id] = scores

    pair_overall = {pair: pc.scores() for pair, pc in totals.items()}
    overall = _mean(list(pair_overall.values()))
    overall.alpha = krippendorff_alpha(alpha_units)
    overall.spans = sum(s.spans for s in per_article.values())
    per_label: dict[str, Scores] = {}
    for label in all_labels:
        sc = _mean([pc.scores(label) for pc in totals.values()])
        units_l = Counter()
        for (m, k), times in alpha_binary[label].items():
            units_l[(False,) * (m - k) + (True,) * k] += times
        sc.alpha = krippendorff_alpha(units_l)
        sc.spans = label_spans[label]
        per_label[label] = sc
    return Report(
        names, all_labels, len(prepared), n_tokens_total, overall, per_label, per_article, pair_overall
    )


def _mean(scores: list[Scores]) -> Scores:
    def avg(attr: str) -> float | None:
        vals = [getattr(s, attr) for s in scores if getattr(s, attr) is not None]
        return sum(vals) / len(vals) if vals else None

    return Scores(avg("f1_exact"), avg("f1_overlap"), avg("kappa"), None, sum(s.spans for s in scores))


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_table(report: Report) -> str:
    """The agreement table as text, for the command line."""
    head = f"{'label':<14}{'spans':>8}{'F1 exact':>10}{'F1 overlap':>12}{'kappa':>8}{'alpha':>8}"
    lines = [
        f"{report.articles:,} articles annotated by 2+ of: {', '.join(report.annotators)}; {report.tokens:,} tokens",
        head,
        "-" * len(head),
    ]
    for label in report.labels:
        s = report.per_label[label]
        lines.append(
            f"{label:<14}{s.spans:>8,}{fmt(s.f1_exact):>10}{fmt(s.f1_overlap):>12}{fmt(s.kappa):>8}{fmt(s.alpha):>8}"
        )
    s = report.overall
    lines.append("-" * len(head))
    lines.append(
        f"{'overall':<14}{s.spans:>8,}{fmt(s.f1_exact):>10}{fmt(s.f1_overlap):>12}{fmt(s.kappa):>8}{fmt(s.alpha):>8}"
    )
    if len(report.pairs) > 1:
        lines.append("")
        for (a, b), ps in report.pairs.items():
            lines.append(
                f"{a} ~ {b}: F1 exact {fmt(ps.f1_exact)}, F1 overlap {fmt(ps.f1_overlap)}, kappa {fmt(ps.kappa)}"
            )
    lines.append(f"note: {report.note}")
    return "\n".join(lines)


# -- side by side ---------------------------------------------------------------------------


@dataclass
class CompareRow:
    """One place in the text and what each annotator put there.

    ``kind``: "match" (everyone has the same span), "mismatch" (they differ in label or
    boundaries, or someone is missing while two or more have it), "only-A", "only-B"...
    (one annotator alone; letters follow the order of annotators). ``detail`` says how
    a mismatch differs: "label", "boundary", "label+boundary" or "missing".
    """

    start: int
    end: int
    kind: str
    cells: dict[str, SpanLike | None]
    detail: str = ""


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def compare(spans_by_annotator: Mapping[str, Sequence[SpanLike]]) -> list[CompareRow]:
    """Line up several annotators' spans of one article, in text order.

    Identical spans (start, end, label) go in one row. Left-over spans are paired
    greedily across annotators: same extent first, then the same label overlapping,
    then any overlap (largest first); what stays unpaired is a row of its own.
    """
    names = list(spans_by_annotator)
    groups: dict[tuple[int, int, str], dict[str, SpanLike]] = {}
    for who in names:
        for sp in spans_by_annotator[who]:
            groups.setdefault((sp.start, sp.end, sp.label), {}).setdefault(who, sp)
    full = [g for g in groups.values() if len(g) == len(names)]
    partial = [g for g in groups.values() if len(g) < len(names)]

    def extent(g: dict[str, SpanLike]) -> tuple[int, int]:
        sp = next(iter(g.values()))
        return sp.start, sp.end

    def score(a: dict[str, SpanLike], b: dict[str, SpanLike]) -> tuple[int, int] | None:
        if set(a) & set(b):
            return None
        (s1, e1), (s2, e2) = extent(a), extent(b)
        inter = min(e1, e2) - max(s1, s2)
        if inter <= 0:
            return None
        same_label = next(iter(a.values())).label == next(iter(b.values())).label
        rank = 3 if (s1, e1) == (s2, e2) else 2 if same_label else 1
        return rank, inter

    merged = True
    while merged and len(partial) > 1:
        merged = False
        best: tuple[tuple[int, int], int, int] | None = None
        ordered = sorted(range(len(partial)), key=lambda i: extent(partial[i]))
        for x, i in enumerate(ordered):
            _s, e_i = extent(partial[i])
            for j in ordered[x + 1 :]:
                if extent(partial[j])[0] >= e_i:
                    break
                sc = score(partial[i], partial[j])
                if sc and (best is None or sc > best[0]):
                    best = (sc, i, j)
        if best:
            _, i, j = best
            partial[i] = {**partial[i], **partial[j]}
            del partial[j]
            merged = True

    rows: list[CompareRow] = []
    for g in full:
        s, e = extent(g)
        rows.append(CompareRow(s, e, "match", {w: g.get(w) for w in names}))
    for g in partial:
        spans = list(g.values())
        s, e = min(sp.start for sp in spans), max(sp.end for sp in spans)
        cells = {w: g.get(w) for w in names}
        if len(g) == 1:
            who = next(iter(g))
            rows.append(CompareRow(s, e, f"only-{_letter(names.index(who))}", cells))
            continue
        labels = {sp.label for sp in spans}
        extents = {(sp.start, sp.end) for sp in spans}
        detail = "+".join(p for p, bad in (("label", len(labels) > 1), ("boundary", len(extents) > 1)) if bad)
        rows.append(CompareRow(s, e, "mismatch", cells, detail or "missing"))
    rows.sort(key=lambda r: (r.start, -r.end, r.kind))
    return rows
