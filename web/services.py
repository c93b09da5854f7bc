"""Typed calls from the web edge to the services over NATS."""

from __future__ import annotations

from typing import Any, TypeVar

from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import moderation as mc
from shared.contracts import notification_prefs as notif_prefs
from shared.contracts import notifications as notif
from shared.contracts import stories as st
from shared.contracts import stories_export as stx
from shared.contracts.common import Acting, Empty, HealthView
from shared.contracts.verbs import A, Q, Verb
from shared.errors import Unauthenticated
from web.feedcache import FeedCache, page_key
from web.sessions import SessionCache

T = TypeVar("T")
FEED_PAGE = st.FeedRequest().limit
STORY_READS: frozenset[Verb[Any, Any]] = frozenset(
    {st.FEED, st.STORY, st.MINE, st.PREFERENCES, mc.QUEUE, mc.ITEM, mc.AUDIT, st.MESSAGES, mc.TEMPLATES, stx.EXPORT}
)


def acting(member: acc.MemberView, tz: str = "UTC") -> Acting:
    """Who acts, as this edge vouches for it: the session's member and the roles accounts gave them."""
    return Acting(member_id=member.member_id, pseudonym=member.pseudonym, roles=member.roles, tz=tz[:64])


class Services:
    def __init__(
        self, client: ServiceClient, sessions: SessionCache | None = None, feeds: FeedCache | None = None
    ) -> None:
        self._c = client
        self._sessions = sessions or SessionCache()
        self._feeds = feeds or FeedCache()

    async def register(self, pseudonym: str, email: str, password: str) -> acc.MemberView:
        req = acc.RegisterRequest(pseudonym=pseudonym, email=email, password=password)
        return await self._c.ask(acc.REGISTER, req)

    async def sign_in(self, email: str, password: str, client_ip: str) -> acc.SessionIssued:
        req = acc.SignInRequest(email=email, password=password, client_ip=client_ip)
        return await self._c.ask(acc.SIGN_IN, req)

    async def sign_out(self, token: str) -> None:
        self._sessions.forget_token(token)
        await self._c.ask(acc.SIGN_OUT, acc.TokenRequest(token=token))

    def cached_member(self, token: str) -> acc.MemberView | None:
        return self._sessions.get(token)

    async def member_for(self, token: str) -> acc.MemberView:
        """Who holds this session token; answered from the session cache when it can be."""
        member = self._sessions.get(token)
        if member is None:
            if len(token) > acc.TOKEN_MAX:  # no session token is this long: not signed in
                raise Unauthenticated("Please sign in to continue.")
            member = await self._c.ask(acc.SESSION, acc.TokenRequest(token=token))
            self._sessions.put(token, member)
        return member

    async def accounts(self, verb: Verb[Q, A], request: Q, actor: Acting | None = None) -> A:
        """An accounts verb of the member's own account (settings, links from mail)."""
        return await self._c.ask(verb, request, actor=actor)

    async def request_erasure(self, member: acc.MemberView, request: acc.ErasureRequest) -> acc.ErasureView:
        """Set the member's account to be erased: every session of theirs ends, and this process
        forgets them at once (the others when accounts' event reaches them)."""
        view = await self._c.ask(acc.REQUEST_ERASURE, request, actor=acting(member))
        self._sessions.forget_member(member.member_id)
        return view

    async def inbox(self, member: acc.MemberView, limit: int = notif.PAGE_DEFAULT, cursor: str = "") -> notif.InboxView:
        req = notif.InboxRequest(limit=limit, cursor=cursor)
        return await self._c.ask(notif.INBOX, req, actor=acting(member))

    async def unread(self, member: acc.MemberView) -> int:
        """How many inbox items the member has not read (the header's badge)."""
        return (await self._c.ask(notif.UNREAD, notif.UnreadRequest(), actor=acting(member))).count

    async def inbox_changes(self, member: acc.MemberView, after: int) -> notif.ChangesView:
        """Where the member's inbox is, and what changed in it after position ``after`` (live pages)."""
        return await self._c.ask(notif.CHANGES, notif.ChangesRequest(after=after), actor=acting(member))

    async def unsubscribe(self, request: notif_prefs.UnsubscribeRequest) -> notif_prefs.UnsubscribeView:
        """A one-click unsubscribe link from a mail: nobody signs in, the link's signature speaks."""
        return await self._c.ask(notif.UNSUBSCRIBE, request)

    async def notifications(self, verb: Verb[Q, A], request: Q, member: acc.MemberView) -> A:
        return await self._c.ask(verb, request, actor=acting(member))

    async def journal(self, verb: Verb[Q, A], request: Q, actor: Acting | None) -> A:
        return await self._c.ask(verb, request, actor=actor)

    async def stories(self, verb: Verb[Q, A], request: Q, actor: Acting | None) -> A:
        if verb in STORY_READS:
            return await self._c.ask(verb, request, actor=actor)
        try:
            return await self._c.ask(verb, request, actor=actor)
        finally:  # what this process shows next includes the change, before its event comes round
            self._feeds.changed(actor.member_id if verb is st.SET_PREFERENCES and actor else None)

    async def feed(self, member: acc.MemberView | None, theme: str, cursor: str) -> st.FeedView:
        """A page of the feed, from the feed cache when it can be (web/feedcache.py)."""
        feeds, limit = self._feeds, FEED_PAGE
        who = acting(member) if member is not None else None
        if member is None:  # the stories service alone says whether visitors may read
            key = page_key(True, theme, cursor, limit, st.PreferencesView())
            request = st.FeedRequest(theme=theme, cursor=cursor)
        else:
            prefs = feeds.preferences(member.member_id)
            if prefs is None:
                fetched_in = feeds.generation
                prefs = await self._c.ask(st.PREFERENCES, st.Actor(), actor=who)
                feeds.keep_preferences(member.member_id, prefs, fetched_in)
            key = page_key(False, theme, cursor, limit, prefs)
            request = st.FeedRequest(theme=theme, cursor=cursor)
        view = feeds.page(key)
        if view is None:
            fetched_in = feeds.generation
            view = await self._c.ask(st.FEED, request, actor=who)
            # kept under the warnings the service applied, which may be newer than ours
            feeds.keep_page(page_key(key.visitor, theme, cursor, limit, view), view, fetched_in)
            if member is not None:
                feeds.keep_preferences(member.member_id, st.PreferencesView(hide=view.hide, blur=view.blur), fetched_in)
        return view

    async def health(self, service: str) -> HealthView:
        return await self._c.call(service, "health", Empty(), HealthView)


SERVICES = (acc.SERVICE, "journal", "stories", notif.SERVICE)
FOLLOWED = (acc.SERVICE, st.SERVICE)  # whose events web's caches follow (web/sessions.py, web/feedcache.py)
FOLLOWED_EVENTS = ((notif.SERVICE, notif.INBOX_CHANGED),)  # single events web follows (web/live.py)
