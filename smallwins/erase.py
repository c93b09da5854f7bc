"""``smallwins erase <pseudonym>``: the operator erases a member at once, without a grace period,
for a request that arrived another way (docs/adr/0034-erasure.md). Asked to confirm first."""

from __future__ import annotations

import sys
from collections.abc import Callable

from shared.contracts import accounts as acc
from shared.contracts.erasure import APPLIED
from shared.errors import DomainError
from shared.settings import Settings
from smallwins.commands import running_system
from smallwins.servers import operator

WARNING = (
    "This erases {name!r} now, for good: their sign-in, e-mail address, pseudonym and every word they wrote,"
    " in every service. There is no grace period and no way back."
)


def confirmed(pseudonym: str, ask: Callable[[str], str]) -> bool:
    """The operator types the pseudonym again (a slip of the keyboard erases nobody)."""
    print(WARNING.format(name=pseudonym))  # noqa: T201
    try:
        typed = ask("Type the pseudonym again to erase them: ")
    except EOFError:
        return False
    return typed.strip() == pseudonym.strip()


async def erase(settings: Settings, pseudonym: str, *, yes: bool, ask: Callable[[str], str] = input) -> int:
    if not yes and not confirmed(pseudonym, ask):
        print("smallwins: that is not the same name, so nobody was erased.", file=sys.stderr)  # noqa: T201
        return 1
    async with running_system(settings, request_timeout=settings.request_timeout) as (_, client):
        try:
            request = acc.EraseNowRequest(pseudonym=pseudonym)
            done = await client.ask(acc.ERASE_NOW, request, actor=operator())
        except DomainError as exc:
            print(f"smallwins: {exc.message}", file=sys.stderr)  # noqa: T201
            return 1
    if done.already:
        print(f"{done.pseudonym} was erased already; nothing was changed.")  # noqa: T201
        return 0
    others = ", ".join(APPLIED)
    print(  # noqa: T201
        f"Erased {done.pseudonym} (member {done.member_id}) at {done.erased_at:%Y-%m-%d %H:%M:%S} UTC.\n"
        "In accounts their sign-in, e-mail address, pseudonym, sessions and key are gone.\n"
        f"The other services ({others}) erase what they keep of them as the event reaches them;"
        " `smallwins status` shows the erasure pending until each has."
    )
    return 0
