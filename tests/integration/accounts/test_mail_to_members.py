"""What accounts sends, and to whom: confirmations, resets, notices, and nothing else to an
unconfirmed address. Real PostgreSQL, a real SMTP server, a clock the test sets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from services.accounts.links import token_hash
from shared.contracts import accounts as acc
from shared.db import create_pool
from shared.errors import Invalid, NotFound, Unauthenticated
from shared.settings import Settings
from shared.testing.plugin import MailBox
from tests.integration.accounts.mailroom import CTX, PASSWORD, Mailroom, mailroom

pytestmark = pytest.mark.integration

CONFIRM = "Please confirm your e-mail address"


@pytest_asyncio.fixture
async def room(database_url: str, sw_key_file: Path, settings: Settings, sw_mail: MailBox) -> AsyncIterator[Mailroom]:
    pool = await create_pool(database_url, schema="accounts")
    yield mailroom(pool, settings, sw_mail)
    await pool.close()


async def _join(
    room: Mailroom, name: str = "Robin", email: str = "robin@example.org", password: str = PASSWORD
) -> acc.MemberView:
    return await room.accounts.register(acc.RegisterRequest(pseudonym=name, email=email, password=password), CTX)


async def _confirmed(room: Mailroom, name: str = "Robin", email: str = "robin@example.org") -> acc.MemberView:
    member = await _join(room, name, email)
    await room.deliver()
    await room.recovery.follow_link(acc.LinkRequest(token=room.link(email, "/confirm/")), CTX)
    return member


async def _sign_in(room: Mailroom, email: str, password: str = PASSWORD) -> acc.SessionIssued:
    return await room.accounts.sign_in(acc.SignInRequest(email=email, password=password), CTX)


async def test_an_unconfirmed_address_receives_nothing_but_its_confirmation(room: Mailroom) -> None:
    member = await _join(room)
    await _sign_in(room, "robin@example.org")  # the account works at once
    await _join(room, "Someone Else")  # a sign-up with the same address
    await room.recovery.forgot_password(acc.ForgotPasswordRequest(email="robin@example.org"), CTX)
    new = "a new long password"
    change = acc.ChangePasswordRequest(actor_id=member.member_id, current_password=PASSWORD, new_password=new)
    await room.account.change_password(change, CTX)
    await room.deliver()
    assert room.subjects("robin@example.org") == [CONFIRM] * 3  # no reset link, no notices, no "someone tried"
    address = await room.recovery.mail_address(acc.MailAddressRequest(member_id=member.member_id), CTX)
    assert address.email is None


async def test_a_confirmation_link_works_once_and_then_the_address_is_given_out(room: Mailroom) -> None:
    member = await _join(room)
    await room.deliver()
    token = room.link("robin@example.org", "/confirm/")
    done = await room.recovery.follow_link(acc.LinkRequest(token=token), CTX)
    assert done.done == "confirmed"
    with pytest.raises(NotFound, match="doesn't work any more"):
        await room.recovery.follow_link(acc.LinkRequest(token=token), CTX)
    address = await room.recovery.mail_address(acc.MailAddressRequest(member_id=member.member_id), CTX)
    assert address.email == "robin@example.org"
    view = await room.account.account(acc.AccountRequest(actor_id=member.member_id), CTX)
    assert view.email_confirmed


async def test_a_reset_link_works_once_expires_and_refuses_a_tampered_token(room: Mailroom, database_url: str) -> None:
    await _confirmed(room)
    session = await _sign_in(room, "robin@example.org")
    await room.recovery.forgot_password(acc.ForgotPasswordRequest(email="Robin@Example.org "), CTX)
    await room.deliver()
    token = room.link("robin@example.org", "/reset-password/")
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for bad in (tampered, token + "x", ""):
        with pytest.raises((NotFound, Invalid)):
            await room.recovery.reset_password(acc.ResetPasswordRequest(token=bad, new_password="x" * 12), CTX)
    await _sign_in(room, "robin@example.org")  # nothing changed
    room.clock.advance(minutes=61)
    with pytest.raises(NotFound):
        await room.recovery.check_reset_link(acc.LinkRequest(token=token), CTX)
    with pytest.raises(NotFound):
        await room.recovery.reset_password(acc.ResetPasswordRequest(token=token, new_password="x" * 12), CTX)

    await room.recovery.forgot_password(acc.ForgotPasswordRequest(email="robin@example.org"), CTX)
    await room.deliver()
    fresh = room.link("robin@example.org", "/reset-password/")
    await room.recovery.check_reset_link(acc.LinkRequest(token=fresh), CTX)
    await room.recovery.reset_password(acc.ResetPasswordRequest(token=fresh, new_password="my new password"), CTX)
    with pytest.raises(NotFound):
        await room.recovery.reset_password(acc.ResetPasswordRequest(token=fresh, new_password="another one!"), CTX)
    with pytest.raises(Unauthenticated):
        await room.accounts.session(acc.TokenRequest(token=session.token), CTX)  # every session ended
    await _sign_in(room, "robin@example.org", "my new password")
    await room.deliver()
    assert room.subjects("robin@example.org")[-1] == "Your password was changed"
    conn = await asyncpg.connect(database_url)
    try:
        dump = (
            await conn.fetchval("SELECT string_agg(t::text, ' ') FROM (SELECT * FROM accounts.mail_links) t")
            + " "
            + await conn.fetchval("SELECT string_agg(t::text, ' ') FROM accounts.events t")
        )
        assert fresh not in dump and token not in dump and token_hash(fresh) in dump  # only hashes, never in events
        assert await conn.fetchval("SELECT count(*) FROM accounts.mail_outbox WHERE sealed IS NOT NULL") == 0
    finally:
        await conn.close()


async def test_a_taken_address_gets_the_same_answer_and_its_owner_a_note(room: Mailroom) -> None:
    await _confirmed(room)
    first = await _join(room, "Fern", "fern@example.org")
    again = await _join(room, "Someone Else", password="the stranger's password")  # robin@example.org is taken
    assert type(again) is type(first) and again.roles == first.roles and again.pseudonym == "Someone Else"
    with pytest.raises(Unauthenticated):
        await _sign_in(room, "robin@example.org", "the stranger's password")  # still Robin's, with Robin's password
    await _sign_in(room, "robin@example.org")
    await room.deliver()
    assert room.subjects("robin@example.org") == [CONFIRM, "Someone tried to use your e-mail address"]
    assert "sign up" in room.box.text(room.box.to("robin@example.org")[-1])


async def test_changing_the_address_confirms_the_new_one_and_tells_the_old_one(room: Mailroom) -> None:
    member = await _confirmed(room)
    who = member.member_id
    with pytest.raises(Invalid) as wrong:
        await room.account.change_email(
            acc.ChangeEmailRequest(actor_id=who, new_email="new@example.org", current_password="not my password"), CTX
        )
    assert wrong.value.errors[0].field == "current_password"
    await room.account.change_email(
        acc.ChangeEmailRequest(actor_id=who, new_email="new@example.org", current_password=PASSWORD), CTX
    )
    await room.deliver()
    assert room.subjects("new@example.org") == ["Please confirm your new e-mail address"]
    view = await room.account.account(acc.AccountRequest(actor_id=who), CTX)
    assert view.email == "robin@example.org"  # nothing changes until the link is followed
    done = await room.recovery.follow_link(acc.LinkRequest(token=room.link("new@example.org", "/confirm/")), CTX)
    assert done.done == "changed"
    await room.deliver()
    assert room.subjects("robin@example.org")[-1] == "Your e-mail address was changed"
    assert "new@example.org" in room.box.text(room.box.to("robin@example.org")[-1])
    await _sign_in(room, "new@example.org")
    address = await room.recovery.mail_address(acc.MailAddressRequest(member_id=who), CTX)
    assert address.email == "new@example.org"


async def test_password_and_time_zone_changes_with_clear_refusals(room: Mailroom) -> None:
    member = await _confirmed(room)
    who = member.member_id
    with pytest.raises(Invalid) as wrong:
        await room.account.change_password(
            acc.ChangePasswordRequest(actor_id=who, current_password="not it at all", new_password="x" * 12), CTX
        )
    assert wrong.value.errors[0].field == "current_password" and "current password" in wrong.value.message
    with pytest.raises(Invalid) as short:
        await room.account.change_password(
            acc.ChangePasswordRequest(actor_id=who, current_password=PASSWORD, new_password="short"), CTX
        )
    assert short.value.errors[0].field == "new_password"
    await _sign_in(room, "robin@example.org")  # nothing changed
    with pytest.raises(Invalid) as zone:
        await room.account.set_time_zone(acc.TimeZoneRequest(actor_id=who, time_zone="Mars/Olympus"), CTX)
    assert zone.value.errors[0].field == "time_zone"
    assert (await room.account.account(acc.AccountRequest(actor_id=who), CTX)).time_zone == ""
    view = await room.account.set_time_zone(acc.TimeZoneRequest(actor_id=who, time_zone="Europe/Berlin"), CTX)
    assert view.time_zone == "Europe/Berlin"
    await room.account.change_password(
        acc.ChangePasswordRequest(actor_id=who, current_password=PASSWORD, new_password="a newer password"), CTX
    )
    await room.deliver()
    assert room.subjects("robin@example.org")[-1] == "Your password was changed"
    assert (await _sign_in(room, "robin@example.org", "a newer password")).member.time_zone == "Europe/Berlin"
