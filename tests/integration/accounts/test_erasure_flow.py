"""Erasure through the running accounts service, real PostgreSQL and NATS: the published
``accounts.member_erased`` holds ids only and no event names the member in clear; ``smallwins
status`` shows an erasure pending until every other service's erasure event has arrived (published
here as each service would, with its own bus user); and the operator's ``smallwins erase``."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
import pytest_asyncio

from services.accounts.main import SERVICE
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.bus.streams import event_stream, event_subject
from shared.contracts import accounts as acc
from shared.contracts.common import Acting
from shared.contracts.erasure import APPLIED, MEMBER_ERASED
from shared.erasure import erased_stream
from shared.messages import Metadata, RecordedEvent
from shared.settings import Settings
from shared.testing.plugin import Servers, eventually
from smallwins.servers import operator
from smallwins.status import print_status
from tests.conftest import RunningServices, SomeServices

pytestmark = pytest.mark.integration
PASSWORD = "a fine long password"


@pytest.fixture
def accounts_only(some_services: SomeServices) -> RunningServices:
    """The accounts service alone: no other service applies an erasure but the test, as each would."""
    return some_services("accounts")


@pytest_asyncio.fixture
async def client(settings: Settings, accounts_only: RunningServices) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix)
    await nc.close()


async def _join(client: ServiceClient, name: str) -> acc.MemberView:
    email = f"{name.split()[0].lower()}@example.org"
    return await client.ask(acc.REGISTER, acc.RegisterRequest(pseudonym=name, email=email, password=PASSWORD))


async def _accounts_stream(settings: Settings) -> list[tuple[str, bytes]]:
    nc = await connect(settings.servers()[1], name="test-stream")
    try:
        js, name = nc.jetstream(), event_stream(settings.nats_prefix, "accounts").name
        info = await js.stream_info(name)
        found = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
            msg = await js.get_msg(name, seq)
            found.append((msg.subject or "", msg.data or b""))
        return found
    finally:
        await nc.close()


async def _apply_as(service: str, member_id: uuid.UUID, settings: Settings, servers: Servers) -> None:
    """Publish ``service``'s erasure event for the member, as its relay would, with its own bus user."""
    event_type = APPLIED[service]
    body = {"type": event_type, "member_id": str(member_id), "erased_at": dt.datetime.now(dt.UTC).isoformat()}
    recorded = RecordedEvent(
        global_position=1, transaction_id=1, event_id=uuid.uuid4(), stream_id=erased_stream(member_id),
        stream_version=1, event_type=event_type, schema_version=1, data=msgspec.Raw(json.dumps(body).encode()),
        metadata=Metadata(subject_id=member_id), recorded_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    nc = await connect(servers.nats_url_for(service), name=f"test-{service}")
    try:
        subject = event_subject(settings.nats_prefix, service, event_type)
        await nc.jetstream().publish(
            subject, msgspec.json.encode(recorded), headers={"Nats-Msg-Id": str(recorded.event_id)}
        )
    finally:
        await nc.close()


async def _status(settings: Settings, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    await print_status(settings, {"accounts": SERVICE})
    out = capsys.readouterr().out
    return out[out.index("Erasures") : out.index("Parked messages")]


async def test_the_erasure_event_holds_ids_only_and_status_waits_for_every_service(
    client: ServiceClient, settings: Settings, sw_servers: Servers, capsys: pytest.CaptureFixture[str]
) -> None:
    robin = await _join(client, "Robin Marker")
    sam = await _join(client, "Sam")
    asked = await client.ask(
        acc.REQUEST_ERASURE, acc.ErasureRequest(password=PASSWORD), actor=Acting(member_id=sam.member_id)
    )
    done = await client.ask(acc.ERASE_NOW, acc.EraseNowRequest(pseudonym="Robin Marker"), actor=operator())
    assert done.member_id == robin.member_id

    async def published() -> list[tuple[str, bytes]]:
        found = await _accounts_stream(settings)
        return found if any(s.endswith(MEMBER_ERASED) for s, _ in found) else []

    messages = await eventually(published, timeout=15)
    (erased,) = [data for subject, data in messages if subject.endswith(MEMBER_ERASED)]
    event = json.loads(bytes(msgspec.json.decode(erased, type=RecordedEvent).data))
    assert event == {"type": MEMBER_ERASED, "member_id": str(robin.member_id), "erased_at": event["erased_at"]}
    registrations = [
        json.loads(bytes(msgspec.json.decode(data, type=RecordedEvent).data))
        for subject, data in messages
        if subject.endswith(acc.MEMBER_REGISTERED)
    ]
    assert [r["pseudonym"] for r in registrations] == ["", ""]  # sealed with each member's key instead
    assert all(r["pseudonym_sealed"].startswith("v1.") for r in registrations)
    for _, data in messages:  # no event of the stream names the member or their address in clear
        assert b"Robin" not in data and b"robin@example.org" not in data

    section = await _status(settings, capsys)
    assert f"{sam.member_id}" in section and "waiting" in section
    assert f"due {asked.due_at:%Y-%m-%d %H:%M} UTC" in section
    assert f"{robin.member_id}" in section and "not yet applied by journal, stories, notifications" in section

    await _apply_as("journal", robin.member_id, settings, sw_servers)
    await _apply_as("stories", robin.member_id, settings, sw_servers)
    await _apply_as("stories", robin.member_id, settings, sw_servers)  # a second copy changes nothing

    async def only_notifications_left() -> bool:
        return "not yet applied by notifications" in await _status(settings, capsys)

    assert await eventually(only_notifications_left, timeout=15)
    await _apply_as("notifications", robin.member_id, settings, sw_servers)

    async def done_everywhere() -> bool:
        return f"{robin.member_id}" not in await _status(settings, capsys)

    assert await eventually(done_everywhere, timeout=15)
    assert f"{sam.member_id}" in await _status(settings, capsys)  # still waiting for its due time


def _smallwins(
    settings: Settings, servers: Servers, data: Path, *args: str, typed: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ, "SMALLWINS_DATABASE_URL": settings.database_url or "", "SMALLWINS_NATS_URL": servers.nats_url,
        "SMALLWINS_NATS_PREFIX": settings.nats_prefix, "SMALLWINS_SECRET_KEY": settings.secret_key,
        "SMALLWINS_DATA_DIR": str(data), "SMALLWINS_KEY_FILE": str(settings.keys_path),
    }  # fmt: skip
    command = [sys.executable, "-m", "smallwins", *args]
    return subprocess.run(command, input=typed, capture_output=True, text=True, env=env, timeout=60, check=False)


async def test_the_operator_erases_from_the_command_line_after_confirming(
    client: ServiceClient, settings: Settings, sw_servers: Servers, tmp_path: Path
) -> None:
    robin = await _join(client, "Robin")
    nobody = _smallwins(settings, sw_servers, tmp_path, "erase", "Nobody", "--yes")
    assert nobody.returncode == 1 and "No member is called 'Nobody'" in nobody.stderr

    slip = _smallwins(settings, sw_servers, tmp_path, "erase", "Robin", typed="Robn\n")
    assert slip.returncode == 1 and "nobody was erased" in slip.stderr
    assert "no way back" in slip.stdout
    name = await client.ask(acc.PSEUDONYM, acc.PseudonymRequest(member_id=robin.member_id))
    assert name.pseudonym == "Robin"  # nothing changed

    done = _smallwins(settings, sw_servers, tmp_path, "erase", "Robin", typed="Robin\n")
    assert done.returncode == 0, done.stderr
    assert f"Erased Robin (member {robin.member_id})" in done.stdout and "smallwins status" in done.stdout
    gone = await client.ask(acc.PSEUDONYM, acc.PseudonymRequest(member_id=robin.member_id))
    assert gone.pseudonym is None

    again = _smallwins(settings, sw_servers, tmp_path, "erase", "Robin", "--yes")
    assert again.returncode == 1 and "No member is called 'Robin'" in again.stderr
