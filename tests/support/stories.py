"""People using the stories service over NATS, as web would send their requests."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID, uuid4

import msgspec

from shared.bus.rpc import ServiceClient
from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.contracts.common import Acting

T = TypeVar("T")
REQUESTS: dict[str, type[msgspec.Struct]] = {
    "submit": s.SubmitRequest, "revise": s.ReviseRequest, "reply": s.ReplyRequest, "withdraw": s.ItemRequest,
    "hide_reply": s.ItemRequest, "appeal": s.AppealRequest, "claim": s.ItemRequest, "moderate": mc.ModerateRequest,
    "decide_appeal": mc.DecideAppealRequest, "report": s.ReportRequest, "encourage": s.EncourageRequest,
    "take_back": s.EncourageRequest, "set_preferences": s.PreferencesRequest, "feed": s.FeedRequest,
    "story": s.StoryRequest, "mine": s.Actor, "preferences": s.Actor, "queue": mc.QueueRequest, "item": s.ItemRequest,
    "audit": mc.AuditRequest, "release": s.ItemRequest, "hold": s.ItemRequest, "reach_out": mc.ReachOutRequest,
    "save_template": mc.TemplateRequest, "messages": s.Actor, "templates": s.Actor, "export": s.Actor,
}  # fmt: skip


class Teller:
    """A member (or moderator) of the peer feed."""

    def __init__(self, client: ServiceClient, name: str, *roles: str, member_id: UUID | None = None) -> None:
        self.client = client
        self.id = member_id or uuid4()
        self.name = name
        self.roles = ("member", *roles)

    async def call(self, verb: str, response: type[T], **fields: Any) -> T:
        try:
            request: Any = msgspec.convert(fields, REQUESTS[verb])
        except msgspec.ValidationError:  # past a limit: sent as it is, for the service to refuse
            request = fields
        actor = Acting(member_id=self.id, pseudonym=self.name, roles=self.roles)
        return await self.client.call(s.SERVICE, verb, request, response, actor=actor)

    async def submit(self, title: str = "A walk", body: str = "I went for a walk today.", **fields: Any) -> s.Posted:
        story = {"title": title, "body": body, **fields.pop("story", {})}
        return await self.call("submit", s.Posted, story=story, **fields)

    async def moderate(self, item: UUID, action: str = "approve", **fields: Any) -> s.Done:
        return await self.call("moderate", s.Done, item_id=item, action=action, **fields)

    async def feed(self, **fields: Any) -> s.FeedView:
        return await self.call("feed", s.FeedView, **fields)

    async def titles(self, **fields: Any) -> list[str]:
        return [i.title for i in (await self.feed(**fields)).items]

    async def queue(self, **fields: Any) -> mc.QueueView:
        return await self.call("queue", mc.QueueView, **fields)
