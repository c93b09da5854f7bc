"""The learned layer of screening, trained on the labelled working cases (``cases.toml``; never on
the held-out sets), urgent against the rest. It reads a text two ways and averages the two
probabilities:

- a logistic regression over all-MiniLM-L6-v2's six layers, each mean-pooled over the tokens (the
  last layer carries what the text is about; the lower ones more of its words, tense and person,
  which is what tells "I used to" from "tonight");
- a logistic regression over the text's hashed word and letter n-grams (``ngrams.py``), which
  carries typos, slang and words the encoder splits into pieces.

Text is cut into windows of whole sentences (about 40 words each), each window is read, and the
text scores as its highest window. The threshold, and the floor below which the model overrules
the rules, were chosen on the working cases by cross-validation over whole case groups
(``python -m shared.safety.train``), never on the held-out ones. The reason given to moderators
is the labelled urgent cases nearest the window.

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
from shared.safety.ngrams import Sparse, vectorize

MODEL = Path(__file__).with_name("learned.npz")
WINDOW_WORDS = 40
Flags = npt.NDArray[np.bool_]
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    score: float  # the highest window's probability of urgent
    urgent: bool  # the score is at or above the threshold
    calm: bool  # the score is below the floor: the model is sure there is no present risk
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


class Weights(msgspec.Struct, frozen=True, kw_only=True):
    """What ``shared.safety.train`` learns: the two regressions and the two cut-offs."""

    layers: Matrix  # one weight per pooled encoder feature (six layers side by side)
    layers_bias: float
    grams: Matrix  # one weight per n-gram bucket
    grams_bias: float
    idf: Matrix  # the n-gram buckets' inverse document frequency over the working cases
    threshold: float  # urgent at or above
    floor: float  # below it the model overrules the rules' urgent


def score(weights: Weights, pooled: Matrix, grams: Sparse) -> Matrix:
    """The mean of the two regressions' probabilities of urgent, per row."""
    from_layers = sigmoid(pooled @ weights.layers + weights.layers_bias)
    from_grams = sigmoid(grams.dot(weights.grams) + weights.grams_bias)
    out: Matrix = ((from_layers + from_grams) / 2).astype(np.float32)
    return out


class Learned:
    def __init__(
        self, weights: Weights, examples: Matrix, texts: list[str], encoder: Encoder,
        out_of_fold: dict[str, float] | None = None,
    ) -> None:  # fmt: skip
        self.weights = weights
        self.threshold, self.floor = weights.threshold, weights.floor
        self.examples, self.texts = examples, texts  # the labelled urgent working cases' embeddings, for reasons
        self.encoder = encoder
        self.out_of_fold = out_of_fold or {}  # working case -> its cross-validated score, for the evaluation

    @classmethod
    def load(cls, path: Path = MODEL, encoder: Encoder | None = None) -> Learned:
        with np.load(path, allow_pickle=False) as data:
            weights = Weights(
                layers=data["layers"].astype(np.float32), layers_bias=float(data["layers_bias"]),
                grams=data["grams"].astype(np.float32), grams_bias=float(data["grams_bias"]),
                idf=data["idf"].astype(np.float32), threshold=float(data["threshold"]), floor=float(data["floor"]),
            )  # fmt: skip
            texts = [str(t) for t in data["texts"]]
            urgent = data["urgent"].astype(bool)
            return cls(
                weights, examples=data["embeddings"].astype(np.float32),
                texts=[t for t, u in zip(texts, urgent, strict=True) if u], encoder=encoder or default_encoder(),
                out_of_fold=dict(zip(texts, map(float, data["oof_scores"]), strict=True)),
            )  # fmt: skip

    def judge(self, text: str) -> Verdict:
        return self.judge_many([text])[0]

    def judge_many(self, texts: list[str]) -> list[Verdict]:
        """One verdict per text; every window of every text is read in one go."""
        parts = [windows(t) for t in texts]
        flat = [w for p in parts for w in p]
        if not flat:
            return [Verdict(score=0.0, urgent=False, calm=True, window="", nearest=()) for _ in texts]
        pooled = self.encoder.encode_layers(flat)
        scores = score(self.weights, pooled, vectorize(flat, self.weights.idf))
        last = pooled[:, -self.examples.shape[1] :]  # the sentence embedding, to find the nearest cases
        verdicts, at = [], 0
        for p in parts:
            if not p:
                verdicts.append(Verdict(score=0.0, urgent=False, calm=True, window="", nearest=()))
                continue
            best = at + int(np.argmax(scores[at : at + len(p)]))
            near = np.argsort(-(self.examples @ last[best]))[:3]
            top = float(scores[best])
            verdicts.append(Verdict(score=top, urgent=top >= self.threshold, calm=top < self.floor, window=flat[best],
                                    nearest=tuple(self.texts[i] for i in near)))  # fmt: skip
            at += len(p)
        return verdicts


def system(rules: Flags, scores: Matrix, heard: Flags, threshold: float, floor: float) -> Flags:
    """Screening as the services combine the two (``combined.py``), per text: urgent when the model
    hears the text and scores it at or above the threshold, or when the rules find present risk
    and the model does not overrule them (it did not hear the text, or scored it at least the floor)."""
    out: Flags = (heard & (scores >= threshold)) | (rules & (~heard | (scores >= floor)))
    return out


@functools.cache
def default_learned() -> Learned:
    """The process's one learned layer, loaded on first use (a few tenths of a second)."""
    return Learned.load()
