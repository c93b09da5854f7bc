"""Limits and vocabularies are named once, in the contracts: the wire types, the HTTP schemas, the
domain's messages and the pages take them from there, so a change is made in one place."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import msgspec
import pytest

from shared.contracts import journal as j
from shared.contracts import moderation as mc
from shared.contracts import stories as st
from shared.contracts import supporters as sup
from shared.contracts import vocabulary as v
from web.api import journal_schemas as jh
from web.api import stories_schemas as sh

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
# A number written where a limit is declared: max_length=2000, le=5, maxlength="500" ...
SPELLED = re.compile(r"""(?:max_length|min_length|\ble|\bge)=\d{2,}|maxlength=["']\d""")


def test_every_vocabulary_has_a_label_for_each_word_and_no_other() -> None:
    for kind, labels in v.LABELLED:
        assert set(typing.get_args(kind)) == set(labels), kind


def _sources() -> list[Path]:
    """Where limits are used; the edge's own limits (``web/api/limits.py``) are declared there once."""
    web = ROOT / "web"
    used = [*web.rglob("*.py"), *web.rglob("*.j2"), *(ROOT / "services").rglob("*.py")]
    return [path for path in used if path != web / "api" / "limits.py"]


def test_no_limit_is_spelled_as_a_number_outside_the_contracts() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _sources()
        for match in SPELLED.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def _max_length(struct: type[msgspec.Struct], field: str) -> int | None:
    info = msgspec.inspect.type_info(struct)
    assert isinstance(info, msgspec.inspect.StructType)
    (found,) = (f for f in info.fields if f.name == field)
    kind = found.type
    return getattr(kind, "max_length", None)


@pytest.mark.parametrize(
    ("http", "wire", "field"),
    [
        (jh.EntryBody, j.EntryFields, "text"), (jh.EntryBody, j.EntryFields, "helped"),
        (jh.EntryBody, j.EntryFields, "themes"), (jh.TextBody, j.NoteRequest, "text"),
        (jh.ObservationBody, j.ObserveRequest, "text"), (jh.StartForBody, sup.StartForRequest, "for_name"),
        (jh.ClaimBody, sup.ClaimRequest, "code"), (jh.InviteBody, sup.InviteRequest, "pseudonym"),
        (sh.StoryBody, st.StoryFields, "title"), (sh.StoryBody, st.StoryFields, "body"),
        (sh.StoryBody, st.StoryFields, "themes"), (sh.StoryBody, st.StoryFields, "warnings"),
        (sh.ReplyBody, st.ReplyRequest, "body"), (sh.ReportBody, st.ReportRequest, "note"),
        (sh.ReachOutBody, mc.ReachOutRequest, "personal"), (sh.TemplateBody, mc.TemplateRequest, "name"),
        (sh.TemplateBody, mc.TemplateRequest, "body"), (sh.AppealBody, st.AppealRequest, "statement"),
        (sh.DecisionBody, mc.ModerateRequest, "guidance"), (sh.AppealDecisionBody, mc.DecideAppealRequest, "note"),
        (sh.PreferencesBody, st.PreferencesRequest, "hide"),
    ],
)  # fmt: skip
def test_the_api_accepts_what_the_wire_accepts(
    http: type[msgspec.Struct], wire: type[msgspec.Struct], field: str
) -> None:
    assert _max_length(http, field) == _max_length(wire, field) is not None
