"""The simulated analyst (issue #14, "The number that matters").

    nice -n 15 .venv/bin/python bench/bench_loop.py                       # none, rules, rules+gazetteer
    nice -n 15 .venv/bin/python bench/bench_loop.py --modes loop --train-seconds 60

An analyst who knows the gold answers works through nergrit/train as 10-sentence articles in
the order they were imported. Each article is opened, suggested by the project's suggesters
through ``ops.workflows.suggest_articles`` (stored as pending spans in a real ``Store``), and
corrected with the desk's own commands (``annotator.commands.apply``):

    accept   1   a suggestion that is exactly a gold span           UpdateSpans status=accepted
    fix      2   a suggestion overlapping a gold span nothing       UpdateSpans start/end/label,
                 else took: resized and/or relabelled                status=accepted
    reject   1   any other suggestion                                UpdateSpans status=rejected
    draw     3   a gold span no suggestion gave                      AddSpans
    done     1   mark the article done                               SetArticleStatus done

Claim suggestions are left alone and not counted (NERGRIT has no claims). Labels: PERSON,
ORGANISATION -> ACTOR, PLACE -> LOCATION. The rules run without ``resources/gazetteer/names.tsv``
unless ``--shipped-names``: that list was drawn from most of nergrit/train, the very text here.

Modes:
    none      no suggester: every gold span is drawn
    rules     the rules suggester alone
    default   rules + the learned gazetteer (rebuilt from the project's counts before each
              article, as the desk learns from every edit)
    loop      default, plus a spaCy model trained by ``annotator.train.train`` on the done
              articles every N (``--every``, 20) of them; each training is given
              ``--train-seconds`` and its wall time is counted in the run's. A new model is
              placed and swapped in by the product's rule (``annotator.loop``): first or last
              among the suggesters, wherever it saves the analyst the most key presses on the
              training's held-back articles, and in use only if it saves some there (and beats
              the F of the model in use). After each training the model's F1 on nergrit/valid is printed.

Prints, per 20 articles and in total: actions, gold spans, actions per gold span, and the share
of each action; then the wall time of the run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared_data import NERGRIT_MAP, SHARED_DATA  # noqa: E402 - bench/ is on sys.path when run

from annotator import commands as C  # noqa: E402
from annotator.formats import conll  # noqa: E402
from annotator.loop import ACTION_COST, ModelVersion, action_counts, best_place, is_better, review_actions  # noqa: E402
from annotator.model import Article, Document, Span  # noqa: E402
from annotator.suggest import build_suggesters  # noqa: E402
from annotator.suggest.base import run_suggesters  # noqa: E402
from ops.retrain import placement_effort, suggesters_f  # noqa: E402
from ops.workflows import suggest_articles  # noqa: E402
from storage.store import Store  # noqa: E402

DATA = SHARED_DATA
MAPPED = NERGRIT_MAP
ENTITY = ("ACTOR", "LOCATION")
COST = {**ACTION_COST, "done": 1}

Key = tuple[int, int, str]


def read(part: str) -> list[Document]:
    return conll.read(
        DATA / "nergrit" / f"{part}.iob",
        sentences_per_article=10,
        scheme="iob2",
        label_map=dict(MAPPED),
        lang="id",
        status="new",
    )


def work_article(store: Store, aid: int, gold: set[Key]) -> Counter[str]:
    """The analyst corrects one article with the desk's commands; returns the actions taken
    (``annotator.loop.review_actions``: what they decide about each suggestion)."""
    pending = [s for s in store.spans(aid, statuses=("suggested",)) if s.label in ENTITY]
    by_key = {(s.start, s.end, s.label): s.id for s in pending}
    decisions, drawn = review_actions(gold, list(by_key))
    # One command per decision, as the desk sends them (one key each).
    for action, key, target in decisions:
        change = {"status": "rejected"} if action == "reject" else {"status": "accepted"}
        if action == "fix":
            change.update(start=target[0], end=target[1], label=target[2])
        C.apply(store, C.UpdateSpans([(by_key[key], {**change, "annotator": store.annotator})]))
    art = store.article(aid)
    for start, end, label in drawn:
        span = Span(start, end, label, art.text[start:end], status="accepted", annotator=store.annotator)
        C.apply(store, C.AddSpans(aid, [span]))
    C.apply(store, C.SetArticleStatus(aid, "done"))
    acts = action_counts(decisions, drawn)
    acts["done"] += 1
    return acts


def cost(acts: Counter[str]) -> int:
    return sum(COST[k] * n for k, n in acts.items())


def run(mode: str, args: argparse.Namespace, train_docs: list[Document], valid: list[Document]) -> None:
    from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester
    from annotator.suggest.rules import RulesSuggester, load_places

    tmp = Path(tempfile.mkdtemp(prefix=f"sorot-loop-{mode}-"))
    store = Store.open(tmp / "loop.sorot")
    store.annotator = "analyst"
    store.ensure_labels(list(ENTITY))
    # The articles come in bare (no spans): the analyst's gold is kept aside.
    golds = [{(s.start, s.end, s.label) for s in d.spans if s.label in ENTITY} for d in train_docs]
    bare = [
        Document(Article(text=d.article.text, language="id", title=d.article.title), []) for d in train_docs
    ]
    store.import_documents(bare, annotator="analyst")
    ids = store.article_ids()
    assert len(ids) == len(golds)
    model_suggester = None
    active = None  # the ModelVersion in use
    [rules] = build_suggesters("rules")
    if not args.shipped_names:
        # names.tsv was drawn from 80% of these very articles: leave it out, or the rules look
        # better here than on text they never saw.
        rules = RulesSuggester(places=load_places(news_names=False))
    t0 = time.monotonic()
    train_seconds = 0.0
    block: Counter[str] = Counter()
    total: Counter[str] = Counter()
    block_gold = total_gold = 0
    print(f"\n== mode {mode}, order {args.order}: {len(ids)} articles, cost {COST}", flush=True)
    print(
        f"  {'articles':>9} {'gold':>5} {'actions':>7} {'per gold':>8}  accept   fix reject  draw", flush=True
    )
    queue = list(zip(ids, golds, strict=True))
    if args.order == "quick":
        queue = quickest_first(queue, store, rules)
    estimated: list[float] = []  # the queue's effort of each article as suggested, and its cost
    spent: list[float] = []
    n = 0
    while queue:
        aid, gold = queue.pop(0)
        n += 1
        suggesters = []
        if model_suggester is not None and active.place == "first":
            suggesters.append(model_suggester)
        if mode in ("default", "loop") and args.gazetteer_first:
            suggesters.append(GazetteerSuggester(Gazetteer.from_counts(store.gazetteer_rows())))
        if mode in ("rules", "default", "loop"):
            suggesters.append(rules)
        if mode in ("default", "loop") and not args.gazetteer_first:
            suggesters.append(GazetteerSuggester(Gazetteer.from_counts(store.gazetteer_rows())))
        if model_suggester is not None and active.place == "last":
            suggesters.append(model_suggester)
        if suggesters:
            suggest_articles(store, [aid], suggesters)
        estimated.append(store.query("SELECT effort FROM article_queue WHERE article_id = ?", (aid,))[0][0])
        acts = work_article(store, aid, gold)
        spent.append(cost(acts))
        block.update(acts)
        total.update(acts)
        block_gold += len(gold)
        total_gold += len(gold)
        if n % 20 == 0 or n == len(ids):
            print(
                f"  {n - (n - 1) % 20:>4}-{n:<4} {block_gold:>5} {cost(block):>7} {cost(block) / max(1, block_gold):8.2f}"
                f"  {block['accept']:>6} {block['fix']:>5} {block['reject']:>6} {block['draw']:>5}",
                flush=True,
            )
            block, block_gold = Counter(), 0
        if mode == "loop" and n % args.every == 0 and n < len(ids):
            t1 = time.monotonic()
            candidate, version, held, effort, without = retrain(store, tmp, n, args, valid, rules, active)
            if not effort:  # nothing held back: nothing to judge the model by
                train_seconds += time.monotonic() - t1
                continue
            rules_f = suggesters_f(held, without, set(ENTITY)) or 0.0
            # The product's rule (annotator.loop, ops.retrain): the place where the model saves
            # the most key presses on the held-back articles (counted with the held-back run's
            # model, which never saw them), in use only if it saves some there and, with a model
            # in use, saves more than it on those of the articles it never saw. --swap-by f: the
            # older rule, its F against the rules' F on the same articles, the model first.
            if args.swap_by == "effort":
                version.place = best_place(effort)
                swap = is_better(version, active, rules_f, effort)
            else:
                swap = version.f is not None and version.f > rules_f
            if swap:
                model_suggester, active = candidate, version
            print(
                f"  -- held-back key presses per gold span: rules {effort['without']:.3f}, with the model "
                f"first {effort['first']:.3f}, last {effort['last']:.3f}{against(effort)}; "
                f"the rules' F {rules_f:.3f}: the new model "
                f"is {'in use, ' + active.place if swap else 'not used'}",
                flush=True,
            )
            train_seconds += time.monotonic() - t1
            if args.order == "useful" and model_suggester is not None:
                queue = most_useful_first(queue, store, model_suggester, rules)
    wall = time.monotonic() - t0
    print(
        f"  total: {total_gold} gold spans, {cost(total)} actions, {cost(total) / max(1, total_gold):.3f} per gold span "
        f"({cost(total - Counter(done=total['done'])) / max(1, total_gold):.3f} without marking done); "
        f"accept {total['accept']}, fix {total['fix']}, reject {total['reject']}, draw {total['draw']}, "
        f"done {total['done']}",
        flush=True,
    )
    print(
        f"  the queue's effort estimate against the actions each article took: Pearson r "
        f"{pearson(estimated, spent):.3f} over {len(spent)} articles",
        flush=True,
    )
    print(f"  wall time {wall:.0f}s (training {train_seconds:.0f}s of it)", flush=True)
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)


def against(effort: dict) -> str:
    """The comparison with the model in use, on the held-back articles it never saw."""
    vs = effort.get("vs_active")
    if not vs:
        return ""
    return (f"; on the {vs['articles']} of them the model in use never saw: it {vs['active']:.3f}, "
            f"the new one first {vs['first']:.3f}, last {vs['last']:.3f}")  # fmt: skip


def most_useful_first(queue: list, store: Store, model, rules) -> list:
    """The desk's "most useful first" (``annotator.queue.usefulness``: the model and the rules'
    disagreement plus the model's doubt), most useful first, ties in import order."""
    from annotator.queue import usefulness

    texts = [store.article(aid).text for aid, _ in queue]
    langs = ["id"] * len(texts)
    by_model = model.suggest(texts, langs)
    by_rules = rules.suggest(texts, langs)
    useful = [usefulness({model.name: a, rules.name: b}) for a, b in zip(by_model, by_rules, strict=True)]
    order = sorted(range(len(queue)), key=lambda i: -useful[i])
    return [queue[i] for i in order]


def quickest_first(queue: list, store: Store, rules) -> list:
    """The desk's "quickest first" (``annotator.queue.effort``), the rules' suggestions as the
    pending ones, ties in import order."""
    from annotator.queue import effort

    texts = [store.article(aid).text for aid, _ in queue]
    found = rules.suggest(texts, ["id"] * len(texts))
    guess = [effort(len(t), len(f)) for t, f in zip(texts, found, strict=True)]
    return [queue[i] for i in sorted(range(len(queue)), key=lambda i: guess[i])]


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else 0.0


def retrain(store: Store, tmp: Path, n: int, args: argparse.Namespace, valid: list[Document], rules, active):
    from annotator.suggest.spacy_pipeline import SpacySuggester
    from annotator.train import TrainSettings, evaluate, train

    out = tmp / f"model-{n:04d}"
    settings = TrainSettings(max_seconds=args.train_seconds, retrain_on_all=not args.held_back_model)
    effort: dict[str, float] = {}
    without: list[list] = []

    def judge(unseen: Path, held: list[Document]) -> None:  # as ops.retrain.train_into does
        without[:] = run_suggesters([rules], [d.article.text for d in held], ["id"] * len(held))
        effort.update(placement_effort(store, held, without, unseen, set(ENTITY), active))

    t0 = time.monotonic()
    result = train(store, out, settings=settings, max_epochs=args.max_epochs, seed=0, on_held_back=judge)
    took = time.monotonic() - t0
    scores = evaluate(out, valid)
    per = "  ".join(f"{lab} {s['f']:.3f}" for lab, s in sorted(scores["per_label"].items()))
    print(
        f"  -- retrained on {result.counts['train_articles']} done articles in {took:.0f}s "
        f"(held-back F {result.scores.get('ents_f', 0):.3f}, epoch {result.scores.get('epoch')}); "
        f"nergrit/valid P {scores['ents_p']:.3f} R {scores['ents_r']:.3f} F1 {scores['ents_f']:.3f}  {per}",
        flush=True,
    )
    model = SpacySuggester(str(out), label_map={lab: lab for lab in ENTITY})
    version = ModelVersion(path=str(out), f=result.scores.get("ents_f", 0.0), articles=n)
    return model, version, result.held_back, effort, without  # the articles it was scored on, the rules there


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--modes", default="none,rules,default", help="comma-separated: none, rules, default, loop"
    )
    ap.add_argument("--articles", type=int, default=0, help="only the first N articles (0: all)")
    ap.add_argument("--every", type=int, default=20, help="loop: retrain after every N done articles")
    ap.add_argument("--train-seconds", type=float, default=60.0, help="loop: time limit of each training")
    ap.add_argument("--max-epochs", type=int, default=30, help="loop: at most this many epochs per training")
    ap.add_argument(
        "--order",
        choices=("imported", "useful", "quick"),
        default="imported",
        help="queue order: as imported; (loop) most useful first: after each training the articles "
        "where the model and the rules disagree most come first (annotator.queue.usefulness); "
        "quickest first (annotator.queue.effort, the rules' suggestions as the pending ones)",
    )
    ap.add_argument(
        "--gazetteer-first",
        action="store_true",
        help="the learned gazetteer before the rules (its suggestions win where both overlap)",
    )
    ap.add_argument("--swap-by", choices=("effort", "f"), default="effort",
                    help="loop: the product's rule (the model where it saves the most key presses on the "
                    "held-back articles, in use if it saves some), or its held-back F against the rules', first")
    ap.add_argument(
        "--held-back-model",
        action="store_true",
        help="loop: use the held-back run's model (the whole time limit for one run, no second run on all)",
    )
    ap.add_argument(
        "--shipped-names",
        action="store_true",
        help="rules with the shipped names.tsv (drawn from most of nergrit/train: optimistic here)",
    )
    args = ap.parse_args()
    train_docs = read("train")
    if args.articles:
        train_docs = train_docs[: args.articles]
    valid = read("valid")
    for mode in args.modes.split(","):
        run(mode.strip(), args, train_docs, valid)


if __name__ == "__main__":
    main()
