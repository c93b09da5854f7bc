"""The product's vocabularies, named once: each is a ``Literal`` type (what the HTTP API accepts
and mypy checks) with its labels (what people read). A unit test holds every label table equal to
its type (mypy alone cannot: labels are looked up by any string), so a new word is added here and
nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal, get_args

# The recovery themes of PRODUCT.md: tags carried by journal entries and stories alike.
Theme = Literal[
    "acceptance",
    "overcoming-stigma",
    "seeking-help",
    "support-system",
    "small-wins",
    "setbacks",
    "self-worth",
    "purpose",
    "advocacy",
    "peer-support",
    "healthy-habits",
    "learning",
]
RECOVERY_THEMES: Final[Mapping[str, str]] = {
    "acceptance": "Acceptance",
    "overcoming-stigma": "Overcoming stigma",
    "seeking-help": "Seeking professional help",
    "support-system": "Building a support system",
    "small-wins": "Celebrating small wins",
    "setbacks": "Navigating setbacks",
    "self-worth": "Self-worth",
    "purpose": "Passion and purpose",
    "advocacy": "Advocacy",
    "peer-support": "Peer support",
    "healthy-habits": "Healthy habits",
    "learning": "Continuous learning",
}

# --- the peer feed -----------------------------------------------------------------------------

ContentWarning = Literal["suicide", "self-harm", "eating-disorder", "substance-use", "abuse", "grief"]
CONTENT_WARNINGS: Final[Mapping[str, str]] = {
    "suicide": "Suicide",
    "self-harm": "Self-harm",
    "eating-disorder": "Eating disorder",
    "substance-use": "Substance use",
    "abuse": "Abuse",
    "grief": "Grief and loss",
}
Cheer = Literal["proud", "me-too", "helped"]
ENCOURAGEMENTS: Final[Mapping[str, str]] = {"proud": "Proud of you", "me-too": "Me too", "helped": "This helped me"}
ModerationReason = Literal[
    "harmful-detail", "personal-details", "not-supportive", "missing-warning", "off-topic", "spam", "other"
]
MODERATION_REASONS: Final[Mapping[str, str]] = {
    "harmful-detail": "Describes methods or details that could harm a reader",
    "personal-details": "Shares personal details that could identify someone",
    "not-supportive": "Not supportive of the person or of others",
    "missing-warning": "Needs a content warning",
    "off-topic": "Not about recovery",
    "spam": "Advertising or spam",
    "other": "Something else (see the guidance)",
}
ReportReason = Literal["at-risk", "harmful", "unkind", "personal-details", "spam", "other"]
REPORT_REASONS: Final[Mapping[str, str]] = {
    "at-risk": "Someone may be at risk",
    "harmful": "Harmful or triggering detail",
    "unkind": "Unkind or unsupportive",
    "personal-details": "Shares personal details",
    "spam": "Advertising or spam",
    "other": "Something else",
}

# --- the journal -------------------------------------------------------------------------------

EntryKind = Literal["victory", "setback", "mood"]
KINDS: Final[tuple[EntryKind, ...]] = get_args(EntryKind)
Visibility = Literal["private", "supporters"]
VISIBILITIES: Final[tuple[Visibility, ...]] = get_args(Visibility)
SupporterRole = Literal["encourager", "keeper"]
ROLES: Final[tuple[SupporterRole, ...]] = get_args(SupporterRole)
Stage = Literal["supporter_keeps", "kept_together", "member_keeps"]
STAGES: Final[tuple[Stage, ...]] = get_args(Stage)
Resolution = Literal["kept_private", "accepted", "dismissed"]
RESOLUTIONS: Final[tuple[Resolution, ...]] = get_args(Resolution)

LABELLED: Final = (
    (Theme, RECOVERY_THEMES),
    (ContentWarning, CONTENT_WARNINGS),
    (Cheer, ENCOURAGEMENTS),
    (ModerationReason, MODERATION_REASONS),
    (ReportReason, REPORT_REASONS),
)
"""Each type with its labels, for the test that holds them equal."""
