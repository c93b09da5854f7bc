"""Static files named by their content: ``style.css`` is served as ``/static/style.<hash>.css``.

A name that changes whenever the content does can be cached for a year and never asked for again
(``immutable``); a page, which is never cached, always names the current one. The files are few
and small, so they are read once when the app is made and served from memory. The plain name
still answers, for anything that links to it, but must be checked again on each use (ADR 0024).
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

import msgspec
from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

FOR_A_YEAR = "public, max-age=31536000, immutable"
CHECK_EACH_TIME = "no-cache"
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


class Asset(msgspec.Struct, frozen=True, kw_only=True):
    body: bytes
    media_type: str
    hashed: str  # the name it is served under for a year


def hashed_name(name: str, body: bytes) -> str:
    """``style.css`` -> ``style.<first 12 hex digits of its SHA-256>.css``."""
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(body).hexdigest()[:12]
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


class StaticAssets:
    """The files of one folder (not its subfolders), by plain and by hashed name."""

    def __init__(self, directory: Path) -> None:
        self._by_name: dict[str, Asset] = {}
        for path in sorted(p for p in directory.iterdir() if p.is_file()):
            body = path.read_bytes()
            media_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self._by_name[path.name] = Asset(body=body, media_type=media_type, hashed=hashed_name(path.name, body))
        self._by_hash = {asset.hashed: asset for asset in self._by_name.values()}

    def url(self, name: str) -> str:
        """The address a page uses for ``name``; an unknown name is a mistake in a template."""
        return f"/static/{self._by_name[name].hashed}"

    def response(self, name: str) -> Response[bytes]:
        hashed = self._by_hash.get(name)
        asset = hashed or self._by_name.get(name)
        if asset is None:
            raise NotFoundException("There is no such file.")
        cache = FOR_A_YEAR if hashed else CHECK_EACH_TIME
        return Response(asset.body, media_type=asset.media_type, headers={"Cache-Control": cache})


def static_route(assets: StaticAssets) -> HTTPRouteHandler:
    """``GET /static/{name}``: a file by its hashed name (cached for a year) or its plain name."""

    @get("/static/{name:str}", include_in_schema=False, sync_to_thread=False, name="static")
    def static_file(name: FromPath[str]) -> Response[bytes]:
        return assets.response(name)

    return static_file
