"""Figures and how they are shown."""

from __future__ import annotations

import msgspec


class Figure(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    value: float
    unit: str
    baseline: str | None = None
    baseline_value: float | None = None


def print_table(figures: list[Figure]) -> None:
    print(f"{'figure':<44} {'value':>12} {'unit':<10} {'baseline':<24} {'baseline value':>15} {'ratio':>7}")
    for f in figures:
        ratio = f"{f.value / f.baseline_value:.2f}" if f.baseline_value else ""
        base = f.baseline or ""
        base_value = f"{f.baseline_value:,.1f}" if f.baseline_value is not None else ""
        print(f"{f.name:<44} {f.value:>12,.1f} {f.unit:<10} {base:<24} {base_value:>15} {ratio:>7}")
