"""Every verb a contract declares is served by its service, under its own name, once."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from shared.contracts import (
    accounts,
    journal,
    moderation,
    notifications,
    notifications_export,
    stories,
    stories_export,
    supporters,
)
from shared.contracts.verbs import Verb

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


CONTRACTS = (
    accounts,
    journal,
    supporters,
    notifications,
    stories,
    moderation,
    stories_export,
    notifications_export,
)  # a service may have several


def _verbs(contract: ModuleType) -> dict[str, Verb[object, object]]:  # type: ignore[type-var]
    """The verbs of ``contract``'s service, from every contract module that names that service."""
    return {
        name: v
        for module in CONTRACTS
        if module.SERVICE == contract.SERVICE
        for name, v in vars(module).items()
        if isinstance(v, Verb)
    }


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
