"""Wrapped data keys are told from plain ones by their length, not by a prefix alone."""

from __future__ import annotations

import os
from pathlib import Path
from uuid import UUID

import pytest

from shared.crypto import KeyFileProblem, KeyRing, is_wrapped, new_key, new_kid, write_key_file

pytestmark = pytest.mark.unit
MEMBER = UUID(int=7)


def test_a_plain_key_that_begins_like_a_wrapped_one_stays_plain(tmp_path: Path) -> None:
    kid = new_kid()
    write_key_file(tmp_path / "keys.json", {kid: new_key()}, kid)
    ring = KeyRing(tmp_path / "keys.json")
    plain = b"W1" + os.urandom(30)  # one plain key in 65,536 begins so
    assert not is_wrapped(plain)
    wrapped = ring.wrap(plain, MEMBER)
    assert is_wrapped(wrapped) and ring.unwrap(wrapped, MEMBER) == plain
    with pytest.raises(KeyFileProblem, match="not wrapped"):
        ring.unwrap(plain, MEMBER)
    with pytest.raises(KeyFileProblem):
        ring.unwrap(wrapped, UUID(int=8))  # bound to its member
