"""The live-update transport: groups, and sending an event to them. It knows no domain.

Every connection joins `user.<id>` (all connections of one user), `session.<sid>` (those of one
sign-in) and, for staff, `staff`. Which group hears an event is decided by the domain that owns
its data (each domain's `events.py`): a customer's socket then never carries another customer's
data or an internal note, without any per-ticket subscription to check. Domains call
`send_on_commit` inside the change's transaction; the event leaves once it commits, never for a
change that rolled back.
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
from django.db import transaction
from redis.exceptions import RedisError

from desk.core.breaker import channel_breaker

logger = logging.getLogger(__name__)

STAFF_GROUP = "staff"
# How long a caller that must know an event went out (`wait=True`) waits for it.
DELIVERY_WAIT_SECONDS = 3.0


def user_group(user_id: Any) -> str:
    return f"user.{user_id}"


def session_group(session: str) -> str:
    """The connections of one session (one sign-in and the tokens rotated from it)."""
    return f"session.{session}"


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


def send(groups: list[str], event: dict[str, Any], *, wait: bool = False) -> None:
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


def send_on_commit(groups: list[str], event: dict[str, Any], *, wait: bool = False) -> None:
    """Send `event` to `groups` once the current transaction commits (at once outside one).
    `wait` blocks the committing thread until the event has gone out."""
    transaction.on_commit(lambda: send(groups, event, wait=wait))
