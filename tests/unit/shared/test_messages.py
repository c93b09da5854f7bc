"""Every event has a stable, unique, versioned tag; settings and crypto behave."""

from __future__ import annotations

import re
from pathlib import Path
from uuid import UUID

import pytest

from services.accounts.events import REGISTRY as ACCOUNTS
from services.notifications.events import REGISTRY as NOTIFICATIONS
from shared.crypto import blind_index, new_key, open_sealed, seal
from shared.messages import Event, EventRegistry, schema_version_of
from shared.settings import Settings

pytestmark = pytest.mark.unit

TAG = re.compile(r"^(?P<service>[a-z]+)\.[a-z_]+\.v[0-9]+$")


@pytest.mark.parametrize(("service", "registry"), [("accounts", ACCOUNTS), ("notifications", NOTIFICATIONS)])
def test_every_tag_is_a_stable_versioned_name_of_its_service(service: str, registry: EventRegistry) -> None:
    assert registry.tags
    for tag in registry.tags:
        match = TAG.match(tag)
        assert match, tag
        assert match["service"] == service


def test_tags_are_unique_across_services() -> None:
    assert not ACCOUNTS.tags & NOTIFICATIONS.tags


def test_a_duplicate_tag_is_refused() -> None:
    class A(Event, tag="x.a.v1", frozen=True, kw_only=True):
        pass

    class B(Event, tag="x.a.v1", frozen=True, kw_only=True):
        pass

    with pytest.raises(ValueError, match="duplicate"):
        EventRegistry([A, B])


def test_schema_version_comes_from_the_tag() -> None:
    assert schema_version_of("accounts.member_registered.v2") == 2
    assert schema_version_of("odd") == 1


def test_settings_come_from_the_environment() -> None:
    s = Settings.from_env(
        {"SMALLWINS_HTTP_PORT": "9001", "SMALLWINS_DATA_DIR": "/srv/sw", "SMALLWINS_COOKIE_SECURE": "true"}
    )
    assert (s.http_port, s.data_dir, s.cookie_secure) == (9001, Path("/srv/sw"), True)
    with pytest.raises(ValueError, match="http_port"):
        Settings.from_env({"SMALLWINS_HTTP_PORT": "eighty"})
    with pytest.raises(ValueError, match="NATS_PREFIX"):
        Settings.from_env({"SMALLWINS_NATS_PREFIX": "Bad.Prefix"})


def test_sealed_text_opens_only_with_its_key_and_member() -> None:
    key, member = new_key(), UUID(int=5)
    token = seal(key, "fern@example.org", member)
    assert "fern" not in token and token.startswith("v1.")
    assert open_sealed(key, token, member) == "fern@example.org"
    with pytest.raises(ValueError, match="does not match"):
        open_sealed(new_key(), token, member)
    with pytest.raises(ValueError, match="does not match"):
        open_sealed(key, token, UUID(int=6))
    assert seal(key, "same", member) != seal(key, "same", member)  # a fresh nonce each time
    assert (
        blind_index("s", "fern@example.org")
        == blind_index("s", "fern@example.org")
        != blind_index("t", "fern@example.org")
    )


def test_private_events_are_told_apart_also_under_a_tag_they_superseded() -> None:
    class Open(Event, tag="x.open.v1", frozen=True, kw_only=True):
        pass

    class Kept(Event, tag="x.kept.v2", frozen=True, kw_only=True):
        pass

    registry = EventRegistry([Open, Kept], private=[Kept])
    registry.register_upcaster("x.kept.v1", Kept, lambda payload: payload)
    assert registry.is_private("x.kept.v2") and registry.is_private("x.kept.v1")
    assert not registry.is_private("x.open.v1") and not registry.is_private("x.unknown.v1")
    with pytest.raises(ValueError, match="not in the registry"):
        EventRegistry([Open], private=[Kept])
