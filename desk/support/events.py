"""What the support domain announces, and who hears it live.

Services publish these inside the transaction of the change (`desk.core.events`), with the
objects as written: the ticket with its customer and agent loaded, the message with its sender,
the files it carries. Notifications subscribe to write who is told what; the live updates below
go to the people who may see the data:

- a ticket's changes and its public messages: staff and the ticket's customer;
- an internal note: staff only.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.accounts.models import User
from desk.core.events import DomainEvent, subscriber
from desk.realtime.transport import STAFF_GROUP, send_on_commit, user_group
from desk.support import presenters
from desk.support.models import Attachment, Message, Ticket


@dataclass(frozen=True, slots=True)
class TicketChanged(DomainEvent):
    """Something happened to a ticket (the base of every event below)."""

    ticket: Ticket
    actor: User | None


@dataclass(frozen=True, slots=True)
class TicketCreated(TicketChanged):
    name = "ticket.created"
    message: Message  # the first message
    confirm: bool = True  # the customer gets a confirmation (not when a machine wrote the mail)


@dataclass(frozen=True, slots=True)
class TicketUpdated(TicketChanged):
    """Fields of the ticket changed (by an edit, or as a consequence of a message)."""

    name = "ticket.updated"
    changes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TicketAssigned(TicketChanged):
    name = "ticket.assigned"
    agent: User | None = None  # None: back to the queue


@dataclass(frozen=True, slots=True)
class TicketEscalated(TicketChanged):
    name = "ticket.escalated"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class MessageCreated(TicketChanged):
    name = "message.created"
    message: Message
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class AttachmentAdded(TicketChanged):
    """A file was added to a message already sent; `attachments` are all the message's files."""

    name = "attachment.added"
    message: Message
    attachment: Attachment
    attachments: tuple[Attachment, ...] = ()


# --- who hears what, live -------------------------------------------------------------------


def ticket_audience(ticket: Ticket) -> list[str]:
    return [STAFF_GROUP, user_group(ticket.customer_id)]


def message_audience(message: Message, ticket: Ticket) -> list[str]:
    return [STAFF_GROUP] if message.is_internal else ticket_audience(ticket)


@subscriber(MessageCreated, AttachmentAdded)
def send_message(event: MessageCreated | AttachmentAdded) -> None:
    data = presenters.message_data(event.message, event.attachments)
    send_on_commit(
        message_audience(event.message, event.ticket),
        {"type": "message.created", "ticket": str(event.ticket.pk), "message": data},
    )


@subscriber(TicketCreated, TicketUpdated, TicketAssigned, TicketEscalated)
def send_ticket(event: TicketChanged) -> None:
    send_on_commit(
        ticket_audience(event.ticket), {"type": "ticket.updated", "ticket": presenters.ticket_data(event.ticket)}
    )
