"""What the personal-detail finders share: a span of the text, and the capital and small letters of
names and towns in the alphabets of Western Europe."""

from __future__ import annotations

Span = tuple[int, int]  # where a detail starts and ends in the text

UPPER = r"[A-ZÀ-ÖØ-Þ]"
LOWER = r"[a-zß-öø-ÿ]"
