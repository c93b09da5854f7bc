"""Class-balanced, L2-regularised logistic regression, urgent against the rest: by Newton's method
on the dense sentence-embedding features, and by full-batch Adam on the sparse n-gram features
(too many weights for a Hessian)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from shared.safety.embedding import Matrix
from shared.safety.ngrams import BUCKETS, Floats, Sparse

Vector = npt.NDArray[np.float64]  # labels and weights


def sigmoid(z: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The logistic function, in the input's precision (clipped, so a large margin cannot overflow)."""
    out: npt.NDArray[Any] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return out


def balanced(y: Vector) -> Vector:
    """Per case weights that give urgent and not urgent the same total."""
    n, urgent = len(y), max(1.0, float(y.sum()))
    return np.where(y > 0, n / (2 * urgent), n / (2 * max(1.0, n - urgent)))


def fit(x: Matrix, y: Vector, penalty: float, steps: int = 25) -> tuple[Matrix, float]:
    """Dense features: Newton's method, with an L2 penalty on the weights (not the bias)."""
    n, d = x.shape
    weight = balanced(y)
    xb = np.hstack([x.astype(np.float64), np.ones((n, 1))])
    beta = np.zeros(d + 1)
    ridge = np.full(d + 1, penalty * n)
    ridge[-1] = 0.0
    for _ in range(steps):
        p = sigmoid(xb @ beta)
        grad = xb.T @ (weight * (p - y)) + ridge * beta
        hess = (xb * (weight * p * (1 - p))[:, None]).T @ xb + np.diag(ridge + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta[:-1].astype(np.float32), float(beta[-1])


def fit_sparse(x: Sparse, y: Vector, penalty: float, steps: int = 400, rate: float = 0.1) -> tuple[Floats, float]:
    """Sparse features: full-batch Adam on the mean weighted log loss plus ``penalty`` / 2 times
    the squared weights."""
    weight = (balanced(y) / len(y)).astype(np.float32)
    target = y.astype(np.float32)
    params: dict[str, Floats] = {"w": np.zeros(BUCKETS, dtype=np.float32), "bias": np.zeros((), dtype=np.float32)}
    adam = Adam(params)
    for _ in range(steps):
        p = sigmoid(x.dot(params["w"]) + params["bias"])
        residual = (weight * (p - target)).astype(np.float32)
        grads = {
            "w": x.transpose_dot(residual) + penalty * params["w"],
            "bias": np.array(residual.sum(), dtype=np.float32),
        }
        adam.step(params, grads, rate)
    return params["w"], float(params["bias"])


class Adam:
    """Adam's step on named weights, in place; with ``decay``, the weights also shrink by that
    share of the rate each step, apart from the gradient (AdamW)."""

    def __init__(self, params: dict[str, Floats], decay: float = 0.0) -> None:
        self.first = {k: np.zeros_like(v) for k, v in params.items()}
        self.second = {k: np.zeros_like(v) for k, v in params.items()}
        self.decay, self.steps = decay, 0

    def step(self, params: dict[str, Floats], grads: dict[str, Floats], rate: float) -> None:
        self.steps += 1
        scale = rate * np.sqrt(1 - 0.999**self.steps) / (1 - 0.9**self.steps)
        for key, value in params.items():
            g = grads[key]
            self.first[key] = (0.9 * self.first[key] + 0.1 * g).astype(np.float32)
            self.second[key] = (0.999 * self.second[key] + 0.001 * g * g).astype(np.float32)
            if self.decay:
                value *= 1 - rate * self.decay
            value -= (scale * self.first[key] / (np.sqrt(self.second[key]) + 1e-8)).astype(np.float32)
