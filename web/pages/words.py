"""How the journal's pages speak to the person reading them: handover stages and steps in the
reader's own terms ("You keep your journal; Sam encourages"), and the short confirmations shown
after an action."""

from __future__ import annotations

from shared.contracts.journal import JournalView, TimelineItem
from web.templating import opening

# the confirmation a page shows after an action, by the ``done`` word in its address; an unknown
# word shows nothing (the address carries no free text, so nobody can make a page say anything)
DONE = {
    "invited": "Invitation sent. They will see it on their home page and can accept or decline it.",
    "role": "Role changed. It applies from now on; what they wrote before keeps its author.",
    "removed": "Supporter removed. They no longer see your journal; what they wrote stays in your history.",
    "left": "You stepped back. You no longer see this journal.",
    "retracted": "Entry retracted. It no longer shows on the timeline; your history keeps a record of it.",
    "confirmed": "Entry confirmed. It is part of your record now.",
    "proposed": "Handover step proposed. It waits for their answer.",
    "changed": "Done: the stage is changed.",
    "accepted": "You accepted the handover step. It applies from now on.",
    "declined": "You declined the handover step. Nothing changes; a new step can be proposed at any time.",
    "joined": "Invitation accepted. The journal is in your list below.",
    "no_thanks": "Invitation declined. They won't see a reason.",
    "kept": "Kept just for you. It stays on your timeline, marked private.",
    "added": "Added to your record, with who noticed it.",
    "dismissed": "Dismissed. It won't show again.",
    "claimed": "The journal is yours now. Everything written for you is here, and you choose what happens next.",
}


def done_message(word: str | None) -> str:
    return DONE.get(word or "", "")


def _names(names: list[str], fallback: str) -> str:
    if not names:
        return fallback
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def stage_words(stage: str, jv: JournalView) -> str:
    """A stage as its reader says it: the member hears about themselves and their supporters by
    name, a supporter hears about the member by name."""
    if jv.access == "owner":
        active = [s for s in jv.supporters if s.status == "active"]
        keepers = _names([s.name for s in active if s.role == "keeper"], "your keeper")
        everyone = _names([s.name for s in active], "your supporters")
        return {
            "supporter_keeps": f"{keepers} keeps your journal for you",
            "kept_together": f"Kept together: {keepers} writes with you, and you confirm what is written for you",
            "member_keeps": f"You keep your journal; {everyone} {'encourages' if len(active) == 1 else 'encourage'}",
        }.get(stage, stage)
    name = jv.owner_name
    if jv.access == "keeper":
        return {
            "supporter_keeps": f"You keep {name}'s journal for them",
            "kept_together": f"Kept together: you write with {name}, and {name} confirms what you write",
            "member_keeps": f"{name} keeps their journal; you encourage",
        }.get(stage, stage)
    return {
        "supporter_keeps": f"{name}'s keeper writes for them; you encourage",
        "kept_together": f"Kept together: {name} and their keeper write; you encourage",
        "member_keeps": f"{name} keeps their journal; you encourage",
    }.get(stage, stage)


def step_words(item: TimelineItem, jv: JournalView, me: str) -> str:
    """One handover step on the timeline, as one quiet line."""
    who = "You" if item.by == me else opening(item.by or "Someone")
    stage = stage_words(item.stage, jv)
    if stage.startswith(("You ", "Kept ")):  # mid-sentence; a name keeps its capital
        stage = stage[:1].lower() + stage[1:]
    return {
        "proposed": f"{who} proposed a handover step: {stage}.",
        "accepted": f"{who} accepted: {stage}.",
        "declined": f"{who} declined a handover step ({stage}); the journal stayed as it was.",
    }.get(item.step, item.text)
