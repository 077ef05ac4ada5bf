"""The websocket endpoint: authenticate, join the user's groups, forward events."""

from __future__ import annotations

import logging
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from redis.exceptions import RedisError

from desk.realtime.transport import STAFF_GROUP, user_group

logger = logging.getLogger(__name__)

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

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.groups_joined = []
        if user is None or not user.is_authenticated:
            # Accept, then close: a browser sees the 4401 (a refused handshake shows only as 1006)
            # and knows to refresh its token.
            await self.accept()
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        groups = [user_group(user.pk)] + ([STAFF_GROUP] if user.is_staff else [])
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.groups_joined.append(group)
        except (OSError, RedisError, TimeoutError):
            # The channel layer is unreachable: the client falls back to polling and retries.
            logger.warning("Live updates unavailable: could not join %s.", groups, exc_info=True)
            await self.accept()
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        await self.accept()
        await self.send_json({"type": "hello", "user": str(user.pk)})

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except (OSError, RedisError, TimeoutError):  # the membership expires on its own
                logger.warning("Could not leave %s.", group, exc_info=True)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def desk_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if self.session_ended:  # closing: events already queued for this connection go nowhere
            return
        if event.get("type") == "session.ended":  # the user's rights changed: sign in again
            self.session_ended = True
            await self.disconnect(CLOSE_NOT_AUTHENTICATED)
            self.groups_joined = []
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        if "for" in event:  # addressed to several staff at once: pass on only this user's part
            own = event["for"].get(str(self.scope["user"].pk))
            if own is None:
                return
            event = {"type": event["type"], "notification": own}
        await self.send_json(event)
