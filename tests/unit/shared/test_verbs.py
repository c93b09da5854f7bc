"""Every verb a contract declares is served by its service, under its own name, once."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from shared.contracts import accounts, journal, notifications, stories
from shared.contracts.verbs import Verb

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


def _verbs(contract: ModuleType) -> dict[str, Verb[object, object]]:  # type: ignore[type-var]
    return {name: v for name, v in vars(contract).items() if isinstance(v, Verb)}


@pytest.mark.parametrize("contract", [accounts, journal, notifications, stories], ids=lambda c: c.SERVICE)
def test_each_declared_verb_is_served_once_by_its_service(contract: ModuleType) -> None:
    verbs = _verbs(contract)
    assert verbs, "a contract declares its verbs"
    for constant, verb in verbs.items():
        assert verb.service == contract.SERVICE and constant == verb.name.upper()
    served = re.findall(
        r"serves\((?:\w+\.)?([A-Z_]+),", (ROOT / f"services/{contract.SERVICE}/endpoints.py").read_text()
    )
    assert sorted(served) == sorted(verbs), "served and declared verbs differ"
