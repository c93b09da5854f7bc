"""The learned layer of screening, trained on the labelled working cases (``cases.toml``; never on
the held-out sets), urgent against the rest. It reads a text three ways and averages the three
probabilities:

- a logistic regression over all-MiniLM-L6-v2's six layers, each mean-pooled over the tokens (the
  last layer carries what the text is about; the lower ones more of its words, tense and person,
  which is what tells "I used to" from "tonight");
- the same encoder with its top two layers tuned to the working cases, and a head over its
  pooled layers (``tuning.py``): it reads the same lower layers, so it costs two layers more;
- a logistic regression over the text's hashed word and letter n-grams (``ngrams.py``), which
  carries typos, slang and words the encoder splits into pieces.

A text is read whole, as the model was trained, up to ``WINDOW_WORDS``; a longer one is cut into
windows of whole sentences, each read, and it scores as its highest window. The threshold, and
the floor below which the model overrules the rules, were chosen on the working cases by
cross-validation over whole case groups (``python -m shared.safety.train``), never on the
held-out ones. The reason given to moderators is the labelled urgent cases nearest the window.

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

from shared.safety.embedding import LAYERS, Encoder, Matrix, default_encoder
from shared.safety.fitting import sigmoid
from shared.safety.ngrams import Sparse, vectorize
from shared.safety.tuning import Tuned, adapted, head_score, load_tuned

MODEL = Path(__file__).with_name("learned.npz")
# Every working case is read whole (the longest has 124 words), so a text of up to this many words
# is read as it was trained; a longer one in windows of whole sentences. 150 words stay within
# the encoder's 256 tokens (about 1.4 tokens a word); the n-grams read every word of a window.
WINDOW_WORDS = 150
Flags = npt.NDArray[np.bool_]
_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    score: float  # the highest window's probability of urgent
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
        if current and count + len(tokens) > words:
            out.append(" ".join(current))
            current, count = [], 0
        while len(tokens) > words:  # a run-on sentence, written without punctuation, cut in order
            out.append(" ".join(tokens[:words]))
            tokens = tokens[words:]
        current += tokens
        count += len(tokens)
    if current:
        out.append(" ".join(current))
    return out


class Weights(msgspec.Struct, frozen=True, kw_only=True):
    """What ``shared.safety.train`` learns: the two regressions, the tuned layers and the two cut-offs."""

    layers: Matrix  # one weight per pooled encoder feature (six layers side by side)
    layers_bias: float
    grams: Matrix  # one weight per n-gram bucket
    grams_bias: float
    idf: Matrix  # the n-gram buckets' inverse document frequency over the working cases
    tuned: Tuned  # the tuned top layers and their head
    threshold: float  # urgent at or above
    floor: float  # below it the model overrules the rules' urgent


def score(weights: Weights, pooled: Matrix, grams: Sparse) -> Matrix:
    """The mean of the three views' probabilities of urgent, per row; ``pooled`` is
    ``encode_layers(..., tuned=...)``: the published layers, then the tuned ones."""
    published = pooled[:, : len(weights.layers)]
    from_layers = sigmoid(published @ weights.layers + weights.layers_bias)
    from_grams = sigmoid(grams.dot(weights.grams) + weights.grams_bias)
    out: Matrix = ((from_layers + from_grams + head_score(weights.tuned, pooled)) / 3).astype(np.float32)
    return out


class Learned:
    def __init__(
        self, weights: Weights, urgent_embeddings: Matrix, urgent_texts: list[str], encoder: Encoder,
        out_of_fold: dict[str, float] | None = None,
    ) -> None:  # fmt: skip
        self.weights = weights
        self.threshold, self.floor = weights.threshold, weights.floor
        # the labelled urgent working cases and their sentence embeddings, to name the nearest as the reason
        self.urgent_embeddings, self.urgent_texts = urgent_embeddings, urgent_texts
        self.encoder = encoder
        self.tuned_encoder = adapted(encoder, weights.tuned)
        self.out_of_fold = out_of_fold or {}  # working case -> its cross-validated score, for the evaluation

    @classmethod
    def load(cls, path: Path = MODEL, encoder: Encoder | None = None) -> Learned:
        with np.load(path, allow_pickle=False) as data:
            weights = Weights(
                layers=data["layers"].astype(np.float32), layers_bias=float(data["layers_bias"]),
                grams=data["grams"].astype(np.float32), grams_bias=float(data["grams_bias"]),
                idf=data["idf"].astype(np.float32), tuned=load_tuned(data), threshold=float(data["threshold"]),
                floor=float(data["floor"]),
            )  # fmt: skip
            texts = [str(t) for t in data["texts"]]
            urgent = data["urgent"].astype(bool)
            return cls(
                weights, urgent_embeddings=data["embeddings"].astype(np.float32),
                urgent_texts=[t for t, u in zip(texts, urgent, strict=True) if u], encoder=encoder or default_encoder(),
                out_of_fold=dict(zip(texts, map(float, data["oof_scores"]), strict=True)),
            )  # fmt: skip

    def screens_urgent(self, *, rules_urgent: bool, score: float) -> bool:
        """``screened_urgent`` for one text the model has read."""
        one = np.array([True])
        return bool(screened_urgent(one & rules_urgent, np.array([score]), one, self.threshold, self.floor)[0])

    def judge(self, text: str) -> Verdict:
        return self.judge_many([text])[0]

    def judge_many(self, texts: list[str]) -> list[Verdict]:
        """One verdict per text; every window of every text is read in one go."""
        parts = [windows(t) for t in texts]
        flat = [w for p in parts for w in p]
        if not flat:
            return [Verdict(score=0.0, window="", nearest=()) for _ in texts]
        pooled = self.encoder.encode_layers(flat, tuned=self.tuned_encoder)
        scores = score(self.weights, pooled, vectorize(flat, self.weights.idf))
        hidden = self.encoder.hidden  # the published last layer: the sentence embedding, to find the nearest cases
        last = pooled[:, (LAYERS - 1) * hidden : LAYERS * hidden]
        verdicts, at = [], 0
        for p in parts:
            if not p:
                verdicts.append(Verdict(score=0.0, window="", nearest=()))
                continue
            best = at + int(np.argmax(scores[at : at + len(p)]))
            near = np.argsort(-(self.urgent_embeddings @ last[best]))[:3]
            top = float(scores[best])
            verdicts.append(Verdict(score=top, window=flat[best], nearest=tuple(self.urgent_texts[i] for i in near)))
            at += len(p)
        return verdicts


def screened_urgent(rules: Flags, scores: Matrix, read_by_model: Flags, threshold: float, floor: float) -> Flags:
    """How screening combines the two, per text (the services through ``combined.py``, training and
    the evaluation directly): urgent when the model read the text and scores it at or above the
    threshold, or when the rules find present risk and the model does not overrule them (it did
    not read the text, or scored it at least the floor)."""
    out: Flags = (read_by_model & (scores >= threshold)) | (rules & (~read_by_model | (scores >= floor)))
    return out


@functools.cache
def default_learned() -> Learned:
    """The process's one learned layer, loaded on first use (a few tenths of a second)."""
    return Learned.load()
