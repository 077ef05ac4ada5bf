"""A customer's emailed reply appears live, like a web reply: through the real ASGI application
and channel layer (in-memory, or Redis when REDIS_URL is set)."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from conftest import token_for
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.mail import services
from desk.mail.models import Channel
from desk.mail.tests.builders import mail
from desk.notifications import threading
from desk.support import services as support_services
from tests.access.test_live_access import connect, drain, run

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_emailed_reply_reaches_the_customer_and_staff_sockets_live() -> None:
    customer, agent = CustomerFactory(email="hari@example.org"), AgentFactory()
    ticket = support_services.ticket_create(actor=customer, title="Geyser", message_text="Broken", category="service")

    def the_mail_arrives() -> Any:
        raw = mail(sender="hari@example.org", to=threading.reply_address(ticket.number), body="Still cold water.")
        inbound = services.inbound_receive(raw=raw, channel=Channel.HTTP)  # processed after its commit
        inbound.refresh_from_db()
        return inbound

    async def scenario() -> None:
        customer_socket, _ = await connect(token_for(customer))
        staff_socket, _ = await connect(token_for(agent))
        inbound = await database_sync_to_async(the_mail_arrives)()
        assert inbound.status == "processed"
        for socket in (customer_socket, staff_socket):
            events = [e for e in await drain(socket) if e["type"] == "message.created"]
            assert [e["message"]["message_text"] for e in events] == ["Still cold water."]
            assert events[0]["message"]["via"] == "email" and events[0]["ticket"] == str(ticket.pk)
            await socket.disconnect()

    run(scenario)
