"""The learned layer's parts: hashed n-grams, the sparse product, both regressions, the group folds
and the way screening combines rules and model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from shared.safety import train
from shared.safety.embedding import default_encoder
from shared.safety.fitting import fit, fit_sparse, sigmoid
from shared.safety.learned import screened_urgent
from shared.safety.ngrams import BUCKETS, document_frequency, gram_counts, vectorize
from shared.safety.train import choose_threshold, folds, write_whole

pytestmark = pytest.mark.unit


def test_ngrams_are_hashed_the_same_in_every_process_and_each_part_has_unit_length() -> None:
    words, letters = gram_counts("I used to, I used to.")
    assert sum(words.values()) == 6 + 5 + 4  # "i used to i used to": six words, five pairs, four triples
    assert max(words.values()) == 2 and all(0 <= b < BUCKETS for b in words | letters)
    assert gram_counts("Used TO") == gram_counts("used to")  # case does not matter; punctuation is not a word
    idf = document_frequency(["i used to", "tonight"])
    row = vectorize(["i used to"], idf)
    assert row.rows == 1 and np.isclose(np.square(row.values).sum(), 2.0, atol=1e-5)  # two parts, each of length one
    # the buckets are crc32 of the gram, not Python's salted hash: the same in another process
    script = "from shared.safety.ngrams import gram_counts; print(sorted(gram_counts('I used to, I used to.')[0]))"
    other = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": "12345"},
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert other.stdout.strip() == str(sorted(words))


def test_the_sparse_products_match_the_dense_ones() -> None:
    texts = ["i have the pills ready tonight", "took my pills as prescribed", "", "the rope swing"]
    idf = document_frequency(texts)
    x = vectorize(texts, idf)
    dense = np.zeros((x.rows, BUCKETS), dtype=np.float32)
    for r in range(x.rows):
        dense[r, x.indices[x.indptr[r] : x.indptr[r + 1]]] += x.values[x.indptr[r] : x.indptr[r + 1]]
    w = np.random.default_rng(1).normal(size=BUCKETS).astype(np.float32)
    assert np.allclose(x.dot(w), dense @ w, atol=1e-4)
    per_row = np.array([1.0, -2.0, 3.0, 0.5], dtype=np.float32)
    assert np.allclose(x.transpose_dot(per_row), per_row @ dense, atol=1e-5)


def test_both_regressions_learn_a_separable_rule() -> None:
    texts = [f"tonight i will end it {i}" for i in range(20)] + [f"i used to want to end it {i}" for i in range(20)]
    y = np.array([1.0] * 20 + [0.0] * 20)
    idf = document_frequency(texts)
    w, b = fit_sparse(vectorize(texts, idf), y, penalty=1e-4)
    p = sigmoid(vectorize(["tonight i will end it", "i used to want to end it"], idf).dot(w) + b)
    assert p[0] > 0.9 and p[1] < 0.1
    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, 8)).astype(np.float32)
    labels = (x[:, 0] > 0).astype(np.float64)
    coef, bias = fit(x, labels, penalty=1e-4)
    assert ((sigmoid(x @ coef + bias) >= 0.5) == (labels > 0)).mean() > 0.97


def test_folds_keep_each_group_whole_and_are_about_even() -> None:
    groups = np.repeat(np.arange(12), [30, 5, 5, 20, 10, 10, 10, 8, 8, 4, 40, 2])
    parts_ = folds(groups)
    assert sorted(np.concatenate(parts_).tolist()) == list(range(len(groups)))
    assert all(
        len({int(groups[i]) for i in p} & {int(groups[i]) for i in q}) == 0
        for p in parts_
        for q in parts_
        if p is not q
    )
    sizes = [len(p) for p in parts_]
    assert max(sizes) - min(sizes) <= 40


@pytest.mark.timeout(300)
def test_the_folds_run_side_by_side_score_every_case_as_one_process_would() -> None:
    # in a process of its own: training forks, and this test run has threads of its own (servers)
    script = "from tests.unit.shared.test_screening_features import side_by_side; side_by_side()"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().endswith("the same")


def side_by_side() -> None:
    """Training's folds, run in forked workers, against the same fold and tuning in this process."""
    train.LAYER_PENALTIES, train.GRAM_PENALTIES = (1e-6,), (1e-5,)  # one pair: a few seconds per fit
    texts = ["i have the pills ready for tonight", "tonight is the night i end it", "i wrote my goodbye letters",
             "i want to die and i have a plan", "walked the dog and felt lighter", "made soup with my sister",
             "the rope swing at the park was fun", "my therapist said i am doing well"]  # fmt: skip
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=np.float64)
    parts = [np.array([0, 4, 5]), np.array([1, 2, 6, 7]), np.array([3])]
    encoder = default_encoder()
    read = train.Read(encoder, texts)
    by_penalties, tuned = train.out_of_fold(encoder, texts, read, y, parts)
    scores = by_penalties[1e-6, 1e-5]
    assert set(by_penalties) == {(1e-6, 1e-5)} and scores.shape == (8,) and ((scores > 0) & (scores < 1)).all()
    # the second fold, scored here, gives what its worker gave
    train._JOB.update(encoder=encoder, texts=texts, read=read, y=y)
    alone = train._one_fold(parts[1])[1e-6, 1e-5]
    assert np.allclose(alone, scores[parts[1]], atol=1e-4), (alone, scores[parts[1]])
    # and the layers tuned on every case are those tuned here on every case
    assert np.allclose(read.tune(encoder, np.arange(8), y).head, tuned.head, atol=1e-4)
    sys.stdout.write("the same\n")


def test_screening_overrules_the_rules_only_on_text_the_model_read_and_found_calm() -> None:
    rules = np.array([True, True, True, False, False])
    scores = np.array([0.1, 0.1, 0.5, 0.9, 0.9])
    read = np.array([True, False, True, True, False])
    # read and calm: overruled; not read (too short): the rules stand; above the floor: stands;
    # the model's own finding counts only on text it read
    assert screened_urgent(rules, scores, read, threshold=0.8, floor=0.2).tolist() == [False, True, True, True, False]


def test_the_threshold_is_the_lowest_that_keeps_false_alarms_within_the_target() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        n = int(rng.integers(20, 200))
        scores = rng.random(n).round(2).astype(np.float32)  # ties, as real scores have
        scores[rng.random(n) < 0.1] = 1.0  # a sure score: a logistic regression's float32 rounds to 1
        y = (rng.random(n) < 0.5).astype(np.float64)
        rules, read = rng.random(n) < 0.3, rng.random(n) < 0.8
        floor = float(rng.choice([0.0, 0.1, 0.3]))
        calm = y == 0
        # every candidate, tried in order: what the rule means
        tried = [float(t) for t in np.unique(np.concatenate([scores, [1.0]]))
                 if screened_urgent(rules, scores, read, float(t), floor)[calm].mean() <= 0.05]  # fmt: skip
        assert choose_threshold(scores, y, rules, read, floor) == (tried[0] if tried else 1.0)


class _Unreadable:
    def __array__(self, *_: object, **__: object) -> np.ndarray:
        raise RuntimeError("the training run dies here")


def test_the_model_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    model = tmp_path / "learned.npz"
    write_whole(model, {"threshold": np.float32(0.7)})
    with pytest.raises(RuntimeError, match="dies here"):
        write_whole(model, {"threshold": np.float32(0.2), "broken": _Unreadable()})
    with np.load(model) as data:
        assert float(data["threshold"]) == pytest.approx(0.7)  # the last model, as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["learned.npz"]  # nothing half-written beside it
