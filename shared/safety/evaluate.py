"""How well screening does on the evaluation set (``cases.toml``): recall of ``urgent``, false
alarms on ``none``, the confusion table and every miss; then personal details found per kind and
false findings on ordinary text. ``python -m shared.safety.evaluate`` prints it all; a test holds
the floors. ``--time`` also measures screening a 5,000-word text."""

from __future__ import annotations

import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import msgspec

from shared.safety.personal import find_personal_details
from shared.safety.screening import screen_text

CASES = Path(__file__).with_name("cases.toml")
LEVELS = ("urgent", "sensitive", "none")


class CaseGroup(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    category: str
    texts: list[str]
    ask: str = ""  # for urgent cases: what a clinician would ask (ASKS)
    surface: str = ""  # for urgent cases: how it is written (SURFACES)


class DetailGroup(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    texts: list[str]


class CaseFile(msgspec.Struct, frozen=True, kw_only=True):
    cases: list[CaseGroup]
    details: list[DetailGroup]


class Miss(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    got: str
    category: str
    text: str
    reasons: tuple[str, ...]


class Report(msgspec.Struct, frozen=True, kw_only=True):
    confusion: dict[str, dict[str, int]]  # label -> screened level -> count
    misses: list[Miss]
    details_found: dict[str, tuple[int, int]]  # kind -> (found, cases)
    false_findings: list[str]

    def _row(self, label: str) -> dict[str, int]:
        return self.confusion.get(label, {})

    @property
    def urgent_recall(self) -> float:
        row = self._row("urgent")
        return row.get("urgent", 0) / max(1, sum(row.values()))

    @property
    def false_alarms(self) -> float:
        """Share of ``none`` texts screened urgent (a writer shown the helplines for nothing)."""
        row = self._row("none")
        return row.get("urgent", 0) / max(1, sum(row.values()))

    @property
    def sensitive_kept_calm(self) -> float:
        """Share of ``sensitive`` texts not screened urgent (recovery talk raising no alarm)."""
        row = self._row("sensitive")
        return 1 - row.get("urgent", 0) / max(1, sum(row.values()))

    @property
    def details_recall(self) -> float:
        found = sum(f for f, _ in self.details_found.values())
        return found / max(1, sum(n for _, n in self.details_found.values()))


def load(path: Path = CASES) -> CaseFile:
    return msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), CaseFile)


def evaluate(cases: CaseFile | None = None) -> Report:
    cases = cases or load()
    confusion: dict[str, Counter[str]] = {label: Counter() for label in LEVELS}
    misses = []
    for group in cases.cases:
        for text in group.texts:
            found = screen_text(text)
            confusion[group.label][found.level.value] += 1
            if found.level.value != group.label:
                misses.append(Miss(label=group.label, got=found.level.value, category=group.category, text=text,
                                   reasons=found.reasons))  # fmt: skip
    details: dict[str, tuple[int, int]] = {}
    false_findings = []
    for dg in cases.details:
        for text in dg.texts:
            kinds = {f.kind for f in find_personal_details(text)}
            if dg.kind == "none":
                false_findings += [text] if kinds else []
                continue
            hits, total = details.get(dg.kind, (0, 0))
            details[dg.kind] = (hits + (dg.kind in kinds), total + 1)
            if dg.kind not in kinds:
                misses.append(Miss(label=dg.kind, got=",".join(sorted(kinds)) or "nothing", category="personal details",
                                   text=text, reasons=()))  # fmt: skip
    return Report(
        confusion={k: dict(v) for k, v in confusion.items()}, misses=misses, details_found=details,
        false_findings=false_findings,
    )  # fmt: skip


def long_text(words: int = 5000) -> str:
    """Journal-like writing of about ``words`` words, made of the evaluation set's own sentences."""
    cases = load()
    sentences = [t for g in cases.cases for t in g.texts]
    out: list[str] = []
    count = 0
    while count < words:
        for sentence in sentences:
            out.append(sentence)
            count += len(sentence.split())
            if count >= words:
                break
    return " ".join(out)


def timing(words: int = 5000, rounds: int = 20) -> tuple[float, float]:
    """(median milliseconds to screen a ``words``-word text, milliseconds per hundred words)."""
    text = long_text(words)
    screen_text("warm up")
    runs = []
    for _ in range(rounds):
        start = time.perf_counter()
        screen_text(text)
        runs.append((time.perf_counter() - start) * 1000)
    median = sorted(runs)[len(runs) // 2]
    return median, median / (len(text.split()) / 100)


def print_report(report: Report) -> None:
    print("screened as ->".ljust(22) + "".join(level.rjust(11) for level in LEVELS) + "      total")
    for label in LEVELS:
        row = report.confusion.get(label, {})
        print(f"labelled {label}".ljust(22) + "".join(str(row.get(lv, 0)).rjust(11) for lv in LEVELS)
              + str(sum(row.values())).rjust(11))  # fmt: skip
    print()
    print(f"urgent recall                 {report.urgent_recall:.3f}   (floor 0.97)")
    print(f"false alarms on none          {report.false_alarms:.3%}  (ceiling 3 %)")
    print(f"sensitive kept calm           {report.sensitive_kept_calm:.3f}")
    for kind, (found, total) in sorted(report.details_found.items()):
        print(f"personal details: {kind:<10}  {found}/{total}")
    print(f"personal details found        {report.details_recall:.3f}   (floor 0.95)")
    print(f"false findings on ordinary    {len(report.false_findings)}       (ceiling 0)")
    if report.misses or report.false_findings:
        print("\nmisses (labelled -> screened, category: text [reasons])")
        for m in report.misses:
            why = f"  [{'; '.join(m.reasons)}]" if m.reasons else ""
            print(f"  {m.label} -> {m.got}, {m.category}: {m.text}{why}")
        for text in report.false_findings:
            print(f"  none -> a finding, personal details: {text}")


def main() -> None:
    report = evaluate()
    print_report(report)
    if "--time" in sys.argv[1:]:
        total, per_hundred = timing()
        print(f"\nscreening a 5,000-word text   {total:.2f} ms  ({per_hundred:.3f} ms per 100 words; goal < 1)")


if __name__ == "__main__":
    main()
