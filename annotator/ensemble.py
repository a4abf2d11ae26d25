"""Several entity recognisers that decide together, as one pipeline component (issue #14).

Sorot trains two (or more) ``ner`` models at once, one per processor core, each with its own
seed (``annotator.train``, ``TrainSettings.members``), and ships them as one component named
``ner`` whose factory is ``sorot_ensemble_ner``. Its members read a text in step: at each
step of spaCy's transition system every member scores the possible actions,
the component averages the members' probabilities (a softmax of each member's scores) and
takes the best valid action for all of them. One sequence of actions, so one consistent set
of entities, as from a single ``ner``; it only knows more.

Measured on nergrit (two models trained by ``annotator.train`` for 16 epochs on 80% of
nergrit/train, seeds 0 and 1): alone F1 0.679 and 0.664 on nergrit/valid, together 0.700 (P
0.724 R 0.677); voting on whole spans did no better than the better model (both: P 0.815 R
0.585, F 0.681; either: 0.679), nor did spaCy's own stacking of a second ``ner`` after the
first (it keeps the first's entities and fills the gaps: 0.674). Reading costs one pass of
each model through spaCy's network and one walk through the actions: nergrit/valid three
times (63 articles) took 2.3-2.8 s of CPU against 2.1 s for one ``ner`` (with the tokenizer), in batches of at
most ``DECODE_TOKENS`` tokens.

The decoding uses the public methods spaCy's parser itself uses outside its C loop (in
``Parser.beam_parse`` and ``Parser.update``): ``moves.init_batch``, ``model.predict(docs)``
and the step model's ``predict(states)``, ``transition_states`` and ``set_annotations``. With
one member it gives exactly what ``EntityRecognizer.predict`` gives (tested), which is the
check that this stays true in a later spaCy.

The component has its members' weights and its code: whatever loads a Sorot model must
import this module first (it registers the factory); ``annotator.spacy_hints.load`` does,
and so ``annotator.suggest.spacy_pipeline`` and ``annotator.train.evaluate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

FACTORY = "sorot_ensemble_ner"


def _softmax(scores: Any) -> Any:
    import numpy

    shifted = scores - scores.max(axis=1, keepdims=True)
    e = numpy.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


#: At most this many members: the factory takes one model section per member (``model``,
#: ``model_1``, ...), as spaCy's config resolves each into its own model.
MAX_MEMBERS = 4


#: Tokens decoded together at most. Each member's activations for the whole batch are alive
#: through the decoding: 34 nergrit articles (11k tokens) at once took 715 MB at the peak
#: against 331 MB by 8 articles (one ner: 332 MB), and smaller batches were not slower
#: (63 articles: 2.8 s of CPU by 64, 2.3 s by 16; one ner 2.1 s).
DECODE_TOKENS = 4000


def _by_tokens(docs: Iterable[Any], *, max_docs: int, max_tokens: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    tokens = 0
    for doc in docs:
        if batch and (len(batch) >= max_docs or tokens + len(doc) > max_tokens):
            yield batch
            batch, tokens = [], 0
        batch.append(doc)
        tokens += len(doc)
    if batch:
        yield batch


class EnsembleNER:
    """Entity recognisers of one architecture (``models``) that choose each action together."""

    def __init__(self, nlp: Any, name: str, models: Sequence[Any], incorrect_spans_key: str | None) -> None:
        from spacy.pipeline.ner import EntityRecognizer, make_ner_scorer

        if not models:
            raise ValueError("an ensemble needs at least one member")
        self.name = name
        self.members: list[Any] = [
            EntityRecognizer(
                nlp.vocab, model, name=name, incorrect_spans_key=incorrect_spans_key, scorer=make_ner_scorer()
            )
            for model in models
        ]
        self._columns: list[Any] | None = None

    # --- what spaCy and Sorot ask of a ner ----------------------------------------------------

    @property
    def labels(self) -> tuple[str, ...]:
        return self.members[0].labels

    @property
    def cfg(self) -> dict[str, Any]:
        return self.members[0].cfg

    @property
    def move_names(self) -> list[str]:
        return self.members[0].move_names

    def score(self, examples: Iterable[Any], **kwargs: Any) -> dict[str, Any]:
        return self.members[0].score(examples, **kwargs)

    def __call__(self, doc: Any) -> Any:
        self.predict([doc])
        return doc

    def pipe(self, docs: Iterable[Any], *, batch_size: int = 128) -> Iterator[Any]:
        for batch in _by_tokens(docs, max_docs=batch_size, max_tokens=DECODE_TOKENS):
            self.predict(batch)
            yield from batch

    def predict(self, docs: Sequence[Any]) -> None:
        """Set the entities of ``docs``: each action is the best valid one by the members' mean probability."""
        import numpy

        lead = self.members[0]
        columns = self._member_columns()
        states = lead.moves.init_batch(list(docs))
        active = [s for s in states if not s.is_final()]
        if active:
            steps = [m.model.predict(list(docs)) for m in self.members]
            try:
                while active:
                    mean = _softmax(steps[0].predict(active))
                    for step, cols in zip(steps[1:], columns[1:], strict=True):
                        scores = step.predict(active)
                        mean += _softmax(scores if cols is None else scores[:, cols])
                    mean /= len(steps)
                    active = lead.transition_states(active, numpy.ascontiguousarray(mean, dtype="float32"))
            finally:
                for step in steps:
                    step.clear_memory()
        lead.set_annotations(list(docs), states)

    def _member_columns(self) -> list[Any]:
        """Per member, the order of its action scores that lines them up with the first
        member's actions (None: already the same; the label order follows the training data)."""
        if self._columns is None:
            import numpy

            lead = list(self.members[0].move_names)
            columns: list[Any] = []
            for member in self.members:
                names = list(member.move_names)
                if names == lead:
                    columns.append(None)
                elif sorted(names) == sorted(lead):
                    columns.append(numpy.asarray([names.index(n) for n in lead], dtype="int64"))
                else:
                    raise ValueError("the members of the ensemble were trained with other labels")
            self._columns = columns
        return self._columns

    # --- building and saving ------------------------------------------------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for i, member in enumerate(self.members):
            member.to_disk(path / f"member{i}", exclude=exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EnsembleNER:
        path = Path(path)
        for i, member in enumerate(self.members):
            member.from_disk(path / f"member{i}", exclude=exclude)
        self._columns = None
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        import srsly

        return srsly.msgpack_dumps(
            {f"member{i}": m.to_bytes(exclude=exclude) for i, m in enumerate(self.members)}
        )

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> EnsembleNER:
        import srsly

        parts = srsly.msgpack_loads(data)
        for i, member in enumerate(self.members):
            member.from_bytes(parts[f"member{i}"], exclude=exclude)
        self._columns = None
        return self


def register() -> None:
    """Register the ``sorot_ensemble_ner`` factory with spaCy (idempotent)."""
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(
            FACTORY,
            default_config={
                "incorrect_spans_key": None,
                **{f"model_{i}": None for i in range(1, MAX_MEMBERS)},
            },
            func=_make,
        )


# Its member parameters are model, model_1 .. model_{MAX_MEMBERS - 1}, as ``register``'s default
# config names them: the two change together (saved configs carry them, so never fewer).
def _make(
    nlp: Any,
    name: str,
    model: Any,
    incorrect_spans_key: str | None,
    model_1: Any = None,
    model_2: Any = None,
    model_3: Any = None,
) -> EnsembleNER:
    models = [m for m in (model, model_1, model_2, model_3) if m is not None]
    return EnsembleNER(nlp, name, models, incorrect_spans_key)


def assemble(member_paths: Sequence[str | Path], outdir: str | Path) -> Path:
    """One pipeline from Sorot models whose ``ner`` carries its own tok2vec, by files alone (no
    model is loaded): the first model's folder, its ``ner`` replaced by an ensemble of all
    their ``ner``s. ``outdir`` must not exist yet."""
    import copy
    import shutil

    from spacy.util import load_config

    if not 1 <= len(member_paths) <= MAX_MEMBERS:
        raise ValueError(f"an ensemble has 1 to {MAX_MEMBERS} members, not {len(member_paths)}")
    paths = [Path(p) for p in member_paths]
    configs = [load_config(p / "config.cfg", interpolate=False) for p in paths]
    ner = configs[0]["components"]["ner"]
    if (
        ner.get("factory") != "ner"
        or "tok2vec" not in ner["model"]
        or "listener" in str(ner["model"]["tok2vec"].get("@architectures", "")).lower()
    ):
        raise ValueError("only a ner with its own tok2vec can join an ensemble")
    for other in configs[1:]:
        if other["components"]["ner"]["model"] != ner["model"]:
            raise ValueError("the members of an ensemble must have one architecture")
    outdir = Path(outdir)
    shutil.copytree(paths[0], outdir)
    first = outdir / "ner.member0"
    (outdir / "ner").rename(first)
    (outdir / "ner").mkdir()
    first.rename(outdir / "ner" / "member0")
    for i, p in enumerate(paths[1:], 1):
        shutil.copytree(p / "ner", outdir / "ner" / f"member{i}")
    config = configs[0]
    section = {
        "factory": FACTORY,
        "incorrect_spans_key": ner.get("incorrect_spans_key"),
        "model": ner["model"],
    }
    for i in range(1, len(paths)):
        section[f"model_{i}"] = copy.deepcopy(ner["model"])
    config["components"]["ner"] = section
    config.to_disk(outdir / "config.cfg")
    register()  # so that this process can load what it made
    return outdir
