"""A small world with two customers, staff and every kind of object, for the access tests.

Customer A (`owner`) and customer B (`other`) each have tickets, messages, files and
notifications; two agents, an admin and an inactive agent complete the cast. Every object is made
through the services, as the API would make it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from conftest import client_for
from desk.accounts.models import User
from desk.accounts.services import token_pair_for
from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory
from desk.core.models import AuditEntry
from desk.mail.models import Channel, InboundEmail, InboundStatus
from desk.notifications.models import EmailDelivery, EmailPreference, Notification
from desk.sla import services as sla_services
from desk.sla.models import BusinessCalendar, SlaOutcome, SlaPolicy, TicketSla
from desk.support import services
from desk.support.models import Attachment, Message, Ticket, TicketEvent
from desk.support.tests import files
from desk.support.tests.helpers import first_message
from desk.workspace.models import CannedResponse

ROLES = ("anonymous", "owner", "other", "agent", "admin")


@dataclass
class World:
    owner: User  # customer A: the objects under test are A's
    other: User  # customer B: never sees A's data
    agent: User
    agent2: User  # owns the shared and the private canned response
    admin: User
    inactive_agent: User
    ticket: Ticket  # A's
    ticket2: Ticket  # A's second ticket
    other_ticket: Ticket  # B's
    sent_file: Attachment  # on A's first message
    note: Message  # an internal note on A's ticket
    note_file: Attachment  # on the internal note: staff only
    unsent_file: Attachment  # A's upload on A's ticket, not sent yet
    unsent_file2: Attachment  # A's upload on A's second ticket, not sent yet
    agent_unsent_file: Attachment  # the agent's upload on A's ticket, not sent yet
    other_unsent_file: Attachment  # B's upload on B's ticket, not sent yet
    agent_reply: Message  # a public staff reply on A's ticket
    other_message: Message  # B's first message
    notification: Notification  # A's (about the staff reply)
    other_notification: Notification  # B's
    shared_canned: CannedResponse
    private_canned: CannedResponse
    calendar: BusinessCalendar  # used by `policy`
    spare_calendar: BusinessCalendar  # used by none
    policy: SlaPolicy  # applies to every ticket: each has an `sla` block for staff
    owner_refresh: str
    mail: InboundEmail  # a mail from A on A's ticket (staff read it)

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def client(self, role: str) -> APIClient:
        return client_for(self.user(role))


def _upload(ticket: Ticket, uploader: User, *, name: str = "receipt.png", message: Message | None = None) -> Attachment:
    data = files.png_bytes() if name.endswith(".png") else files.pdf_bytes()
    return services.attachment_upload(
        ticket=ticket,
        uploader=uploader,
        upload=io.BytesIO(data),
        filename=name,
        size=len(data),
        message_id=message.pk if message else None,
    )


def build_world() -> World:
    owner = CustomerFactory(first_name="Anna", last_name="Owner")
    other = CustomerFactory(first_name="Bert", last_name="Other")
    agent = AgentFactory(first_name="Alice", last_name="Agent")
    agent2 = AgentFactory(first_name="Bob", last_name="Second")
    admin = AdminFactory(first_name="Ada", last_name="Admin")
    inactive_agent = AgentFactory(first_name="Ina", last_name="Gone", is_active=False)
    office = sla_services.calendar_create(
        actor=admin, values={"name": "Office", "time_zone": "Asia/Kathmandu", "hours": {"mon": [["09:00", "17:00"]]}}
    )
    spare = sla_services.calendar_create(
        actor=admin, values={"name": "Spare", "time_zone": "UTC", "hours": {"sun": [["00:00", "24:00"]]}}
    )
    policy = sla_services.policy_create(
        actor=admin,
        values={"name": "Standard", "calendar": str(office.pk), "targets": {"first_response": 60, "resolution": 480}},
    )

    ticket = services.ticket_create(
        actor=owner, title="Anna's refund", message_text="Anna's private words", category="billing"
    )
    sent_file = _upload(ticket, owner, message=first_message(ticket))
    agent_reply = services.message_post(ticket=ticket, sender=agent, message_text="Support answers Anna")
    note = services.message_post(ticket=ticket, sender=agent, message_text="Staff-only note on Anna", is_internal=True)
    note_file = _upload(ticket, agent, name="provider-log.pdf", message=note)
    unsent_file = _upload(ticket, owner, name="draft.png")
    agent_unsent_file = _upload(ticket, agent, name="agent-draft.pdf")
    ticket2 = services.ticket_create(
        actor=owner, title="Anna's second", message_text="Second words", category="general"
    )
    unsent_file2 = _upload(ticket2, owner, name="second-draft.png")

    other_ticket = services.ticket_create(
        actor=other, title="Bert's problem", message_text="Bert's private words", category="technical"
    )
    other_unsent_file = _upload(other_ticket, other, name="bert.png")
    services.message_post(ticket=other_ticket, sender=agent, message_text="Support answers Bert")

    notification = Notification.objects.filter(recipient=owner, message=agent_reply).get()
    other_notification = Notification.objects.filter(recipient=other).order_by("-created_at").first()
    shared = CannedResponse.objects.create(
        owner=agent2, title="Greeting", body="Hi {{customer_first_name}}", shared=True
    )
    private = CannedResponse.objects.create(owner=agent2, title="Mine", body="Personal text", shared=False)

    mail = InboundEmail.objects.create(
        message_id_header="anna-1@mail.example.org",
        channel=Channel.HTTP,
        from_address=owner.email,
        subject="Anna's mail",
        raw=ContentFile(b"From: anna@example.org\r\nSubject: Anna's mail\r\n\r\nAnna's private words", name="a.eml"),
        size=60,
        status=InboundStatus.PROCESSED,
        ticket=ticket,
    )

    return World(
        mail=mail,
        owner=owner,
        other=other,
        agent=agent,
        agent2=agent2,
        admin=admin,
        inactive_agent=inactive_agent,
        ticket=Ticket.objects.get(pk=ticket.pk),
        ticket2=Ticket.objects.get(pk=ticket2.pk),
        other_ticket=Ticket.objects.get(pk=other_ticket.pk),
        sent_file=sent_file,
        note=note,
        note_file=note_file,
        unsent_file=unsent_file,
        unsent_file2=unsent_file2,
        agent_unsent_file=agent_unsent_file,
        other_unsent_file=other_unsent_file,
        agent_reply=agent_reply,
        other_message=Ticket.objects.get(pk=other_ticket.pk).messages.order_by("created_at").first(),
        notification=notification,
        other_notification=other_notification,
        shared_canned=shared,
        private_canned=private,
        calendar=office,
        spare_calendar=spare,
        policy=policy,
        owner_refresh=token_pair_for(owner)["refresh"],
    )


def _rows(model: Any) -> list[dict[str, Any]]:
    return list(model.objects.order_by("pk").values())


def snapshot() -> tuple[Any, ...]:
    """Everything the API can write (rows and stored files), to prove a refusal changed nothing."""
    media = Path(settings.MEDIA_ROOT)
    return (
        _rows(User),
        _rows(Ticket),
        _rows(Message),
        _rows(Attachment),
        _rows(TicketEvent),
        _rows(Notification),
        _rows(EmailDelivery),
        _rows(EmailPreference),
        _rows(CannedResponse),
        _rows(BusinessCalendar),
        _rows(SlaPolicy),
        _rows(TicketSla),
        _rows(SlaOutcome),
        _rows(AuditEntry),
        _rows(InboundEmail),
        OutstandingToken.objects.count(),
        BlacklistedToken.objects.count(),
        sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    )


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is SPEC's error body with this status and code."""
    assert response.status_code == status, (response.status_code, response.content[:400])
    body = response.json()
    assert set(body) == {"error", "message", "details"}, body
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    return body
