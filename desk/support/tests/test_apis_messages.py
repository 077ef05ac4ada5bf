"""Posting messages: sides and read flags, internal notes, closed and resolved tickets, and linking
the sender's own uploads."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from desk.accounts.models import User
from desk.support import services
from desk.support.models import Attachment, EventKind, Message, Ticket, TicketEvent
from desk.support.tests import files
from desk.support.tests.helpers import assert_error, snapshot, ticket_url, upload

pytestmark = pytest.mark.django_db


def post(client: APIClient, ticket: Ticket, text: str = "Any news?", **extra: Any) -> Any:
    return client.post(ticket_url(ticket, "messages"), {"message_text": text, **extra}, format="json")


def test_customer_reply(customer_client: APIClient, customer: User, ticket: Ticket) -> None:
    old_updated_at = Ticket.objects.get(pk=ticket.pk).updated_at
    response = post(customer_client, ticket, "  It happened again today.  ")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message_text"] == "It happened again today."
    assert body["ticket"] == str(ticket.pk)
    assert body["sender"] == {"id": str(customer.pk), "name": customer.name, "is_staff": False}
    assert (body["is_from_customer"], body["is_internal"]) == (True, False)
    assert (body["read_by_customer"], body["read_by_staff"]) == (True, False)
    assert body["attachments"] == []
    stored = Message.objects.get(pk=body["id"])
    assert (stored.is_from_customer, stored.read_by_customer, stored.read_by_staff) == (True, True, False)
    assert Ticket.objects.get(pk=ticket.pk).updated_at > old_updated_at


def test_staff_reply_moves_an_open_ticket_into_progress(agent_client: APIClient, agent: User, ticket: Ticket) -> None:
    body = post(agent_client, ticket, "We are looking into it.").json()
    assert (body["is_from_customer"], body["is_internal"]) == (False, False)
    assert (body["read_by_customer"], body["read_by_staff"]) == (False, True)
    assert body["sender"]["is_staff"] is True
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    [event] = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS)
    assert (event.actor, event.old_value, event.new_value) == (agent, "open", "in_progress")


def test_staff_internal_note(admin_client: APIClient, ticket: Ticket) -> None:
    response = post(admin_client, ticket, "Card was captured twice.", is_internal=True)
    assert response.status_code == 201
    assert response.json()["is_internal"] is True
    ticket.refresh_from_db()
    assert ticket.status == "open"  # a note is not a reply to the customer


@pytest.mark.parametrize("flag", [True, "true", 1])
def test_customer_may_not_post_internal_notes(customer_client: APIClient, ticket: Ticket, flag: Any) -> None:
    before = snapshot()
    body = assert_error(post(customer_client, ticket, "let me in", is_internal=flag), 403, "permission_denied")
    assert "is_internal" in body["details"]
    assert snapshot() == before


def test_customer_may_say_is_internal_false(customer_client: APIClient, ticket: Ticket) -> None:
    assert post(customer_client, ticket, is_internal=False).status_code == 201


@pytest.mark.parametrize("client_name", ["customer_client", "agent_client"])
def test_closed_ticket_refuses_messages_until_reopened(
    request: pytest.FixtureRequest, customer_client: APIClient, ticket: Ticket, client_name: str
) -> None:
    client = request.getfixturevalue(client_name)
    customer_client.patch(ticket_url(ticket), {"status": "closed"}, format="json")
    before = snapshot()
    body = assert_error(post(client, ticket), 400, "validation_error")
    assert "closed" in body["message"]
    assert snapshot() == before

    customer_client.patch(ticket_url(ticket), {"status": "open"}, format="json")
    assert post(client, ticket).status_code == 201


def test_customer_reply_reopens_a_resolved_ticket(
    customer_client: APIClient, agent_client: APIClient, customer: User, ticket: Ticket
) -> None:
    agent_client.patch(ticket_url(ticket), {"status": "resolved"}, format="json")
    post(customer_client, ticket, "It is not fixed after all.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == ("open", None)
    reopened = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS).order_by("-created_at").first()
    assert (reopened.actor, reopened.old_value, reopened.new_value) == (customer, "resolved", "open")


def test_staff_reply_or_note_leaves_a_resolved_ticket_resolved(agent_client: APIClient, ticket: Ticket) -> None:
    agent_client.patch(ticket_url(ticket), {"status": "resolved"}, format="json")
    post(agent_client, ticket, "Glad it worked out.")
    post(agent_client, ticket, "Follow up in a week.", is_internal=True)
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message_text": ""}, "message_text"),
        ({"message_text": "  \n\t  "}, "message_text"),
        ({"message_text": "x" * 5001}, "message_text"),
        ({}, "message_text"),
        ({"message_text": None}, "message_text"),
        ({"message_text": {"text": "hi"}}, "message_text"),
        ({"message_text": "ok", "is_internal": "maybe"}, "is_internal"),
        ({"message_text": "ok", "attachment_ids": "not-a-list"}, "attachment_ids"),
        ({"message_text": "ok", "attachment_ids": ["not-a-uuid"]}, "attachment_ids"),
        ({"message_text": "ok", "attachment_ids": [{"id": 1}]}, "attachment_ids"),
    ],
)
def test_invalid_messages_are_refused(
    agent_client: APIClient, ticket: Ticket, body: dict[str, Any], field: str
) -> None:
    before = snapshot()
    error = assert_error(
        agent_client.post(ticket_url(ticket, "messages"), body, format="json"), 400, "validation_error"
    )
    assert any(key.startswith(field) for key in error["details"]), error
    assert snapshot() == before


def test_longest_message_is_accepted(customer_client: APIClient, ticket: Ticket) -> None:
    assert post(customer_client, ticket, "y" * 5000).status_code == 201


# --- attachment_ids -------------------------------------------------------------------------


def test_reply_links_the_senders_own_uploads(customer_client: APIClient, ticket: Ticket) -> None:
    first = upload(customer_client, ticket, files.png_bytes(), "one.png").json()
    second = upload(customer_client, ticket, files.pdf_bytes(), "two.pdf", "application/pdf").json()
    response = post(customer_client, ticket, "Receipts attached.", attachment_ids=[second["id"], first["id"]])
    assert response.status_code == 201, response.content
    body = response.json()
    assert [a["filename"] for a in body["attachments"]] == ["one.png", "two.pdf"]  # in upload order
    assert all(a["message"] == body["id"] for a in body["attachments"])
    assert set(Attachment.objects.filter(message_id=body["id"]).values_list("filename", flat=True)) == {
        "one.png",
        "two.pdf",
    }


def _upload_as(user: User, ticket: Ticket, name: str = "file.png") -> Attachment:
    return services.attachment_upload(
        ticket=ticket,
        uploader=user,
        upload=io.BytesIO(files.png_bytes()),
        filename=name,
        size=len(files.png_bytes()),
    )


@pytest.mark.parametrize("case", ["someone else's", "on another ticket", "already sent", "does not exist", "twice"])
def test_attachment_ids_must_be_own_unsent_uploads_on_this_ticket(
    customer_client: APIClient, customer: User, agent: User, ticket: Ticket, case: str
) -> None:
    own = _upload_as(customer, ticket, "mine.png")
    if case == "someone else's":
        bad = [str(_upload_as(agent, ticket).pk)]
    elif case == "on another ticket":
        elsewhere = services.ticket_create(actor=customer, title="Other", message_text="Other", category="general")
        bad = [str(_upload_as(customer, elsewhere).pk)]
    elif case == "already sent":
        sent = _upload_as(customer, ticket, "sent.png")
        services.message_post(ticket=ticket, sender=customer, message_text="first", attachment_ids=[sent.pk])
        bad = [str(sent.pk)]
    elif case == "does not exist":
        bad = [str(uuid.uuid4())]
    else:
        bad = [str(own.pk)]
    before = snapshot()
    body = assert_error(
        post(customer_client, ticket, "with files", attachment_ids=[str(own.pk), *bad]), 400, "validation_error"
    )
    assert "attachment_ids" in body["details"]
    assert snapshot() == before  # no message, and nothing linked — not even the valid upload
    assert Attachment.objects.get(pk=own.pk).message_id is None


def test_another_customers_upload_cannot_be_linked(
    other_client: APIClient, other_customer: User, customer: User, ticket: Ticket
) -> None:
    """Even with the right id, another customer cannot reach the ticket at all."""
    mine = _upload_as(customer, ticket)
    their_ticket = services.ticket_create(actor=other_customer, title="Mine", message_text="x", category="general")
    before = snapshot()
    body = assert_error(post(other_client, their_ticket, attachment_ids=[str(mine.pk)]), 400, "validation_error")
    assert "attachment_ids" in body["details"]
    assert snapshot() == before


def test_at_most_ten_attachments_per_message(customer_client: APIClient, customer: User, ticket: Ticket) -> None:
    uploads = [str(_upload_as(customer, ticket, f"f{i}.png").pk) for i in range(11)]
    assert_error(post(customer_client, ticket, attachment_ids=uploads), 400, "validation_error")
    assert post(customer_client, ticket, attachment_ids=uploads[:10]).status_code == 201


def test_staff_note_with_a_file_stays_hidden_from_the_customer(
    agent_client: APIClient, customer_client: APIClient, ticket: Ticket
) -> None:
    file = upload(agent_client, ticket, files.pdf_bytes(), "log.pdf", "application/pdf").json()
    post(agent_client, ticket, "Provider log.", is_internal=True, attachment_ids=[file["id"]])
    detail = customer_client.get(ticket_url(ticket)).json()
    assert all(m["attachments"] == [] for m in detail["messages"])
    assert_error(customer_client.get(file["download_url"]), 404, "not_found")
