"""Train the learned layer on the working cases and write ``learned.npz``.

``python -m shared.safety.train`` reads every working case of ``cases.toml`` (normalised as
screening normalises text) with the encoder's six pooled layers and with hashed n-grams, and fits a
class-balanced, L2-regularised logistic regression to each (urgent against sensitive and none;
``fitting.py``). It chooses everything else by five-fold cross-validation over whole case groups,
so a group's near-paraphrases are never split between fitting and scoring, on the working cases
alone (``heldout*.toml`` is never read here):

- the encoder regression's penalty, by out-of-fold log loss;
- the floor (below it the model may overrule the rules' urgent) and the threshold (at or above it
  the model's finding is urgent), together: the pair that finds the most urgent cases while
  screening as a whole raises false alarms on at most ``TARGET_FALSE_ALARMS`` of the non-urgent
  working cases, and overruling loses at most ``FLOOR_RECALL_COST`` of the urgent ones (when in
  doubt, urgent).

It stores each working case's out-of-fold score, so the evaluation can report honest working
figures for the model.
"""

from __future__ import annotations

import hashlib

import msgspec
import numpy as np
import numpy.typing as npt

from shared.safety.combined import MODEL_MIN_WORDS
from shared.safety.embedding import Matrix, default_encoder
from shared.safety.evaluate import CaseFile, load
from shared.safety.fitting import Vector, fit, fit_sparse
from shared.safety.learned import MODEL, Flags, Weights, score, system
from shared.safety.ngrams import document_frequency, vectorize
from shared.safety.screening import normalize, screen_text

TARGET_FALSE_ALARMS = 0.05
FLOOR_RECALL_COST = 0.01
FLOORS = tuple(round(0.025 * i, 3) for i in range(1, 21))  # 0.025 to 0.5
LAYER_PENALTIES = (0.0001, 0.0003, 0.001)
GRAM_PENALTY = 0.00003
FOLDS = 5


def folds(groups: npt.NDArray[np.int64], k: int = FOLDS) -> list[npt.NDArray[np.int64]]:
    """Whole groups to folds, largest first, each to the fold with fewest cases so far."""
    sizes = np.bincount(groups)
    load_per_fold, fold_of = np.zeros(k), np.zeros(len(sizes), dtype=np.int64)
    for g in np.argsort(-sizes, kind="stable"):
        fold_of[g] = int(np.argmin(load_per_fold))
        load_per_fold[fold_of[g]] += sizes[g]
    return [np.flatnonzero(fold_of[groups] == f) for f in range(k)]


def fit_all(texts: list[str], pooled: Matrix, y: Vector, penalty: float) -> Weights:
    """Both regressions fitted on these cases (cut-offs left at 0.5 and 0; ``main`` chooses them)."""
    idf = document_frequency(texts)
    layers, layers_bias = fit(pooled, y, penalty)
    grams, grams_bias = fit_sparse(vectorize(texts, idf), y, GRAM_PENALTY)
    return Weights(layers=layers, layers_bias=layers_bias, grams=grams, grams_bias=grams_bias, idf=idf,
                   threshold=0.5, floor=0.0)  # fmt: skip


def out_of_fold(texts: list[str], pooled: Matrix, y: Vector, parts: list[npt.NDArray[np.int64]]) -> dict[float, Matrix]:
    """Per encoder penalty, each case's score from models that never saw its group."""
    out = {p: np.zeros(len(y), dtype=np.float32) for p in LAYER_PENALTIES}
    for held in parts:
        train = np.setdiff1d(np.arange(len(y)), held)
        idf = document_frequency([texts[i] for i in train])
        grams, grams_bias = fit_sparse(vectorize([texts[i] for i in train], idf), y[train], GRAM_PENALTY)
        held_grams = vectorize([texts[i] for i in held], idf)
        for penalty in LAYER_PENALTIES:
            layers, layers_bias = fit(pooled[train], y[train], penalty)
            weights = Weights(layers=layers, layers_bias=layers_bias, grams=grams, grams_bias=grams_bias, idf=idf,
                              threshold=0.5, floor=0.0)  # fmt: skip
            out[penalty][held] = score(weights, pooled[held], held_grams)
    return out


def choose_cutoffs(scores: Matrix, y: Vector, rules: Flags, heard: Flags) -> tuple[float, float]:
    """The floor and threshold that find the most urgent cases out of fold, among those that keep
    false alarms within the target and overrule at most the allowed share of urgent cases."""
    urgent, calm = y > 0, y == 0
    allowed = FLOOR_RECALL_COST * max(1, int(urgent.sum()))
    best = (-1.0, 0.0, 1.0)  # (recall, floor, threshold)
    for floor in (0.0, *FLOORS):
        if (rules & heard & urgent & (scores < floor)).sum() > allowed:
            break
        threshold = choose_threshold(scores, y, rules, heard, floor)
        recall = float(system(rules, scores, heard, threshold, floor)[urgent].mean())
        if system(rules, scores, heard, threshold, floor)[calm].mean() <= TARGET_FALSE_ALARMS and recall > best[0]:
            best = (recall, floor, threshold)
    return best[1], best[2]


def choose_threshold(scores: Matrix, y: Vector, rules: Flags, heard: Flags, floor: float) -> float:
    """The lowest threshold at which screening as a whole alarms on at most the target of non-urgent cases."""
    calm = y == 0
    for t in np.unique(np.concatenate([scores, [1.0]])):
        if system(rules, scores, heard, float(t), floor)[calm].mean() <= TARGET_FALSE_ALARMS:
            return float(t)
    return 1.0


def log_loss(scores: Matrix, y: Vector) -> float:
    p = np.clip(scores, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def digest(cases: CaseFile) -> str:
    """The labelled cases the layer learns from; the personal-detail groups are not its business,
    so a change to them needs no retraining."""
    return hashlib.sha256(msgspec.json.encode(cases.cases)).hexdigest()


def main() -> None:
    cases = load()
    texts = [normalize(t) for g in cases.cases for t in g.texts]
    groups = np.array([i for i, g in enumerate(cases.cases) for _ in g.texts], dtype=np.int64)
    y = np.array([g.label == "urgent" for g in cases.cases for _ in g.texts], dtype=np.float64)
    rules = np.array([screen_text(t).urgent for g in cases.cases for t in g.texts])
    heard = np.array([len(t.split()) >= MODEL_MIN_WORDS for t in texts])  # as the services use the model
    pooled = default_encoder().encode_layers(texts)
    by_penalty = out_of_fold(texts, pooled, y, folds(groups))
    penalty = min(by_penalty, key=lambda p: log_loss(by_penalty[p], y))
    oof = by_penalty[penalty]
    floor, threshold = choose_cutoffs(oof, y, rules, heard)
    weights = msgspec.structs.replace(fit_all(texts, pooled, y, penalty), threshold=threshold, floor=floor)
    urgent = y > 0
    hidden = pooled.shape[1] // 6
    np.savez_compressed(
        MODEL, layers=weights.layers, layers_bias=np.float32(weights.layers_bias), grams=weights.grams.astype(np.float16),
        grams_bias=np.float32(weights.grams_bias), idf=weights.idf.astype(np.float16), threshold=np.float32(threshold),
        floor=np.float32(floor), penalty=np.float32(penalty), embeddings=pooled[urgent, -hidden:].astype(np.float16),
        urgent=urgent, texts=np.array([t for g in cases.cases for t in g.texts]), oof_scores=oof,
        cases_sha256=np.array(digest(cases)),
    )  # fmt: skip
    calm = ~urgent
    both = system(rules, oof, heard, threshold, floor)
    print(
        f"penalty {penalty} (out-of-fold log loss {log_loss(oof, y):.3f}); threshold {threshold:.3f}; floor {floor:.2f}"
    )
    print(
        f"out of fold: model recall {(oof[urgent] >= threshold).mean():.3f}, false alarms {(oof[calm] >= threshold).mean():.3f}"
    )
    print(f"out of fold: screening recall {both[urgent].mean():.3f}, false alarms {both[calm].mean():.3f}")


if __name__ == "__main__":
    main()
