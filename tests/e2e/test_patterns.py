"""The patterns every service copies: idempotent creates, honest errors, limits at the edge,
safe links and headers, one pseudonym key."""

from __future__ import annotations

import asyncio
import html
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import nats
import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from services.journal.handlers import JournalHandlers
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import CSRF_RE, count, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e
Client = AsyncTestClient  # type: ignore[type-arg]
KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')
PASSWORD = "long enough password"


async def _join(client: Client, settings: Settings, name: str) -> str:
    """Sign up through the API and the pages; returns the API token (the client holds the cookie)."""
    email = f"{uuid.uuid4().hex[:8]}@example.org"
    assert (
        await client.post("/api/members", json={"pseudonym": name, "email": email, "password": PASSWORD})
    ).status_code == 201
    token: str = (await client.post("/api/sessions", json={"email": email, "password": PASSWORD})).json()["token"]
    assert (await post_form(client, "/signin", {"email": email, "password": PASSWORD}, page="/signin")).status_code in (
        301,
        302,
        303,
    )

    async def known() -> bool:
        return (
            await count(settings.database_url or "", f"SELECT count(*) FROM journal.people WHERE pseudonym = '{name}'")
            == 1
        )

    await eventually(known)
    return token


@pytest_asyncio.fixture
async def robin(settings: Settings, system: object) -> AsyncIterator[tuple[Client, dict[str, str]]]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        token = await _join(client, settings, "Robin")
        yield client, {"Authorization": f"Bearer {token}"}


async def _events(settings: Settings) -> int:
    return await count(settings.database_url or "", "SELECT count(*) FROM journal.events")


async def _entries(settings: Settings) -> int:
    return await count(settings.database_url or "", "SELECT count(*) FROM journal.entries")


# --- idempotent creates -------------------------------------------------------------------------


async def test_a_double_submitted_form_stores_one_entry(
    robin: tuple[Client, dict[str, str]], settings: Settings
) -> None:
    client, _ = robin
    page = (await client.get("/journal")).text
    csrf, key = CSRF_RE.search(page), KEY_RE.search(page)
    assert csrf and key
    form = {"_csrf_token": csrf.group(1), "idempotency_key": key.group(1), "kind": "victory", "text": "showered"}
    first = await client.post("/journal/entries", data=form, follow_redirects=False)
    second = await client.post("/journal/entries", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 302 and first.headers["location"] == second.headers["location"]
    assert await _entries(settings) == 1
    other = {**form, "idempotency_key": str(uuid.uuid4()), "text": "made tea"}
    assert (await client.post("/journal/entries", data=other, follow_redirects=False)).status_code == 302
    assert await _entries(settings) == 2
    # a note's form, sent twice, adds one note
    listed = re.search(r'href="/journal\?note=([0-9a-f-]{36})#', (await client.get("/journal")).text)
    assert listed  # "Add a note" opens the note form for one entry
    page = (await client.get(f"/journal?note={listed.group(1)}")).text
    entry_id = re.search(r'action="/journal/entries/([0-9a-f-]{36})/note"', page)
    assert entry_id
    note = {"_csrf_token": csrf.group(1), "idempotency_key": str(uuid.uuid4()), "text": "proud", "back": "/journal"}
    for _ in range(2):
        assert (
            await client.post(f"/journal/entries/{entry_id.group(1)}/note", data=note, follow_redirects=False)
        ).status_code == 302
    assert await count(settings.database_url or "", "SELECT count(*) FROM journal.notes") == 1


async def test_a_retried_api_call_stores_one_thing(robin: tuple[Client, dict[str, str]], settings: Settings) -> None:
    client, auth = robin
    body = {"kind": "victory", "text": "called the therapist"}
    headers = {**auth, "Idempotency-Key": "retry-1"}
    first = await client.post("/api/journal/entries", json=body, headers=headers)
    again = await client.post("/api/journal/entries", json=body, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert await _entries(settings) == 1
    events = await _events(settings)
    # concurrent copies of one request: one entry, every copy told the same id
    racing = {**auth, "Idempotency-Key": "race-1"}
    replies = await asyncio.gather(*(client.post("/api/journal/entries", json=body, headers=racing) for _ in range(6)))
    assert {r.status_code for r in replies} == {201} and len({r.json()["id"] for r in replies}) == 1
    assert await _entries(settings) == 2 and await _events(settings) == events + 1
    # an id made by the client does the same
    entry_id = str(uuid.uuid4())
    for _ in range(2):
        saved = await client.post("/api/journal/entries", json={**body, "id": entry_id}, headers=auth)
        assert saved.status_code == 201 and saved.json()["id"] == entry_id
    assert await _entries(settings) == 3
    # the same key for a different request is a client error, and stores nothing
    reused = await client.post("/api/journal/entries", json={**body, "text": "else"}, headers=headers)
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "idempotency_key"
    assert await _entries(settings) == 3


async def test_start_for_repeated_returns_the_same_journal_and_code(
    robin: tuple[Client, dict[str, str]], settings: Settings
) -> None:
    client, auth = robin
    headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/journal/start-for", json={"for_name": "Jo"}, headers=headers)
    again = await client.post("/api/journal/start-for", json={"for_name": "Jo"}, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert await count(settings.database_url or "", "SELECT count(*) FROM journal.journals WHERE owner_id IS NULL") == 1
    code = first.json()["claim_code"]
    stored = await count(
        settings.database_url or "", f"SELECT count(*) FROM journal.idempotency WHERE reply::text LIKE '%{code}%'"
    )
    assert stored == 0  # the secret code is never kept in plain form


# --- honest errors --------------------------------------------------------------------------------


async def test_acting_on_a_missing_entry_is_a_404(robin: tuple[Client, dict[str, str]], settings: Settings) -> None:
    client, auth = robin
    missing = uuid.uuid4()
    edit = await client.put(
        f"/api/journal/entries/{missing}", json={"kind": "victory", "text": "x", "version": 1}, headers=auth
    )
    assert edit.status_code == 404 and edit.headers["content-type"].startswith("application/problem+json")
    assert edit.json()["status"] == 404
    page = await post_form(
        client, f"/journal/entries/{missing}/edit", {"kind": "victory", "text": "x", "version": "1"}, page="/journal"
    )
    assert page.status_code == 404 and "We couldn't find that" in html.unescape(page.text)
    note = await post_form(client, f"/journal/entries/{missing}/note", {"text": "hi"}, page="/journal")
    assert note.status_code == 404
    assert await _events(settings) == 0


@pytest.fixture
def failing_record(monkeypatch: pytest.MonkeyPatch) -> None:
    async def boom(self: JournalHandlers, req: object, ctx: object) -> object:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(JournalHandlers, "record", boom)


async def test_an_unexpected_handler_error_is_a_calm_500_and_counted(
    failing_record: None, robin: tuple[Client, dict[str, str]], settings: Settings
) -> None:
    client, auth = robin
    page = await post_form(client, "/journal/entries", {"kind": "victory", "text": "walked"}, page="/journal")
    assert page.status_code == 500
    assert "can't tell whether your last action was saved" in html.unescape(page.text) and "Traceback" not in page.text
    api = await client.post("/api/journal/entries", json={"kind": "victory", "text": "walked"}, headers=auth)
    assert api.status_code == 500 and "before you try again" in api.json()["detail"]
    nc = await nats.connect(settings.nats_url or "")
    try:
        reply = await nc.request(f"$SRV.STATS.{settings.nats_prefix}-journal", b"", timeout=2)
    finally:
        await nc.close()
    stats = msgspec.json.decode(reply.data)
    record = next(e for e in stats["endpoints"] if e["name"] == "record")
    assert record["num_errors"] == 2 and "internal" in record["last_error"]


@pytest.fixture
def slow_record(monkeypatch: pytest.MonkeyPatch) -> None:
    async def slow(self: JournalHandlers, req: object, ctx: object) -> object:
        await asyncio.sleep(3)
        raise RuntimeError("too late")

    monkeypatch.setattr(JournalHandlers, "record", slow)


async def test_a_timeout_does_not_pretend_to_know(slow_record: None, settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings.with_(request_timeout=1.0))) as client:
        token = await _join(client, settings, "Sky")
        api = await client.post(
            "/api/journal/entries", json={"kind": "victory", "text": "x"}, headers={"Authorization": f"Bearer {token}"}
        )
    assert api.status_code == 503 and int(api.headers["retry-after"]) > 0
    assert "can't tell whether your last action was saved" in api.json()["detail"]


# --- limits at the edge ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "victory", "text": "x" * 2001}, "text"),
        ({"kind": "victory", "text": "a\u0000b"}, "text"),
        ({"kind": "setback", "text": "ok", "helped": "\u0000"}, "helped"),
        ({"kind": "mood", "mood": 99999999999}, "mood"),
        ({"kind": "victory", "text": "ok", "themes": ["acceptance"] * 6}, "themes"),
    ],
)
async def test_bad_bodies_are_refused_at_the_edge_naming_the_field(
    robin: tuple[Client, dict[str, str]], settings: Settings, body: dict[str, Any], field: str
) -> None:
    client, auth = robin
    response = await client.post("/api/journal/entries", json=body, headers=auth)
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    assert field in {e["field"] for e in response.json()["errors"]}
    assert await _events(settings) == 0


async def test_nul_and_huge_numbers_in_pages_and_queries_are_422(
    robin: tuple[Client, dict[str, str]], settings: Settings
) -> None:
    client, auth = robin
    page = await post_form(client, "/journal/entries", {"kind": "victory", "text": "a\u0000b"}, page="/journal")
    assert page.status_code == 422 and "NUL" in page.text and "text" in page.text
    assert (await client.get("/journal?page=99999999999999999999")).status_code == 422
    assert (await client.get("/journal?theme=a%00")).status_code == 422
    huge = await client.get("/api/journal/?page=99999999999999999999", headers=auth)
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "page"
    assert (await client.get("/api/journal/?kind=%00", headers=auth)).status_code == 422
    assert await _events(settings) == 0


async def test_openapi_tells_the_truth(settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        spec = (await client.get("/schema/openapi.json")).json()
        docs = await client.get("/schema")
    assert all(path.startswith("/api/") for path in spec["paths"])
    schemas = spec["components"]["schemas"]
    entry = next(s for name, s in schemas.items() if name.endswith("NewEntryBody"))
    assert entry["properties"]["text"]["maxLength"] == 2000
    mood = entry["properties"]["mood"]  # an integer or null; the limits hold for the integer
    assert (mood["minimum"], mood["maximum"]) == (1, 5)
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    record = spec["paths"]["/api/journal/entries"]["post"]
    assert {"401", "404", "409", "422", "500", "503"} <= set(record["responses"])
    assert "application/problem+json" in record["responses"]["422"]["content"]
    assert record["security"] == [{"bearer": []}]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in record["parameters"])
    assert docs.status_code == 200 and "/api/journal/entries" in docs.text
    assert not re.search(r"""(src|href)=["']https?://""", docs.text)  # nothing loaded from elsewhere


# --- one pseudonym key ---------------------------------------------------------------------------


async def test_a_decomposed_unicode_pseudonym_is_invited(settings: Settings, system: object) -> None:
    async with (
        AsyncTestClient(app=create_app(settings)) as zoe_client,
        AsyncTestClient(app=create_app(settings)) as client,
    ):
        await _join(zoe_client, settings, "Zo\u00eb")
        token = await _join(client, settings, "Robin")
        invited = await client.post(
            "/api/journal/supporters", json={"pseudonym": "Zoe\u0308", "role": "encourager"},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
    assert invited.status_code == 201, invited.text


# --- safe links and headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "back", ["javascript:alert(1)", "https://elsewhere.example/", "//elsewhere.example/x", "/\\elsewhere.example"]
)
async def test_back_links_stay_local(robin: tuple[Client, dict[str, str]], back: str) -> None:
    client, auth = robin
    saved = (await client.post("/api/journal/entries", json={"kind": "victory", "text": "x"}, headers=auth)).json()
    page = await client.get(f"/journal/entries/{saved['id']}/edit", params={"back": back})
    assert page.status_code == 200
    cancel = re.search(r'<a href="([^"]*)">Cancel</a>', page.text)
    assert cancel and cancel.group(1) == "/journal"
    assert "elsewhere" not in page.text and "javascript:" not in page.text
    moved = await post_form(
        client, f"/journal/entries/{saved['id']}/edit", {"kind": "victory", "text": "y", "version": "1", "back": back},
        page="/journal",
    )  # fmt: skip
    assert moved.status_code in (302, 303) and moved.headers["location"].startswith("/journal")


async def test_security_headers_on_every_page(robin: tuple[Client, dict[str, str]]) -> None:
    client, auth = robin
    for path in (
        "/",
        "/journal",
        "/journal/progress",
        "/journal/supporters",
        "/help",
        "/schema",
        "/nowhere",
        "/api/me",
    ):
        response = await client.get(path, headers=auth if path.startswith("/api") else None)
        csp = response.headers.get("content-security-policy", f"missing on {path}")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"], path
        assert response.headers["cache-control"] == "no-store", path
    page = (await client.get("/journal")).text
    assert "<script>" not in page  # no inline script: the policy would block it


async def test_csv_export_neutralises_formulas(robin: tuple[Client, dict[str, str]]) -> None:
    client, auth = robin
    for text in ('=HYPERLINK("http://x")', "+1+2", "@SUM(A1)", "plain"):
        assert (
            await client.post("/api/journal/entries", json={"kind": "victory", "text": text}, headers=auth)
        ).status_code == 201
    csv = await client.get("/journal/export.csv")
    assert csv.headers["cache-control"] == "no-store"
    assert "'=HYPERLINK" in csv.text and "'+1+2" in csv.text and "'@SUM" in csv.text and ",plain," in csv.text
    assert "\n=" not in csv.text and ",=" not in csv.text


async def test_a_forged_form_key_is_a_422_not_a_failure(
    robin: tuple[Client, dict[str, str]], settings: Settings
) -> None:
    client, _ = robin
    page = await post_form(
        client, "/journal/entries", {"kind": "victory", "text": "ok", "idempotency_key": "k" * 300}, page="/journal"
    )
    assert page.status_code == 422 and "idempotency_key" in page.text
    assert await _events(settings) == 0


@pytest.mark.parametrize("version", ["x", "99999999999999999999"])
async def test_a_bad_version_on_the_edit_page_is_a_422(
    robin: tuple[Client, dict[str, str]], settings: Settings, version: str
) -> None:
    client, auth = robin
    saved = (await client.post("/api/journal/entries", json={"kind": "victory", "text": "x"}, headers=auth)).json()
    events = await _events(settings)
    form = {"kind": "victory", "text": "y", "version": version}
    page = await post_form(client, f"/journal/entries/{saved['id']}/edit", form, page="/journal")
    assert page.status_code == 422 and 'id="error-summary"' in page.text
    assert await _events(settings) == events
