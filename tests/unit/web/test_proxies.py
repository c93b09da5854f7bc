"""X-Forwarded-For counts only from a trusted proxy, and then names the right-most address that is
not one: a client cannot rotate its address, or take someone else's, by sending the header."""

from __future__ import annotations

import pytest
from litestar import Litestar, Request, get
from litestar.middleware import DefineMiddleware
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from web.proxies import client_address, parse_networks, trusted_client

pytestmark = pytest.mark.unit
PROXIES = parse_networks("10.0.0.1, 192.168.0.0/16, fd00::/8")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  # not a proxy we trust: the header is ignored
        ("10.0.0.2", ["198.51.100.1"], "10.0.0.2"),  # a neighbour of the proxy is not the proxy
        ("10.0.0.1", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.1", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),  # what the client wrote is left of it
        ("10.0.0.1", ["6.6.6.6", "198.51.100.1, 192.168.3.4"], "198.51.100.1"),  # two proxies, two headers
        ("10.0.0.1", ["192.168.3.4"], "192.168.3.4"),  # only proxies: the left-most of them
        ("10.0.0.1", ["2001:db8::7, fd00::1"], "2001:db8::7"),
        ("10.0.0.1", ["198.51.100.1, not-an-address"], "10.0.0.1"),  # garbage the proxy would never write
        ("10.0.0.1", [" 198.51.100.1 "], "198.51.100.1"),
    ],
)
def test_the_client_is_the_right_most_untrusted_hop(peer: str, forwarded: list[str], client: str) -> None:
    assert client_address(peer, forwarded, PROXIES) == client


def test_nothing_trusted_means_the_header_never_counts() -> None:
    assert client_address("10.0.0.1", ["198.51.100.1"], ()) == "10.0.0.1"
    assert parse_networks("") == parse_networks(" , ") == ()


def test_a_bad_setting_stops_the_start_and_names_it() -> None:
    with pytest.raises(ValueError, match="SMALLWINS_TRUSTED_PROXIES"):
        parse_networks("10.0.0.1, proxy.example.org")


@get("/who", sync_to_thread=False)
def _who(request: Request) -> str:  # type: ignore[type-arg]
    return request.client.host if request.client else ""


def _from(peer: str, app: ASGIApp) -> ASGIApp:
    """The app as reached from ``peer`` (the test client always says 'testclient')."""

    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        scope["client"] = (peer, 40000)
        await app(scope, receive, send)

    return asgi


@pytest.mark.parametrize(("trusted", "seen"), [("", "10.0.0.1"), ("10.0.0.1", "198.51.100.1")])
async def test_the_middleware_sets_the_address_handlers_see(trusted: str, seen: str) -> None:
    app = Litestar([_who], middleware=[DefineMiddleware(trusted_client, trusted=parse_networks(trusted))])
    async with AsyncTestClient(app=_from("10.0.0.1", app)) as client:
        response = await client.get("/who", headers={"X-Forwarded-For": "198.51.100.1"})
    assert response.text == seen
