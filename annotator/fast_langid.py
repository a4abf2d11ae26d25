"""Speed trick: py3langid's DFA walked for many texts at once with numpy, and its decoded
model kept on disk.

py3langid counts a text's features by walking its bytes through a DFA in pure Python
(``visit_counts``: about 0.5 ms for 600 characters), and each process that starts decodes
its model from an xz file (about 0.8 s). Both are done here another way, for the same
numbers:

* **Many texts at once** (``FastIdentifier.rank_many``): the same DFA (the same arrays) is
  stepped for a batch of texts together, one numpy step per byte position, the texts sorted
  by length so that a step takes only those still going. Each text visits the very states
  ``visit_counts`` visits; its features are counted in the order of their first visit, as
  the ``collections.Counter`` of ``visit_counts`` keeps them, so its score (``log1p(counts) @ table[features] +
  prior``) is the same product of the same numbers in the same order: the same bits. The
  rest (the text's encoding, normalising, ranking) is py3langid's own code. A single text
  (``rank``) takes py3langid's own walk.
* **The model** restricted to the languages asked for (the feature table as contiguous
  float32, ``annotator.lang``'s table) and the DFA's arrays are kept as ``.npy`` files in
  the user cache directory, in a folder named by py3langid's version, its model file's size
  and time and this format's version, written to a temporary folder and renamed; the big
  transition table is mapped, not read. A cache that cannot be read or written is ignored:
  the model is then decoded from py3langid's file, as without this module.

``tests/test_speed_langid.py`` checks the answers against stock py3langid's (texts in many
languages and scripts, mixed, empty, random); ``bench/bench_core.py`` shows the gain.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from py3langid.langid import LanguageIdentifier

from annotator.user_cache import cache_dir

#: Bump when what is cached changes.
FORMAT = 1
#: The arrays a FastIdentifier is made of (the cache folder holds ``NAME.npy`` for each).
ARRAYS = ("ptc", "pc", "classes", "nextmove", "rows", "outputs")
#: Past any position (the scratch of first positions holds it between texts).
_FAR = np.iinfo(np.intp).max
#: Fewer texts than this are ranked one by one (py3langid's walk is then quicker).
BATCH_FROM = 8


class FastIdentifier(LanguageIdentifier):
    """py3langid's identifier (``norm_probs=True``) over the arrays of ``build``; see the
    module docstring."""

    __slots__ = ("_arrays", "_pending", "_walk_lock")

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        classes = [str(c) for c in arrays["classes"]]
        super().__init__(arrays["ptc"], arrays["pc"], classes, None, None, norm_probs=True, tk_row=[])
        self._arrays = arrays
        self._pending = threading.local()
        self._walk_lock = threading.Lock()

    # ------------------------------------------------------------------ one text: py3langid's walk

    def _stock_walk(self) -> None:
        """py3langid's own DFA arrays, made from ours the first time a single text is ranked."""
        if self.tk_nextmove is None:
            with self._walk_lock:
                if self.tk_nextmove is None:
                    from py3langid.modelio import _to_array

                    self.tk_output = self._arrays["outputs"].tolist()
                    self.tk_row = _to_array(self._arrays["rows"])
                    self._rowbase = [r << 8 for r in self.tk_row]
                    self.tk_nextmove = _to_array(self._arrays["nextmove"])

    def _raw_score(self, text):  # noqa: ANN001, ANN202 - py3langid's signature
        scores = getattr(self._pending, "scores", None)
        if scores is not None and text in scores:
            return scores[text].copy()  # _decide changes it in place
        self._stock_walk()
        return super()._raw_score(text)

    # ------------------------------------------------------------------ many texts at once

    def rank_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """``[self.rank(t) for t in texts]``, the walks done together."""
        if len(texts) < BATCH_FROM:
            return [self.rank(t) for t in texts]
        encoded = [self._encode(t) for t in texts]
        self._pending.scores = dict(zip(encoded, self.raw_scores(encoded), strict=True))
        try:
            return [self.rank(t) for t in texts]
        finally:
            self._pending.scores = None

    def raw_scores(self, encoded: Sequence[bytes]) -> list[np.ndarray]:
        """What py3langid's ``_raw_score`` gives for each of ``encoded`` (UTF-8 bytes)."""
        a = self._arrays
        nextmove, outputs = a["nextmove"], a["outputs"]
        rowbase = a["rowbase"]
        n = len(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.intp, count=n)
        order = np.argsort(-lengths, kind="stable")  # longest first
        longest = int(lengths[order[0]]) if n else 0
        # byte j of the i-th longest text at [j, i]; a step takes the texts still going
        grid = np.zeros((n, max(longest, 1)), dtype=np.uint8)
        for i, k in enumerate(order.tolist()):
            grid[i, : lengths[k]] = np.frombuffer(encoded[k], dtype=np.uint8)
        columns = np.ascontiguousarray(grid.T)
        going = np.searchsorted(-lengths[order], -np.arange(longest), side="left")  # texts longer than j
        visited = np.zeros((max(longest, 1), n), dtype=np.intp)  # state 0 outputs nothing
        state = np.zeros(n, dtype=np.intp)
        for j in range(longest):
            k = int(going[j])
            state = nextmove[rowbase[state[:k]] + columns[j, :k]]
            visited[j, :k] = state
        feats = outputs[visited.T]  # (text, position): the feature visited, -1 for none
        # Each text's features in the order of their first visit and their counts: the keys
        # and values of the Counter visit_counts makes (scratch arrays, reset after each text)
        width = len(self.nb_ptc)
        first = np.full(width, _FAR, dtype=np.intp)
        count = np.zeros(width, dtype=np.intp)
        positions = np.arange(feats.shape[1], dtype=np.intp)
        out: list[np.ndarray] = [None] * n  # type: ignore[list-item]
        for i, k in enumerate(order.tolist()):
            row = feats[i, : lengths[k]]
            found = row[row >= 0].astype(np.intp)
            if not len(found):  # no features, norm_probs: as LanguageIdentifier._raw_score
                out[k] = np.full(len(self.nb_classes), 0.0, dtype=np.float32)
                continue
            at = positions[: len(found)]
            np.minimum.at(first, found, at)
            idx = found[first[found] == at]  # each feature where it first appears
            np.add.at(count, found, 1)
            counts = count[idx].astype(np.float32)
            first[idx] = _FAR
            count[idx] = 0
            # as LanguageIdentifier._sparse_score
            out[k] = np.log1p(counts) @ self.nb_ptc[idx] + self.nb_pc
        return out


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return MODEL_DIR / MODEL_FILE


def stock(languages: Sequence[str]) -> LanguageIdentifier:
    """py3langid's identifier restricted to ``languages``, as the library makes it."""
    ident = LanguageIdentifier.from_model_file(_model_file(), norm_probs=True)
    ident.set_languages(list(languages))
    return ident


def build(languages: Sequence[str]) -> dict[str, np.ndarray]:
    """The arrays of a FastIdentifier for ``languages``, from py3langid's model file."""
    ident = stock(languages)
    arrays = {
        "ptc": np.ascontiguousarray(ident.nb_ptc, dtype=np.float32),
        "pc": np.asarray(ident.nb_pc),
        "classes": np.array(ident.nb_classes),
        "nextmove": np.frombuffer(ident.tk_nextmove, dtype=np.dtype(ident.tk_nextmove.typecode)),
        "rows": np.frombuffer(ident.tk_row, dtype=np.dtype(ident.tk_row.typecode)),
        "outputs": np.array(ident.tk_output, dtype=np.int32),
    }
    _check(arrays, languages)
    return arrays


def _check(arrays: dict[str, np.ndarray], languages: Sequence[str]) -> None:
    """ValueError unless the arrays fit together (a stale or broken cache, another model)."""
    ptc, rows, outputs, nextmove = arrays["ptc"], arrays["rows"], arrays["outputs"], arrays["nextmove"]
    classes = [str(c) for c in arrays["classes"]]
    if set(classes) != set(languages) or ptc.shape != (ptc.shape[0], len(classes)) or ptc.dtype != np.float32:
        raise ValueError("languages")
    if arrays["pc"].shape != (len(classes),) or len(rows) != len(outputs) or not len(rows):
        raise ValueError("shapes")
    if (
        outputs[0] != -1
        or outputs.max() >= len(ptc)
        or len(nextmove) % 256
        or int(rows.max()) * 256 >= len(nextmove)
        or int(nextmove.max()) >= len(rows)  # every step lands on a state (10 ms for 39 MB)
    ):
        raise ValueError("automaton")


def identifier(arrays: dict[str, np.ndarray]) -> FastIdentifier:
    arrays = dict(arrays)
    arrays["rowbase"] = arrays["rows"].astype(np.intp) << 8
    arrays["outputs"] = np.asarray(arrays["outputs"])
    return FastIdentifier(arrays)


def cache_name(languages: Sequence[str]) -> str:
    import py3langid

    stat = _model_file().stat()
    version = getattr(py3langid, "__version__", "unknown")
    return f"langid-{version}-{stat.st_size}-{stat.st_mtime_ns}-f{FORMAT}-{'_'.join(languages)}"


def load(languages: Sequence[str], folder: Path | None = None) -> FastIdentifier:
    """The identifier for ``languages``: from the cache (``folder``, default ``cache_dir()``)
    when it holds it, else decoded from py3langid's file (and kept in the cache if it can be)."""
    folder = cache_dir() if folder is None else folder
    path = folder / cache_name(languages) if folder is not None else None
    broken = path is not None and path.is_dir()  # until it is read
    if broken:
        try:
            arrays = {
                name: np.asarray(np.load(path / f"{name}.npy", allow_pickle=False, mmap_mode="r"))
                for name in ARRAYS
            }
            for name in ("ptc", "pc", "rows", "outputs", "classes"):  # small: read, not mapped
                arrays[name] = np.array(arrays[name])
            _check(arrays, languages)
            return identifier(arrays)
        except Exception:  # noqa: BLE001 - a cache that cannot be read is rebuilt
            pass
    arrays = build(languages)
    if path is not None:
        _write(path, arrays, broken=broken)
    return identifier(arrays)


def _write(path: Path, arrays: dict[str, np.ndarray], *, broken: bool = False) -> None:
    """Write the cache folder whole or not at all (a temporary folder renamed). ``broken``:
    the folder there could not be read; anything else there another process just wrote."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent))
        try:
            for name in ARRAYS:
                np.save(tmp / f"{name}.npy", arrays[name], allow_pickle=False)
            if broken:
                shutil.rmtree(path, ignore_errors=True)
            os.rename(tmp, path)  # fails if another process just wrote it: theirs stays
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        for old in path.parent.glob("langid-*"):  # another py3langid's or format's: not read again
            if old.name != path.name and old.is_dir() and not old.name.endswith(".tmp"):
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass  # no cache: the next process decodes the model again
