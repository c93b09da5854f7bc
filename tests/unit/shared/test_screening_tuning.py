"""The tuned top layers of the encoder (``tuning.py``): the backward pass is the gradient of the
forward pass, the encoder they are merged into reads texts as training did, and training lowers
the loss in every tuned matrix, and what it learns is stored whole. Pure (numpy and the
packaged weights)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import numpy as np
import pytest

from shared.safety import tuning
from shared.safety.embedding import LAYERS, default_encoder
from shared.safety.evaluate import load
from shared.safety.screening import normalize
from shared.safety.tuning import (
    FIRST,
    Tuned,
    adapted,
    head_score,
    load_tuned,
    loss_and_grads,
    names,
    save_tuned,
    tune,
)

pytestmark = pytest.mark.unit

TEXTS = ["I can't do this anymore, tonight is the night", "Walked the dog and felt a bit better today."]
LABELS = np.array([1.0, 0.0])


def _random_tuned(seed: int = 1) -> Tuned:
    rng, w = np.random.default_rng(seed), default_encoder().w
    return Tuned(
        down={n: (rng.standard_normal((tuning.RANK, w[n + ".weight"].shape[1])) * 0.05).astype(np.float32) for n in names()},
        up={n: (rng.standard_normal((w[n + ".weight"].shape[0], tuning.RANK)) * 0.05).astype(np.float32) for n in names()},
        head=(rng.standard_normal(LAYERS * default_encoder().hidden) * 0.3).astype(np.float32), head_bias=0.1,
    )  # fmt: skip


def _loss(tuned: Tuned) -> float:
    encoder = default_encoder()
    states = encoder.lower(TEXTS, FIRST)
    lower = encoder.encode_layers(TEXTS)[:, : FIRST * encoder.hidden]
    return loss_and_grads(encoder, tuned, states, lower, LABELS, np.ones(2))[0]


def _moved(tuned: Tuned, key: str, step: np.ndarray) -> Tuned:
    down, up = dict(tuned.down), dict(tuned.up)
    if key.startswith("down:"):
        down[key[5:]] = down[key[5:]] + step
    elif key.startswith("up:"):
        up[key[3:]] = up[key[3:]] + step
    return Tuned(
        down=down, up=up, head=tuned.head + (step if key == "head" else 0),
        head_bias=tuned.head_bias + (float(step) if key == "head_bias" else 0.0),
    )  # fmt: skip


@pytest.mark.parametrize(
    "key", ["head", "head_bias", *(f"{side}:{name}" for name in names() for side in ("down", "up"))]
)
def test_the_backward_pass_is_the_gradient_of_the_loss(key: str) -> None:
    tuned = _random_tuned()
    encoder = default_encoder()
    states = encoder.lower(TEXTS, FIRST)
    lower = encoder.encode_layers(TEXTS)[:, : FIRST * encoder.hidden]
    _, grads = loss_and_grads(encoder, tuned, states, lower, LABELS, np.ones(2))
    direction = np.random.default_rng(2).standard_normal(grads[key].shape).astype(np.float32)
    eps = 2e-3
    numeric = (_loss(_moved(tuned, key, eps * direction)) - _loss(_moved(tuned, key, -eps * direction))) / (2 * eps)
    analytic = float((grads[key] * direction).sum())
    assert abs(analytic) > 1e-3 and abs(numeric - analytic) <= 0.05 * abs(analytic), (numeric, analytic)


def test_the_merged_encoder_reads_a_text_as_training_did() -> None:
    tuned = _random_tuned()
    encoder = default_encoder()
    merged = adapted(encoder, tuned)
    assert sorted(merged.qkv) == list(range(FIRST, LAYERS))  # it never runs the lower layers
    p = head_score(tuned, encoder.encode_layers(TEXTS, tuned=merged))
    expected = float(-(np.log(p[0]) + np.log(1 - p[1])) / 2)  # the log loss of the two, as training counts it
    assert abs(_loss(tuned) - expected) < 1e-4
    # training's out-of-fold scores run only the tuned layers, from the lower layers' stored states
    upper = merged.upper(encoder.lower(TEXTS, FIRST))
    assert np.allclose(upper, encoder.encode_layers(TEXTS, tuned=merged)[:, LAYERS * encoder.hidden :], atol=1e-5)


def test_tuning_lowers_the_loss_and_moves_the_layers_not_only_the_head(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = load().cases
    urgent = [normalize(t) for g in cases if g.label == "urgent" for t in g.texts][:24]
    calm = [normalize(t) for g in cases if g.label == "none" for t in g.texts][:24]
    texts, y = urgent + calm, np.array([1.0] * len(urgent) + [0.0] * len(calm))
    encoder = default_encoder()
    states, lower = encoder.lower(texts, FIRST), encoder.encode_layers(texts)[:, : FIRST * encoder.hidden]
    monkeypatch.setattr(tuning, "EPOCHS", 10)
    monkeypatch.setattr(tuning, "RATE", 5e-3)  # a few steps on a few texts
    tuned = tune(encoder, states, lower, y)
    before = loss_and_grads(encoder, msgspec.structs.replace(tuned, head=tuned.head * 0, head_bias=0.0), states,
                            lower, y, np.ones(len(y)))[0]  # fmt: skip
    after = loss_and_grads(encoder, tuned, states, lower, y, np.ones(len(y)))[0]
    assert after < 0.5 * before  # from log 2 with an untrained head
    assert all(np.abs(tuned.up[name]).max() > 0 for name in names())  # every tuned matrix moved from zero


def test_what_tuning_learns_is_stored_and_read_back_whole(tmp_path: Path) -> None:
    tuned = _random_tuned()
    np.savez(tmp_path / "t.npz", **save_tuned(tuned))
    with np.load(tmp_path / "t.npz") as data:
        back = load_tuned(data)
    assert all(np.array_equal(back.down[n], tuned.down[n]) and np.array_equal(back.up[n], tuned.up[n]) for n in names())
    assert np.array_equal(back.head, tuned.head) and back.head_bias == pytest.approx(tuned.head_bias)
    np.savez(tmp_path / "old.npz", layers=np.zeros(3))
    with np.load(tmp_path / "old.npz") as data, pytest.raises(ValueError, match=r"run python -m shared\.safety\.train"):
        load_tuned(data)
