"""The learned layer of screening, trained on the labelled working cases (``cases.toml``; never on
``heldout.toml``), urgent against the rest. Over all-MiniLM-L6-v2 embeddings it blends two views:
a logistic regression (one straight boundary), and the margin between the nearest labelled urgent
cases and the nearest labelled calm ones (what the text reads most like, on either side). The
regression generalises from many cases; the neighbours keep a wording close to a known urgent
case urgent even where the boundary is wrong, and one close to a known look-alike calm.

Text is cut into windows of whole sentences (about 40 words each), each window is embedded and
scored, and the text is urgent when any window scores at or above the threshold. The threshold
was chosen on the working cases by cross-validation (``python -m shared.safety.train``), never on
the held-out ones. The reason given to moderators is the labelled urgent cases nearest the window.

The trained model is data (``learned.npz``, written by ``shared.safety.train``); it is loaded once
per process, on first use, with the encoder.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import msgspec
import numpy as np
import numpy.typing as npt

from shared.safety.embedding import Encoder, Matrix, default_encoder

MODEL = Path(__file__).with_name("learned.npz")
WINDOW_WORDS = 40
NEIGHBOURS = 3  # nearest cases on each side whose similarities are averaged
BLEND = 0.5  # weight of the neighbours' margin against the regression
MARGIN_SCALE = 10.0  # a margin of 0.1 in cosine similarity moves the neighbours' view from 0.5 to 0.73
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    score: float  # the highest window's probability of urgent
    urgent: bool
    window: str  # the window that scored highest
    nearest: tuple[str, ...]  # labelled urgent cases nearest that window, for moderators


def windows(text: str, words: int = WINDOW_WORDS) -> list[str]:
    """Whole sentences packed into windows of at most about ``words`` words (a longer sentence is
    cut); a short text is one window."""
    out: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in _SENTENCE_END.split(text.strip()):
        tokens = sentence.split()
        while len(tokens) > words:  # a run-on sentence, written without punctuation
            out.append(" ".join(tokens[:words]))
            tokens = tokens[words:]
        if current and count + len(tokens) > words:
            out.append(" ".join(current))
            current, count = [], 0
        current += tokens
        count += len(tokens)
    if current:
        out.append(" ".join(current))
    return out


def sigmoid(z: Matrix) -> Matrix:
    out: Matrix = (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)
    return out


def neighbour_margin(similarity: Matrix, urgent: npt.NDArray[np.bool_], k: int = NEIGHBOURS) -> Matrix:
    """Per row of ``similarity`` (texts x labelled cases): the mean similarity of the ``k`` nearest
    urgent cases minus that of the ``k`` nearest calm ones."""
    near_urgent = np.sort(np.where(urgent[None, :], similarity, -2.0), axis=1)[:, -k:].mean(1)
    near_calm = np.sort(np.where(urgent[None, :], -2.0, similarity), axis=1)[:, -k:].mean(1)
    out: Matrix = (near_urgent - near_calm).astype(np.float32)
    return out


def blend(regression: Matrix, margin: Matrix) -> Matrix:
    out: Matrix = ((1 - BLEND) * regression + BLEND * sigmoid(MARGIN_SCALE * margin)).astype(np.float32)
    return out


class Learned:
    def __init__(
        self, coef: Matrix, bias: float, threshold: float, examples: Matrix, urgent: npt.NDArray[np.bool_],
        texts: list[str], encoder: Encoder, out_of_fold: dict[str, float] | None = None,
    ) -> None:  # fmt: skip
        self.coef, self.bias, self.threshold = coef, bias, threshold
        self.examples, self.urgent, self.texts = examples, urgent, texts  # the labelled working cases
        self.encoder = encoder
        self.out_of_fold = out_of_fold or {}  # working case -> its cross-validated score, for the evaluation

    @classmethod
    def load(cls, path: Path = MODEL, encoder: Encoder | None = None) -> Learned:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                coef=data["coef"].astype(np.float32), bias=float(data["bias"]), threshold=float(data["threshold"]),
                examples=data["embeddings"].astype(np.float32), urgent=data["urgent"].astype(bool),
                texts=[str(t) for t in data["texts"]], encoder=encoder or default_encoder(),
                out_of_fold=dict(zip([str(t) for t in data["texts"]], map(float, data["oof_scores"]), strict=True)),
            )  # fmt: skip

    def scores(self, embeddings: Matrix) -> Matrix:
        similarity = embeddings @ self.examples.T
        return blend(sigmoid(embeddings @ self.coef + self.bias), neighbour_margin(similarity, self.urgent))

    def judge(self, text: str) -> Verdict:
        return self.judge_many([text])[0]

    def judge_many(self, texts: list[str]) -> list[Verdict]:
        """One verdict per text; every window of every text is embedded in one go."""
        parts = [windows(t) for t in texts]
        flat = [w for p in parts for w in p]
        embedded = self.encoder.encode(flat) if flat else np.zeros((0, len(self.coef)), dtype=np.float32)
        scores = self.scores(embedded)
        verdicts, at = [], 0
        for p in parts:
            if not p:
                verdicts.append(Verdict(score=0.0, urgent=False, window="", nearest=()))
                continue
            best = at + int(np.argmax(scores[at : at + len(p)]))
            similar = np.where(self.urgent, self.examples @ embedded[best], -2.0)
            near = np.argsort(-similar)[:3]
            score = float(scores[best])
            verdicts.append(Verdict(score=score, urgent=score >= self.threshold, window=flat[best],
                                    nearest=tuple(self.texts[i] for i in near)))  # fmt: skip
            at += len(p)
        return verdicts


@functools.cache
def default_learned() -> Learned:
    """The process's one learned layer, loaded on first use (a few tenths of a second)."""
    return Learned.load()
