"""How well screening does, on sets kept apart: the three held-out sets (``heldout.toml``,
``heldout2.toml`` and ``heldout3.toml``, never used to write a rule, train the model or choose its
cut-offs; but the personal details ``heldout2.toml`` missed named the kinds a later round covered,
ADR 0038) and the
working cases (``cases.toml``, which the rules and the model are made from). For each, recall of
``urgent`` and false alarms (a sensitive or ordinary text screened urgent) for the rules alone, the
learned layer alone and both as screening combines them (``learned.screened_urgent``); the rules' confusion
table; personal details found per kind and false findings on ordinary text; and every miss of
screening as a whole. On the working cases the model's
figures are out of fold (cross-validated, from ``learned.npz``), never scored on what it trained on.

``python -m shared.safety.evaluate`` prints it all; a test holds the floors. ``--time`` adds
speed: the rules per hundred words, the model per 200-word entry and per 10,000-character story."""

from __future__ import annotations

import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import msgspec

from shared.safety.personal import find_personal_details
from shared.safety.screening import screen_text

CASES = Path(__file__).with_name("cases.toml")  # the working cases: rules and model are made from them
HELDOUT = Path(__file__).with_name("heldout.toml")  # never used to write a rule, train or choose a threshold
HELDOUT_2 = Path(__file__).with_name(
    "heldout2.toml"
)  # the same, written later by an evaluator who read nothing of ours
HELDOUT_3 = Path(__file__).with_name("heldout3.toml")  # the same, by a third evaluator; first scored with ADR 0041
HELDOUT_SETS = (HELDOUT, HELDOUT_2, HELDOUT_3)
LEVELS = ("urgent", "sensitive", "none")
# what a clinician would ask (C-SSRS and safe-messaging warning signs), and how people write it
ASKS = ("wish to be dead", "active ideation", "method", "intent", "plan", "preparatory acts", "attempt",
        "self-harm", "hopelessness with finality")  # fmt: skip
SURFACES = ("plain", "euphemism", "slang", "typos", "lower case", "no punctuation")


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


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    """How one layer (rules, model, or both) does on one set: urgent against everything else."""

    caught: int  # urgent cases screened urgent
    urgent: int
    alarms: int  # non-urgent cases (sensitive or none) screened urgent
    calm: int

    @property
    def recall(self) -> float:
        return self.caught / max(1, self.urgent)

    @property
    def false_alarms(self) -> float:
        return self.alarms / max(1, self.calm)


class Report(msgspec.Struct, frozen=True, kw_only=True):
    confusion: dict[str, dict[str, int]]  # label -> level the rules screened -> count
    misses: list[Miss]  # of the rules, and personal details
    details_found: dict[str, tuple[int, int]]  # kind -> (found, cases)
    false_findings: list[str]
    layers: dict[str, Figures] = {}  # "rules", "model", "both"
    both_misses: list[Miss] = []  # what screening as a whole still gets wrong

    def _row(self, label: str) -> dict[str, int]:
        return self.confusion.get(label, {})

    @property
    def urgent_recall(self) -> float:
        row = self._row("urgent")
        return row.get("urgent", 0) / max(1, sum(row.values()))

    @property
    def false_alarms(self) -> float:
        """Share of ``none`` texts the rules screened urgent (a writer shown the helplines for nothing)."""
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


def _layers(
    cases: CaseFile, rules: list[bool], model: list[bool], both: list[bool]
) -> tuple[dict[str, Figures], list[Miss]]:
    labels = [g.label for g in cases.cases for _ in g.texts]
    layers = {}
    for name, verdicts in (("rules", rules), ("model", model), ("both", both)):
        urgent = [v for v, label in zip(verdicts, labels, strict=True) if label == "urgent"]
        calm = [v for v, label in zip(verdicts, labels, strict=True) if label != "urgent"]
        layers[name] = Figures(caught=sum(urgent), urgent=len(urgent), alarms=sum(calm), calm=len(calm))
    misses, i = [], 0
    for group in cases.cases:
        for text in group.texts:
            got = both[i]
            if got != (group.label == "urgent"):
                misses.append(Miss(label=group.label, got="urgent" if got else "not urgent", category=group.category,
                                   text=text, reasons=()))  # fmt: skip
            i += 1
    return layers, misses


def model_verdicts(cases: CaseFile, rules: list[bool], out_of_fold: bool) -> tuple[list[bool], list[bool]]:
    """The learned layer's verdict on each case, and screening's as a whole (``learned.screened_urgent``):
    scored afresh, or (for the working cases it was trained on) from its out-of-fold score."""
    import numpy as np

    from shared.safety.combined import MODEL_MIN_WORDS
    from shared.safety.learned import default_learned, screened_urgent
    from shared.safety.screening import normalize

    learned = default_learned()
    texts = [t for g in cases.cases for t in g.texts]
    read_by_model = np.array([len(normalize(t).split()) >= MODEL_MIN_WORDS for t in texts])  # as the services use it
    if out_of_fold:
        stale = [t for t in texts if t not in learned.out_of_fold]
        if stale:
            raise SystemExit(f"learned.npz is older than cases.toml; run python -m shared.safety.train ({stale[0]!r})")
        scores = np.array([learned.out_of_fold[t] for t in texts])
    else:
        scores = np.array([v.score for v in learned.judge_many([normalize(t) for t in texts])])
    model = read_by_model & (scores >= learned.threshold)
    both = screened_urgent(np.array(rules), scores, read_by_model, learned.threshold, learned.floor)
    return [bool(m) for m in model], [bool(b) for b in both]


def evaluate(cases: CaseFile | None = None, *, model: bool = True, out_of_fold: bool | None = None) -> Report:
    """Screen every case; ``out_of_fold`` (the default for the working cases) takes the model's
    cross-validated scores instead of scoring cases it was trained on."""
    working = cases is None
    cases = cases or load()
    rules: list[bool] = []
    confusion: dict[str, Counter[str]] = {label: Counter() for label in LEVELS}
    misses = []
    for group in cases.cases:
        for text in group.texts:
            found = screen_text(text)
            rules.append(found.urgent)
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
    layers: dict[str, Figures] = {}
    both_misses: list[Miss] = []
    if model:
        model_says, screening_says = model_verdicts(cases, rules, working if out_of_fold is None else out_of_fold)
        layers, both_misses = _layers(cases, rules, model_says, screening_says)
    return Report(
        confusion={k: dict(v) for k, v in confusion.items()}, misses=misses, details_found=details,
        false_findings=false_findings, layers=layers, both_misses=both_misses,
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


def model_timing(rounds: int = 7) -> tuple[float, float, float]:
    """(seconds to load the model, median ms for a 200-word entry, median ms for a 10,000-character
    story), the model run whatever the rules say."""
    from shared.safety.learned import default_learned

    start = time.perf_counter()
    learned = default_learned()
    learned.judge("warm up")
    loaded = time.perf_counter() - start
    entry = " ".join(long_text(200).split()[:200])
    story = long_text(2500)[:10_000]
    medians = []
    for text in (entry, story):
        runs = []
        for _ in range(rounds):
            start = time.perf_counter()
            learned.judge(text)
            runs.append((time.perf_counter() - start) * 1000)
        medians.append(sorted(runs)[len(runs) // 2])
    return loaded, medians[0], medians[1]


def print_report(report: Report, title: str) -> None:
    print(f"== {title} " + "=" * (70 - len(title)))
    for name, f in report.layers.items():
        print(f"{name:<6} urgent recall {f.recall:.3f} ({f.caught}/{f.urgent})   "
              f"false alarms {f.false_alarms:.3f} ({f.alarms}/{f.calm})")  # fmt: skip
    print()
    print("rules: screened as ->".ljust(22) + "".join(level.rjust(11) for level in LEVELS) + "      total")
    for label in LEVELS:
        row = report.confusion.get(label, {})
        print(f"labelled {label}".ljust(22) + "".join(str(row.get(lv, 0)).rjust(11) for lv in LEVELS)
              + str(sum(row.values())).rjust(11))  # fmt: skip
    for kind, (found, total) in sorted(report.details_found.items()):
        print(f"personal details: {kind:<10}  {found}/{total}")
    print(f"personal details found        {report.details_recall:.3f}")
    print(f"false findings on ordinary    {len(report.false_findings)}")
    wrong = report.both_misses + [m for m in report.misses if m.category == "personal details"]
    if wrong or report.false_findings:
        print("\nmisses of screening (rules and model), and of personal details (labelled -> screened, category: text)")
        for m in wrong:
            print(f"  {m.label} -> {m.got}, {m.category}: {m.text}")
        for text in report.false_findings:
            print(f"  none -> a finding, personal details: {text}")
    print()


def print_timing() -> None:
    loaded, entry, story = model_timing()  # first, so that loading is measured in a fresh process
    total, per_hundred = timing()
    print(f"rules: a 5,000-word text      {total:.2f} ms  ({per_hundred:.3f} ms per 100 words; goal < 1)")
    print(f"model: loading, once          {loaded:.2f} s")
    print(f"model: a 200-word entry       {entry:.1f} ms  (goal < 100)")
    print(f"model: a 10,000-char story    {story:.1f} ms  (goal < 1000)\n")


def main() -> None:
    if "--time" in sys.argv[1:]:
        print_timing()
    for path in HELDOUT_SETS:
        print_report(evaluate(load(path)), f"held-out cases ({path.name})")
    print_report(evaluate(), "working cases (cases.toml; the model's figures out of fold)")


if __name__ == "__main__":
    main()
