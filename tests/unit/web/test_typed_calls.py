"""A page asks a service with a typed request, so mypy refuses a misspelled field, a misspelled
verb, or a request of another verb's type (the issue: "mypy must catch a misspelled field or verb").

Runs mypy on a few lines that call the pages' helper the wrong ways. With the project's mypy cache
warm (``make check`` runs mypy first) it takes well under a second; cold, a few seconds."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from mypy import api

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]

ERROR = re.compile(r"typed_calls_snippet\.py:(\d+): error: (.*)$")
SNIPPET = """
from uuid import UUID

from shared.contracts import journal as j
from shared.contracts import stories as s
from shared.contracts.accounts import MemberView
from web.auth import Req
from web.pages.calls import ask_journal, ask_stories


async def pages(request: Req, member: MemberView, entry_id: UUID) -> None:
    await ask_journal(request, member, j.NOTE, j.NoteRequest(entry_id=entry_id, text="fine"))
    await ask_journal(request, member, j.NOTE, j.NoteRequest(entry_id=entry_id, txt="typo"))  # FIELD
    await ask_journal(request, member, j.NOOTE, j.NoteRequest(entry_id=entry_id, text="x"))  # VERB
    await ask_stories(request, member, s.REPORT, s.ItemRequest(item_id=entry_id))  # MISMATCH
"""


def _mypy(source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[int, str]:
    monkeypatch.chdir(ROOT)  # where mypy finds shared and web
    snippet = tmp_path / "typed_calls_snippet.py"
    snippet.write_text(textwrap.dedent(source))
    out, err, _ = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache"), str(snippet)]
    )
    assert not err, err
    # by the file's name: a warm cache may report the path the same snippet had in an earlier run
    found = (ERROR.search(line) for line in out.splitlines())
    return {int(m.group(1)): m.group(2) for m in found if m}


def test_mypy_refuses_a_misspelled_field_a_misspelled_verb_and_the_wrong_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = textwrap.dedent(SNIPPET).splitlines()
    marked = {tag: n + 1 for n, line in enumerate(lines) for tag in ("FIELD", "VERB", "MISMATCH") if f"# {tag}" in line}
    errors = _mypy(SNIPPET, tmp_path, monkeypatch)
    assert set(errors) == set(marked.values()), errors  # the correct call passes; each wrong one is caught
    assert '"txt"' in errors[marked["FIELD"]]
    assert "NOOTE" in errors[marked["VERB"]]
