"""A customer's data export and account deletion; the audit trail of staff actions."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from desk.accounts.models import User
from desk.accounts.tests.factories import PASSWORD, AgentFactory, CustomerFactory
from desk.core.models import AuditEntry
from desk.notifications.models import EmailDelivery, Notification
from desk.support import services
from desk.support.models import Attachment, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(customer, agent, _isolated_media):
    ticket = services.ticket_create(actor=customer, title="My tap", message_text="It drips", category="service")
    services.message_post(ticket=ticket, sender=agent, message_text="We will come", is_internal=False)
    services.message_post(ticket=ticket, sender=agent, message_text="STAFF NOTE about Carol", is_internal=True)
    attachment = Attachment(
        ticket=ticket, uploaded_by=customer, filename="photo.txt", file_size=5, content_type="text/plain"
    )
    attachment.file.save("upload.txt", ContentFile(b"hello"), save=False)
    attachment.save()
    other = services.ticket_create(
        actor=CustomerFactory(), title="Not Carol's", message_text="secret", category="general"
    )
    return ticket, attachment, other


def test_export_contains_my_tickets_messages_and_files_but_no_internal_notes(customer_client, conversation):
    ticket, attachment, _ = conversation
    response = customer_client.get("/api/auth/me/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    tickets = json.loads(archive.read("tickets.json"))
    assert [t["title"] for t in tickets] == ["My tap"]
    texts = [m["text"] for m in tickets[0]["messages"]]
    assert texts == ["It drips", "We will come"]
    blob = b"".join(archive.read(name) for name in archive.namelist())
    assert b"STAFF NOTE" not in blob and b"Not Carol" not in blob and b"secret" not in blob
    assert archive.read(f"attachments/{ticket.pk}/{attachment.pk}-photo.txt") == b"hello"
    assert AuditEntry.objects.filter(action="account.exported").count() == 1


def test_delete_account_removes_tickets_notes_files_and_emails(
    customer_client, customer, conversation, _isolated_media
):
    ticket, attachment, other = conversation
    assert (_isolated_media / attachment.file.name).exists()
    wrong = customer_client.post("/api/auth/me/delete/", {"password": "nope"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=customer.pk).exists()

    response = customer_client.post("/api/auth/me/delete/", {"password": PASSWORD})
    assert response.status_code == 204
    assert not User.objects.filter(pk=customer.pk).exists()
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert not Message.objects.filter(ticket_id=ticket.pk).exists()  # the staff note too
    assert not TicketEvent.objects.filter(ticket_id=ticket.pk).exists()
    assert not Notification.objects.filter(ticket_id=ticket.pk).exists()
    assert not EmailDelivery.objects.filter(ticket_id=ticket.pk).exists()
    assert not EmailDelivery.objects.filter(to_address=customer.email).exists()
    assert Ticket.objects.filter(pk=other.pk).exists()
    entry = AuditEntry.objects.get(action="account.deleted")
    assert entry.details["user_id"] == str(customer.pk)
    assert customer.email not in json.dumps(entry.details) and entry.actor_label == ""


def test_deleted_files_leave_storage_once_committed(
    customer, conversation, _isolated_media, django_capture_on_commit_callbacks
):
    from desk.people.flows import account_delete

    _, attachment, _ = conversation
    stored = _isolated_media / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=customer, password=PASSWORD)
    assert not stored.exists()


def test_staff_cannot_delete_their_account_through_the_api(agent_client, agent):
    response = agent_client.post("/api/auth/me/delete/", {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=agent.pk).exists()


def test_staff_actions_are_in_the_audit_trail(make_client):
    agent = AgentFactory()
    client = make_client(agent)
    created = client.post("/api/support/canned-responses/", {"title": "Hi", "body": "Hello"}).json()
    client.patch(f"/api/support/canned-responses/{created['id']}/", {"title": "Hey"})
    client.delete(f"/api/support/canned-responses/{created['id']}/")
    ticket = services.ticket_create(actor=CustomerFactory(), title="t", message_text="m", category="general")
    client.post(
        "/api/support/tickets/bulk/",
        {"ticket_ids": [str(ticket.pk)], "action": "set_priority", "value": "high"},
        format="json",
    )
    actions = list(AuditEntry.objects.filter(actor=agent).order_by("created_at").values_list("action", flat=True))
    assert actions == [
        "canned_response.created",
        "canned_response.updated",
        "canned_response.deleted",
        "tickets.bulk_update",
    ]
