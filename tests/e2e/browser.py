"""A real web server and Debian's Chromium driven by Playwright, for browser tests."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from litestar import Litestar
from playwright.async_api import Browser, Page, async_playwright

from shared.runtime import free_port
from shared.settings import Settings
from web.app import create_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is missing: `make test` installs Debian's chromium package"
    return path


@asynccontextmanager
async def web_server(settings: Settings, app: Litestar | None = None) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(app or create_app(settings), host="127.0.0.1", port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


async def shoot(page: Page, shots: Path, name: str) -> None:
    """Screenshots of a page at a desktop and a phone width, for people to look at (kept as test
    artifacts); the page must not be wider than either viewport."""
    for width, height in ((1280, 900), (390, 844)):
        await page.set_viewport_size({"width": width, "height": height})
        await page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)  # first: to see a failure
        wide = await page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name} is {wide} px wide at {width} px"


def screenshots_dir(tmp_path: Path) -> Path:
    """Where screenshots go: SMALLWINS_SCREENSHOTS if set (CI keeps it as an artifact), else a temporary folder."""
    shots = Path(os.environ.get("SMALLWINS_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots
