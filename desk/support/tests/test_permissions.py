"""The permission matrix: every endpoint × {anonymous, owner, other customer, agent, admin}.

Each cell asserts the exact status. Refusals use SPEC's error codes and change nothing; another
customer's probe of a ticket is answered exactly like a probe of a ticket that does not exist.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.models import User
from desk.accounts.tests.factories import PASSWORD, AdminFactory, AgentFactory, CustomerFactory
from desk.support import services
from desk.support.models import Attachment, Message, Ticket
from desk.support.tests import files
from desk.support.tests.helpers import (
    TICKETS,
    assert_error,
    download_url,
    first_message,
    snapshot,
    ticket_url,
    upload,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other", "agent", "admin")


@dataclass
class World:
    owner: User
    other: User
    agent: User
    admin: User
    ticket: Ticket
    attachment: Attachment  # on the owner's message: everyone who sees the ticket may download it
    note_attachment: Attachment  # on an internal note: staff only

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def client(self, role: str) -> APIClient:
        return client_for(self.user(role))


@pytest.fixture
def world() -> World:
    owner, other = CustomerFactory(), CustomerFactory()
    agent, admin = AgentFactory(), AdminFactory()
    ticket = services.ticket_create(actor=owner, title="Refund", message_text="Please refund me.", category="billing")
    attachment = services.attachment_upload(
        ticket=ticket,
        uploader=owner,
        upload=io.BytesIO(files.png_bytes()),
        filename="receipt.png",
        size=len(files.png_bytes()),
        message_id=first_message(ticket).pk,
    )
    note = services.message_post(ticket=ticket, sender=agent, message_text="Card was retried.", is_internal=True)
    note_attachment = services.attachment_upload(
        ticket=ticket,
        uploader=agent,
        upload=io.BytesIO(files.pdf_bytes()),
        filename="provider-log.pdf",
        size=len(files.pdf_bytes()),
        message_id=note.pk,
    )
    return World(owner, other, agent, admin, Ticket.objects.get(pk=ticket.pk), attachment, note_attachment)


def _create(client: APIClient, w: World, role: str) -> Any:
    body: dict[str, Any] = {"title": "Cannot log in", "category": "account", "message_text": "It says locked."}
    if role in ("agent", "admin"):
        body["customer"] = str(w.owner.pk)
    return client.post(TICKETS, body, format="json")


@dataclass(frozen=True)
class Endpoint:
    name: str
    call: Callable[[APIClient, World, str], Any]
    expected: dict[str, int]
    # For the cells refused with 404: the error code (the same as for an id that does not exist).
    missing_code: str = "ticket_not_found"
    call_missing: Callable[[APIClient, World], Any] | None = None


def _ticket_call(method: str, action: str = "", body: dict[str, Any] | None = None) -> Any:
    def call(client: APIClient, w: World, role: str, ticket_id: Any = None) -> Any:
        target = ticket_id or w.ticket.pk
        return getattr(client, method)(ticket_url(target, action), body, format="json")

    return call


def _expected(anonymous: int, owner: int, other: int, agent: int, admin: int) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, owner, other, agent, admin), strict=True))


def _upload(client: APIClient, w: World, role: str, ticket_id: Any = None) -> Any:
    return upload(client, ticket_id or w.ticket.pk, files.png_bytes(), "screenshot.png")


ENDPOINTS = [
    Endpoint("list", lambda c, w, r: c.get(TICKETS), _expected(401, 200, 200, 200, 200)),
    Endpoint("create", _create, _expected(401, 201, 201, 201, 201)),
    Endpoint("detail GET", _ticket_call("get"), _expected(401, 200, 404, 200, 200)),
    Endpoint("PUT", _ticket_call("put", body={"title": "Refund for Friday"}), _expected(401, 200, 404, 200, 200)),
    Endpoint("PATCH close", _ticket_call("patch", body={"status": "closed"}), _expected(401, 200, 404, 200, 200)),
    Endpoint(
        "PATCH staff fields",
        _ticket_call("patch", body={"priority": "urgent", "category": "technical"}),
        _expected(401, 403, 404, 200, 200),
    ),
    Endpoint(
        "messages POST",
        _ticket_call("post", "messages", {"message_text": "Any news?"}),
        _expected(401, 201, 404, 201, 201),
    ),
    Endpoint(
        "messages POST internal note",
        _ticket_call("post", "messages", {"message_text": "Check the logs.", "is_internal": True}),
        _expected(401, 403, 404, 201, 201),
    ),
    Endpoint("attachments POST", _upload, _expected(401, 201, 404, 201, 201)),
    Endpoint(
        "attachment download",
        lambda c, w, r, attachment_id=None: c.get(download_url(attachment_id or w.attachment.pk)),
        _expected(401, 200, 404, 200, 200),
        missing_code="not_found",
    ),
    Endpoint(
        "internal note's attachment download",
        lambda c, w, r, attachment_id=None: c.get(download_url(attachment_id or w.note_attachment.pk)),
        _expected(401, 404, 404, 200, 200),
        missing_code="not_found",
    ),
    Endpoint(
        "assign",
        lambda c, w, r, ticket_id=None: c.post(
            ticket_url(ticket_id or w.ticket.pk, "assign"), {"agent_id": str(w.agent.pk)}, format="json"
        ),
        _expected(401, 403, 404, 200, 200),
    ),
    Endpoint(
        "escalate",
        _ticket_call("post", "escalate", {"reason": "Customer waited a week."}),
        _expected(401, 403, 404, 200, 200),
    ),
    Endpoint("me", lambda c, w, r: c.get("/api/auth/me/"), _expected(401, 200, 200, 200, 200)),
]

CASES = [pytest.param(e, role, id=f"{e.name}-{role}") for e in ENDPOINTS for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_permission_matrix(world: World, endpoint: Endpoint, role: str) -> None:
    expected = endpoint.expected[role]
    before = snapshot()
    response = endpoint.call(world.client(role), world, role)
    assert response.status_code == expected, (endpoint.name, role, response.status_code, response.content[:300])
    for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert header in response, (endpoint.name, role, header)

    if expected == 401:
        assert_error(response, 401, "not_authenticated")
    elif expected == 403:
        assert_error(response, 403, "permission_denied")
    elif expected == 404:
        body = assert_error(response, 404, endpoint.missing_code)
        # Existence is not revealed: a real ticket (or file) and a made-up id get the same answer.
        missing = endpoint.call(world.client(role), world, role, uuid.uuid4())
        assert missing.status_code == 404
        assert missing.json() == body
    if expected >= 400:
        assert snapshot() == before, f"{endpoint.name} refused for {role} but changed the database"


def test_list_shows_customers_only_their_own_tickets(world: World) -> None:
    mine = services.ticket_create(actor=world.other, title="Mine", message_text="Hello", category="general")
    ids = {row["id"] for row in world.client("other").get(TICKETS).json()["results"]}
    assert ids == {str(mine.pk)}
    for role in ("agent", "admin"):
        ids = {row["id"] for row in world.client(role).get(TICKETS).json()["results"]}
        assert ids == {str(mine.pk), str(world.ticket.pk)}


def test_customer_cannot_see_an_internal_note_or_its_file_in_detail(world: World) -> None:
    body = world.client("owner").get(ticket_url(world.ticket)).json()
    assert [m["message_text"] for m in body["messages"]] == ["Please refund me."]
    assert [a["id"] for m in body["messages"] for a in m["attachments"]] == [str(world.attachment.pk)]
    staff_body = world.client("agent").get(ticket_url(world.ticket)).json()
    assert [m["is_internal"] for m in staff_body["messages"]] == [False, True]


def test_customer_cannot_download_staff_upload_that_is_not_sent_yet(world: World) -> None:
    draft = services.attachment_upload(
        ticket=world.ticket,
        uploader=world.agent,
        upload=io.BytesIO(files.pdf_bytes()),
        filename="draft.pdf",
        size=len(files.pdf_bytes()),
    )
    assert_error(world.client("owner").get(download_url(draft)), 404, "not_found")
    assert world.client("admin").get(download_url(draft)).status_code == 200
    # ... and once the agent sends it with a reply, the customer may.
    services.message_post(ticket=world.ticket, sender=world.agent, message_text="Here.", attachment_ids=[draft.pk])
    assert world.client("owner").get(download_url(draft)).status_code == 200


def test_inactive_user_token_is_refused(world: World) -> None:
    client = world.client("owner")
    world.owner.is_active = False
    world.owner.save()
    assert_error(client.get(ticket_url(world.ticket)), 401, "not_authenticated")


# --- auth endpoints -----------------------------------------------------------------------


def test_register_is_open_to_anonymous_callers(anon_client: APIClient) -> None:
    response = anon_client.post(
        "/api/auth/register/", {"email": "new@example.com", "password": "a-long-unusual-pass"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["role"] == "customer"


@pytest.mark.parametrize("factory", [CustomerFactory, AgentFactory, AdminFactory])
def test_every_role_logs_in_refreshes_and_reads_itself(anon_client: APIClient, factory: Any) -> None:
    user = factory()
    tokens = anon_client.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert tokens.status_code == 200
    refreshed = anon_client.post("/api/auth/token/refresh/", {"refresh": tokens.json()["refresh"]}, format="json")
    assert refreshed.status_code == 200
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    me = anon_client.get("/api/auth/me/")
    assert me.status_code == 200
    assert me.json()["id"] == str(user.pk)


def test_refresh_token_is_not_an_access_token(anon_client: APIClient, customer: User) -> None:
    tokens = anon_client.post("/api/auth/token/", {"email": customer.email, "password": PASSWORD}, format="json")
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['refresh']}")
    assert_error(anon_client.get(TICKETS), 401, "not_authenticated")


def test_a_rotated_refresh_token_cannot_be_used_again(anon_client: APIClient, customer: User) -> None:
    tokens = anon_client.post("/api/auth/token/", {"email": customer.email, "password": PASSWORD}, format="json")
    refresh = tokens.json()["refresh"]
    assert anon_client.post("/api/auth/token/refresh/", {"refresh": refresh}, format="json").status_code == 200
    assert_error(
        anon_client.post("/api/auth/token/refresh/", {"refresh": refresh}, format="json"), 401, "not_authenticated"
    )


def test_messages_count_unchanged_by_refusals(world: World) -> None:
    """A spot check beyond the snapshot: the refused note really is absent."""
    world.client("owner").post(
        ticket_url(world.ticket, "messages"), {"message_text": "sneaky", "is_internal": True}, format="json"
    )
    assert not Message.objects.filter(message_text="sneaky").exists()
