"""Live updates and access: a customer's socket never carries another customer's events, and a
socket opened with rights that were since taken away (new role, deactivation, password change)
is closed and hears nothing more. Through the real ASGI application and channel layer
(in-memory, or Redis when REDIS_URL is set)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from conftest import token_for
from desk.accounts import services as account_services
from desk.accounts.tests.factories import PASSWORD, AdminFactory, AgentFactory, CustomerFactory
from desk.people import flows
from desk.sla import services as sla_services
from desk.support import services
from desk.support.tests import files
from desk.support.tests.helpers import first_message
from desk.workspace import services as workspace_services

pytestmark = pytest.mark.django_db(transaction=True)

CLOSE_NOT_AUTHENTICATED = 4401


async def connect(token: str, *, path: str = "/ws/") -> tuple[WebsocketCommunicator, int | None]:
    """A socket as the browser opens one: the token offered as a subprotocol, never in the URL."""
    communicator = WebsocketCommunicator(application, path, subprotocols=["desk", f"desk.bearer.{token}"])
    connected, chosen = await communicator.connect(timeout=5)
    assert connected, "the handshake is always accepted; a refusal comes as a close code"
    assert chosen == "desk", "the server chooses the desk's subprotocol, never echoing the token"
    first = await communicator.receive_output(timeout=5)
    if first["type"] == "websocket.close":
        return communicator, first["code"]
    assert first["type"] == "websocket.send" and '"hello"' in first["text"]
    return communicator, None


async def drain(communicator: WebsocketCommunicator, quiet: float = 0.5) -> list[dict[str, Any]]:
    """Everything the socket receives until it has been quiet for `quiet` seconds."""
    events = []
    while not await communicator.receive_nothing(timeout=quiet):
        events.append(await communicator.receive_json_from())
    return events


async def closed_with(communicator: WebsocketCommunicator, timeout: float = 5) -> int:
    """Wait for the server to close the socket; return the close code."""
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code", 1000)


def run(coroutine_function: Any) -> None:
    async_to_sync(coroutine_function)()


def _png(ticket: Any, user: Any, message: Any = None) -> Any:
    data = files.png_bytes()
    return services.attachment_upload(
        ticket=ticket, uploader=user, upload=io.BytesIO(data), filename="a.png", size=len(data), message_id=message
    )


def test_a_customer_socket_carries_nothing_of_another_customers_ticket() -> None:
    anna, bert, agent = CustomerFactory(first_name="Anna"), CustomerFactory(first_name="Bert"), AgentFactory()

    def anna_s_day() -> Any:
        ticket = services.ticket_create(
            actor=anna, title="Anna's secret", message_text="Anna writes", category="billing"
        )
        _png(ticket, anna, message=first_message(ticket).pk)  # attachment_added on her message
        upload = _png(ticket, agent)
        services.message_post(ticket=ticket, sender=agent, message_text="Reply to Anna", attachment_ids=[upload.pk])
        note = services.message_post(ticket=ticket, sender=agent, message_text="Note on Anna", is_internal=True)
        _png(ticket, agent, message=note.pk)
        services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
        services.ticket_escalate(ticket=ticket, actor=agent, reason="VIP")
        workspace_services.ticket_bulk_update(actor=agent, ticket_ids=[ticket.pk], action="add_tag", value="vip")
        services.message_post(ticket=ticket, sender=anna, message_text="Anna again")
        services.ticket_update(ticket=ticket, actor=anna, changes={"status": "closed", "title": "Anna renamed"})
        return ticket

    async def scenario() -> None:
        bert_socket, _ = await connect(token_for(bert))
        anna_socket, _ = await connect(token_for(anna))
        ticket = await database_sync_to_async(anna_s_day)()
        heard_by_anna = await drain(anna_socket)
        heard_by_bert = await drain(bert_socket)
        # The control: Anna hears her own ticket live, and never the internal note.
        assert {"message.created", "ticket.updated", "notification.created"} <= {e["type"] for e in heard_by_anna}
        assert "Note on Anna" not in str(heard_by_anna)
        # Bert hears nothing at all.
        assert heard_by_bert == [], heard_by_bert
        assert str(ticket.pk) not in str(heard_by_bert)
        for socket in (anna_socket, bert_socket):
            await socket.disconnect()

    run(scenario)


def _demote(admin: Any, agent: Any) -> None:
    flows.user_update(actor=admin, user=agent, changes={"role": "customer"})


def _deactivate(admin: Any, agent: Any) -> None:
    flows.user_deactivate(actor=admin, user=agent)


@pytest.mark.parametrize("change", [_demote, _deactivate], ids=["demoted", "deactivated"])
def test_a_socket_loses_its_staff_rights_with_the_account(change: Any) -> None:
    admin, agent, on_duty, customer = AdminFactory(), AgentFactory(), AgentFactory(), CustomerFactory()
    ticket = services.ticket_create(actor=customer, title="Private", message_text="Hi", category="general")
    old_token = token_for(agent)

    async def scenario() -> None:
        socket, _ = await connect(old_token)
        colleague, _ = await connect(token_for(on_duty))
        await database_sync_to_async(change)(admin, agent)
        assert await closed_with(socket) == CLOSE_NOT_AUTHENTICATED
        # Staff news after the change reaches the staff still on duty, and not the old socket.
        await database_sync_to_async(services.message_post)(
            ticket=ticket, sender=admin, message_text="Note after the change", is_internal=True
        )
        assert "Note after the change" in str(await drain(colleague))
        assert await socket.receive_nothing(timeout=0.5)
        # The old token no longer opens a socket.
        _, code = await connect(old_token)
        assert code == CLOSE_NOT_AUTHENTICATED
        await socket.disconnect()
        await colleague.disconnect()

    run(scenario)


def test_a_password_change_closes_the_other_sockets_and_a_new_token_reconnects() -> None:
    customer = CustomerFactory()
    old_token = token_for(customer)

    async def scenario() -> None:
        socket, _ = await connect(old_token)
        tokens = await database_sync_to_async(account_services.password_change)(
            user=customer, current_password=PASSWORD, new_password="plum-orchard-quietly-47"
        )
        assert await closed_with(socket) == CLOSE_NOT_AUTHENTICATED
        _, code = await connect(old_token)
        assert code == CLOSE_NOT_AUTHENTICATED
        fresh, code = await connect(tokens["access"])
        assert code is None
        await fresh.disconnect()
        await socket.disconnect()

    run(scenario)


def test_a_name_change_keeps_the_socket_open() -> None:
    admin, agent = AdminFactory(), AgentFactory()

    async def scenario() -> None:
        socket, _ = await connect(token_for(agent))
        await database_sync_to_async(flows.user_update)(actor=admin, user=agent, changes={"first_name": "Renamed"})
        assert await socket.receive_nothing(timeout=0.5)
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
        await socket.disconnect()

    run(scenario)


# --- how a socket signs in and for how long --------------------------------------------------


def _short_lived(user: Any, seconds: float) -> str:
    from datetime import timedelta

    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken.for_user(user)
    token.set_exp(lifetime=timedelta(seconds=seconds))
    return str(token)


def test_a_token_in_the_url_is_not_accepted() -> None:
    """URLs end up in access logs: a token there does not sign a socket in."""
    customer = CustomerFactory()

    async def scenario() -> None:
        socket = WebsocketCommunicator(application, f"/ws/?token={token_for(customer)}")
        connected, _ = await socket.connect(timeout=5)
        assert connected
        assert await closed_with(socket) == CLOSE_NOT_AUTHENTICATED

    run(scenario)


def test_a_socket_closes_when_its_token_expires() -> None:
    agent, customer = AgentFactory(), CustomerFactory()

    async def scenario() -> None:
        socket, code = await connect(_short_lived(agent, 1.5))
        assert code is None
        assert await closed_with(socket, timeout=5) == CLOSE_NOT_AUTHENTICATED
        # Closed means deaf: an internal note written now reaches nobody on that socket.
        ticket = await database_sync_to_async(services.ticket_create)(
            actor=customer, title="After expiry", message_text="Hi", category="general"
        )
        await database_sync_to_async(services.message_post)(
            ticket=ticket, sender=agent, message_text="Secret note", is_internal=True
        )
        assert await socket.receive_nothing(timeout=0.5)

    run(scenario)


def test_a_fresh_token_sent_over_the_socket_keeps_it_open() -> None:
    agent = AgentFactory()

    async def scenario() -> None:
        socket, code = await connect(_short_lived(agent, 1.5))
        assert code is None
        await socket.send_json_to({"type": "auth", "token": _short_lived(agent, 60)})
        assert await socket.receive_json_from(timeout=2) == {"type": "auth.ok"}
        assert await socket.receive_nothing(timeout=2.5)  # past the first token's expiry
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
        await socket.disconnect()

    run(scenario)


@pytest.mark.parametrize("whose", ["someone else's", "garbage"])
def test_re_authentication_with_another_token_closes_the_socket(whose: str) -> None:
    agent = AgentFactory()
    other = token_for(AgentFactory()) if whose == "someone else's" else "garbage"

    async def scenario() -> None:
        socket, _ = await connect(token_for(agent))
        await socket.send_json_to({"type": "auth", "token": other})
        assert await closed_with(socket) == CLOSE_NOT_AUTHENTICATED

    run(scenario)


def test_sign_out_closes_that_sessions_sockets_and_no_other() -> None:
    agent = AgentFactory()
    signed_out = account_services.token_pair_for(agent)
    other = account_services.token_pair_for(agent)

    async def scenario() -> None:
        leaving, _ = await connect(signed_out["access"])
        staying, _ = await connect(other["access"])
        await database_sync_to_async(account_services.session_end)(refresh=signed_out["refresh"])
        assert await closed_with(leaving) == CLOSE_NOT_AUTHENTICATED
        await staying.send_json_to({"type": "ping"})
        assert await staying.receive_json_from(timeout=2) == {"type": "pong"}
        await staying.disconnect()

    run(scenario)


def test_a_reused_refresh_token_closes_its_sessions_sockets(settings) -> None:
    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    customer = CustomerFactory()
    first = account_services.token_pair_for(customer)

    async def scenario() -> None:
        rotate = database_sync_to_async(account_services.session_refresh)
        second = await rotate(refresh=first["refresh"])
        socket, _ = await connect(second["access"])
        with pytest.raises(Exception, match="session has ended"):
            await rotate(refresh=first["refresh"])
        assert await closed_with(socket) == CLOSE_NOT_AUTHENTICATED

    run(scenario)


def test_service_level_events_reach_staff_sockets_only() -> None:
    anna, agent, admin = CustomerFactory(first_name="Anna"), AgentFactory(), AdminFactory()

    def anna_s_ticket() -> Any:
        sla_services.policy_create(actor=admin, values={"name": "Fast", "targets": {"first_response": 1}})
        ticket = services.ticket_create(actor=anna, title="Anna's wait", message_text="Hello?", category="billing")
        sla_services.sla_check(now=timezone.now() + timedelta(minutes=5))  # breached: alerts go out
        return ticket

    async def scenario() -> None:
        anna_socket, _ = await connect(token_for(anna))
        staff_socket, _ = await connect(token_for(agent))
        ticket = await database_sync_to_async(anna_s_ticket)()
        heard_by_staff = await drain(staff_socket)
        heard_by_anna = await drain(anna_socket)
        sla_events = [event for event in heard_by_staff if event["type"] == "ticket.sla"]
        assert sla_events and sla_events[-1]["ticket"] == str(ticket.pk)
        assert sla_events[-1]["sla"]["breached"] == ["first_response"]
        assert any("SLA breached" in str(event) for event in heard_by_staff if event["type"] == "notification.created")
        assert {"ticket.updated"} <= {event["type"] for event in heard_by_anna}  # the control: she hears her ticket
        assert "ticket.sla" not in str(heard_by_anna) and "breach" not in str(heard_by_anna).lower()
        for socket in (anna_socket, staff_socket):
            await socket.disconnect()

    run(scenario)
