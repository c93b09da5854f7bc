"""Train the learned layer on the working cases and write ``learned.npz``.

``python -m shared.safety.train`` reads every working case of ``cases.toml`` (normalised as
screening normalises text) with the encoder's six pooled layers and with hashed n-grams, and fits a
class-balanced, L2-regularised logistic regression to each (urgent against sensitive and none;
``fitting.py``); it tunes the encoder's top two layers with a head of their own (``tuning.py``).
It chooses everything else by five-fold cross-validation over whole case groups (each fold tuned
afresh), so a group's near-paraphrases are never split between fitting and scoring, on the
working cases alone (``heldout*.toml`` is never read here):

- both regressions' penalties, by out-of-fold log loss;
- the floor (below it the model may overrule the rules' urgent) and the threshold (at or above it
  the model's finding is urgent), together: the pair that finds the most urgent cases while
  screening as a whole raises false alarms on at most ``TARGET_FALSE_ALARMS`` of the non-urgent
  working cases, and overruling loses at most ``FLOOR_RECALL_COST`` of the urgent ones (when in
  doubt, urgent).

Every working case is read whole, as the services read any text of up to ``WINDOW_WORDS`` words
(training refuses a longer case). It stores each working case's out-of-fold score, so the
evaluation can report honest working figures for the model.

Tuning is almost all of its time, so the folds and the tuning on every case run side by side, one
forked process per core (ADR 0045); it prints how far it has got.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from shared.safety.combined import MODEL_MIN_WORDS
from shared.safety.embedding import LAYERS, Encoder, Matrix, default_encoder
from shared.safety.evaluate import CaseFile, load
from shared.safety.fitting import Vector, fit, fit_sparse
from shared.safety.learned import MODEL, WINDOW_WORDS, Flags, Weights, score, screened_urgent, windows
from shared.safety.ngrams import document_frequency, vectorize
from shared.safety.screening import LEXICON, normalize, screen_text
from shared.safety.tuning import FIRST, Tuned, adapted, save_tuned, tune

TARGET_FALSE_ALARMS = 0.05
FLOOR_RECALL_COST = 0.01
FLOORS = tuple(round(0.025 * i, 3) for i in range(1, 21))  # 0.025 to 0.5
# the last rounds chose the smallest penalties as the cases grew (1e-5, then 3e-6, then 1e-6 for both)
LAYER_PENALTIES: tuple[float, ...] = (0.0000001, 0.0000003, 0.000001, 0.000003, 0.00001)
GRAM_PENALTIES: tuple[float, ...] = (0.0000001, 0.0000003, 0.000001, 0.000003, 0.00001)
FOLDS = 5


def folds(groups: npt.NDArray[np.int64], k: int = FOLDS) -> list[npt.NDArray[np.int64]]:
    """Whole groups to folds, largest first, each to the fold with fewest cases so far."""
    sizes = np.bincount(groups)
    load_per_fold, fold_of = np.zeros(k), np.zeros(len(sizes), dtype=np.int64)
    for g in np.argsort(-sizes, kind="stable"):
        fold_of[g] = int(np.argmin(load_per_fold))
        load_per_fold[fold_of[g]] += sizes[g]
    return [np.flatnonzero(fold_of[groups] == f) for f in range(k)]


Penalties = tuple[float, float]  # the encoder regression's, the n-gram regression's


def fit_all(texts: list[str], pooled: Matrix, y: Vector, penalties: Penalties, tuned: Tuned) -> Weights:
    """Both regressions fitted on these cases, beside the tuned layers (cut-offs left at 0.5 and
    0; ``main`` chooses them)."""
    idf = document_frequency(texts)
    layers, layers_bias = fit(pooled, y, penalties[0])
    grams, grams_bias = fit_sparse(vectorize(texts, idf), y, penalties[1])
    return Weights(layers=layers, layers_bias=layers_bias, grams=grams, grams_bias=grams_bias, idf=idf,
                   tuned=tuned, threshold=0.5, floor=0.0)  # fmt: skip


def out_of_fold(
    encoder: Encoder, texts: list[str], read: Read, y: Vector, parts: list[npt.NDArray[np.int64]]
) -> tuple[dict[Penalties, Matrix], Tuned]:
    """Per pair of penalties, each case's score from models (and tuned layers) that never saw its
    group; and the layers tuned on every case. Each fold, and the tuning on every case, is a job of
    its own, run side by side in forked worker processes (one per core, one thread each): tuning is
    most of training's time, and one process leaves a core half idle."""
    out = {(a, b): np.zeros(len(y), dtype=np.float32) for a in LAYER_PENALTIES for b in GRAM_PENALTIES}
    _JOB.update(encoder=encoder, texts=texts, read=read, y=y)
    workers = max(1, min(len(parts) + 1, os.cpu_count() or 1))
    context = multiprocessing.get_context("fork")  # the workers share the read cases, unpickled
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_one_thread) as pool:
            whole = pool.submit(_tune_all)  # the longest job first
            for held, scores in zip(parts, pool.map(_one_fold, parts), strict=True):
                for pair, fold_scores in scores.items():
                    out[pair][held] = fold_scores
            return out, whole.result()
    finally:
        _JOB.clear()


_JOB: dict[str, Any] = {}  # what the forked workers read: set by ``out_of_fold`` before they fork


def _one_thread() -> None:
    threadpool_limits(limits=1, user_api="blas")


def _tune_all() -> Tuned:
    read, y = _JOB["read"], _JOB["y"]
    started = time.monotonic()
    tuned: Tuned = read.tune(_JOB["encoder"], np.arange(len(y)), y)
    print(f"tuned on all {len(y)} cases in {time.monotonic() - started:.0f} s", flush=True)
    return tuned


def _one_fold(held: npt.NDArray[np.int64]) -> dict[Penalties, Matrix]:
    """The held cases' scores per pair of penalties, from a fold that never saw them."""
    encoder, texts, read, y = _JOB["encoder"], _JOB["texts"], _JOB["read"], _JOB["y"]
    train = np.setdiff1d(np.arange(len(y)), held)
    started = time.monotonic()
    tuned = read.tune(encoder, train, y[train])
    print(f"fold of {len(held)} held cases: tuned on {len(train)} in {time.monotonic() - started:.0f} s", flush=True)
    held_pooled = read.with_tuned(adapted(encoder, tuned), held)
    idf = document_frequency([texts[i] for i in train])
    train_grams, held_grams = vectorize([texts[i] for i in train], idf), vectorize([texts[i] for i in held], idf)
    layers = {a: fit(read.pooled[train], y[train], a) for a in LAYER_PENALTIES}
    out: dict[Penalties, Matrix] = {}
    for b in GRAM_PENALTIES:
        grams, grams_bias = fit_sparse(train_grams, y[train], b)
        for a, (coef, bias) in layers.items():
            weights = Weights(layers=coef, layers_bias=bias, grams=grams, grams_bias=grams_bias, idf=idf,
                              tuned=tuned, threshold=0.5, floor=0.0)  # fmt: skip
            out[a, b] = score(weights, held_pooled, held_grams)
    print(f"fold of {len(held)} held cases: done in {time.monotonic() - started:.0f} s", flush=True)
    return out


class Read:
    """The working cases as the encoder reads them, once: every layer pooled, and the token states
    tuning starts from."""

    def __init__(self, encoder: Encoder, texts: list[str]) -> None:
        self.pooled = encoder.encode_layers(texts)
        self.states = encoder.lower(texts, FIRST)

    def with_tuned(self, tuned: Encoder, rows: npt.NDArray[np.int64]) -> Matrix:
        """These cases' columns as ``encode_layers(..., tuned=tuned)`` gives them: the published
        layers already read, and the tuned ones run from the stored states."""
        return np.concatenate([self.pooled[rows], tuned.upper([self.states[i] for i in rows])], axis=1)

    def tune(self, encoder: Encoder, rows: npt.NDArray[np.int64], y: Vector) -> Tuned:
        lower = self.pooled[rows, : FIRST * encoder.hidden]
        return tune(encoder, [self.states[i] for i in rows], lower, y)


def choose_cutoffs(scores: Matrix, y: Vector, rules: Flags, read_by_model: Flags) -> tuple[float, float]:
    """The floor and threshold (floor below threshold) that find the most urgent cases out of fold,
    among those that keep false alarms within the target and overrule at most the allowed share of
    urgent cases."""
    urgent, calm = y > 0, y == 0
    allowed = FLOOR_RECALL_COST * max(1, int(urgent.sum()))
    best = (-1.0, 0.0, 1.0)  # (recall, floor, threshold)
    for floor in (0.0, *FLOORS):
        if (rules & read_by_model & urgent & (scores < floor)).sum() > allowed:
            break
        threshold = choose_threshold(scores, y, rules, read_by_model, floor)
        found = screened_urgent(rules, scores, read_by_model, threshold, floor)
        recall = float(found[urgent].mean())
        if floor < threshold and found[calm].mean() <= TARGET_FALSE_ALARMS and recall > best[0]:
            best = (recall, floor, threshold)
    return best[1], best[2]


def choose_threshold(scores: Matrix, y: Vector, rules: Flags, read_by_model: Flags, floor: float) -> float:
    """The lowest threshold (one of the scores, or 1) at which screening as a whole alarms on at
    most the target of non-urgent cases. The rules' alarms that the floor lets stand are spent
    first; the rest of the budget goes to the highest-scoring calm cases the model read."""
    calm = y == 0
    kept = calm & rules & (~read_by_model | (scores >= floor))
    budget = int(TARGET_FALSE_ALARMS * int(calm.sum()) + 1e-9) - int(kept.sum())
    if budget < 0:
        return 1.0
    candidates = np.unique(np.concatenate([scores, [1.0]]))
    open_to_it = np.sort(scores[calm & read_by_model & ~kept])[::-1]  # calm cases only the threshold can alarm on
    if budget >= len(open_to_it):
        return float(candidates[0])
    # the budget's first case over must stay below the threshold: the next score above it, or 1
    above = np.searchsorted(candidates, open_to_it[budget], side="right")
    return float(candidates[above]) if above < len(candidates) else 1.0


def log_loss(scores: Matrix, y: Vector) -> float:
    p = np.clip(scores, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def digest(cases: CaseFile) -> str:
    """The labelled cases the layer learns from, and the lexicon (it normalises their text, and
    the cut-offs are chosen with the rules' verdicts); the personal-detail groups are not its
    business, so a change to them needs no retraining."""
    return hashlib.sha256(msgspec.json.encode(cases.cases) + LEXICON.read_bytes()).hexdigest()


def main() -> None:
    cases = load()
    texts = [normalize(t) for g in cases.cases for t in g.texts]
    groups = np.array([i for i, g in enumerate(cases.cases) for _ in g.texts], dtype=np.int64)
    y = np.array([g.label == "urgent" for g in cases.cases for _ in g.texts], dtype=np.float64)
    rules = np.array([screen_text(t).urgent for g in cases.cases for t in g.texts])
    read_by_model = np.array([len(t.split()) >= MODEL_MIN_WORDS for t in texts])  # as the services use the model
    too_long = [t for t in texts if len(windows(t)) > 1]
    if too_long:  # the model learns from whole texts, and the services read such a text whole
        raise SystemExit(f"a working case is longer than one window ({WINDOW_WORDS} words): {too_long[0][:80]!r}")
    encoder = default_encoder()
    started = time.monotonic()
    read = Read(encoder, texts)
    print(f"read {len(texts)} working cases in {time.monotonic() - started:.0f} s", flush=True)
    pooled = read.pooled
    by_penalties, tuned = out_of_fold(encoder, texts, read, y, folds(groups))
    penalties = min(by_penalties, key=lambda p: log_loss(by_penalties[p], y))
    oof = by_penalties[penalties]
    floor, threshold = choose_cutoffs(oof, y, rules, read_by_model)
    weights = msgspec.structs.replace(fit_all(texts, pooled, y, penalties, tuned), threshold=threshold, floor=floor)
    _save(weights, pooled, cases, y > 0, oof, penalties)
    urgent, calm = y > 0, y == 0
    both = screened_urgent(rules, oof, read_by_model, threshold, floor)
    print(
        f"penalties {penalties} (out-of-fold log loss {log_loss(oof, y):.3f}); threshold {threshold:.3f}; floor {floor:.3f}"
    )
    print(
        f"out of fold: model recall {(oof[urgent] >= threshold).mean():.3f}, false alarms {(oof[calm] >= threshold).mean():.3f}"
    )
    print(f"out of fold: screening recall {both[urgent].mean():.3f}, false alarms {both[calm].mean():.3f}")


def _save(weights: Weights, pooled: Matrix, cases: CaseFile, urgent: Flags, oof: Matrix, penalties: Penalties) -> None:
    """``learned.npz``: the weights, the urgent cases' texts and sentence embeddings (the reasons
    given to moderators), every case's out-of-fold score, and the digest of what it learnt from."""
    hidden = pooled.shape[1] // LAYERS
    write_whole(MODEL, {
        **save_tuned(weights.tuned), "layers": weights.layers, "layers_bias": np.float32(weights.layers_bias),
        "grams": weights.grams.astype(np.float16), "grams_bias": np.float32(weights.grams_bias),
        "idf": weights.idf.astype(np.float16), "threshold": np.float32(weights.threshold),
        "floor": np.float32(weights.floor), "penalties": np.array(penalties, dtype=np.float32),
        "embeddings": pooled[urgent, (LAYERS - 1) * hidden : LAYERS * hidden].astype(np.float16),
        "urgent": urgent, "texts": np.array([t for g in cases.cases for t in g.texts]), "oof_scores": oof,
        "cases_sha256": np.array(digest(cases)),
    })  # fmt: skip


def write_whole(path: Path, arrays: dict[str, Any]) -> None:
    """``arrays`` to ``path`` as a compressed ``.npz``, whole or not at all: written beside it and
    moved into place, so a training run that dies half an hour in leaves the last model as it was."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as file:
            np.savez_compressed(file, **arrays)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
