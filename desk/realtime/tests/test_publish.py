"""Publishing to the Redis channel layer: from one background loop per process, in order."""

from __future__ import annotations

import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from conftest import need_redis
from desk.realtime import publish


def test_events_reach_redis_in_the_order_they_were_published() -> None:
    need_redis()
    layer = get_channel_layer()
    group = f"user.order-{threading.get_ident()}"
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    try:
        for number in range(30):
            publish._send([group], {"type": "test.event", "number": number})

        async def receive_all() -> list[int]:
            return [(await layer.receive(channel))["event"]["number"] for _ in range(30)]

        received = async_to_sync(receive_all)()
    finally:
        async_to_sync(layer.group_discard)(group, channel)
    assert received == list(range(30))


def test_one_sender_loop_serves_every_publish_in_a_process() -> None:
    need_redis()
    group = f"user.loop-{threading.get_ident()}"
    publish._send([group], {"type": "test.event"})
    first = publish._sender._started()
    publish._send([group], {"type": "test.event"})
    publish.sessions_ended("nobody")  # waits for its delivery
    assert publish._sender._started() == first
    assert [t.name for t in threading.enumerate()].count("live-updates") == 1
