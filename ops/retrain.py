"""Retraining the project's model: where versions live, when one is due, how a training is
run apart from the desk, and how its result becomes a version (``annotator.loop`` has the
rules, ``storage.models`` the table).

A training writes only into a fresh *partial* folder (``.partial-<random>``) beside the
versions. Only when it finished and its ``meta.json`` is complete is that folder renamed, in
one step, to its version folder and recorded; so a cancelled, crashed or disk-full training
never leaves a half-written model in use, and ``clean_partials`` removes what it left.

The desk runs the training as a separate, low-priority process (``child_argv``): the
project is opened read-only there, one thread of maths, ``nice`` 10, so the analyst's edits
keep their speed; ``main.py retrain`` runs it in its own process the same way.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.errors import ModelError
from annotator.loop import (
    DEFAULT_RETRAIN_EPOCHS,
    DEFAULT_RETRAIN_EVERY,
    DEFAULT_RETRAIN_MINUTES,
    PLACES,
    RETRAIN_EPOCHS_SETTING,
    RETRAIN_EVERY_SETTING,
    RETRAIN_MINUTES_SETTING,
    ModelVersion,
    best_place,
    due,
    is_better,
)
from annotator.model import FINISHED
from annotator.project import SUGGESTERS_SETTING, ProjectStore
from annotator.suggest import DEFAULT_SPEC

if TYPE_CHECKING:
    from annotator.train import TrainSettings

#: Environment of a background training: one thread for the maths libraries (the other
#: core stays the desk's), no progress bars.
CHILD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: How much lower than the desk a background training runs (Unix ``nice``).
CHILD_NICE = 10
#: Held-back articles the version in use never trained on, at least, to compare a new one
#: with it (``placement_effort``); fewer, and their F-scores decide.
MIN_UNSEEN = 3
#: Written by ``train_into`` beside the model: the suggesters' score without it.
BASELINE = "baseline.json"
_ROOT = Path(__file__).resolve().parents[1]


@dataclass(slots=True)
class Outcome:
    """What a finished training became."""

    version: ModelVersion
    previous: ModelVersion | None  # the version in use before
    swapped: bool  # the new version is now in use
    baseline: float | None = None  # F of the suggesters without any own model, same articles
    effort: dict[str, float] | None = None  # key presses per gold span there: without, first, last

    def message(self) -> str:
        new = f"model v{self.version.id} (F {_pct(self.version.f)}, {self.version.articles} articles)"
        if self.swapped:
            was = f"; v{self.previous.id} had {_pct(self.previous.f)}" if self.previous else ""
            saves = ""
            if self.effort:
                saves = (
                    f", its suggestions {'after' if self.version.place == 'last' else 'before'} the others' "
                    f"({self.effort[self.version.place]:.2f} key presses per span, {self.effort['without']:.2f} without)"
                )
            return f"{new} is now in use{saves}{was}"
        if self.effort and self.effort[self.version.place] >= self.effort["without"]:
            return (
                f"{new} kept aside: it would not save key presses "
                f"({self.effort[self.version.place]:.2f} per span with it, {self.effort['without']:.2f} without)"
            )
        vs = (self.effort or {}).get("vs_active")
        if self.previous is not None and vs and vs.get("id") == self.previous.id:
            return (
                f"{new} kept aside: v{self.previous.id} needs fewer key presses on the {vs['articles']} "
                f"held-back articles neither saw ({vs['active']:.2f} per span, "
                f"{vs[self.version.place]:.2f} with the new one)"
            )
        if self.previous is None and self.baseline is not None and self.version.f is not None:
            return f"{new} kept aside: the suggesters without it do as well ({_pct(self.baseline)})"
        if self.previous is None:
            return f"{new} kept aside: it has no held-out score"
        return f"{new} kept aside: not better than v{self.previous.id} ({_pct(self.previous.f)})"


def _pct(f: float | None) -> str:
    return "–" if f is None else f"{f:.2f}"


def models_dir(store: ProjectStore) -> Path:
    """Where the project's model versions live: ``<project>.models/`` beside the project file."""
    path = getattr(store, "path", None)
    if path is None:
        from platformdirs import user_data_dir

        return Path(user_data_dir("sorot")) / "models-in-memory"
    path = Path(path)
    return path.with_name(path.name + ".models")


def _number(store: ProjectStore, key: str, default: float) -> float:
    """A number setting of the project; the default when unset or not a number."""
    try:
        return float(store.setting(key) or default)
    except ValueError:
        return default


def retrain_every(store: ProjectStore) -> int:
    return int(_number(store, RETRAIN_EVERY_SETTING, DEFAULT_RETRAIN_EVERY))


def max_minutes(store: ProjectStore) -> float:
    return _number(store, RETRAIN_MINUTES_SETTING, DEFAULT_RETRAIN_MINUTES) or DEFAULT_RETRAIN_MINUTES


def max_epochs(store: ProjectStore) -> int:
    return max(1, int(_number(store, RETRAIN_EPOCHS_SETTING, DEFAULT_RETRAIN_EPOCHS)))


def finished_articles(store: ProjectStore) -> int:
    return store.count_articles(statuses=FINISHED)


def is_due(store: ProjectStore) -> bool:
    """Whether enough articles were finished since the newest version (``annotator.loop.due``)."""
    versions = store.model_versions()
    return due(finished_articles(store), versions[0] if versions else None, retrain_every(store))


def new_partial(store: ProjectStore) -> Path:
    """A fresh folder for one training to write into; its model goes in ``<partial>/model``."""
    folder = models_dir(store) / f".partial-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def clean_partials(store: ProjectStore) -> int:
    """Remove what interrupted trainings left; returns how many folders."""
    base = models_dir(store)
    n = 0
    for folder in base.glob(".partial-*") if base.is_dir() else ():
        shutil.rmtree(folder, ignore_errors=True)
        n += 1
    return n


def child_command(store: ProjectStore, *command: str) -> list[str]:
    """The command line of ``main.py COMMAND`` on ``store`` opened read-only (the desk keeps
    writing), at a lower priority: how the desk runs a training apart from itself."""
    boot = (
        "import os, sys; sys.path.insert(0, sys.argv.pop(1)); "
        f"hasattr(os, 'nice') and os.nice({CHILD_NICE}); "
        "import main; sys.exit(main.main(sys.argv[1:]))"
    )
    return [
        sys.executable, "-c", boot, str(_ROOT),
        "--db", str(store.path), "--read-only", "--annotator", store.annotator, *command,
    ]  # fmt: skip


def child_argv(store: ProjectStore, partial: Path, *, minutes: float | None = None) -> list[str]:
    """A background training of ``store`` into ``partial``: ``main.py retrain --into``
    (``train_into``)."""
    minutes = minutes or max_minutes(store)
    return child_command(
        store,
        "retrain",
        "--into",
        str(partial),
        "--max-minutes",
        f"{minutes:g}",
        "--max-epochs",
        str(max_epochs(store)),
    )


def child_env() -> dict[str, str]:
    return {**os.environ, **CHILD_ENV}


def finish(store: ProjectStore, partial: Path, *, cause: str = "manual") -> Outcome:
    """Make the model a training wrote into ``partial`` a version: move it to its own folder in
    one rename, record it, and put it in use when it is better than the one in use."""
    model = partial / "model"
    try:
        meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))["sorot"]
    except (OSError, ValueError, KeyError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise ModelError(f"the training left no complete model ({exc}); nothing changed") from exc
    baseline, effort = None, None
    try:
        found = json.loads((partial / BASELINE).read_text(encoding="utf-8"))
        baseline, effort = found.get("f"), found.get("effort")
    except (OSError, ValueError, AttributeError):
        pass
    number = max((v.id or 0 for v in store.model_versions()), default=0) + 1
    final = models_dir(store) / time.strftime(f"v{number:03d}-%Y%m%d-%H%M%S")
    os.replace(model, final)
    shutil.rmtree(partial, ignore_errors=True)
    version = ModelVersion.from_meta(str(final), meta, cause=cause)
    notes = []
    if baseline is not None:
        notes.append(f"suggesters without it: F {baseline:.3f} on the same held-back articles")
    if isinstance(effort, dict) and all(
        isinstance(effort.get(k), (int, float)) for k in ("without", *PLACES)
    ):
        version.place = best_place(effort)
        notes.append(
            f"key presses per gold span there: {effort['without']:.2f} without it, "
            f"{effort[version.place]:.2f} with it {version.place}"
        )
    else:
        effort = None
    version.note = "; ".join(notes)
    previous = store.active_model_version()
    better = is_better(version, previous, baseline, effort)
    version = store.add_model_version(version, activate=better)
    return Outcome(version, previous, better, baseline, effort)


def train_into(
    store: ProjectStore,
    partial: Path,
    *,
    minutes: float | None = None,
    settings: TrainSettings | None = None,
    **train_options: Any,
) -> None:
    """Train the next model into ``<partial>/model``; on the same held-back articles, score the
    suggesters in use without any model of the project's own, and count the analyst's key
    presses with them alone and with the held-back run's model first or last
    (``<partial>/baseline.json``, what ``finish`` decides with). Reads the project only."""
    from annotator.train import TrainSettings, train

    settings = copy.copy(settings) if settings is not None else TrainSettings()
    settings.max_seconds = (minutes or max_minutes(store)) * 60
    judged: dict[str, Any] = {}
    entities = {lab.name for lab in store.labels() if lab.kind == "entity"}

    def judge(unseen: Path, held_back: list) -> None:
        # by the held-back run's model: the shipped one was trained on these very articles too
        judged["without"] = suggestions_without_model(store, held_back)
        if not entities:  # key presses are counted on entities (claims: F only)
            return
        judged["effort"] = placement_effort(
            store, held_back, judged["without"], unseen, entities, store.active_model_version()
        )

    result = train(store, partial / "model", settings=settings, on_held_back=judge, **train_options)
    if result.held_back:
        labels = set(result.labels.get("ner", [])) | set(result.labels.get("spancat", []))
        without = judged.get("without") or suggestions_without_model(store, result.held_back)
        found = {"f": suggesters_f(result.held_back, without, labels)}
        if result.labels.get("ner") and "effort" in judged:  # key presses on entities (claims: F only)
            found["effort"] = judged["effort"]
        (partial / BASELINE).write_text(json.dumps(found), encoding="utf-8")


def _gold(docs: list, labels: set[str]) -> list[set[tuple[int, int, str]]]:
    return [
        {(s.start, s.end, s.label) for s in d.spans if s.status == "accepted" and s.label in labels}
        for d in docs
    ]


def suggestions_without_model(store: ProjectStore, docs: list) -> list[list]:
    """What the project's suggesters offer on ``docs``, minus its own models and the learned
    gazetteer (which has seen these very articles); an empty list per article when none is left."""
    from annotator.suggest import build_suggesters, run_suggesters, spec_items

    own = {v.path for v in store.model_versions()}
    spec = ",".join(
        i for i in spec_items(store.setting(SUGGESTERS_SETTING, DEFAULT_SPEC) or DEFAULT_SPEC)
        if i != "gazetteer" and not (i.startswith("spacy:") and i[len("spacy:") :] in own)
    )  # fmt: skip
    if not spec:
        return [[] for _ in docs]
    suggesters = build_suggesters(spec, label_map=store.label_map())
    return run_suggesters(suggesters, [d.article.text for d in docs], [d.article.language for d in docs])


def suggesters_f(docs: list, found: list[list], labels: set[str]) -> float | None:
    """Exact-span F of ``found`` suggestions on ``docs``' accepted spans of ``labels``."""
    gold = {(i, *key) for i, keys in enumerate(_gold(docs, labels)) for key in keys}
    made = {(i, s.start, s.end, s.label) for i, out in enumerate(found) for s in out if s.label in labels}
    hit = len(gold & made)
    return 2 * hit / (len(gold) + len(made)) if gold or made else None


def placement_effort(
    store: ProjectStore,
    docs: list,
    without: list[list],
    model: Path,
    labels: set[str],
    active: ModelVersion | None = None,
) -> dict:
    """The analyst's key presses per gold span on the held-back ``docs``
    (``annotator.loop.review_cost``): with the suggestions ``without`` the new model, and with
    the model's merged in first (winning where they overlap) or last (filling what the others
    left). Only suggestions of ``labels`` (what the model learnt) count. With the ``active``
    version given (its folder still there), also with it in its place instead: ``"active"``."""
    from annotator.loop import review_cost
    from annotator.suggest import build_suggesters
    from annotator.suggest.base import merge

    texts, langs = [d.article.text for d in docs], [d.article.language for d in docs]

    def suggestions(folder: Path | str) -> list[list]:
        [suggester] = build_suggesters(f"spacy:{folder}", label_map=store.label_map())
        return suggester.suggest(texts, langs)

    def cost(golds: list, without: list[list], found: list[list] | None, first: bool) -> float:
        found = found if found is not None else [[] for _ in without]
        return review_cost(golds, [
            [s.key for s in merge([m, w] if first else [w, m]) if s.label in labels]
            for w, m in zip(without, found, strict=True)
        ])  # fmt: skip

    golds = _gold(docs, labels)
    by_model = suggestions(model)
    effort: dict[str, Any] = {
        "without": cost(golds, without, None, False),
        "first": cost(golds, without, by_model, True),
        "last": cost(golds, without, by_model, False),
    }
    unseen = _unseen_by(active, docs) if active is not None else []
    if len(unseen) >= MIN_UNSEEN:
        try:
            by_active = suggestions(active.path)
        except ModelError:  # a version whose folder no longer loads: nothing to compare with
            return effort

        def pick(found: list) -> list:
            return [found[i] for i in unseen]

        some, rest = pick(golds), pick(without)
        effort["vs_active"] = {
            "id": active.id,  # the version compared with: finish checks it is still the one in use
            "articles": len(unseen),
            "active": cost(some, rest, pick(by_active), active.place == "first"),
            "first": cost(some, rest, pick(by_model), True),
            "last": cost(some, rest, pick(by_model), False),
        }
    return effort


def _unseen_by(version: ModelVersion, docs: list) -> list[int]:
    """Which of ``docs`` ``version`` never trained on (its ``meta.json`` names what it learnt
    from); none when it does not say."""
    try:
        meta = json.loads((Path(version.path) / "meta.json").read_text(encoding="utf-8"))
        trained = set(meta["sorot"]["trained_articles"])
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [i for i, d in enumerate(docs) if d.article.hash[:16] not in trained]


def train_now(store: ProjectStore, *, cause: str = "manual", **options: Any) -> Outcome:
    """``train_into`` a fresh partial folder in this process (``main.py retrain``), then ``finish``."""
    partial = new_partial(store)
    try:
        train_into(store, partial, **options)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return finish(store, partial, cause=cause)
