"""The event fan-out: what each connected client hears, and through which group.

Groups: `user.<id>` (every connection of one user) and `staff` (every staff connection).
A ticket's events go to its customer's group and to `staff`; an internal note only to `staff`;
a notification only to its recipient. So a customer's socket never carries another customer's
data or an internal note, without any per-ticket subscription to check.
Call these after the commit (services use `transaction.on_commit`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import Future
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from redis.exceptions import RedisError

from desk.core.breaker import channel_breaker

logger = logging.getLogger(__name__)

STAFF_GROUP = "staff"
# How long a caller that must know an event went out (sessions_ended) waits for it.
DELIVERY_WAIT_SECONDS = 3.0


def user_group(user_id: Any) -> str:
    return f"user.{user_id}"


class _Sender:
    """Sends to a network channel layer (Redis) from one long-lived event loop per process.

    `async_to_sync` per event would start an event loop, and with it new Redis connections, for
    every send; this loop keeps its connections, and its one worker sends events in the order
    they were published, off the request's path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[tuple[Any, str, dict[str, Any], Future[None] | None]] | None = None

    def submit(self, layer: Any, group: str, message: dict[str, Any], *, wait: bool = False) -> None:
        loop, queue = self._started()
        done: Future[None] | None = Future() if wait else None
        loop.call_soon_threadsafe(queue.put_nowait, (layer, group, message, done))
        if done is not None:
            try:
                done.result(timeout=DELIVERY_WAIT_SECONDS)
            except TimeoutError:
                logger.warning(
                    "Publishing %s to %s is taking over %.0f s.", message.get("type"), group, DELIVERY_WAIT_SECONDS
                )

    def _started(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]]:
        with self._lock:
            # A forked server worker starts its own loop: threads do not survive a fork.
            if self._pid != os.getpid() or self._loop is None or self._queue is None:
                loop = asyncio.new_event_loop()
                queue: asyncio.Queue[Any] = asyncio.Queue()
                thread = threading.Thread(target=self._run, args=(loop, queue), name="live-updates", daemon=True)
                thread.start()
                self._pid, self._loop, self._queue = os.getpid(), loop, queue
            return self._loop, self._queue

    @staticmethod
    def _run(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[Any]) -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(_Sender._work(queue))

    @staticmethod
    async def _work(queue: asyncio.Queue[Any]) -> None:
        while True:
            layer, group, message, done = await queue.get()
            try:
                await layer.group_send(group, message)
            except (OSError, RedisError) as exc:  # the layer is unreachable: skip it for a while
                logger.warning("Could not publish %s to %s: %s", message["event"].get("type"), group, exc)
                channel_breaker.failed()
            except Exception:  # any other failure loses this one event, never the request
                logger.warning("Could not publish %s to %s", message["event"].get("type"), group, exc_info=True)
            finally:
                if done is not None:
                    done.set_result(None)


_sender = _Sender()


def _send(groups: list[str], event: dict[str, Any], *, wait: bool = False) -> None:
    """Publish `event` to each group. With a network layer (Redis) the event goes out in the
    background, in order; `wait` blocks until it has. The in-memory layer (embedded mode, one
    process) is called directly."""
    layer = get_channel_layer()
    if layer is None:
        return
    for group in groups:
        if not channel_breaker.allow():
            return
        message = {"type": "desk.event", "event": event}
        if not isinstance(layer, InMemoryChannelLayer):
            _sender.submit(layer, group, message, wait=wait)
            continue
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:  # losing one live event never fails the request
            logger.warning("Could not publish %s to %s", event.get("type"), group, exc_info=True)


def message_created(message: Any, attachments: list[Any] | None = None) -> None:
    """The message with its sender and attachments (given, or prefetched on the message)."""
    from desk.support.apis import message_data

    event = {"type": "message.created", "ticket": str(message.ticket_id), "message": message_data(message, attachments)}
    groups = [STAFF_GROUP] if message.is_internal else [STAFF_GROUP, user_group(message.ticket.customer_id)]
    _send(groups, event)


def ticket_updated(ticket: Any) -> None:
    event = {
        "type": "ticket.updated",
        "ticket": {
            "id": str(ticket.pk),
            "title": ticket.title,
            "status": ticket.status,
            "priority": ticket.priority,
            "category": ticket.category,
            "escalated": ticket.escalated,
            "assigned_agent": str(ticket.assigned_agent_id) if ticket.assigned_agent_id else None,
            "updated_at": ticket.updated_at.isoformat(),
        },
    }
    _send([STAFF_GROUP, user_group(ticket.customer_id)], event)


def _notification(notification: Any) -> dict[str, Any]:
    return {
        "id": str(notification.pk),
        "kind": notification.kind,
        "text": notification.text,
        "ticket": str(notification.ticket_id) if notification.ticket_id else None,
        "ticket_title": notification.ticket.title if notification.ticket_id else None,
        "created_at": notification.created_at.isoformat(),
        "read_at": None,
    }


def notifications_created(notifications: list[Any], *, all_staff: bool = False) -> None:
    """One notice to many people: a single message to the staff group when every recipient is
    staff (each connection keeps only its own part), otherwise one message per recipient."""
    if all_staff and len(notifications) > 1:
        by_recipient = {str(n.recipient_id): _notification(n) for n in notifications}
        _send([STAFF_GROUP], {"type": "notification.created", "for": by_recipient})
        return
    for notification in notifications:
        _send(
            [user_group(notification.recipient_id)],
            {"type": "notification.created", "notification": _notification(notification)},
        )


def sessions_ended(user_id: Any) -> None:
    """Close every live connection of a user whose sessions were ended (password change, new
    role, deactivation), so a socket opened with the old rights hears nothing more."""
    _send([user_group(user_id)], {"type": "session.ended"}, wait=True)  # before the new session connects
