"""Headers that keep pages safe in a browser, and local-only redirect targets."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from litestar.config.csrf import CSRFConfig
from litestar.types import Message, Scope

from shared.settings import Settings

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_ALWAYS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
_PUBLIC_PREFIXES = ("/static/",)
# Routes that take no form and carry no cookie-borne authority: the JSON API (bearer tokens), the
# health checks, the API reference, the metrics, and one-click unsubscribe (RFC 8058: a mail client
# POSTs it without any cookie; its authority is the signed link, and it acts for nobody signed in).
# Each matches its whole first path segment only.
CSRF_EXEMPT = ("/api", "/health", "/schema", "/metrics", "/unsubscribe")
_API = re.compile(r"^/api(?:/|$)")


def under(prefix: str) -> str:
    """A pattern for ``prefix`` and the paths below it, and nothing else (``/api`` and ``/api/x``,
    not ``/apixyz`` or ``/x/api``). Litestar searches exclusion patterns anywhere in the path."""
    return f"^{re.escape(prefix)}(?:/|$)"


def is_api(path: str) -> bool:
    return _API.match(path) is not None


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name="sw_csrf",
        cookie_httponly=True,
        cookie_secure=settings.cookie_secure,
        exclude=[under(prefix) for prefix in CSRF_EXEMPT],
    )


async def security_headers(message: Message, scope: Scope) -> None:
    """Every response gets the browser protections; everything but static assets is ``no-store``,
    so that a private page or an export is never kept by a browser or a proxy (static files say
    how long they keep themselves, ``web.assets``, and vary by encoding). (A ``before_send``
    hook, so that it also covers answers given before routing, such as a 404.)"""
    if message["type"] != "http.response.start":
        return
    private = not scope["path"].startswith(_PUBLIC_PREFIXES)
    headers = [h for h in message.get("headers", []) if not (private and bytes(h[0]).lower() == b"cache-control")]
    headers += _ALWAYS
    if private:
        headers.append((b"cache-control", b"no-store"))
    elif not any(bytes(h[0]).lower() == b"vary" for h in headers):
        # a cache keeps a static file by its encoding too, also when it went out uncompressed
        headers.append((b"vary", b"Accept-Encoding"))
    message["headers"] = headers


def local_path(target: object, default: str) -> str:
    """``target`` if it is a path on this site (``/journal?page=2``), else ``default``.

    Refuses absolute and scheme-relative URLs (``https://x``, ``//x``, ``/\\x``), other schemes
    (``javascript:``) and control characters, so a link or redirect built from it stays here.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(ch) < 0x20 or ch == "\\" for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
