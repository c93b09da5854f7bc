"""Schemathesis over the whole OpenAPI, signed in: no 5xx, no undocumented status or content type,
and every response matches its schema. Every new ``/api`` route is covered by this run."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from shared.runtime import free_port
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import count
from web.app import create_app

pytestmark = pytest.mark.e2e
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Signing out would end the token the rest of the run uses; it is tested in the accounts tests.
EXCLUDED = "DELETE /api/sessions/current"


@pytest.fixture
def web_url(settings: Settings, system: object) -> Iterator[str]:
    port = free_port()
    # One member on one address sends thousands of writes: limits this high let the run explore every
    # operation rather than meet 429s (which each write still declares; tests/e2e/test_edge_limits.py).
    roomy = settings.with_(
        signups_per_hour=100_000, address_writes_per_minute=100_000, member_writes_per_minute=100_000
    )
    server = uvicorn.Server(uvicorn.Config(create_app(roomy), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "web did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.mark.timeout(600)
async def test_every_api_operation_holds_to_its_openapi(web_url: str, settings: Settings, tmp_path: Path) -> None:
    async with httpx.AsyncClient(base_url=web_url) as client:
        member = {"pseudonym": "Fuzzy", "email": "fuzzy@example.org", "password": "long enough password"}
        assert (await client.post("/api/members", json=member)).status_code == 201
        signed_in = await client.post("/api/sessions", json={"email": member["email"], "password": member["password"]})
        token = signed_in.json()["token"]

        async def known() -> bool:
            return await count(settings.database_url or "", "SELECT count(*) FROM journal.people") == 1

        await eventually(known)
        # something to act on, so that reads and edits meet real data as well as missing ids
        await client.post(
            "/api/journal/entries",
            json={"kind": "victory", "text": "a first win"},
            headers={"Authorization": f"Bearer {token}"},
        )
    # one worker: hypothesis builds ASTs while it describes strategies, and CPython 3.11's AST
    # constructor can fail spuriously when two threads do that at once (CPython gh-106905)
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{web_url}/schema/openapi.json",
        "--checks", CHECKS, "--header", f"Authorization: Bearer {token}", "--exclude-name", EXCLUDED,
        "--max-examples", os.environ.get("SMALLWINS_FUZZ_EXAMPLES", "25"), "--max-time", "150", "--seed", "20261123",
        "--workers", "1", "--request-timeout", "15", "--no-color", "--suppress-health-check", "all",
        "--report-dir", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=540, check=False, env={**os.environ, "NO_COLOR": "1"}
    )
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
