"""The learned layer (all-MiniLM-L6-v2 run by numpy and hashed n-grams, a logistic regression on
each, trained on the working cases), screening as the services call it (``learned.system``), and
the quality floors on the three held-out sets and the working cases. Floors on quality only; speed
is in the benchmark."""

from __future__ import annotations

import json
import struct
import tomllib
from pathlib import Path

import numpy as np
import pytest

from shared.safety import Level, screen_text
from shared.safety.embedding import basic_tokens, batches, default_encoder, read_safetensors
from shared.safety.evaluate import ASKS, HELDOUT, HELDOUT_2, HELDOUT_3, HELDOUT_SETS, SURFACES, evaluate, load
from shared.safety.learned import MODEL, WINDOW_WORDS, default_learned, windows
from shared.safety.screening import LEXICON, normalize
from shared.safety.screening import screen_text as rules_alone
from shared.safety.train import digest
from tests.unit.shared.test_personal_details import KNOWN_FALSE_FINDINGS

pytestmark = pytest.mark.unit


def test_the_numpy_forward_pass_gives_the_published_similarities() -> None:
    # the sentence-transformers quick start, for all-MiniLM-L6-v2: 0.6660, 0.1046, 0.1411
    v = default_encoder().encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = v @ v.T
    assert abs(sims[0, 1] - 0.6660) < 0.002 and abs(sims[0, 2] - 0.1046) < 0.002 and abs(sims[1, 2] - 0.1411) < 0.002


def test_texts_are_batched_with_texts_of_about_their_length_and_read_the_same_alone() -> None:
    lengths = [5, 200, 6, 70, 190, 7, 66]
    assert batches(lengths, 32) == [[0, 2, 5], [6, 3], [4, 1]]
    assert batches([5] * 5, 2) == [[0, 1], [2, 3], [4]]
    # padding never changes what a text reads as: alone or batched with others, the same vector
    texts = ["I walked to the shop.", "I walked to the shop today."]  # one batch, the first padded
    together = default_encoder().encode_layers(texts)
    assert np.allclose(together[0], default_encoder().encode_layers(texts[:1])[0], atol=1e-5)
    assert np.allclose(together[1], default_encoder().encode_layers(texts[1:])[0], atol=1e-5)


def test_the_tokenizer_lower_cases_strips_accents_and_splits_punctuation() -> None:
    assert basic_tokens("Café, NAÏVE—ok?!") == ["cafe", ",", "naive", "—", "ok", "?", "!"]
    tokenizer = default_encoder().tokenizer
    ids = tokenizer.encode("unaffable")  # greedy longest match, as BERT's own WordPiece splits it
    assert ids == [tokenizer.cls, *(tokenizer.vocab[p] for p in ("una", "##ffa", "##ble")), tokenizer.sep]


def test_weights_that_are_not_the_model_are_refused(tmp_path: Path) -> None:
    header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    path = tmp_path / "model.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + np.array([1, 2], dtype=np.float32).tobytes())
    assert read_safetensors(path, sha256=None)["w"].tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="not the expected"):
        read_safetensors(path)


def test_long_text_is_judged_in_windows_of_whole_sentences_in_their_order() -> None:
    story = " ".join(f"Sentence number {i} is about my garden and the tomatoes." for i in range(60))
    parts = windows(story)
    assert len(parts) == 4 and all(len(p.split()) <= WINDOW_WORDS for p in parts)
    assert all(p.endswith(".") for p in parts) and " ".join(parts) == story
    assert windows("one two three") == ["one two three"] and windows("  ") == []
    run_on = " ".join(f"w{i}" for i in range(2 * WINDOW_WORDS + 10))  # written without punctuation: cut
    assert len(windows(run_on)) == 3 and " ".join(windows(run_on)) == run_on
    # a sentence before a run-on is not joined to its tail, skipping what lies between
    assert (
        " ".join(windows("Ten years ago I was in hospital. " + run_on)) == "Ten years ago I was in hospital. " + run_on
    )


def test_every_working_case_is_read_whole_as_the_services_read_it() -> None:
    assert all(len(windows(normalize(t))) == 1 for g in load().cases for t in g.texts)


def test_the_model_catches_a_paraphrase_the_rules_miss_and_says_what_it_read_like() -> None:
    # (round three: "My mind keeps going to the bottle of pills in the cupboard." now scores 0.78,
    # just under the threshold of 0.80; the rules miss it too)
    text = "I keep looking at the painkillers and thinking that would be the end of it."
    assert rules_alone(text).level is Level.NONE
    found = screen_text(text)
    assert found.urgent and found.reasons[-1].startswith("learned layer") and "“" in found.reasons[-1]


def test_the_rules_present_risk_stands_unless_the_model_read_it_and_found_none() -> None:
    assert screen_text("I want to kill myself tonight").reasons == ("intent",)
    # a recovery story the rules read as an attempt: the model reads it whole and finds no present risk
    story = "Ten years ago tonight I took an overdose. Today I ran a half marathon with my daughter."
    assert rules_alone(story).urgent
    found = screen_text(story)
    assert found.level is Level.SENSITIVE and found.reasons[-1].endswith("overruling the rules")
    # too short for the model to read: the rules alone decide
    assert screen_text("took an overdose").urgent
    for calm in ("Got out of bed and showered", "I made soup and called my mum", ""):
        assert screen_text(calm).level is Level.NONE, calm


def test_a_supporter_is_screened_in_the_voice_of_the_one_they_support() -> None:
    assert screen_text("He said he has a plan to kill himself", by_supporter=True).urgent
    assert not screen_text("She went for a walk with me and laughed", by_supporter=True).urgent


def test_the_trained_model_is_the_one_for_todays_working_cases() -> None:
    with np.load(MODEL, allow_pickle=False) as data:
        assert str(data["cases_sha256"]) == digest(load()), (
            "the labelled cases changed: run python -m shared.safety.train"
        )
    learned = default_learned()
    assert 0.5 <= learned.threshold < 1.0 and 0.0 <= learned.floor < learned.threshold


def test_every_question_a_clinician_asks_has_working_cases_in_every_surface() -> None:
    cells = {(g.ask, g.surface) for g in load().cases if g.label == "urgent"}
    missing = [(ask, surface) for ask in ASKS for surface in SURFACES if (ask, surface) not in cells]
    assert missing == []
    lexicon = tomllib.loads(LEXICON.read_text(encoding="utf-8"))
    assert {g["ask"] for g in lexicon["urgent"]} == set(ASKS)


def test_the_held_out_cases_are_apart_from_the_working_cases_and_from_each_other() -> None:
    working = {t for g in load().cases for t in g.texts}
    seen: set[str] = set()
    for path in HELDOUT_SETS:
        held = {t for g in load(path).cases for t in g.texts}
        assert len(held) >= 300 and held.isdisjoint(working) and held.isdisjoint(seen), path.name
        labels = [g.label for g in load(path).cases for _ in g.texts]
        assert labels.count("urgent") >= 150 and len(labels) - labels.count("urgent") >= 150
        seen |= held


# Measured, never tuned on (ADR 0039), except that heldout2's personal-detail misses named the
# kinds round seven covered (ADR 0038), so its details figure is no longer a clean measure. The
# issue asks for urgent recall >= 0.95 with false alarms <= 5 % and personal details >= 0.95 with
# none on ordinary text, on every set; these floors hold the line where screening honestly
# stands, one or two cases below what was measured.


@pytest.mark.timeout(300)
def test_the_working_cases_meet_their_honest_floors() -> None:
    # out of fold over whole case groups, each case read whole as the services read it: 0.950 recall
    # with 5.0 % false alarms (11,511 cases after round fourteen; 0.935 of 10,153 after round
    # eleven, and of 8,916 after round ten; 0.929 of 7,583 after round nine, 0.918 of 6,342 after
    # round eight, 0.889 of 5,124 before it). The
    # cut-offs were chosen on these scores, so this holds the line against drift (a case, the
    # lexicon or the training changed without retraining).
    report = evaluate()
    both = report.layers["both"]
    assert both.recall >= 0.945, [m.text for m in report.both_misses if m.label == "urgent"][:20]
    assert both.false_alarms <= 0.051, [m.text for m in report.both_misses if m.label != "urgent"][:20]
    # personal details: 0.972 after round twelve (0.962 after round ten's 338 details in new shapes,
    # 0.976 before them), the misses named in test_personal_details.KNOWN_MISSES and its ordinary
    # texts flagged in KNOWN_FALSE_FINDINGS
    assert report.details_recall >= 0.97 and len(report.false_findings) == len(KNOWN_FALSE_FINDINGS)


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    ("path", "recall", "false_alarms", "details", "false_findings"),
    [
        # 0.700 and 10.7 % before rounds four to six; 0.782 and 5.3 % after them; 0.818 and 6.0 %
        # with the tuned layers (ADR 0039 says why this set now flatters the model a little);
        # 0.865 and 4.7 % after round eight, 0.871 and 6.7 % after round nine (ADR 0041); 0.900 and
        # 6.0 % after round ten, 0.906 and 5.3 % after round eleven (ADR 0042); 0.924 and 6.7 %
        # after round fourteen (ADR 0045)
        (HELDOUT, 0.915, 0.07, 0.95, 0),
        # before rounds four to six: 0.550 and 10.0 %, details 0.825; after: 0.778 and 0.6 %,
        # details 0.900 with no false finding; with the tuned layers 0.811 and 1.7 % (ADR 0040);
        # details 1.000 after round seven of personal details (whose kinds were those this set
        # had shown missed: ADR 0038); 0.889 and 2.8 % after round eight, 0.906 and 2.2 % after
        # round nine, 0.933 and 3.9 % after round ten, 0.928 and 4.4 % after round eleven; 0.950
        # and 5.6 % after round fourteen (ADR 0045)
        (HELDOUT_2, 0.944, 0.06, 0.95, 0),
        # written for round eight and scored before it: 0.844 and 2.5 %, details 0.900 with no
        # false finding; 0.881 and 1.9 % after it, 0.925 and 2.5 % after round nine (details
        # unchanged); 0.937 and 5.6 % after round ten, whose lower threshold raised the false
        # alarms past the 5 % (9 of 160), details 0.925; 0.931 and 3.7 % after round eleven;
        # details 0.950 with round twelve's finders (ADR 0043); 0.937 and 3.7 % after round
        # fourteen (ADR 0045)
        (HELDOUT_3, 0.93, 0.04, 0.95, 0),
    ],
    ids=["heldout", "heldout2", "heldout3"],
)
def test_the_held_out_cases_meet_their_honest_floors(
    path: Path, recall: float, false_alarms: float, details: float, false_findings: int
) -> None:
    report = evaluate(load(path))
    both = report.layers["both"]
    assert both.recall >= recall and both.false_alarms <= false_alarms
    assert both.recall > max(report.layers["rules"].recall, report.layers["model"].recall)
    assert report.details_recall >= details and len(report.false_findings) <= false_findings


def test_the_model_leaves_short_ordinary_victories_alone() -> None:
    """On a few words the model has no context; the most common victories must never read as risk."""
    for text in ("Got out of bed", "Out of bed", "Showered", "Called my sister", "Went outside"):
        assert not screen_text(text).urgent, text
    assert screen_text("Out of bed", "From the setback in March to five victories since.").level is not Level.URGENT
