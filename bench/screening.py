"""Screening speed on a 5,000-word text, against lower-casing and splitting the same text (the
least any screening must do); the learned layer's time to load and per 200-word entry and
10,000-character story; and quality on the three held-out sets and the working cases (screening
as a whole)."""

from __future__ import annotations

import time

from bench.report import Figure
from shared.safety.evaluate import HELDOUT_SETS, Report, evaluate, load, long_text, model_timing, timing

ROUNDS = 20


def _split_ms(text: str) -> float:
    runs = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        text.lower().split()
        runs.append((time.perf_counter() - start) * 1000)
    return sorted(runs)[ROUNDS // 2]


def screening_figures() -> list[Figure]:
    loaded_s, entry_ms, story_ms = model_timing()
    text = long_text(5000)
    hundreds = len(text.split()) / 100
    total_ms, per_hundred = timing(5000, ROUNDS)
    split_per_hundred = _split_ms(text) / hundreds
    report = evaluate()
    held = [(path.stem, evaluate(load(path))) for path in HELDOUT_SETS]
    return [
        Figure(name="screening_model_load_s", value=loaded_s, unit="s"),
        Figure(name="screening_model_ms_200_word_entry", value=entry_ms, unit="ms"),
        Figure(name="screening_model_ms_10000_char_story", value=story_ms, unit="ms"),
        Figure(name="screening_ms_5000_words", value=total_ms, unit="ms"),
        Figure(
            name="screening_ms_per_100_words",
            value=per_hundred,
            unit="ms",
            baseline="split_ms_per_100_words",
            baseline_value=split_per_hundred,
        ),
        Figure(name="screening_urgent_recall", value=report.layers["both"].recall, unit="share"),
        Figure(name="screening_false_alarms", value=report.layers["both"].false_alarms, unit="share"),
        Figure(name="personal_details_found", value=report.details_recall, unit="share"),
        *(figure for name, r in held for figure in _held_out(name, r)),
    ]


def _held_out(name: str, report: Report) -> list[Figure]:
    both = report.layers["both"]
    return [
        Figure(name=f"screening_{name}_urgent_recall", value=both.recall, unit="share"),
        Figure(name=f"screening_{name}_false_alarms", value=both.false_alarms, unit="share"),
        Figure(name=f"personal_details_found_{name}", value=report.details_recall, unit="share"),
    ]
