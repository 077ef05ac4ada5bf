"""The websocket endpoint: authenticate, join the user's groups, forward events.

The sign-in middleware in front (config.asgi) puts `credentials` in the scope (`user`,
`expires_at`, `session`) and `authenticate`, which turns a token into credentials. A socket speaks
for its access token until the token expires: the client sends
`{"type": "auth", "token": "<new access token>"}` after each refresh, or the socket closes (4401)
at expiry and the client reconnects with a fresh token. Sign-out closes the session's sockets.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from redis.exceptions import RedisError

from desk.realtime.transport import STAFF_GROUP, session_group, user_group

logger = logging.getLogger(__name__)

# A browser offers its access token as a subprotocol next to ours (the sign-in middleware in front
# of this consumer reads it); the server chooses ours, never echoing the token.
SUBPROTOCOL = "desk"
TOKEN_SUBPROTOCOL_PREFIX = "desk.bearer."  # noqa: S105 - a prefix, not a secret

# Close codes: 4401 = not authenticated (refresh the token); 1013 = try again later.
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_UNAVAILABLE = 1013


class NoSuchEndpointConsumer(AsyncJsonWebsocketConsumer):
    """A handshake on a path with no websocket endpoint: refused (HTTP 403), never an error."""

    async def connect(self) -> None:
        await self.close()


class EventsConsumer(AsyncJsonWebsocketConsumer):
    groups_joined: list[str]
    session_ended = False
    expiry: asyncio.Task[None] | None = None

    async def _accept(self) -> None:
        # A browser that offered the token as a subprotocol needs one chosen back: ours, never
        # the token.
        offered = self.scope.get("subprotocols") or []
        await self.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)

    def _groups_for(self, credentials: Any) -> list[str]:
        user = credentials.user
        groups = [user_group(user.pk)] + ([STAFF_GROUP] if user.is_staff else [])
        return groups + ([session_group(credentials.session)] if credentials.session else [])

    async def connect(self) -> None:
        credentials = self.scope.get("credentials")
        self.groups_joined = []
        if credentials is None or not credentials.user.is_authenticated:
            # Accept, then close: a browser sees the 4401 (a refused handshake shows only as 1006)
            # and knows to refresh its token.
            await self._accept()
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        groups = self._groups_for(credentials)
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.append(group)
        except (OSError, RedisError, TimeoutError):
            # The channel layer is unreachable: the client falls back to polling and retries.
            logger.warning("Live updates unavailable: could not join %s.", groups, exc_info=True)
            await self._accept()
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        await self._accept()
        self._expire_at(credentials.expires_at)
        await self.send_json({"type": "hello", "user": str(credentials.user.pk)})

    def _expire_at(self, expires_at: float) -> None:
        if self.expiry is not None:
            self.expiry.cancel()
        self.expiry = asyncio.ensure_future(self._close_at(expires_at))

    async def _close_at(self, expires_at: float) -> None:
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        await self._end_session()

    async def _end_session(self) -> None:
        """Close (4401): the client must sign in again, or refresh its token and reconnect."""
        if self.session_ended:
            return
        self.session_ended = True
        await self._leave()
        await self.close(code=CLOSE_NOT_AUTHENTICATED)

    async def _leave(self) -> None:
        for group in self.groups_joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except (OSError, RedisError, TimeoutError):  # the membership expires on its own
                logger.warning("Could not leave %s.", group, exc_info=True)
        self.groups_joined = []

    async def disconnect(self, code: int) -> None:
        if self.expiry is not None and self.expiry is not asyncio.current_task():
            self.expiry.cancel()
        await self._leave()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or self.session_ended:
            return
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        elif content.get("type") == "auth":
            await self._reauthenticate(content.get("token"))

    async def _reauthenticate(self, raw: Any) -> None:
        """A fresh access token for the same user keeps the socket open until it expires; any
        other token closes it."""
        authenticate = self.scope.get("authenticate")
        credentials = await authenticate(raw) if authenticate and isinstance(raw, str) and raw else None
        if credentials is None or not credentials.user.is_authenticated or credentials.user.pk != self.scope["user"].pk:
            await self._end_session()
            return
        wanted = self._groups_for(credentials)
        for group in [group for group in self.groups_joined if group not in wanted]:
            await self.channel_layer.group_discard(group, self.channel_name)
        for group in [group for group in wanted if group not in self.groups_joined]:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = wanted
        self.scope["credentials"] = credentials
        self._expire_at(credentials.expires_at)
        await self.send_json({"type": "auth.ok"})

    async def desk_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if self.session_ended:  # closing: events already queued for this connection go nowhere
            return
        if event.get("type") == "session.ended":  # the user's rights changed: sign in again
            await self._end_session()
            return
        if "for" in event:  # addressed to several staff at once: pass on only this user's part
            own = event["for"].get(str(self.scope["user"].pk))
            if own is None:
                return
            event = {"type": event["type"], "notification": own}
        await self.send_json(event)
