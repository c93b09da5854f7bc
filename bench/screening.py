"""Screening speed on a 5,000-word text, against lower-casing and splitting the same text (the
least any screening must do), and its quality on the evaluation set."""

from __future__ import annotations

import time

from bench.report import Figure
from shared.safety.evaluate import evaluate, long_text, timing

ROUNDS = 20


def _split_ms(text: str) -> float:
    runs = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        text.lower().split()
        runs.append((time.perf_counter() - start) * 1000)
    return sorted(runs)[ROUNDS // 2]


def screening_figures() -> list[Figure]:
    text = long_text(5000)
    hundreds = len(text.split()) / 100
    total_ms, per_hundred = timing(5000, ROUNDS)
    split_per_hundred = _split_ms(text) / hundreds
    report = evaluate()
    return [
        Figure(name="screening_ms_5000_words", value=total_ms, unit="ms"),
        Figure(
            name="screening_ms_per_100_words",
            value=per_hundred,
            unit="ms",
            baseline="split_ms_per_100_words",
            baseline_value=split_per_hundred,
        ),
        Figure(name="screening_urgent_recall", value=report.urgent_recall, unit="share"),
        Figure(name="screening_false_alarms_on_none", value=report.false_alarms, unit="share"),
        Figure(name="personal_details_found", value=report.details_recall, unit="share"),
    ]
