"""How long to wait before trying again: the one doubling delay of the relay, the consumers and
the supervisor of ``smallwins up``."""

from __future__ import annotations


def backoff(attempt: int, base: float, cap: float) -> float:
    """The delay after the ``attempt``-th failure in a row (counting from 1): ``base``, twice
    ``base``, four times ... at most ``cap``."""
    return float(min(base * 2 ** (max(attempt, 1) - 1), cap))
