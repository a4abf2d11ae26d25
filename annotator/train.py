"""Train a spaCy pipeline from the project's finished articles (issue "[train]").

What is learnt from what
    Only articles marked *done* or *reviewed* are used; articles in progress are left out,
    because a token nobody labelled there may still be an entity. In a finished article every
    unlabelled token is a true negative ("O" for the ``ner``), except in an article whose only
    decided spans are binary answers (Prodigy's ner.teach, ``attrs["binary"]``): those say
    nothing about the other tokens, which stay missing, and such an article is never held back. Accepted spans (made by hand or
    accepted suggestions) are the gold. When an article carries spans of several annotators,
    those of the project's gold annotator (``annotator.project.gold_annotator``, "gold" unless
    set) are used if present, else those of the article's most frequent annotator (spans
    without an annotator always count).

    * entity-kind labels train a ``ner`` (non-overlapping spans, longest first);
    * claim-kind labels, and entity labels that overlap another entity span somewhere, train a
      ``spancat`` on ``doc.spans["sc"]`` (only when there is such data);
    * rejected suggestions of entity labels go to ``doc.spans["incorrect_spans"]`` and the
      ``ner`` is configured with ``incorrect_spans_key``: it is told "not this label here".
      In a finished article this repeats what the "O" tokens already say, but it keeps the
      pipeline right if partly annotated articles are ever added.

How
    spaCy's own training: a config from ``init_config`` (efficiency preset) tuned with Sorot's
    defaults (:class:`TrainSettings`), DocBin corpora in a temporary folder, and
    ``spacy.training.loop.train`` with a registered logger that streams each epoch's loss and
    per-label P/R/F to ``on_epoch`` and ``progress``. The evaluation runs once per epoch (fixed
    size batches make an epoch a known number of steps). Cancel (``progress`` raising
    ``Cancelled``) or the time limit stops training and keeps the best model so far. The
    learning rate warms up over the first updates and then decays linearly towards the last
    step or the time limit, whichever comes first, so a time-limited run still anneals.
    Extra documents (another corpus) are sampled afresh each epoch, ``extra_ratio`` times the
    project's own training chunks, so the project's data keeps its weight and epochs stay short.

Train on everything that counts (issue #14)
    The first run holds ``eval_split`` of the articles back: its best epoch gives the scores
    reported and the number of epochs; the model that ships then goes on from that run's best
    model over all the articles (``TrainSettings.continue_on_all``; a quarter of its epochs
    more when it ended by itself, the time left when the clock stopped it), rather than
    starting afresh for that many epochs, which spent the first run's epochs twice. One time
    limit covers both: the first run gets the share of it that leaves the second its
    1/(1 - eval_split) times more data. The model on all articles ships only if it does at
    least as well on the held-back articles, which it has then seen, as the first run did
    without seeing them (else it was left undertrained, and the first run's model ships).
    Measured on nergrit/valid (bench/bench_train_quality.py, 12 epochs each): the held-back
    run's model F1 0.685, the model trained again afresh on all articles 0.692. With the
    defaults (540 s): afresh 0.676 (calm machine), going on 0.696 (load ~3 on 2 cores: 10
    epochs in the first run instead of ~20).

Two models side by side (issue #14, "use both cores")
    spaCy trains on one core. With ``TrainSettings.members`` 2 (the default) and a second core,
    a spawned helper process that ends with its parent trains a second model with the next
    seed, the same split and the same time limit, as the first is trained here (both: the
    held-back run, then going on over all articles). They ship as one component, ``ner``, of
    factory ``sorot_ensemble_ner`` (``annotator.ensemble``), which takes each action of spaCy's
    transition system by the two models' mean probability. The scores reported are those of
    the two held-back runs' models together, on the articles held back. Only for a lone ``ner``
    trained from scratch (no base model, no spancat, no hints); with one core, one model.
    The time limit keeps ``ENSEMBLE_RESERVE_SECONDS`` for putting them together and scoring.

Defaults measured (issue #14)
    On nergrit (PERSON, ORGANISATION, PLACE; bench/bench_train_quality.py --labels nergrit),
    one run of the defaults scores F1 0.66-0.69 on nergrit/valid from run to run (the time
    limit decides the epochs, and valid has 662 entities). At a fixed 12 epochs, the ner's
    hidden width 128 beat 64 by +2.1 on valid and +1.3 on the held-back articles; dropout 0.3,
    hidden width 256, learning rate 0.002 and window 2 were no better; width 256 triples the
    time of an epoch. What Sorot knows did not help measurably: the rules' hints as a feature
    (``TrainSettings.hints``, off) +0.9 / -0.9 at 12 epochs, +0.6 / +1.8 in a full run; the names of ``names.tsv`` as hints learn the
    training folds, not valid; train-set names filling the model's gaps +-0.1.
    The defaults then: F1 0.676 on valid (ORGANISATION 0.508, PERSON 0.668, PLACE 0.744) in
    542 s, 471 MB; the former defaults 0.664 in the same conditions.

    Then (issue #14, second round; fixed epochs: 16 epochs on the held-back split only, one
    model, seed 0, F1 held back / on valid): the defaults 0.683 / 0.679 (seeds 1 and 2: 0.637 /
    0.664 and 0.684 / 0.651: the seed alone moves valid by 3 points); characters
    (spacy.CharacterEmbed.v2, 8 bytes of 32 dimensions beside NORM) 0.657 / 0.634, and it
    learns the training set faster; the optimizer's running average of the weights 0.683 /
    0.647 (its best epoch comes at 9); the ner's extra state tokens 0.689 / 0.665. None kept.
    Two of those models decoding together (annotator.ensemble) on valid: seeds 0+1 0.700,
    0+2 0.672, 1+2 0.671, against 0.679, 0.664 and 0.651 alone (+1.6 on average over the
    mean of the two, +0.7 over the better one); all three 0.696; seed 0 with the characters
    model 0.680. Averaging the members' probabilities beat averaging their scores or log
    probabilities (0.700 / 0.696 / 0.696 for 0+1).
    The defaults with two models side by side (members 2), four full runs with other work on
    the machine (load 2-3 on 2 cores: the first run reached epoch 10-18 rather than ~20), F1
    on valid (ORGANISATION / PERSON / PLACE; held back) and wall time: 0.702 (0.527 / 0.693 /
    0.769; 0.700) 556 s, 0.695 (0.458 / 0.696 / 0.779; 0.699) 544 s, 0.694 (0.506 / 0.710 /
    0.752; 0.703) 533 s, 0.696 (0.506 / 0.726 / 0.745; 0.710) 536 s: 0.697 on average, against
    0.676-0.696 (0.685 calm) for one model. Memory: ~470 MB in each process while training;
    this one reached 815-825 MB when it scored the two models together on the held-back
    articles all at once, which annotator.ensemble now decodes by batches of at most 4,000
    tokens (34 articles: 381 MB instead of 715). With that, a fifth run: 0.696 (0.520 / 0.717 /
    0.743; 0.707) in 532 s, 476 MB at most in a process, 941 MB for both together. One
    model with the same defaults the same day (members 1, a calmer machine: 25 epochs in the
    first run): 0.686 (0.532 / 0.679 / 0.747; 0.686) in 538 s, 463 MB. Two models: +1.1 on
    valid, +2.0 held back (0.704 on average). The goal (0.72) is not met.

The output folder is a normal spaCy pipeline whose ``meta.json`` has a ``sorot`` key: labels,
data counts, split, scores, time and Sorot's version. It loads with ``spacy.load(outdir)``,
two models too wherever Sorot is installed (the ensemble's factory is a ``spacy_factories``
entry point: ``annotator.ensemble_entry``).
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import json
import logging
import math
import random
import resource
import shutil
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotator import ensemble
from annotator.errors import ModelError, SorotError
from annotator.helper_pool import end_processes
from annotator.model import FINISHED, Document, Span
from annotator.progress import NULL, Cancelled, Progress
from annotator.project import DEFAULT_GOLD, ProjectStore, gold_annotator

log = logging.getLogger(__name__)

TRAIN_STATUSES = FINISHED
INCORRECT_KEY = "incorrect_spans"
SPANS_KEY = "sc"
MIN_EXAMPLES = 10
MODELS_SETTING = "models"
#: Going on from the held-back run's best model, when that run ended by itself (patience or
#: its last epoch) at epoch E: this share of E more epochs on all the articles.
CONTINUE_SHARE = 0.25


def sorot_version() -> str:
    try:
        from importlib.metadata import version

        return version("sorot")
    except Exception:  # noqa: BLE001 - not installed as a package
        return "0.1.0"


# --------------------------------------------------------------------------- settings and results


@dataclass
class TrainSettings:
    """Sorot's training defaults (measured on NERGrit/NERP, see bench/bench_train.py)."""

    width: int = 128
    depth: int = 4
    window_size: int = 1
    embed_attrs: tuple[str, ...] = ("NORM", "PREFIX", "SUFFIX", "SHAPE")
    embed_rows: tuple[int, ...] = (10000, 2000, 5000, 1000)
    # the ner's hidden layer: 128 rather than spaCy's 64 (issue #14, nergrit, 12 epochs: F +2.1
    # on nergrit/valid, +1.3 on the held-back articles; 256 is no better)
    hidden_width: int = 128
    dropout: float = 0.2
    learn_rate: float = 0.001
    warmup_steps: int = 100  # learning rate rises linearly over the first updates ...
    final_lr_factor: float = 0.1  # ... then falls linearly to this fraction of it by the end
    # (whichever comes first of the last step and max_seconds: a time-limited run still anneals)
    batch_size: int = 32  # chunks (about a sentence or a paragraph each) per update
    patience_epochs: int = 10  # the rate anneals late; the best epochs come late
    max_seconds: float = 540.0  # training stops (keeping the best model) after this long
    chunk_by_line: bool = True  # train on the article's lines, not whole articles
    max_span_tokens: int = 30  # longest span the spancat suggester proposes
    # Extra documents (another corpus) per epoch, as a multiple of the project's own training
    # chunks: a fresh random sample each epoch, so the project's data keeps its weight and an
    # epoch stays short. 0 = all extra documents every epoch.
    extra_ratio: float = 1.5
    # After the run that holds articles back (it chooses the epochs and gives the scores), the
    # model that ships is trained again on all of them for that many epochs.
    retrain_on_all: bool = True
    # ... going on from the held-back run's best model (else afresh, for as many epochs)
    continue_on_all: bool = True
    # What Sorot knows as a feature (annotator.spacy_hints): the rules' hint of each token is
    # embedded beside its form (this many hash rows), when training from scratch. Off: on
    # nergrit it moved F by +0.9 on valid and -0.9 held back at 12 epochs, +0.6 and +1.8 in one
    # full run of the defaults (within the noise), and a model with it is no longer a plain
    # spaCy pipeline: it loads only where annotator.spacy_hints registered its component.
    hints: bool = False
    hint_rows: int = 200
    # Models trained side by side, one per core (at most), with seeds seed, seed+1, ...: they
    # ship as one ``ner`` that averages their action probabilities (annotator.ensemble).
    members: int = 2

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EpochReport:
    epoch: int
    step: int
    seconds: float
    losses: dict[str, float]
    score: float
    scores: dict[str, dict[str, float]]  # label -> {"p", "r", "f"}
    overall: dict[str, float]  # ents_p/r/f, spans_sc_p/r/f where present
    best: bool

    def line(self) -> str:
        loss = " ".join(f"{k}={v:.1f}" for k, v in sorted(self.losses.items()))
        per = " ".join(f"{lab} {s['f'] * 100:.1f}" for lab, s in sorted(self.scores.items()))
        star = " *" if self.best else ""
        return (
            f"epoch {self.epoch:>3}  {self.seconds:6.0f}s  loss {loss}  score {self.score * 100:5.1f}{star}"
            + (f"  F1 {per}" if per else "")
        )


@dataclass
class TrainResult:
    path: Path
    labels: dict[str, list[str]]  # {"ner": [...], "spancat": [...]}
    counts: dict[str, Any]
    scores: dict[str, Any]  # best epoch's overall and per-label scores
    epochs: list[EpochReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False
    stopped: str = ""  # why training ended: "max_epochs", "patience", "time", "cancelled"
    peak_memory_mb: float = 0.0
    # the run on all articles: {"articles", "epochs", "stopped", "seconds"}; epochs 0 = none
    final: dict[str, Any] = field(default_factory=dict)
    # the articles the scores are on (none when nothing was held back)
    held_back: list[Document] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"model: {self.path}"]
        per = self.scores.get("per_label", {})
        for lab, s in sorted(per.items()):
            lines.append(f"  {lab:<14} P {s['p'] * 100:5.1f}  R {s['r'] * 100:5.1f}  F {s['f'] * 100:5.1f}")
        if "ents_f" in self.scores:
            lines.append(f"  entities       F {self.scores['ents_f'] * 100:5.1f}")
        if "spans_sc_f" in self.scores:
            lines.append(f"  spans          F {self.scores['spans_sc_f'] * 100:5.1f}")
        c = self.counts
        if self.final.get("epochs") and c.get("train_articles") != c.get("selection_train_articles"):
            lines.append(
                f"  scores above: epoch {self.scores.get('epoch')} of the run on "
                f"{c.get('selection_train_articles', 0)} articles, on the {c.get('eval_articles', 0)} held back; "
                f"the model is then trained on all {c.get('train_articles', 0)} articles for "
                f"{self.final['epochs']} epochs"
                + (" (the time limit ended it)" if self.final.get("stopped") == "time" else "")
            )
            lines.append(f"  {self.seconds:.0f}s, stopped: {self.stopped}")
        else:
            lines.append(
                f"  {c.get('train_articles', 0)} articles for training, {c.get('eval_articles', 0)} for evaluation; "
                f"{self.seconds:.0f}s, stopped: {self.stopped}"
            )
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class _Filter:
    """Duck-typed ``storage.store.ArticleFilter`` (annotator never imports storage)."""

    statuses: tuple[str, ...] = TRAIN_STATUSES
    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    span_statuses: tuple[str, ...] = ("accepted", "rejected")
    article_ids: tuple[int, ...] = ()
    search: str = ""


@dataclass
class TrainingData:
    documents: list[Document]
    kinds: dict[str, str]  # label -> "entity" | "claim"
    ner_labels: list[str]
    span_labels: list[str]
    language: str
    warnings: list[str]
    skipped_articles: int = 0


def is_store(obj: Any) -> bool:
    """A project rather than a list of Documents (a store is not itself iterable)."""
    return hasattr(obj, "iter_documents") and hasattr(obj, "labels")


def choose_spans(spans: Sequence[Span], gold: str = DEFAULT_GOLD) -> list[Span]:
    """One annotator's accepted and rejected spans of an article: ``gold`` if present, else the most frequent."""
    who = Counter(s.annotator for s in spans if s.annotator and s.status == "accepted")
    if len(who) <= 1:
        return list(spans)
    chosen = gold if gold in who else sorted(who.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return [s for s in spans if s.annotator in (None, chosen)]


def binary_only(doc: Document) -> bool:
    """Every decided span of the article is a binary answer (Prodigy's ner.teach): it says only
    "this span is / is not that label", nothing about the other tokens, so they stay missing."""
    decided = [s for s in doc.spans if s.status in ("accepted", "rejected")]
    return bool(decided) and all(s.attrs.get("binary") is True for s in decided)


def collect(
    source: ProjectStore | Iterable[Document],
    *,
    labels: Sequence[str] | None = None,
    label_kinds: dict[str, str] | None = None,
    gold: str | None = None,
    progress: Progress = NULL,
) -> TrainingData:
    """The finished articles and their chosen spans from a store or a list of Documents.

    Where several annotators labelled an article, ``gold``'s spans win (default: the
    project's gold annotator for a store, "gold" for Documents).
    """
    warnings: list[str] = []
    kinds: dict[str, str] = dict(label_kinds or {})
    if is_store(source):
        gold = gold or gold_annotator(source)
        for lab in source.labels():
            kinds.setdefault(lab.name, lab.kind)
        docs_in: Iterable[Document] = source.iter_documents(_Filter())
    else:
        docs_in = source
    wanted = set(labels) if labels else None
    docs: list[Document] = []
    skipped = 0
    for i, doc in enumerate(docs_in):
        if i % 200 == 0:
            progress.update(0, 0, f"reading articles ({i})")
        if doc.article.status not in TRAIN_STATUSES:
            skipped += 1
            continue
        spans = [s for s in doc.spans if s.status in ("accepted", "rejected")]
        if wanted is not None:
            spans = [s for s in spans if s.label in wanted]
        docs.append(Document(doc.article, choose_spans(spans, gold or DEFAULT_GOLD)))
    if not docs:
        raise SorotError(
            "nothing to train on: no article is marked done or reviewed. Finish some articles "
            "(mark them done) and train again."
        )
    counts = Counter(s.label for d in docs for s in d.spans if s.status == "accepted")
    if wanted is not None:
        for lab in sorted(wanted - set(counts)):
            warnings.append(f"label {lab} has no accepted span in the finished articles; it is left out")
    if not counts:
        raise SorotError("nothing to train on: the finished articles have no accepted spans")
    for lab, n in sorted(counts.items()):
        if n < MIN_EXAMPLES:
            warnings.append(
                f"label {lab} has only {n} example{'s' if n != 1 else ''} (fewer than {MIN_EXAMPLES}); "
                "its predictions will be poor"
            )
    for lab in counts:
        kinds.setdefault(lab, "entity")
    # Entity labels that overlap another entity span go to the spancat as well.
    overlapping: set[str] = set()
    for d in docs:
        ents = sorted(
            (s for s in d.spans if s.status == "accepted" and kinds[s.label] == "entity"),
            key=lambda s: (s.start, -s.end),
        )
        for a, b in zip(ents, ents[1:], strict=False):
            if b.start < a.end:
                overlapping.update((a.label, b.label))
    ner_labels = sorted(lab for lab in counts if kinds[lab] == "entity")
    span_labels = sorted(lab for lab in counts if kinds[lab] == "claim" or lab in overlapping)
    language = _language(docs)
    return TrainingData(docs, kinds, ner_labels, span_labels, language, warnings, skipped)


def _language(docs: Sequence[Document]) -> str:
    langs = Counter(d.article.language for d in docs if d.article.language)
    if langs:
        return langs.most_common(1)[0][0]
    try:
        from annotator.lang import detect_language

        found = Counter(detect_language(d.article.text) for d in docs[:50])
        return found.most_common(1)[0][0]
    except Exception:  # noqa: BLE001 - language detection is a nicety
        return "xx"


def split(docs: Sequence[Document], eval_split: float, seed: int) -> tuple[list[Document], list[Document]]:
    """Split by article, seeded. With a single article it is used for both (and said so)."""
    if not 0.0 <= eval_split < 1.0:
        raise SorotError(f"eval split must be between 0 and 1, not {eval_split}")
    order = list(docs)
    random.Random(seed).shuffle(order)
    if len(order) < 2 or eval_split == 0:
        return order, order
    n_eval = min(len(order) - 1, max(1, round(len(order) * eval_split)))
    return order[n_eval:], order[:n_eval]


def split_held_back(
    docs: Sequence[Document], eval_split: float, seed: int
) -> tuple[list[Document], list[Document]]:
    """:func:`split` of the complete articles; those with only binary answers always train
    (scoring on them would count every unnamed entity as a false positive)."""
    complete = [d for d in docs if not binary_only(d)]
    partial = [d for d in docs if binary_only(d)]
    if not complete:
        return split(partial, eval_split, seed)
    train_docs, eval_docs = split(complete, eval_split, seed)
    return train_docs + partial, eval_docs


def holds_back(train_docs: Sequence[Document], eval_docs: Sequence[Document]) -> bool:
    """Whether a split keeps some article out of training (with one article, or only binary
    ones, the same articles train and score)."""
    return bool(set(map(id, eval_docs)) - set(map(id, train_docs)))


def chunks(doc: Document) -> list[tuple[str, list[Span]]]:
    """An article cut at line breaks no span crosses: (text, spans shifted) per non-blank piece."""
    text = doc.article.text
    inside = bytearray(len(text) + 1)
    for s in doc.spans:
        inside[s.start + 1 : s.end] = b"\x01" * max(0, s.end - s.start - 1)
    cuts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n" and not inside[i]] + [len(text) + 1]
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a : b - 1]
        if not piece.strip():
            continue
        spans = [
            Span(s.start - a, s.end - a, s.label, text=s.text, status=s.status, annotator=s.annotator)
            for s in doc.spans
            if a <= s.start and s.end <= a + len(piece)
        ]
        out.append((piece, spans))
    return out


def make_doc(
    nlp: Any,
    text: str,
    spans: Sequence[Span],
    ner_labels: Iterable[str],
    span_labels: Iterable[str],
    problems: list[str] | None = None,
    *,
    complete: bool = True,
):
    """A reference Doc: ents (non-overlapping, longest first), sc spans, incorrect spans.

    ``complete``: the tokens outside the ents are "O" (a finished article); otherwise they are
    missing (an article with only binary answers: they say nothing about the other tokens).
    """
    from spacy.tokens import Span as SpacySpan

    ner_set, span_set = set(ner_labels), set(span_labels)
    doc = nlp.make_doc(text)
    ents: list[SpacySpan] = []
    taken = [False] * len(doc)
    sc: list[SpacySpan] = []
    incorrect: list[SpacySpan] = []
    accepted = sorted(
        (s for s in spans if s.status == "accepted"), key=lambda s: (-(s.end - s.start), s.start)
    )
    for s in accepted:
        if s.label not in ner_set and s.label not in span_set:
            continue
        sp = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
        if sp is None or not sp.text.strip():
            if problems is not None:
                problems.append(f"span {text[s.start : s.end]!r} {s.label} does not fit the tokens")
            continue
        if s.label in span_set:
            sc.append(sp)
        if s.label in ner_set:
            if not any(taken[sp.start : sp.end]):
                for k in range(sp.start, sp.end):
                    taken[k] = True
                ents.append(sp)
    gold = {(e.start, e.end, e.label_) for e in ents}
    for s in spans:
        if s.status != "rejected" or s.label not in ner_set:
            continue
        sp = doc.char_span(s.start, s.end, label=s.label, alignment_mode="contract")
        if sp is not None and len(sp) and (sp.start, sp.end, sp.label_) not in gold:
            incorrect.append(sp)
    doc.set_ents(sorted(ents, key=lambda e: e.start), default="outside" if complete else "missing")
    if span_set:
        doc.spans[SPANS_KEY] = sorted(sc, key=lambda e: (e.start, e.end))
    if incorrect:
        doc.spans[INCORRECT_KEY] = incorrect
    return doc


# --------------------------------------------------------------------------- config


def build_config(
    lang: str,
    ner_labels: Sequence[str],
    span_labels: Sequence[str],
    settings: TrainSettings,
    *,
    train_path: Path,
    dev_path: Path,
    steps_per_epoch: int,
    max_epochs: int,
    seed: int,
    base: Any = None,
    base_name: str | None = None,
    extra_path: Path | None = None,
    extra_per_epoch: int = 0,
    resume: str | None = None,
):
    """The training config. ``base``: a pipeline of the user's to fine-tune; ``resume``: a model
    this same config trained, whose learning components the run goes on from."""
    from spacy.cli.init_config import init_config

    _register_functions()

    pipeline = (["ner"] if ner_labels else []) + (["spancat"] if span_labels else [])
    # The template does not depend on the language; "xx" avoids building a tokenizer here
    # (Indonesian's has 16k special cases and takes seconds).
    config = init_config(lang="xx", pipeline=pipeline, optimize="efficiency", gpu=False)
    config["nlp"]["lang"] = lang
    s = settings
    comps = config["components"]
    t2v = comps["tok2vec"]["model"]
    t2v["encode"]["width"] = s.width
    t2v["encode"]["depth"] = s.depth
    t2v["encode"]["window_size"] = s.window_size
    t2v["embed"]["width"] = s.width
    hints = s.hints and base is None
    t2v["embed"]["attrs"] = list(s.embed_attrs)
    t2v["embed"]["rows"] = list(s.embed_rows)
    if hints:
        from annotator import spacy_hints

        t2v["embed"]["attrs"].append(spacy_hints.HINT_ATTR)
        t2v["embed"]["rows"].append(s.hint_rows)
    if "ner" in comps:
        comps["ner"]["incorrect_spans_key"] = INCORRECT_KEY
        comps["ner"]["model"]["hidden_width"] = s.hidden_width
    if "spancat" in comps:
        comps["spancat"]["suggester"] = {
            "@misc": "spacy.ngram_range_suggester.v1",
            "min_size": 1,
            "max_size": max(3, s.max_span_tokens),
        }
    if "ner" in comps and "spancat" not in comps and base is None:
        # A lone ner carries its own tok2vec: the pipeline then works whatever components a
        # caller enables (a listener without its tok2vec silently predicts nothing).
        comps["ner"]["model"]["tok2vec"] = copy.deepcopy(t2v)
        del comps["tok2vec"]
        config["nlp"]["pipeline"] = ["ner"]
    if hints:
        # first in the pipeline; it annotates the training docs too, before the ner learns
        spacy_hints.register()
        comps[spacy_hints.FACTORY] = {"factory": spacy_hints.FACTORY, "news_names": False}
        config["nlp"]["pipeline"] = [spacy_hints.FACTORY, *config["nlp"]["pipeline"]]
        config["training"]["annotating_components"] = [spacy_hints.FACTORY]
    tr = config["training"]
    tr["seed"] = seed
    tr["dropout"] = s.dropout
    tr["max_epochs"] = max_epochs + 1
    tr["max_steps"] = max_epochs * steps_per_epoch
    tr["eval_frequency"] = steps_per_epoch
    tr["patience"] = s.patience_epochs * steps_per_epoch if s.patience_epochs else 0
    if s.warmup_steps or s.final_lr_factor < 1.0:
        tr["optimizer"]["learn_rate"] = {
            "@schedules": "sorot.warmup_decay.v1",
            "initial_rate": s.learn_rate,
            "warmup_steps": min(s.warmup_steps, steps_per_epoch),  # at most one epoch
            "total_steps": max_epochs * steps_per_epoch,
            "max_seconds": s.max_seconds,
            "final_factor": s.final_lr_factor,
        }
    else:
        tr["optimizer"]["learn_rate"] = s.learn_rate
    if extra_path is not None:
        # Streamed corpus (max_epochs -1): the reader is called once per epoch and samples
        # the extra documents afresh; max_steps ends the training.
        config["corpora"]["train"] = {
            "@readers": "sorot.MixedCorpus.v1",
            "path": "${paths.train}",
            "extra_path": str(extra_path),
            "extra_per_epoch": extra_per_epoch,
            "seed": seed,
        }
        tr["max_epochs"] = -1
    tr["batcher"] = {"@batchers": "spacy.batch_by_sequence.v1", "size": s.batch_size, "get_length": None}
    weights = {}
    if ner_labels:
        weights.update({"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None})
    if span_labels:
        weights.update({"spans_sc_f": 1.0, "spans_sc_p": 0.0, "spans_sc_r": 0.0})
    tr["score_weights"] = weights
    config["system"]["seed"] = seed
    config["paths"]["train"] = str(train_path)
    config["paths"]["dev"] = str(dev_path)
    if base is not None:
        src = base_name
        if "ner" in base.pipe_names and "ner" in comps:
            comps["ner"] = {"source": src}
            if "tok2vec" in base.pipe_names and "ner" in getattr(
                base.get_pipe("tok2vec"), "listening_components", []
            ):
                comps["tok2vec"] = {"source": src}
                if "spancat" in comps:
                    comps["spancat"]["model"]["tok2vec"]["width"] = base.get_pipe("tok2vec").model.get_dim(
                        "nO"
                    )
        if base.vocab.vectors.shape[0]:
            config["paths"]["vectors"] = src
            if "model" in comps["tok2vec"]:
                comps["tok2vec"]["model"]["embed"]["include_static_vectors"] = True
    if resume is not None:
        for name in config["nlp"]["pipeline"]:
            if name in ("tok2vec", "ner", "spancat"):  # the hints component has no weights
                comps[name] = {"source": resume}
    return config


def check_base_model(base_model: str, lang: str, ner_labels: Sequence[str]):
    """Load a base model and refuse it before training when it cannot fit the project."""
    from annotator import spacy_hints

    try:
        base = spacy_hints.load(base_model)
    except Exception as exc:  # noqa: BLE001 - any failure to load means "not usable"
        raise ModelError(f"base model {base_model}: cannot be loaded ({exc})") from exc
    if lang not in ("xx", "") and base.lang not in (lang, "xx"):
        raise ModelError(
            f"base model {base_model} is for language {base.lang!r} but the project's articles are {lang!r}; "
            "choose a model for that language or train from scratch"
        )
    if "ner" in base.pipe_names and isinstance(base.get_pipe("ner"), ensemble.EnsembleNER):
        raise ModelError(
            f"base model {base_model} is made of several models deciding together; it cannot be "
            "fine-tuned. Train from scratch (no base model)"
        )
    if "ner" in base.pipe_names and ner_labels:
        known = set(base.get_pipe("ner").labels)
        missing = sorted(set(ner_labels) - known)
        if missing:
            raise ModelError(
                f"base model {base_model} predicts {', '.join(sorted(known)) or 'no labels'}, not "
                f"{', '.join(missing)}; its entity recogniser cannot be fine-tuned to the project's labels. "
                "Train from scratch (no base model)"
            )
    return base


# --------------------------------------------------------------------------- the logger hook

_HOOKS: dict[str, _Hook] = {}
_HOOKS_LOCK = threading.Lock()


class _TimeUp(Exception):
    """Training used its time budget; the best model so far is kept."""


class _Hook:
    def __init__(
        self,
        progress: Progress,
        on_epoch: Callable[[EpochReport], None] | None,
        total_steps: int,
        steps_per_epoch: int,
        max_seconds: float,
        max_epochs: int,
        *,
        final: str = "",
    ) -> None:
        # final: the message prefix of the run on all articles, which reports no epochs
        # (it has nothing held back to score on)
        self.final = final
        self.progress = progress
        self.on_epoch = on_epoch
        self.total_steps = total_steps
        self.steps_per_epoch = steps_per_epoch
        self.max_seconds = max_seconds
        self.max_epochs = max_epochs
        self.start = time.monotonic()
        self.epochs: list[EpochReport] = []
        self.best_score = -1.0
        self.step = 0
        self.last_epoch_time = time.monotonic()

    def log_step(self, info: dict[str, Any] | None) -> None:
        elapsed = time.monotonic() - self.start
        if info is not None:
            self.step = info["step"]
            if info["step"] > 0 and not self.final:
                self._epoch(info, elapsed)
        else:
            self.step += 1
        epoch = self.step / max(1, self.steps_per_epoch)
        msg = f"{self.final}epoch {min(int(epoch) + 1, self.max_epochs)}/{self.max_epochs}"
        self.progress.update(min(self.step, self.total_steps), self.total_steps, msg)
        if self.max_seconds and elapsed > self.max_seconds:
            raise _TimeUp()

    def _epoch(self, info: dict[str, Any], elapsed: float) -> None:
        other = info.get("other_scores") or {}
        per: dict[str, dict[str, float]] = {}
        for key in ("ents_per_type", "spans_sc_per_type"):
            for lab, s in (other.get(key) or {}).items():
                per.setdefault(lab, {"p": s["p"], "r": s["r"], "f": s["f"]})
        overall = {k: float(v) for k, v in other.items() if k.endswith(("_p", "_r", "_f")) and v is not None}
        score = float(info["score"] or 0.0)
        best = score > self.best_score
        self.best_score = max(self.best_score, score)
        rep = EpochReport(
            epoch=round(info["step"] / max(1, self.steps_per_epoch)),
            step=info["step"],
            seconds=elapsed,
            losses={k: float(v) for k, v in (info.get("losses") or {}).items()},
            score=score,
            scores=per,
            overall=overall,
            best=best,
        )
        self.epochs.append(rep)
        if self.on_epoch is not None:
            self.on_epoch(rep)
        # Stop now rather than start an epoch that would overrun the time budget.
        now = time.monotonic()
        epoch_time = now - self.last_epoch_time
        self.last_epoch_time = now
        if self.max_seconds and elapsed + epoch_time > self.max_seconds:
            raise _TimeUp()

    def finalize(self) -> None:
        pass


def _warmup_decay(
    initial_rate: float, warmup_steps: int, total_steps: int, max_seconds: float, final_factor: float
):
    """Linear warmup, then linear decay to ``final_factor`` by the last step or by ``max_seconds``."""
    start: float | None = None
    step = 0
    while True:
        if start is None:
            start = time.monotonic()
        done = (step - warmup_steps) / max(1, total_steps - warmup_steps) if total_steps else 0.0
        if max_seconds:
            done = max(done, (time.monotonic() - start) / max_seconds)
        factor = min(1.0, (step + 1) / warmup_steps) if warmup_steps else 1.0
        factor *= 1.0 - (1.0 - final_factor) * min(1.0, max(0.0, done))
        yield initial_rate * factor
        step += 1


def _mixed_corpus(path: str, extra_path: str, extra_per_epoch: int, seed: int):
    """All training docs plus a fresh sample of the extra docs, shuffled, per call (= per epoch)."""
    from spacy.training import Corpus

    main = Corpus(path, shuffle=False)
    extra = Corpus(extra_path, shuffle=False)
    rng = random.Random(seed)

    def read(nlp):  # noqa: ANN001, ANN202
        examples = list(main(nlp))
        more = list(extra(nlp))
        if 0 < extra_per_epoch < len(more):
            more = rng.sample(more, extra_per_epoch)
        examples.extend(more)
        rng.shuffle(examples)
        return examples

    return read


def _register_functions() -> None:
    import spacy

    if "sorot.warmup_decay.v1" not in spacy.registry.schedules:
        spacy.registry.schedules("sorot.warmup_decay.v1", func=_warmup_decay)
    if "sorot.MixedCorpus.v1" not in spacy.registry.readers:
        spacy.registry.readers("sorot.MixedCorpus.v1", func=_mixed_corpus)


def _register_logger() -> None:
    import spacy

    if "sorot.TrainLogger.v1" in spacy.registry.loggers:
        return

    @spacy.registry.loggers("sorot.TrainLogger.v1")
    def sorot_train_logger(hook: str):  # noqa: ANN202 - spaCy's logger protocol
        def setup(nlp, stdout=None, stderr=None):  # noqa: ANN001, ARG001
            h = _HOOKS[hook]
            return h.log_step, h.finalize

        return setup


# --------------------------------------------------------------------------- train


def train(
    store_or_documents: ProjectStore | Iterable[Document],
    outdir: str | Path,
    *,
    labels: Sequence[str] | None = None,
    label_kinds: dict[str, str] | None = None,
    eval_split: float = 0.2,
    base_model: str | None = None,
    max_epochs: int = 30,
    seed: int = 0,
    settings: TrainSettings | None = None,
    extra_documents: Sequence[Document] = (),
    progress: Progress = NULL,
    on_epoch: Callable[[EpochReport], None] | None = None,
    on_held_back: Callable[[Path, list[Document]], None] | None = None,
) -> TrainResult:
    """Train a pipeline on the finished articles of a store (or a list of Documents) into ``outdir``.

    Two runs (issue #14, "train on everything that counts"): the first trains on all but the
    held-back share (``eval_split``) and scores each epoch on it, which chooses the number of
    epochs and gives the scores reported; the model that ships then goes on from its best model
    over *all* the articles (``settings.retrain_on_all``, ``continue_on_all``; see the module
    docstring). The time limit covers both.
    Articles with only binary answers are never held back (their other tokens are unknown).

    ``on_held_back(model, documents)``, when there are held-back articles, is called at the end
    with the first run's model (it never saw them) and those articles, to judge the model by
    more than its score (``ops.retrain``: the analyst's key presses); the model is gone after.

    ``extra_documents`` are added to the training side only (never evaluated on), e.g. another
    corpus mapped onto the same labels. Raises ``SorotError`` when there is nothing to train on,
    ``ModelError`` when the base model does not fit; ``Cancelled`` only when cancelled before a
    first model exists (otherwise the result says ``cancelled=True`` and the model is the best so far).
    """
    settings = settings or TrainSettings()
    if max_epochs < 1:
        raise SorotError("max epochs must be at least 1")
    t0 = time.monotonic()
    outdir = Path(outdir).expanduser()
    _check_outdir(outdir)
    data = collect(store_or_documents, labels=labels, label_kinds=label_kinds, progress=progress)
    warnings = list(data.warnings)
    train_docs, eval_docs = split_held_back(data.documents, eval_split, seed)
    held_back = holds_back(train_docs, eval_docs)
    if not held_back:
        warnings.append(
            "only one finished article: it is used both to train and to evaluate"
            if len(data.documents) == 1
            else "no article is held back: the scores are on the training articles"
        )
    extra = [d for d in extra_documents]
    lang = data.language
    base = None
    if base_model:
        base = check_base_model(base_model, lang, data.ner_labels)
        lang = base.lang
    from annotator.spacy_docs import blank as shared_blank

    blank = shared_blank(lang)
    if blank.lang != lang:
        warnings.append(f"spaCy has no language {lang!r}; using the {blank.lang!r} tokenizer")
        lang = blank.lang
    retrain = settings.retrain_on_all and held_back
    members = _ensemble_size(settings, data, base)
    budget = settings.max_seconds
    if budget and members > 1:
        budget = max(1.0, budget - ENSEMBLE_RESERVE_SECONDS)

    outdir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".sorot-train-", dir=outdir.parent))
    helpers: list[Any] = []
    try:
        job = _MemberJob(data, train_docs, eval_docs, extra, settings, lang, base_model, max_epochs,
                         retrain, t0, budget)  # fmt: skip
        if members > 1:
            helpers = _start_members(job, work, seed, members)
        runs = [
            _run_member(job, blank, base, work / "member0", seed=seed, progress=progress, on_epoch=on_epoch)
        ]
        warnings.extend(runs[0].warnings)
        if runs[0].cancelled and helpers:
            (work / CANCEL_FILE).touch()
        for i, helper in enumerate(helpers, 1):
            run, problem = _join_member(helper, work, i, t0, settings.max_seconds, progress)
            if run is not None and not run.cancelled:
                runs.append(run)
            elif problem:
                warnings.append(f"model {i + 1} of the ensemble: {problem}; the model is made of the others")
        first = runs[0]
        hook_epochs = first.epochs
        stopped, cancelled = first.stopped, first.cancelled
        scores, final, model = first.scores, first.final, first.model
        held_model = first.held_back_model
        shipped_docs = first.shipped
        if len(runs) > 1 and not cancelled:
            model = ensemble.assemble([r.model for r in runs], work / "ensemble")
            if held_back and scores:
                # The ensemble of the held-back runs' models, scored on the articles none saw: the
                # scores reported are those of what ships, an ensemble, not of one of its members.
                held_model = ensemble.assemble([r.held_back_model for r in runs], work / "ensemble-held-back")
                seen = evaluate(held_model, eval_docs)
                scores = {
                    **{k: seen[k] for k in ("ents_p", "ents_r", "ents_f") if k in seen},
                    "per_label": {lab: {k: s[k] for k in ("p", "r", "f")} for lab, s in seen["per_label"].items()},
                    "epoch": first.scores.get("epoch"),
                    "members_ents_f": [r.scores.get("ents_f") for r in runs],
                }
            final = {**final, "members": len(runs), "member_epochs": [r.final.get("epochs", 0) for r in runs]}
        counts = _counts(data, shipped_docs, eval_docs, extra)
        counts["selection_train_articles"] = len(train_docs)
        seconds = time.monotonic() - t0
        # the helpers ran at the same time as this process: their peaks add up
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + sum(r.peak_mb for r in runs[1:])
        meta_extra = {
            "labels": {"ner": data.ner_labels, "spancat": data.span_labels},
            "label_kinds": {lab: data.kinds[lab] for lab in data.ner_labels + data.span_labels},
            "counts": counts,
            # what the model learnt from, so a later training can judge it on articles it never saw
            "trained_articles": sorted({d.article.hash[:16] for d in shipped_docs}),
            "split": {"eval_split": eval_split, "seed": seed, "by": "article"},
            "scores": scores,
            "epochs": len(hook_epochs),
            "final": final,
            "stopped": stopped,
            "seconds": round(seconds, 1),
            "peak_memory_mb": round(peak),
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "base_model": base_model,
            "settings": settings.to_dict(),
            "warnings": warnings,
            "version": sorot_version(),
        }
        _install(model, outdir, meta_extra)
        if on_held_back is not None and held_back and first.held_back_ran:  # its model ships
            on_held_back(held_model, list(eval_docs))
    finally:
        for helper in helpers:
            _stop_member(helper, work)
        shutil.rmtree(work, ignore_errors=True)
    return TrainResult(
        path=outdir,
        labels={"ner": data.ner_labels, "spancat": data.span_labels},
        counts=counts,
        scores=scores,
        epochs=hook_epochs,
        warnings=warnings,
        seconds=seconds,
        cancelled=cancelled,
        stopped=stopped,
        peak_memory_mb=peak,
        final=final,
        held_back=list(eval_docs) if held_back else [],
    )


# --------------------------------------------------------------------------- one model, or one member of an ensemble

#: Of the time limit, what an ensemble keeps for putting its models together and scoring them.
ENSEMBLE_RESERVE_SECONDS = 20.0
#: A shorter time limit trains one model.
ENSEMBLE_MIN_SECONDS = 120.0


def _cores() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _ensemble_size(settings: TrainSettings, data: TrainingData, base: Any) -> int:
    """How many models train side by side: ``settings.members``, at most one per core, and only
    a lone ``ner`` trained from scratch (it carries its own tok2vec: see ``build_config``),
    with no time limit or one of ``ENSEMBLE_MIN_SECONDS`` at least."""
    if settings.members <= 1 or base is not None or data.span_labels or not data.ner_labels or settings.hints:
        return 1
    if settings.max_seconds and settings.max_seconds < ENSEMBLE_MIN_SECONDS:
        return 1  # a short run: the helper's start and the putting together would eat it
    return max(1, min(settings.members, _cores(), ensemble.MAX_MEMBERS))


@dataclass
class _MemberJob:
    """What every model of a training shares (pickled for a helper process)."""

    data: TrainingData
    train_docs: list[Document]
    eval_docs: list[Document]
    extra: list[Document]
    settings: TrainSettings
    lang: str
    base_model: str | None
    max_epochs: int
    retrain: bool
    t0: float  # time.monotonic() when the training started (the clock is the system's)
    budget: float  # seconds from t0 (0: no limit)


@dataclass
class _MemberRun:
    model: Path  # what ships
    held_back_model: Path  # the held-back run's best model
    held_back_ran: bool  # the held-back run ended with a model (not cancelled)
    scores: dict[str, Any]
    epochs: list[EpochReport]
    stopped: str
    cancelled: bool
    final: dict[str, Any]
    shipped: list[Document]
    warnings: list[str]
    peak_mb: float = 0.0  # the process's peak memory when the model was done


def _run_member(
    job: _MemberJob,
    blank: Any,
    base: Any,
    work: Path,
    *,
    seed: int,
    progress: Progress,
    on_epoch: Callable[[EpochReport], None] | None,
) -> _MemberRun:
    """One model: the run that holds articles back, then (``job.retrain``) going on over all of them."""
    data, settings, train_docs, eval_docs = job.data, job.settings, job.train_docs, job.eval_docs
    warnings: list[str] = []
    # The first run's share of the time limit: the second sees 1/(1 - eval_split) times its data.
    budget = job.budget - (time.monotonic() - job.t0) if job.budget else 0.0
    select_seconds = budget
    if job.retrain and budget:
        select_seconds = budget / (1 + len(data.documents) / max(1, len(train_docs)))
    problems: list[str] = []

    # what both runs share: the pipeline, the data, the extra corpus and the settings
    def fit(docs, held, folder: str, **run: Any) -> _Fit:  # noqa: ANN001
        return _fit(blank, data, docs, held, job.extra, work / folder, settings, lang=job.lang, base=base,
                    base_model=job.base_model, seed=seed, progress=progress, **run)  # fmt: skip

    work.mkdir(exist_ok=True)  # no parents: a helper must not make again a folder that was removed
    first = fit(
        train_docs, eval_docs, "select",
        max_epochs=job.max_epochs, max_seconds=select_seconds, problems=problems, on_epoch=on_epoch,
    )  # fmt: skip
    if problems:
        warnings.append(
            f"{len(problems)} spans do not line up with spaCy's tokens (e.g. {problems[0]}); "
            "they were widened to whole tokens or left out"
        )
    hook = first.hook
    stopped, cancelled, model = first.stopped, first.stopped == "cancelled", first.model
    if stopped == "time":
        warnings.append(f"training stopped after {select_seconds:.0f}s (time limit); the best model is kept")
    best_epoch = max(hook.epochs, key=lambda e: e.score) if hook.epochs else None
    scores: dict[str, Any] = {}
    if best_epoch is not None:
        scores = dict(best_epoch.overall)
        scores["per_label"] = best_epoch.scores
        scores["epoch"] = best_epoch.epoch
    final: dict[str, Any] = {"articles": len(train_docs), "epochs": 0, "stopped": "", "seconds": 0.0}
    shipped_docs = list(train_docs)
    if job.retrain and not cancelled and best_epoch is not None:
        t1 = time.monotonic()
        remaining = job.budget - (t1 - job.t0) if job.budget else 0.0
        if job.budget and remaining < 1:
            warnings.append("no time left to train on all articles; the model is the held-back run's")
        else:
            # The held-back run chose the epochs when it ended by itself; stopped by the
            # clock while still improving, it says nothing against more: the time decides.
            epochs = best_epoch.epoch if stopped != "time" else job.max_epochs
            start = None
            if settings.continue_on_all:
                # Go on from the held-back run's best model rather than start afresh: its
                # epochs are not spent twice. Ended by itself, it needs only a few more
                # to take in the held-back articles.
                start = model
                if stopped != "time":
                    epochs = max(1, math.ceil(best_epoch.epoch * CONTINUE_SHARE))
            trained = set(map(id, train_docs))
            all_docs = train_docs + [d for d in eval_docs if id(d) not in trained]
            second = fit(
                all_docs, eval_docs[:1], "final", resume=start,
                max_epochs=epochs, max_seconds=remaining, problems=[], on_epoch=None,
                final=f"model on all {len(all_docs)} articles: ",
            )  # fmt: skip
            final = {
                "articles": len(all_docs),
                "epochs": epochs,
                "continued": start is not None,  # from the held-back run's best model
                "stopped": second.stopped,
                "seconds": round(time.monotonic() - t1, 1),
            }
            if second.stopped == "cancelled":
                cancelled, stopped = True, "cancelled"
                warnings.append(
                    f"cancelled while training on all articles; the model is the one trained on "
                    f"{len(train_docs)} articles"
                )
            elif _fell_short(second.model, eval_docs, scores):
                final["kept"] = "held-back run"
                warnings.append(
                    "the model trained on all articles did worse on the held-back articles, which it had "
                    f"seen, than the one trained on {len(train_docs)} articles did without seeing them; "
                    "that one is kept"
                )
            else:
                model, shipped_docs = second.model, all_docs
                if second.stopped == "time":
                    warnings.append(f"the training on all articles stopped at the time limit, before epoch {epochs}")
    return _MemberRun(
        model=model,
        held_back_model=first.model,
        held_back_ran=first.stopped != "cancelled",
        scores=scores,
        epochs=hook.epochs,
        stopped=stopped,
        cancelled=cancelled,
        final=final,
        shipped=shipped_docs,
        warnings=warnings,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def _start_members(job: _MemberJob, work: Path, seed: int, members: int) -> list[Any]:
    """Models 2.. of an ensemble in helper processes, each on its own core with its own seed.
    Spawned: this process has spaCy's and numpy's threads, and in the app Qt's. Plain processes
    rather than a pool (``annotator.helper_pool``): a pool's idle worker whose parent was
    killed waits for work forever (it holds its own task queue open), where these watch their
    parent from the start and end with it."""
    import multiprocessing
    import pickle

    ctx = multiprocessing.get_context("spawn")
    job_path = work / "job.pickle"
    job_path.write_bytes(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
    helpers = []
    for i in range(1, members):
        folder = work / f"member{i}"
        folder.mkdir()
        proc = ctx.Process(
            target=_member_process,
            args=(str(job_path), str(folder), seed + i, str(work / CANCEL_FILE)),
            name=f"sorot-train-member{i}",
            daemon=True,
        )
        proc.start()
        helpers.append(proc)
    return helpers


#: Created in the training's folder to tell the helper processes to stop.
CANCEL_FILE = "cancel"
#: Where a helper leaves its model's _MemberRun, or why there is none (a string).
RESULT_FILE = "result.pickle"


def _member_process(job_path: str, folder: str, seed: int, cancel_file: str) -> None:
    """In a helper process: one model of the ensemble, or why there is none, left in
    ``folder``. Ctrl-C is the parent's to answer (the first model stops and keeps its best;
    the helpers follow through ``cancel_file``); a parent that dies takes its helpers along."""
    import multiprocessing
    import os
    import pickle
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:

        def orphaned() -> None:
            parent.join()
            os._exit(1)

        threading.Thread(target=orphaned, name="parent-watch", daemon=True).start()
    out = Path(folder)
    stop = Path(cancel_file)
    progress = Progress(lambda *_: stop.exists() and progress.cancel())
    try:
        job: _MemberJob = pickle.loads(Path(job_path).read_bytes())
        from annotator.spacy_docs import blank as shared_blank

        run: _MemberRun | str = _run_member(
            job, shared_blank(job.lang), None, out, seed=seed, progress=progress, on_epoch=None
        )
    except Cancelled:
        run = "it was cancelled"
    except Exception as exc:  # noqa: BLE001 - the parent reports it as a warning
        log.exception("a model of the ensemble failed")
        run = f"it failed ({type(exc).__name__}: {exc})"
    if isinstance(run, _MemberRun):
        run = dataclasses.replace(run, shipped=[])  # the parent ships the first model's documents
    (out / "result.tmp").write_bytes(pickle.dumps(run, protocol=pickle.HIGHEST_PROTOCOL))
    (out / "result.tmp").replace(out / RESULT_FILE)


def _join_member(
    helper: Any, work: Path, i: int, t0: float, max_seconds: float, progress: Progress
) -> tuple[_MemberRun | None, str]:
    """Model ``i``'s run from its helper, waiting at most until a minute past the time limit;
    a cancel meanwhile is passed on to the helper (it stops and keeps its best)."""
    import pickle

    now = time.monotonic()
    until = now + max(60.0, t0 + max_seconds + 60 - now) if max_seconds else None
    while helper.is_alive() and (until is None or time.monotonic() < until):
        if progress.cancelled:
            (work / CANCEL_FILE).touch()
        helper.join(1.0)
    if helper.is_alive():
        _stop_member(helper, work)
        return None, "it did not finish in time"
    result = work / f"member{i}" / RESULT_FILE
    if not result.exists():
        return None, f"it ended without a model (exit code {helper.exitcode})"
    run = pickle.loads(result.read_bytes())
    if isinstance(run, str):
        return None, run
    return run, ""


def _stop_member(helper: Any, work: Path) -> None:
    """End a helper: told through the cancel file, it has 30 s to stop, then it is ended."""
    (work / CANCEL_FILE).touch()
    helper.join(30)
    end_processes(lambda: [helper])


@dataclass
class _Fit:
    model: Path
    hook: _Hook
    stopped: str  # "max_epochs", "patience", "time", "cancelled"


def _fit(
    blank: Any,
    data: TrainingData,
    train_docs: Sequence[Document],
    eval_docs: Sequence[Document],
    extra: Sequence[Document],
    work: Path,
    settings: TrainSettings,
    *,
    lang: str,
    base: Any,
    base_model: str | None,
    max_epochs: int,
    seed: int,
    max_seconds: float,
    problems: list[str],
    progress: Progress,
    on_epoch: Callable[[EpochReport], None] | None,
    final: str = "",
    resume: Path | None = None,
) -> _Fit:
    """One spaCy training run in ``work``: its corpora, config and output. ``Cancelled`` when no model exists yet."""
    import io

    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train

    work.mkdir()  # in the model's folder, which exists (a helper's may have been removed: it fails)
    progress.update(0, 0, f"{final}preparing the corpora")
    extra_path = None
    extra_per_epoch = 0
    if extra and settings.extra_ratio > 0:
        n_train = _write_docbin(
            blank, train_docs, work / "train.spacy", data, settings, problems, progress, DocBin
        )
        extra_path = work / "extra.spacy"
        n_extra = _write_docbin(blank, extra, extra_path, data, settings, problems, progress, DocBin)
        extra_per_epoch = min(n_extra, max(1, round(settings.extra_ratio * n_train)))
        n_train += extra_per_epoch
    else:
        n_train = _write_docbin(
            blank,
            list(train_docs) + list(extra),
            work / "train.spacy",
            data,
            settings,
            problems,
            progress,
            DocBin,
        )
    _write_docbin(blank, eval_docs, work / "dev.spacy", data, settings, [], progress, DocBin)
    steps_per_epoch = max(1, math.ceil(n_train / settings.batch_size))
    run_settings = copy.copy(settings)
    run_settings.max_seconds = max_seconds
    if final:
        run_settings.patience_epochs = 0  # the number of epochs is chosen already
    config = build_config(
        lang,
        data.ner_labels,
        data.span_labels,
        run_settings,
        train_path=work / "train.spacy",
        dev_path=work / "dev.spacy",
        steps_per_epoch=steps_per_epoch,
        max_epochs=max_epochs,
        seed=seed,
        base=base,
        base_name=base_model,
        extra_path=extra_path,
        extra_per_epoch=extra_per_epoch,
        resume=str(resume) if resume is not None else None,
    )
    if final:
        # Nothing is held back: score once at the start and at the end only (spaCy's loop
        # needs a dev corpus), and ship the last weights.
        config["training"]["eval_frequency"] = max_epochs * steps_per_epoch
    _register_logger()
    hook_id = uuid.uuid4().hex
    hook = _Hook(
        progress,
        on_epoch,
        max_epochs * steps_per_epoch,
        steps_per_epoch,
        max_seconds,
        max_epochs,
        final=final,
    )
    with _HOOKS_LOCK:
        _HOOKS[hook_id] = hook
    config["training"]["logger"] = {"@loggers": "sorot.TrainLogger.v1", "hook": hook_id}
    progress.update(0, 0, f"{final}initialising the pipeline")
    try:
        nlp = init_nlp(config, use_gpu=-1)
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"cannot set up the pipeline: {exc}") from exc
    stopped = "max_epochs"
    (work / "out").mkdir()
    try:
        spacy_train(nlp, work / "out", use_gpu=-1, stdout=io.StringIO(), stderr=io.StringIO())
        if not final and hook.epochs and len(hook.epochs) < max_epochs:
            stopped = "patience"
    except _TimeUp:
        stopped = "time"
    except Cancelled:
        stopped = "cancelled"
    finally:
        with _HOOKS_LOCK:
            _HOOKS.pop(hook_id, None)
        # the pipeline trained is on disk now: free its weights and activations before the
        # next run or the scoring loads another (spaCy's objects hold reference cycles)
        del nlp
        gc.collect()
    best = work / "out" / "model-last" if final else work / "out" / "model-best"
    if not best.exists():
        best = work / "out" / "model-last"
    if not best.exists():
        if stopped == "cancelled":
            raise Cancelled()
        raise ModelError("training produced no model")
    return _Fit(best, hook, stopped)


def _fell_short(model: Path, held_back: Sequence[Document], scores: dict[str, Any]) -> bool:
    """Whether the model trained on all articles scores below the held-back run's score on the
    held-back articles: it trained on them, so it should do at least as well there. Less means
    its shorter or differently paced run (a time limit, few steps) left it undertrained, and
    the held-back run's model, whose score is known, is the one to ship."""
    pairs = [(ours, theirs) for ours, theirs in (("ents_f", "ents_f"), ("spans_sc_f", "spans_f")) if ours in scores]
    if not pairs or not held_back:
        return False
    seen = evaluate(model, held_back)  # entities and spans: either falling short counts
    return any(seen.get(theirs) is not None and seen[theirs] < float(scores[ours]) for ours, theirs in pairs)


def _check_outdir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise SorotError(f"{outdir}: exists and is not a folder")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / "config.cfg").exists():
        raise SorotError(
            f"{outdir}: the folder is not empty and is not a spaCy pipeline; choose an empty folder"
        )


def _write_docbin(
    blank, docs, path, data: TrainingData, settings: TrainSettings, problems, progress, DocBin
) -> int:  # noqa: ANN001, N803
    db = DocBin(store_user_data=False)
    n = 0
    for i, d in enumerate(docs):
        if i % 100 == 0:
            progress.update(0, 0, f"preparing the corpora ({i}/{len(docs)})")
        complete = not binary_only(d)
        pieces = chunks(d) if settings.chunk_by_line else [(d.article.text, d.spans)]
        for text, spans in pieces:
            doc = make_doc(blank, text, spans, data.ner_labels, data.span_labels, problems, complete=complete)
            if len(doc):
                db.add(doc)
                n += 1
    db.to_disk(path)
    return n


def _counts(data: TrainingData, train_docs, eval_docs, extra) -> dict[str, Any]:  # noqa: ANN001
    def per_label(docs):  # noqa: ANN001, ANN202
        return dict(sorted(Counter(s.label for d in docs for s in d.spans if s.status == "accepted").items()))

    return {
        "train_articles": len(train_docs),
        "eval_articles": len(eval_docs),
        "extra_documents": len(extra),
        "skipped_unfinished": data.skipped_articles,
        "train_spans": per_label(train_docs),
        "eval_spans": per_label(eval_docs),
        "extra_spans": per_label(extra),
        "rejected_spans": sum(1 for d in data.documents for s in d.spans if s.status == "rejected"),
    }


def _install(best: Path, outdir: Path, sorot_meta: dict[str, Any]) -> None:
    """Put the best model into ``outdir`` as a plain pipeline: Sorot's meta, the console logger in its config."""
    import spacy

    cfg_path = best / "config.cfg"
    config = spacy.util.load_config(cfg_path, interpolate=False)
    config["training"]["logger"] = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    # Sorot's training-only functions are not needed (nor registered) where the model is used.
    config["corpora"]["train"] = {"@readers": "spacy.Corpus.v1", "path": "${paths.train}"}
    lr = config["training"]["optimizer"].get("learn_rate")
    if isinstance(lr, dict) and "initial_rate" in lr:
        config["training"]["optimizer"]["learn_rate"] = lr["initial_rate"]
    config["training"]["max_epochs"] = max(0, config["training"].get("max_epochs") or 0)
    config.to_disk(cfg_path)
    meta_path = best / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["name"] = "sorot_model"
    meta["description"] = "Trained by Sorot from the project's finished articles"
    meta["sorot"] = sorot_meta
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    if outdir.exists():
        shutil.rmtree(outdir)
    shutil.copytree(best, outdir)


# --------------------------------------------------------------------------- evaluate, register


def evaluate(
    model_path: str | Path,
    documents: Iterable[Document],
    *,
    labels: Sequence[str] | None = None,
    batch_size: int = 64,
) -> dict[str, Any]:
    """Per-label precision, recall and F1 of a pipeline on Documents (accepted spans are the gold).

    Entities: exact match of (start token, end token, label) via spaCy's scorer; spans the same
    for the spancat labels. Returns {"ents_p", "ents_r", "ents_f", "spans_p", ... ,
    "per_label": {label: {"p", "r", "f", "support"}}, "articles": n}.
    """
    from spacy.training import Example

    from annotator import spacy_hints

    try:
        nlp = spacy_hints.load(model_path)  # a Sorot model may have the hints component
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"{model_path}: cannot load the model ({exc})") from exc
    ner_labels = list(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else []
    span_labels = list(nlp.get_pipe("spancat").labels) if "spancat" in nlp.pipe_names else []
    if labels:
        ner_labels = [lab for lab in ner_labels if lab in labels]
        span_labels = [lab for lab in span_labels if lab in labels]
    docs = list(documents)
    refs = [
        make_doc(nlp, d.article.text, [s for s in d.spans if s.status == "accepted"], ner_labels, span_labels)
        for d in docs
    ]
    preds = nlp.pipe((d.article.text for d in docs), batch_size=batch_size)
    examples = [Example(p, r) for p, r in zip(preds, refs, strict=True)]
    for eg in examples:
        if labels:
            eg.predicted.ents = [e for e in eg.predicted.ents if e.label_ in ner_labels]
    del nlp, preds
    gc.collect()  # the pipeline loaded here, before the caller loads another
    from spacy.scorer import Scorer

    out: dict[str, Any] = {"articles": len(docs), "per_label": {}}
    support = Counter(s.label for d in docs for s in d.spans if s.status == "accepted")
    if ner_labels:
        sc = Scorer.score_spans(examples, "ents")
        out.update({"ents_p": sc["ents_p"], "ents_r": sc["ents_r"], "ents_f": sc["ents_f"]})
        for lab, s in (sc.get("ents_per_type") or {}).items():
            out["per_label"][lab] = {**s, "support": support.get(lab, 0)}
    if span_labels:
        sc = Scorer.score_spans(
            examples,
            f"spans_{SPANS_KEY}",
            getter=lambda doc, key: doc.spans.get(SPANS_KEY, []),
            has_annotation=lambda doc: True,
            labeled=True,
            allow_overlap=True,
        )
        out.update(
            {
                "spans_p": sc[f"spans_{SPANS_KEY}_p"],
                "spans_r": sc[f"spans_{SPANS_KEY}_r"],
                "spans_f": sc[f"spans_{SPANS_KEY}_f"],
            }
        )
        for lab, s in (sc.get(f"spans_{SPANS_KEY}_per_type") or {}).items():
            out["per_label"].setdefault(lab, {**s, "support": support.get(lab, 0)})
    return out


def register_model(
    store: ProjectStore, result_or_path: TrainResult | str | Path, *, name: str | None = None
) -> list[dict]:
    """Record a trained model in the project's ``models`` setting (a JSON list), newest first.

    Each entry: {"path", "name", "labels", "f", "trained_at"}; an entry with the same path is replaced.
    """
    path = result_or_path.path if isinstance(result_or_path, TrainResult) else Path(result_or_path)
    path = Path(path).expanduser().resolve()
    meta = {}
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8")).get("sorot", {})
    except (OSError, ValueError):
        pass
    scores = meta.get("scores", {})
    entry = {
        "path": str(path),
        "name": name or path.name,
        "labels": sorted(
            {*meta.get("labels", {}).get("ner", []), *meta.get("labels", {}).get("spancat", [])}
        ),
        "f": scores.get("ents_f", scores.get("spans_sc_f")),
        "trained_at": meta.get("trained_at"),
    }
    models = registered_models(store)
    models = [m for m in models if m.get("path") != entry["path"]]
    models.insert(0, entry)
    store.set_setting(MODELS_SETTING, json.dumps(models, ensure_ascii=False))
    return models


def registered_models(store: ProjectStore) -> list[dict]:
    raw = store.setting(MODELS_SETTING)
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    out = []
    for m in value if isinstance(value, list) else []:
        if isinstance(m, str):
            out.append({"path": m, "name": Path(m).name})
        elif isinstance(m, dict) and m.get("path"):
            out.append(m)
    return out
