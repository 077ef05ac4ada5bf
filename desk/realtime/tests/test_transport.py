"""Sending to the Redis channel layer: from one background loop per process, in order."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers

from conftest import need_redis
from desk.realtime import transport


def listener_layer() -> Any:
    """A channel layer of the listener's own: the process's shared one may be receiving on
    another event loop still (the browser tests' live server, while its last sockets close), and
    one layer receives on one loop at a time."""
    return channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)


def in_own_loop(scenario: Callable[[], Awaitable[Any]]) -> Any:
    """Run `scenario` on an event loop of its own, in a thread of its own (whatever the test
    thread's state), the way a websocket consumer would listen."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(asyncio.run, scenario()).result(timeout=15)
    finally:  # a scenario that hangs fails the test; it does not hang the run
        pool.shutdown(wait=False, cancel_futures=True)


def test_events_reach_redis_in_the_order_they_were_published() -> None:
    need_redis()
    layer = listener_layer()
    group = f"user.order-{threading.get_ident()}"

    async def listen_while_publishing() -> list[int]:
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        try:
            for number in range(30):
                transport.send([group], {"type": "test.event", "number": number})
            return [(await asyncio.wait_for(layer.receive(channel), 10))["event"]["number"] for _ in range(30)]
        finally:
            await layer.group_discard(group, channel)

    assert in_own_loop(listen_while_publishing) == list(range(30))


def test_an_idle_listener_keeps_listening_past_the_blocking_pop() -> None:
    """Redis answers a listener's blocking pop with "nothing" every few seconds; the connection's
    read timeout must outlast that, or every quiet websocket would fail after 5 s."""
    need_redis()
    layer = listener_layer()
    quiet_for = layer.brpop_timeout + 2

    async def listen_to_silence() -> str:
        channel = await layer.new_channel()
        try:
            await asyncio.wait_for(layer.receive(channel), timeout=quiet_for)
        except TimeoutError:
            return "still listening"
        return "received"

    assert in_own_loop(listen_to_silence) == "still listening"


def test_one_sender_loop_serves_every_publish_in_a_process() -> None:
    need_redis()
    group = f"user.loop-{threading.get_ident()}"
    transport.send([group], {"type": "test.event"})
    first = transport._sender._started()
    transport.send([group], {"type": "test.event"})
    transport.send([group], {"type": "session.ended"}, wait=True)  # waits for its delivery
    assert transport._sender._started() == first
    assert [t.name for t in threading.enumerate()].count("live-updates") == 1
