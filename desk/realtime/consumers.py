"""The websocket endpoint: authenticate, join the user's groups, forward events."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from desk.realtime.publish import STAFF_GROUP, user_group

# Close codes in the application range: 4401 = not authenticated.
CLOSE_NOT_AUTHENTICATED = 4401


class EventsConsumer(AsyncJsonWebsocketConsumer):
    groups_joined: list[str]
    session_ended = False

    async def connect(self) -> None:
        user = self.scope.get("user")
        self.groups_joined = []
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.groups_joined = [user_group(user.pk)]
        if user.is_staff:
            self.groups_joined.append(STAFF_GROUP)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": str(user.pk)})

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

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
