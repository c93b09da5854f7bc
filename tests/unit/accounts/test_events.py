"""Events keep no secrets (ADR 18), and events written before that still read."""

from __future__ import annotations

import msgspec
import pytest

from services.accounts.events import REGISTRY as ACCOUNTS
from services.accounts.events import MemberRegistered, SessionStarted
from services.journal.events import REGISTRY as JOURNAL
from services.notifications.events import REGISTRY as NOTIFICATIONS
from services.stories.events import REGISTRY as STORIES
from shared.messages import EventRegistry

pytestmark = pytest.mark.unit

SECRET_WORDS = ("password", "token", "hash", "secret")


@pytest.mark.parametrize("registry", [ACCOUNTS, JOURNAL, NOTIFICATIONS, STORIES])
def test_a_field_that_names_a_secret_is_only_in_private_events(registry: EventRegistry) -> None:
    for tag in registry.tags:
        event_type = registry._types[tag]
        secret = [f for f in event_type.__struct_fields__ if any(w in f for w in SECRET_WORDS)]
        assert not secret or registry.is_private(tag), f"{tag} carries {secret} and would be published"


def test_no_accounts_event_carries_a_password_or_token_hash() -> None:
    fields = {f for tag in ACCOUNTS.tags for f in ACCOUNTS._types[tag].__struct_fields__}
    assert not fields & {"password", "password_hash", "token", "token_hash"}


def test_a_session_started_before_adr_18_reads_without_its_token_hash_and_stays_home() -> None:
    stored = (
        b'{"type":"accounts.session_started.v1","session_id":"00000000-0000-0000-0000-000000000002",'
        b'"member_id":"00000000-0000-0000-0000-000000000001","token_hash":"abc123",'
        b'"started_at":"2026-03-03T09:30:00Z","expires_at":"2026-04-02T09:30:00Z"}'
    )
    event = ACCOUNTS.decode("accounts.session_started.v1", stored)
    assert isinstance(event, SessionStarted)
    assert b"abc123" not in msgspec.json.encode(event)
    assert ACCOUNTS.is_private("accounts.session_started.v1") and ACCOUNTS.is_private("accounts.session_started.v2")


def test_a_member_registered_before_adr_18_still_reads_and_drops_its_password_hash() -> None:
    stored = (
        b'{"type":"accounts.member_registered.v1","member_id":"00000000-0000-0000-0000-000000000001",'
        b'"pseudonym":"Robin","email_sealed":"v1.x","email_index":"idx","password_hash":"$argon2id$v=19$x",'
        b'"registered_at":"2026-03-03T09:30:00Z"}'
    )
    event = ACCOUNTS.decode("accounts.member_registered.v1", stored)
    assert isinstance(event, MemberRegistered) and event.pseudonym == "Robin"
    assert b"argon2" not in msgspec.json.encode(event)
    assert not ACCOUNTS.is_private("accounts.member_registered.v1")  # other services need it
