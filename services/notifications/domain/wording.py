"""The words of an inbox item: calm, short, plain. Pseudonyms and moderators' reasons only; a member
who has left is "a former member" (capitalised where it opens the title)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from shared.contracts.erasure import PLACEHOLDER_NAME
from shared.contracts.journal import STAGE_LABELS
from shared.contracts.vocabulary import MODERATION_REASONS

if TYPE_CHECKING:
    from services.notifications.domain.inbox import Notice

Words = tuple[str, str]


def who(names: tuple[str, ...], count: int) -> str:
    """ "Ana", "Ana and Bo", "Ana, Bo and Cy", "Ana, Bo, Cy and 2 others"; members who have left are
    named once ("a former member, Bo and 1 other"), the others among them counted."""
    shown = list(dict.fromkeys(names[:count])) or ["Someone"]
    rest = count - len(shown)
    if rest > 0:
        return f"{', '.join(shown)} and {rest} {'other' if rest == 1 else 'others'}"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def _post(n: Notice) -> str:
    return "reply" if n.variant == "reply" else "story"


def _moderator(n: Notice) -> str:
    why = f"The reason: {MODERATION_REASONS.get(n.reason, n.reason)}." if n.reason else ""
    return " ".join(part for part in (why, n.guidance) if part)


def _encouraged(n: Notice, people: str, count: int) -> Words:
    phrase = {
        "me-too": f"{people} said “me too” to your story",
        "helped": f"{people} said your story helped them",
    }.get(n.variant, f"{people} {'is' if count == 1 else 'are'} proud of your story")
    return phrase, "Encouragement from readers of your story."


def _replied(_n: Notice, people: str, _count: int) -> Words:
    return f"{people} replied to your story", "Open your story to read the replies."


def _reply_to_reply(_n: Notice, people: str, _count: int) -> Words:
    return f"{people} replied to your reply", "Open the story to read the conversation."


def _note(_n: Notice, people: str, count: int) -> Words:
    return (
        f"{people} left {'a note' if count == 1 else 'notes'} on your journal",
        "Open your journal to read what they wrote.",
    )


def _observation(_n: Notice, people: str, _count: int) -> Words:
    return (
        f"{people} noticed some progress you may not see",
        "Open your journal to read it, then keep it private, add it to your record or dismiss it.",
    )


def _entry(n: Notice, people: str, _count: int) -> Words:
    if n.variant == "confirm":
        return f"{people} wrote an entry for you", "It is waiting for you to confirm it in your journal."
    return f"{people} wrote an entry for you", "You can read it in your journal."


def _stage(n: Notice) -> str:
    return STAGE_LABELS.get(n.variant, n.variant)


_GROUPED: dict[str, Callable[[Notice, str, int], Words]] = {
    "encouraged": _encouraged, "replied": _replied, "reply_to_reply": _reply_to_reply, "note": _note,
    "observation": _observation, "entry_for_you": _entry,
}  # fmt: skip

_SINGLE: dict[str, Callable[[Notice], Words]] = {
    "approved": lambda n: (f"Your {_post(n)} was approved", "It is in the feed now."),
    "changes_requested": lambda n: (
        "A moderator sent your story back with guidance",
        _moderator(n) or "Open your stories to see what to change.",
    ),
    "removed": lambda n: (
        f"Your {_post(n)} was removed",
        " ".join(p for p in (_moderator(n), "You may appeal once.") if p),
    ),
    "rejected": lambda n: (f"Your {_post(n)} was not approved", _moderator(n) or "Open your stories to see why."),
    "appeal_decided": lambda n: (
        ("Your appeal was decided: the decision stands", _moderator(n) or "Thank you for telling us.")
        if n.variant == "upheld"
        else (f"Your appeal was decided: your {_post(n)} is back", "It is in the feed again.")
    ),
    "reached_out": lambda _n: (
        "A moderator sent you a message",
        "Read it on your home page. Only you can see it.",
    ),
    "invited": lambda n: (
        f"{n.actor_name or 'Someone'} invited you to support their journal",
        f"As {'a keeper' if n.variant == 'keeper' else 'an encourager'}. Accept or decline on your home page.",
    ),
    "supporter_joined": lambda n: (
        f"{n.actor_name or 'Someone'} joined as your supporter",
        f"As {'a keeper' if n.variant == 'keeper' else 'an encourager'}. You can change this at any time.",
    ),
    "supporter_left": lambda n: (
        f"{n.actor_name or 'Someone'} stepped back from supporting your journal",
        "What they wrote stays in your journal, with their name on it.",
    ),
    "handover_proposed": lambda n: (
        f"{n.actor_name or 'Someone'} proposed a handover step",
        f"{_stage(n)}. Accept or decline it on your supporters page.",
    ),
    "handover_accepted": lambda n: (f"{n.actor_name or 'Someone'} accepted your handover step", f"{_stage(n)}."),
    "handover_declined": lambda n: (
        f"{n.actor_name or 'Someone'} declined your handover step",
        f"{_stage(n)}. The journal stays as it was.",
    ),
    "stage_moved": lambda n: (f"{n.actor_name or 'Someone'} moved their journal to a new stage", f"{_stage(n)}."),
}


def words(notice: Notice, names: tuple[str, ...], count: int) -> Words:
    """The title and body of an item for ``notice`` that counts ``count`` people, ``names`` first."""
    grouped = _GROUPED.get(notice.kind)
    if grouped is not None:
        title, body = grouped(notice, who(names or (notice.actor_name or "Someone",), count), count)
    else:
        title, body = _SINGLE[notice.kind](notice)
    return _opening(title), body


def _opening(title: str) -> str:
    """A title that opens with a member who has left: "A former member is proud of your story"."""
    if title.startswith(PLACEHOLDER_NAME):
        return title[:1].upper() + title[1:]
    return title
