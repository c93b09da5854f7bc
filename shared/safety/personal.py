"""Personal details in text meant for the peer feed: e-mail addresses (also taken apart), phone
numbers in national and international forms (also spaced out or written in words), links or
handles of personal profiles (with their network in any order), postal addresses (a number and a
street, a flat, a PO box, or a postcode of one of several countries), and full names offered for
looking someone up. Each finding says what it is and where, so a page can point to it.

One module per kind (``personal_email``, ``personal_phone``, ``personal_profile``,
``personal_address``, ``personal_name``); every pattern is compiled once, at import."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from shared.safety import personal_address, personal_email, personal_name, personal_phone, personal_profile

KINDS = {
    "email": "an e-mail address", "phone": "a phone number", "profile": "a link to a profile or a handle",
    "address": "a postal address", "name": "a full name",
}  # fmt: skip

# in this order: where two kinds find the same span, the earlier one names it
_FINDERS: tuple[tuple[str, Callable[[str], list[tuple[int, int]]]], ...] = (
    ("email", personal_email.find),
    ("profile", personal_profile.find),
    ("phone", personal_phone.find),
    ("address", personal_address.find),
    ("name", personal_name.find),
)


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # email | phone | profile | address | name
    text: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def find_personal_details(text: str) -> tuple[Finding, ...]:
    """Every personal detail in ``text``, in order; overlapping findings are reported once."""
    found = [
        Finding(kind=kind, text=text[start:end], start=start, end=end)
        for kind, find in _FINDERS
        for start, end in find(text)
    ]
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    for f in found:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return tuple(kept)


def describe(findings: tuple[Finding, ...]) -> str:
    """A sentence a writer can act on: what was found, quoted."""
    parts = [f"{f.label} (“{f.text}”)" for f in findings[:3]]
    more = f" and {len(findings) - 3} more" if len(findings) > 3 else ""
    return "To keep you anonymous, please remove personal details before sharing: " + ", ".join(parts) + more + "."
