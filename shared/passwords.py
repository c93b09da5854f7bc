"""Generated passwords, kept in a file only its owner may read (the embedded servers' users)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, which only its owner may read (made so before anything is in it)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(text)


class PasswordFile:
    """One password per name, made once and kept; ``load`` adds what is missing."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, names: Iterable[str]) -> dict[str, str]:
        known: dict[str, str] = json.loads(self.path.read_text()) if self.path.exists() else {}
        wanted = {**known, **{name: known.get(name) or secrets.token_urlsafe(32) for name in names}}
        if wanted != known:
            write_private(self.path, json.dumps(wanted, indent=1, sort_keys=True))
        return wanted
