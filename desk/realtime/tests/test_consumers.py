"""Websockets through the real ASGI application and channel layer (in-memory by default, Redis
when REDIS_URL is set): authentication, who hears what, and no leaks across customers."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from conftest import client_for, token_for
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support import services

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(user=None, token: str | None = None) -> WebsocketCommunicator:
    if user is not None:
        token = token_for(user)
    communicator = WebsocketCommunicator(
        application, "/ws/", subprotocols=["desk", f"desk.bearer.{token}"] if token else None
    )
    connected, _ = await communicator.connect(timeout=5)
    assert connected, "the handshake is always accepted; refusals come as a close code"
    first = await communicator.receive_output(timeout=5)
    if first["type"] == "websocket.close":
        communicator.close_code = first["code"]
    else:
        assert first["type"] == "websocket.send" and '"hello"' in first["text"]
        communicator.close_code = None
    return communicator


async def collect(communicator: WebsocketCommunicator, *kinds: str, timeout: float = 3) -> dict[str, dict]:
    """Receive until one event of each kind has arrived; returns the first of each."""
    seen: dict[str, dict] = {}
    while not set(kinds) <= set(seen):
        event = await communicator.receive_json_from(timeout=timeout)
        seen.setdefault(event["type"], event)
    return seen


async def next_of_type(communicator: WebsocketCommunicator, kind: str, timeout: float = 3) -> dict:
    return (await collect(communicator, kind, timeout=timeout))[kind]


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


def test_anonymous_and_bad_tokens_are_refused():
    async def scenario():
        for token in (None, "garbage", "a.b.c"):
            communicator = await connect(token=token)
            assert communicator.close_code == 4401

    run(scenario)


def test_customer_hears_staff_reply_on_their_ticket_but_not_internal_notes():
    customer, agent = CustomerFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Live", message_text="Hi", category="general")

    async def scenario():
        socket = await connect(customer)
        await database_sync_to_async(services.message_post)(
            ticket=ticket, sender=agent, message_text="internal only", is_internal=True
        )
        await database_sync_to_async(services.message_post)(ticket=ticket, sender=agent, message_text="public reply")
        events = await collect(socket, "message.created", "notification.created")
        event = events["message.created"]
        assert event["ticket"] == str(ticket.pk)
        assert event["message"]["message_text"] == "public reply"
        assert event["message"]["is_internal"] is False
        assert events["notification.created"]["notification"]["kind"] == "staff_reply"
        # Drain what is left: nothing may carry the internal note.
        while not await socket.receive_nothing(timeout=0.3):
            leftover = await socket.receive_json_from()
            assert "internal only" not in str(leftover)
        await socket.disconnect()

    run(scenario)


def test_staff_hear_internal_notes_and_ticket_updates():
    customer, agent, other_agent = CustomerFactory(), AgentFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Live", message_text="Hi", category="general")

    async def scenario():
        socket = await connect(other_agent)
        await database_sync_to_async(services.message_post)(
            ticket=ticket, sender=agent, message_text="a note", is_internal=True
        )
        event = await next_of_type(socket, "message.created")
        assert event["message"]["is_internal"] is True
        await database_sync_to_async(services.ticket_update)(ticket=ticket, actor=agent, changes={"priority": "urgent"})
        update = await next_of_type(socket, "ticket.updated")
        assert update["ticket"]["id"] == str(ticket.pk)
        assert update["ticket"]["priority"] == "urgent"
        await socket.disconnect()

    run(scenario)


def test_no_events_cross_customers():
    customer, other, agent = CustomerFactory(), CustomerFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Private", message_text="Hi", category="general")

    async def scenario():
        socket = await connect(other)
        await database_sync_to_async(services.message_post)(ticket=ticket, sender=agent, message_text="for Carol")
        await database_sync_to_async(services.ticket_update)(ticket=ticket, actor=agent, changes={"status": "resolved"})
        await database_sync_to_async(services.ticket_escalate)(ticket=ticket, actor=agent, reason="why")
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()

    run(scenario)


def test_ping_is_answered():
    customer = CustomerFactory()

    async def scenario():
        socket = await connect(customer)
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
        await socket.disconnect()

    run(scenario)


def test_a_notice_to_all_staff_reaches_each_agent_once_and_no_customer():
    customer, alice, bob = CustomerFactory(), AgentFactory(), AgentFactory()

    async def scenario():
        sockets = {name: await connect(user) for name, user in (("alice", alice), ("bob", bob), ("customer", customer))}
        await database_sync_to_async(services.ticket_create)(
            actor=customer, title="For everyone", message_text="Hi", category="general"
        )
        for name in ("alice", "bob"):
            event = await next_of_type(sockets[name], "notification.created")
            assert event["notification"]["kind"] == "ticket_created"
            assert "for" not in event  # only the agent's own part
        # The customer's socket carries no staff notification.
        while not await sockets["customer"].receive_nothing(timeout=0.3):
            assert (await sockets["customer"].receive_json_from())["type"] != "notification.created"
        for socket in sockets.values():
            await socket.disconnect()

    run(scenario)


def test_a_reply_that_moves_the_ticket_also_sends_the_ticket_update():
    customer, agent = CustomerFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Moves", message_text="Hi", category="general")

    async def scenario():
        socket = await connect(customer)
        await database_sync_to_async(services.message_post)(ticket=ticket, sender=agent, message_text="On it")
        update = await next_of_type(socket, "ticket.updated")
        assert update["ticket"]["status"] == "in_progress"
        await socket.disconnect()

    run(scenario)


def test_notifications_carry_the_ticket_title():
    customer, agent = CustomerFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Titled", message_text="Hi", category="general")

    async def scenario():
        socket = await connect(customer)
        await database_sync_to_async(services.message_post)(ticket=ticket, sender=agent, message_text="Reply")
        event = await next_of_type(socket, "notification.created")
        assert event["notification"]["ticket_title"] == "Titled"
        await socket.disconnect()

    run(scenario)


def test_live_events_carry_the_shapes_the_api_answers_with():
    """One shape per resource: a live message is the message the API returned, a live ticket is
    the ticket's detail without its conversation, a live notification is the list's item."""
    customer, agent = CustomerFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Shapes", message_text="Hi", category="general")
    agent_api, customer_api = client_for(agent), client_for(customer)

    async def scenario():
        socket = await connect(customer)
        posted = await database_sync_to_async(agent_api.post)(
            f"/api/support/tickets/{ticket.pk}/messages/", {"message_text": "Reply"}, format="json"
        )
        assert posted.status_code == 201
        events = await collect(socket, "message.created", "ticket.updated", "notification.created")
        detail = (await database_sync_to_async(customer_api.get)(f"/api/support/tickets/{ticket.pk}/")).json()
        listed = (await database_sync_to_async(customer_api.get)("/api/notifications/")).json()["results"]
        await socket.disconnect()
        return posted.json(), detail, listed, events

    posted, detail, listed, events = run(scenario)
    assert events["message.created"]["message"] == posted
    detail.pop("messages")
    assert events["ticket.updated"]["ticket"] == detail
    assert events["notification.created"]["notification"] == listed[0]


@pytest.mark.parametrize("path", ["/", "/ws", "/api/support/tickets/", "/ws/extra/", "/nothing"])
def test_a_handshake_on_any_other_path_is_refused_cleanly(path):
    async def scenario():
        communicator = WebsocketCommunicator(application, path)
        connected, _ = await communicator.connect(timeout=5)
        await communicator.disconnect()
        return connected

    assert run(scenario) is False
