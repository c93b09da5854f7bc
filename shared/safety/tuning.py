"""The encoder's top layers tuned for screening, in numpy: a third view for the learned layer.

The published all-MiniLM-L6-v2 reads meaning in general; its last layers can learn what matters
here (present risk against the same words in recovery, in the past, in a game) from the working
cases. Only the top ``LAYERS_TUNED`` layers change, each of their six weight matrices by a
low-rank update (LoRA: ``W + SCALE * up @ down``, rank ``RANK``), trained together with a logistic
head over the pooled layers (the lower four as published, the tuned two), by AdamW on the
class-balanced log loss with a one-cycle rate. The lower layers' token states are computed once.

What is learned is small (the two factors per matrix and the head) and is stored in
``learned.npz``; ``adapted`` merges it into an ``Encoder`` that reads the tuned layers from the
same lower layers as the published one (``Encoder.encode_layers(..., tuned=...)``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import msgspec
import numpy as np

from shared.safety.embedding import EPS, HEADS, LAYERS, Encoder, Matrix, attention_bias, padded, pool_parts
from shared.safety.fitting import Adam, Vector, balanced, sigmoid

LAYERS_TUNED = 2
FIRST = LAYERS - LAYERS_TUNED
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")  # fmt: skip
RANK, SCALE = 8, np.float32(2.0)
EPOCHS, RATE, DECAY, BATCH = 6, 1e-3, 0.01, 32


class Tuned(msgspec.Struct, frozen=True, kw_only=True):
    """What tuning learns: per tuned weight matrix its two factors, and the head."""

    down: dict[str, Matrix]  # weight name -> (RANK, inputs)
    up: dict[str, Matrix]  # weight name -> (outputs, RANK)
    head: Matrix  # one weight per pooled feature: the lower layers as published, then the tuned ones
    head_bias: float


def names() -> list[str]:
    return [f"encoder.layer.{i}.{t}" for i in range(FIRST, LAYERS) for t in TARGETS]


def save_tuned(tuned: Tuned) -> dict[str, Matrix]:
    """``tuned`` as arrays for ``learned.npz``."""
    arrays = {f"tuned_down_{name}": tuned.down[name] for name in names()}
    arrays |= {f"tuned_up_{name}": tuned.up[name] for name in names()}
    return arrays | {"tuned_head": tuned.head, "tuned_head_bias": np.array(tuned.head_bias, dtype=np.float32)}


def load_tuned(data: Mapping[str, Matrix]) -> Tuned:
    if "tuned_head" not in data:
        raise ValueError("learned.npz predates the tuned layers (ADR 0040); run python -m shared.safety.train")
    return Tuned(
        down={name: data[f"tuned_down_{name}"].astype(np.float32) for name in names()},
        up={name: data[f"tuned_up_{name}"].astype(np.float32) for name in names()},
        head=data["tuned_head"].astype(np.float32), head_bias=float(data["tuned_head_bias"]),
    )  # fmt: skip


def adapted(encoder: Encoder, tuned: Tuned) -> Encoder:
    """An encoder of the tuned layers alone, read from the published encoder's lower layers
    (``Encoder.encode_layers(..., tuned=...)``)."""
    weights = dict(encoder.w)
    for name in names():
        weights[name + ".weight"] = encoder.w[name + ".weight"] + (tuned.up[name] @ tuned.down[name]) * SCALE
    return Encoder(weights, encoder.tokenizer, first_layer=FIRST)


def head_score(tuned: Tuned, pooled: Matrix) -> Matrix:
    """The head's probability of urgent from ``encode_layers(..., tuned=...)``'s columns."""
    hidden = pooled.shape[1] // (LAYERS + LAYERS_TUNED)
    features = np.concatenate([pooled[:, : FIRST * hidden], pooled[:, LAYERS * hidden :]], axis=1)
    out: Matrix = sigmoid(features @ tuned.head + tuned.head_bias).astype(np.float32)
    return out


# --- the tuned layers, forward with what the backward pass needs, and backward -----------------------


def layer_norm_parts(x: Matrix, weight: Matrix, bias: Matrix) -> tuple[Matrix, tuple[Matrix, Matrix]]:
    """The encoder's layer norm, keeping what its gradient needs: the normalised input and 1 / its spread."""
    centred = x - x.mean(-1, keepdims=True)
    inverse = 1 / np.sqrt((centred * centred).mean(-1, keepdims=True) + np.float32(EPS))
    normed: Matrix = centred * inverse
    return normed * weight + bias, (normed, inverse)


def gelu_parts(x: Matrix) -> tuple[Matrix, Matrix]:
    """The encoder's GELU (tanh form), keeping what its gradient needs: (the tanh inside it, GELU)."""
    tanh = np.tanh(np.float32(math.sqrt(2 / math.pi)) * (x + np.float32(0.044715) * x * x * x))
    out: Matrix = 0.5 * x * (1 + tanh)
    return tanh, out


class _Saved(NamedTuple):
    """What one tuned layer's backward pass needs from its forward pass."""

    x: Matrix
    low_q: Matrix
    low_k: Matrix
    low_v: Matrix
    heads: tuple[Matrix, Matrix, Matrix]  # queries, keys, values, split into heads
    attention: Matrix
    context: Matrix
    low_o: Matrix
    attended_norm: Matrix
    norm1: tuple[Matrix, Matrix]
    inner: Matrix
    low_i: Matrix
    tanh: Matrix
    gelu: Matrix
    low_out: Matrix
    norm2: tuple[Matrix, Matrix]


class _Layers:
    def __init__(self, encoder: Encoder, tuned: Tuned) -> None:
        self.w, self.tuned = encoder.w, tuned
        self.grads: dict[str, Matrix] = {}

    def _linear(self, x: Matrix, name: str) -> tuple[Matrix, Matrix]:
        low: Matrix = x @ self.tuned.down[name].T
        out: Matrix = x @ self.w[name + ".weight"].T + self.w[name + ".bias"] + (low @ self.tuned.up[name].T) * SCALE
        return out, low

    def _linear_back(self, dy: Matrix, x: Matrix, low: Matrix, name: str) -> Matrix:
        through_up: Matrix = dy @ self.tuned.up[name]
        flat_dy, flat_up = dy.reshape(-1, dy.shape[-1]), through_up.reshape(-1, through_up.shape[-1])
        self.grads["up:" + name] = (flat_dy.T @ low.reshape(-1, low.shape[-1])) * SCALE
        self.grads["down:" + name] = (flat_up.T @ x.reshape(-1, x.shape[-1])) * SCALE
        out: Matrix = dy @ self.w[name + ".weight"] + (through_up @ self.tuned.down[name]) * SCALE
        return out

    def forward(self, x: Matrix, i: int, blocked: Matrix) -> tuple[Matrix, _Saved]:
        p, (n, width, hidden) = f"encoder.layer.{i}.", x.shape
        size = hidden // HEADS
        (q, low_q), (k, low_k), (v, low_v) = (self._linear(x, p + t) for t in TARGETS[:3])
        hq, hk, hv = (a.reshape(n, width, HEADS, size).transpose(0, 2, 1, 3) for a in (q, k, v))
        scores = hq @ hk.transpose(0, 1, 3, 2) / np.float32(math.sqrt(size)) + blocked
        attention = np.exp(scores - scores.max(-1, keepdims=True))
        attention /= attention.sum(-1, keepdims=True)
        context = (attention @ hv).transpose(0, 2, 1, 3).reshape(n, width, hidden)
        attended, low_o = self._linear(context, p + TARGETS[3])
        attended_norm, norm1 = layer_norm_parts(attended + x, self.w[p + "attention.output.LayerNorm.weight"],
                                        self.w[p + "attention.output.LayerNorm.bias"])  # fmt: skip
        inner, low_i = self._linear(attended_norm, p + TARGETS[4])
        tanh, gelu = gelu_parts(inner)
        out, low_out = self._linear(gelu, p + TARGETS[5])
        second, norm2 = layer_norm_parts(out + attended_norm, self.w[p + "output.LayerNorm.weight"],
                                         self.w[p + "output.LayerNorm.bias"])  # fmt: skip
        return second, _Saved(x, low_q, low_k, low_v, (hq, hk, hv), attention, context, low_o, attended_norm, norm1, inner,
                              low_i, tanh, gelu, low_out, norm2)  # fmt: skip

    def backward(self, d_out: Matrix, i: int, s: _Saved) -> Matrix:
        p = f"encoder.layer.{i}."
        d_sum2 = _layer_norm_back(d_out, s.norm2, self.w[p + "output.LayerNorm.weight"])
        d_inner = self._linear_back(d_sum2, s.gelu, s.low_out, p + TARGETS[5]) * _gelu_back(s.inner, s.tanh)
        d_attended_norm = d_sum2 + self._linear_back(d_inner, s.attended_norm, s.low_i, p + TARGETS[4])
        d_sum1 = _layer_norm_back(d_attended_norm, s.norm1, self.w[p + "attention.output.LayerNorm.weight"])
        d_context = self._linear_back(d_sum1, s.context, s.low_o, p + TARGETS[3])
        hq, hk, hv = s.heads
        n, width, hidden = d_context.shape
        size = hidden // HEADS
        d_ctx = d_context.reshape(n, width, HEADS, size).transpose(0, 2, 1, 3)
        d_attention = d_ctx @ hv.transpose(0, 1, 3, 2)
        d_hv = s.attention.transpose(0, 1, 3, 2) @ d_ctx
        d_scores = s.attention * (d_attention - (d_attention * s.attention).sum(-1, keepdims=True))
        d_scores /= np.float32(math.sqrt(size))
        d_hq, d_hk = d_scores @ hk, d_scores.transpose(0, 1, 3, 2) @ hq
        d_x = d_sum1
        for d, low, target in zip((d_hq, d_hk, d_hv), (s.low_q, s.low_k, s.low_v), TARGETS[:3], strict=True):
            d_x = d_x + self._linear_back(d.transpose(0, 2, 1, 3).reshape(n, width, hidden), s.x, low, p + target)
        return d_x


def _layer_norm_back(d_y: Matrix, parts: tuple[Matrix, Matrix], weight: Matrix) -> Matrix:
    normed, inverse = parts
    d_norm = d_y * weight
    out: Matrix = inverse * (
        d_norm - d_norm.mean(-1, keepdims=True) - normed * (d_norm * normed).mean(-1, keepdims=True)
    )
    return out


def _gelu_back(u: Matrix, tanh: Matrix) -> Matrix:
    c = np.float32(math.sqrt(2 / math.pi))
    out: Matrix = 0.5 * (1 + tanh) + 0.5 * u * (1 - tanh * tanh) * c * (1 + 3 * 0.044715 * u * u)
    return out


def _pool_back(d_pooled: Matrix, parts: tuple[Matrix, Matrix, Matrix], mask: Matrix) -> Matrix:
    unit, norm, count = parts
    d_summed = (d_pooled - unit * (unit * d_pooled).sum(1, keepdims=True)) / norm
    out: Matrix = mask[:, :, None] * (d_summed / count)[:, None, :]
    return out


def loss_and_grads(
    encoder: Encoder, tuned: Tuned, states: Sequence[Matrix], lower_pooled: Matrix, y: Vector, weight: Vector
) -> tuple[float, dict[str, Matrix]]:
    """The weighted log loss of one batch (its tokens' states after the lower layers, and their
    pooled lower layers), and its gradient for every tuned weight."""
    x, mask = padded(states)
    blocked = attention_bias(mask)
    layers, pooled, saved = _Layers(encoder, tuned), [], []
    for i in range(FIRST, LAYERS):
        x, keep = layers.forward(x, i, blocked)
        pooled.append(pool_parts(x, mask))
        saved.append(keep)
    features = np.concatenate([lower_pooled, *(unit for unit, _, _ in pooled)], axis=1)
    p = sigmoid(features @ tuned.head + tuned.head_bias)
    loss = float((weight * -(y * np.log(p + 1e-7) + (1 - y) * np.log(1 - p + 1e-7))).mean())
    d_logit = (weight * (p - y) / len(states)).astype(np.float32)
    grads = {"head": features.T @ d_logit, "head_bias": np.array(d_logit.sum(), dtype=np.float32)}
    hidden = lower_pooled.shape[1] // FIRST
    d_x = np.zeros_like(x)
    for j in reversed(range(LAYERS_TUNED)):  # each tuned layer's pooled output feeds the head, and the layer above
        d_pool = d_logit[:, None] * tuned.head[(FIRST + j) * hidden : (FIRST + j + 1) * hidden][None, :]
        d_x = layers.backward(d_x + _pool_back(d_pool, pooled[j], mask), FIRST + j, saved[j])
    return loss, grads | layers.grads


# --- training ------------------------------------------------------------------------------------


def _rate(step: int, total: int) -> float:
    """One cycle: a cosine rise from RATE / 25 to RATE over the first tenth, then a cosine fall."""
    rise = max(1, int(0.1 * total))
    start, end = RATE / 25, RATE / 25 / 1e4
    if step < rise:
        return start + (RATE - start) * (1 - math.cos(math.pi * step / rise)) / 2
    return end + (RATE - end) * (1 + math.cos(math.pi * (step - rise) / max(1, total - rise))) / 2


def tune(encoder: Encoder, states: Sequence[Matrix], lower_pooled: Matrix, y: Vector, seed: int = 0) -> Tuned:
    """The tuned layers and head, fitted to texts given as their tokens' states after the lower
    layers (``Encoder.lower``) and their pooled lower layers (``encode_layers``' first columns)."""
    rng = np.random.default_rng(seed)
    params = _initial(encoder, rng)
    adam, weight = Adam(params, decay=DECAY), balanced(y)
    lengths = np.array([len(s) for s in states])
    total = EPOCHS * math.ceil(len(states) / BATCH)
    for _ in range(EPOCHS):
        order = np.argsort(lengths + rng.random(len(lengths)) * 8, kind="stable")  # similar lengths together
        chunks = [order[s : s + BATCH] for s in range(0, len(order), BATCH)]
        for c in rng.permutation(len(chunks)):
            rows = chunks[c]
            batch = [states[r] for r in rows]
            _, grads = loss_and_grads(encoder, _unpack(params), batch, lower_pooled[rows], y[rows], weight[rows])
            adam.step(params, grads, _rate(adam.steps, total))
    return _unpack(params)


def _initial(encoder: Encoder, rng: np.random.Generator) -> dict[str, Matrix]:
    """Random down factors, zero up factors (so tuning starts from the published layers), a zero head."""
    params: dict[str, Matrix] = {}
    for name in names():
        outputs, inputs = encoder.w[name + ".weight"].shape
        params["down:" + name] = (rng.standard_normal((RANK, inputs)) / math.sqrt(inputs)).astype(np.float32)
        params["up:" + name] = np.zeros((outputs, RANK), dtype=np.float32)
    params["head"] = np.zeros(LAYERS * encoder.hidden, dtype=np.float32)
    params["head_bias"] = np.zeros((), dtype=np.float32)
    return params


def _unpack(params: dict[str, Matrix]) -> Tuned:
    return Tuned(
        down={k.removeprefix("down:"): v for k, v in params.items() if k.startswith("down:")},
        up={k.removeprefix("up:"): v for k, v in params.items() if k.startswith("up:")},
        head=params["head"], head_bias=float(params["head_bias"]),
    )  # fmt: skip
