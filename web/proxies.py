"""The client's address: the peer's, or what a trusted proxy says in ``X-Forwarded-For``.

Anyone can send ``X-Forwarded-For``. It counts only when the direct peer is one of the proxies
the operator named (``SMALLWINS_TRUSTED_PROXIES``); the client is then the right-most address in
it that is not itself a trusted proxy (each proxy appends the address it was reached from, so
everything left of that was written by the client and proves nothing). Sign-in throttling and rate
limits key on the result, so a client can neither rotate its address nor borrow someone else's.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from litestar.types import ASGIApp, Receive, Scope, Send

Network = IPv4Network | IPv6Network
FORWARDED_FOR = b"x-forwarded-for"


def parse_networks(spec: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` as networks; a bad entry stops the start with its name."""
    try:
        return tuple(ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"SMALLWINS_TRUSTED_PROXIES: {exc}") from exc


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address | None, trusted: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in trusted)


def client_address(peer: str, forwarded: list[str], trusted: tuple[Network, ...]) -> str:
    """The client's address, given the direct peer and the ``X-Forwarded-For`` values in order."""
    if not _trusted(_address(peer), trusted):
        return peer
    client = peer
    for hop in reversed([hop for value in forwarded for hop in value.split(",")]):
        address = _address(hop)
        if address is None:  # not an address: nothing a trusted proxy wrote, so stop at the last one
            return client
        client = str(address)
        if not _trusted(address, trusted):
            return client
    return client


def trusted_client(app: ASGIApp, trusted: tuple[Network, ...]) -> ASGIApp:
    """Middleware that puts the client's address in the scope, where ``request.client`` reads it."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if trusted and peer and scope["type"] == "http":  # type: ignore[comparison-overlap]
            forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == FORWARDED_FOR]
            if forwarded:
                scope["client"] = (client_address(peer[0], forwarded, trusted), peer[1])
        await app(scope, receive, send)

    return middleware
