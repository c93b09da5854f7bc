"""The words and letters of a text as a sparse vector, for the learned layer's second view.

Word n-grams (one to three words) and letter n-grams inside words (two to five letters, the word
padded with spaces) are hashed into ``BUCKETS`` buckets, each counted with sublinear term frequency
(1 + log count) and weighted by inverse document frequency from the working cases; the word part
and the letter part are each scaled to unit length. Letter n-grams carry typos, slang and words
never seen whole ("unalive", "kms"); word n-grams carry time and person ("used to", "right now",
"my friend"). Nothing is stored per word: the hash needs no vocabulary, so the trained model is
the weights alone.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence

import msgspec
import numpy as np
import numpy.typing as npt

BUCKETS = 1 << 18
WORD_SIZES = (1, 2, 3)
LETTER_SIZES = (2, 3, 4, 5)
_WORD = re.compile(r"\w+")

Floats = npt.NDArray[np.float32]
Indices = npt.NDArray[np.int64]


class Sparse(msgspec.Struct, frozen=True, kw_only=True):
    """Rows of hashed features in compressed sparse row form."""

    indptr: Indices  # row i holds indices[indptr[i]:indptr[i + 1]]
    indices: Indices
    values: Floats

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, weights: Floats) -> Floats:
        """Each row's dot product with ``weights`` (one per bucket)."""
        row = np.repeat(np.arange(self.rows), np.diff(self.indptr))
        out: Floats = np.bincount(row, weights=self.values * weights[self.indices], minlength=self.rows).astype(
            np.float32
        )
        return out

    def transpose_dot(self, per_row: Floats) -> Floats:
        """The sum of rows weighted by ``per_row``: one value per bucket."""
        row = np.repeat(np.arange(self.rows), np.diff(self.indptr))
        out: Floats = np.bincount(self.indices, weights=self.values * per_row[row], minlength=BUCKETS).astype(
            np.float32
        )
        return out


def _bucket(kind: str, gram: str) -> int:
    return zlib.crc32(f"{kind}{gram}".encode()) % BUCKETS


def gram_counts(text: str) -> tuple[Counter[int], Counter[int]]:
    """Bucket counts of the text's word n-grams and of its letter n-grams."""
    words = _WORD.findall(text.lower())
    word_grams: Counter[int] = Counter()
    for n in WORD_SIZES:
        for i in range(len(words) - n + 1):
            word_grams[_bucket("w", " ".join(words[i : i + n]))] += 1
    letter_grams: Counter[int] = Counter()
    for word in words:
        padded = f" {word} "
        for n in LETTER_SIZES:
            for i in range(len(padded) - n + 1):
                letter_grams[_bucket("c", padded[i : i + n])] += 1
    return word_grams, letter_grams


def document_frequency(texts: Sequence[str]) -> Floats:
    """Smoothed inverse document frequency of every bucket over ``texts``: log((1 + n) / (1 + df)) + 1."""
    df = np.zeros(BUCKETS, dtype=np.float64)
    for text in texts:
        word_grams, letter_grams = gram_counts(text)
        df[list(word_grams.keys() | letter_grams.keys())] += 1
    out: Floats = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
    return out


def vectorize(texts: Sequence[str], idf: Floats) -> Sparse:
    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for text in texts:
        row: dict[int, float] = {}
        for grams in gram_counts(text):
            weighted = {b: (1 + math.log(c)) * float(idf[b]) for b, c in grams.items()}
            norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
            for b, v in weighted.items():
                row[b] = row.get(b, 0.0) + v / norm
        indices += row.keys()
        values += row.values()
        indptr.append(len(indices))
    return Sparse(
        indptr=np.array(indptr, dtype=np.int64),
        indices=np.array(indices, dtype=np.int64),
        values=np.array(values, dtype=np.float32),
    )
