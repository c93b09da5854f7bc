"""The bus is closed: who may connect, publish, subscribe and manage streams, tried as an attacker would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import msgspec
import nats
import nats.errors
import nats.js.errors
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient, rpc_subject
from shared.bus.streams import event_stream
from shared.contracts.accounts import (
    MAIL_ADDRESS,
    PSEUDONYM,
    MailAddressRequest,
    MemberView,
    PseudonymRequest,
    RegisterRequest,
)
from shared.settings import Settings
from shared.testing.plugin import Servers, eventually

pytestmark = pytest.mark.integration


class Probe:
    """A connection as one bus user, with the errors the server sent it."""

    def __init__(self, nc: Client, errors: list[str]) -> None:
        self.nc = nc
        self.errors = errors

    async def refused(self) -> bool:
        """Whether the server answered with a permissions violation (its error arrives on its own)."""
        await self.nc.flush(timeout=2)

        async def said() -> bool:
            return any("permissions violation" in e.lower() for e in self.errors)

        try:
            return await eventually(said, timeout=3)
        except AssertionError:
            return False


@asynccontextmanager
async def as_user(servers: Servers, user: str) -> AsyncIterator[Probe]:
    errors: list[str] = []

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc))

    url = servers.nats_url_for(user)
    inbox = f"_INBOX_{user}"
    nc = await nats.connect(url, error_cb=on_error, inbox_prefix=inbox, allow_reconnect=False)
    try:
        yield Probe(nc, errors)
    finally:
        await nc.close()


@asynccontextmanager
async def watching(servers: Servers, subject: str) -> AsyncIterator[list[Msg]]:
    """What arrives on ``subject``, seen by the operator."""
    seen: list[Msg] = []

    async def arrived(msg: Msg) -> None:
        seen.append(msg)

    nc = await nats.connect(servers.nats_url)
    try:
        await nc.subscribe(subject, cb=arrived)
        await nc.flush()
        yield seen
    finally:
        await nc.close()


async def _register(settings: Settings, name: str) -> MemberView:
    nc = await connect(settings.servers()[1], name="test")
    try:
        req = RegisterRequest(pseudonym=name, email=f"{name.lower()}@example.org", password="a long enough password")
        return await ServiceClient(nc, settings.nats_prefix).call("accounts", "register", req, MemberView)
    finally:
        await nc.close()


async def _handshake(host: str, port: int, connect: dict[str, object]) -> bytes:
    """Speak the NATS protocol by hand: what the server answers a CONNECT and a PING."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        await reader.readline()  # INFO
        writer.write(b"CONNECT " + msgspec.json.encode({"verbose": False, **connect}) + b"\r\nPING\r\n")
        await writer.drain()
        return await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()
        await writer.wait_closed()


async def test_nothing_connects_without_credentials_or_with_wrong_ones(sw_servers: Servers) -> None:
    url = urlsplit(sw_servers.nats_url)
    host, port = url.hostname or "", url.port or 0
    assert b"Authorization Violation" in await _handshake(host, port, {})
    assert b"Authorization Violation" in await _handshake(host, port, {"user": "web", "pass": "wrong"})
    assert b"Authorization Violation" in await _handshake(host, port, {"user": "nobody", "pass": ""})
    assert await _handshake(host, port, {"user": url.username, "pass": url.password}) == b"PONG\r\n"


async def test_web_cannot_publish_events_or_read_what_is_not_its_own(
    sw_servers: Servers, settings: Settings, system: object
) -> None:
    forged = f"{settings.nats_prefix}.accounts.events.accounts.member_registered.v1"
    async with (
        watching(sw_servers, f"{settings.nats_prefix}.accounts.events.>") as seen,
        as_user(sw_servers, "web") as web,
    ):
        await web.nc.publish(forged, b'{"type": "accounts.member_registered.v1"}')
        assert await web.refused()
        assert seen == []
    for subject in (">", "_INBOX.>", "_INBOX_journal.>", f"{settings.nats_prefix}.svc.journal.>", "$JS.API.>"):
        async with as_user(sw_servers, "web") as web:
            await web.nc.subscribe(subject)
            assert await web.refused(), subject
    async with as_user(sw_servers, "web") as web:
        with pytest.raises((nats.errors.TimeoutError, nats.js.errors.Error)):
            await web.nc.jetstream(timeout=2).delete_stream(event_stream(settings.nats_prefix, "accounts").name)


async def test_web_follows_exactly_the_inbox_changes_of_notifications(
    sw_servers: Servers, settings: Settings, system: object
) -> None:
    """Live pages hear that an inbox changed; nothing else of notifications reaches web."""
    events = f"{settings.nats_prefix}.notifications.events"
    async with as_user(sw_servers, "web") as web:
        await web.nc.subscribe(f"{events}.notifications.inbox_changed.v1")
        assert not await web.refused()
    for subject in (f"{events}.>", f"{events}.notifications.item_noted.v1", f"{events}.*"):
        async with as_user(sw_servers, "web") as web:
            await web.nc.subscribe(subject)
            assert await web.refused(), subject


async def test_another_clients_replies_stay_private(sw_servers: Servers, settings: Settings, system: object) -> None:
    """A reply goes to the caller's own inbox prefix; no other user may subscribe to it."""
    async with as_user(sw_servers, "journal") as journal:
        await journal.nc.subscribe("_INBOX_web.>")
        assert await journal.refused()
    async with as_user(sw_servers, "web") as web:  # web still gets its own replies
        view = await ServiceClient(web.nc, settings.nats_prefix).call(
            "accounts", "register",
            RegisterRequest(pseudonym="Robin", email="robin@example.org", password="a long enough password"),
            MemberView,
        )  # fmt: skip
        assert view.pseudonym == "Robin" and not web.errors


async def test_a_service_cannot_call_verbs_it_does_not_need_or_forge_events(
    sw_servers: Servers, settings: Settings, system: object
) -> None:
    prefix = settings.nats_prefix
    async with as_user(sw_servers, "journal") as journal:
        with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
            await journal.nc.request(rpc_subject(prefix, "accounts", "grant_role"), b"{}", timeout=1)
        assert await journal.refused()
    async with watching(sw_servers, f"{prefix}.stories.events.>") as seen, as_user(sw_servers, "journal") as journal:
        await journal.nc.publish(f"{prefix}.stories.events.stories.post_approved.v1", b"{}")
        assert await journal.refused()
        assert seen == []


async def test_no_service_can_delete_or_purge_stream_messages(
    sw_servers: Servers, settings: Settings, system: object
) -> None:
    await _register(settings, "Robin")
    stream = event_stream(settings.nats_prefix, "accounts").name
    operator = await nats.connect(sw_servers.nats_url)
    try:
        js = operator.jetstream()

        async def published() -> int:
            return (await js.stream_info(stream)).state.messages

        before = await eventually(published)
        for user in ("accounts", "journal", "stories", "notifications", "web"):
            async with as_user(sw_servers, user) as probe:
                theirs = probe.nc.jetstream(timeout=1)
                with pytest.raises((nats.errors.TimeoutError, nats.js.errors.Error)):
                    await theirs.delete_msg(stream, 1)
                with pytest.raises((nats.errors.TimeoutError, nats.js.errors.Error)):
                    await theirs.purge_stream(stream)
        await asyncio.sleep(0.1)
        assert await published() == before
        first = await js.get_msg(stream, 1)
        assert msgspec.json.decode(first.data or b"{}")  # still there, still readable
    finally:
        await operator.close()


async def test_only_notifications_may_ask_for_a_members_mail_address(
    sw_servers: Servers, settings: Settings, system: object
) -> None:
    prefix = settings.nats_prefix
    member = await _register(settings, "Robin")
    body = msgspec.json.encode(MailAddressRequest(member_id=member.member_id))
    for user in ("web", "journal", "stories"):
        async with as_user(sw_servers, user) as probe:
            with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
                await probe.nc.request(rpc_subject(prefix, "accounts", "mail_address"), body, timeout=1)
            assert await probe.refused(), user
    async with as_user(sw_servers, "notifications") as notifications:
        view = await ServiceClient(notifications.nc, prefix).ask(
            MAIL_ADDRESS, MailAddressRequest(member_id=member.member_id)
        )
        assert view.member_id == member.member_id and view.email is None  # not confirmed yet
        assert not notifications.errors


async def test_web_may_not_ask_for_a_pseudonym_by_member_id(
    sw_servers: Servers, settings: Settings, system: object
) -> None:
    prefix = settings.nats_prefix
    member = await _register(settings, "Sasha")
    body = msgspec.json.encode(PseudonymRequest(member_id=member.member_id))
    async with as_user(sw_servers, "web") as probe:
        with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
            await probe.nc.request(rpc_subject(prefix, "accounts", "pseudonym"), body, timeout=1)
        assert await probe.refused()
    for user in ("journal", "stories", "notifications"):
        async with as_user(sw_servers, user) as service:
            view = await ServiceClient(service.nc, prefix).ask(PSEUDONYM, PseudonymRequest(member_id=member.member_id))
            assert view.pseudonym == "Sasha", user
            gone = await ServiceClient(service.nc, prefix).ask(PSEUDONYM, PseudonymRequest(member_id=uuid.uuid4()))
            assert gone.pseudonym is None
