"""How tickets, messages, attachments and ticket history are shown: pure functions from loaded
model instances (or list rows) to plain dicts, never a query.

These are the one shape of each resource: the REST responses, live events, emails, the account
export and webhooks all build on them. The serializers in `apis.py` document the same shapes in
the OpenAPI schema (`tests/test_presenters.py` holds each pair to the same output).

- `ticket_data`: a ticket's own fields (`TicketOutput`); the detail adds its conversation
  (`ticket_detail_data`), a list row adds the viewer's snippet and unread count
  (`ticket_list_item`); a live `ticket.updated` event carries `ticket_data`.
- `message_data`, `attachment_data`, `ticket_event_data` (an entry of the history).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.urls import reverse

from desk.accounts.models import User
from desk.accounts.presenters import brief, iso, person, user_brief
from desk.support.filetypes import IMAGE_TYPES
from desk.support.models import Attachment, Message, Ticket, TicketEvent


def _ticket(
    *,
    pk: Any,
    number: int,
    title: str,
    status: str,
    priority: str,
    category: str,
    escalated: bool,
    source: str,
    tags: Iterable[str],
    customer: dict[str, Any] | None,
    assigned_agent: dict[str, Any] | None,
    created_at: Any,
    updated_at: Any,
    closed_at: Any,
    follows: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "id": str(pk),
        "number": number,
        "title": title,
        "customer": customer,
        "category": category,
        "status": status,
        "priority": priority,
        "assigned_agent": assigned_agent,
        "escalated": escalated,
        "source": source,
        "tags": list(tags),
        "created_at": iso(created_at),
        "updated_at": iso(updated_at),
        "closed_at": iso(closed_at),
        "follows": follows,
    }


def ticket_data(ticket: Ticket, *, for_staff: bool = False) -> dict[str, Any]:
    """A ticket's own fields; its customer, agent and the ticket it follows must be loaded
    (`select_related`). Staff see
    as `updated_at` the last activity of any kind, internal notes included; everyone else the
    last change the customer can see."""
    return _ticket(
        pk=ticket.pk,
        number=ticket.number,
        title=ticket.title,
        status=ticket.status,
        priority=ticket.priority,
        category=ticket.category,
        escalated=ticket.escalated,
        source=ticket.source,
        tags=ticket.tags,
        customer=user_brief(ticket.customer),
        assigned_agent=user_brief(ticket.assigned_agent),
        created_at=ticket.created_at,
        updated_at=ticket.activity_at if for_staff else ticket.updated_at,
        closed_at=ticket.closed_at,
        follows=ticket_ref(ticket.follows) if ticket.follows_id else None,
    )


def ticket_list_item(row: dict[str, Any]) -> dict[str, Any]:
    """One row of the list (a `selectors.LIST_ROW_FIELDS` row): the ticket, with the viewer's
    updated time, last-message snippet and unread count."""
    item = _ticket(
        pk=row["id"],
        number=row["number"],
        title=row["title"],
        status=row["status"],
        priority=row["priority"],
        category=row["category"],
        escalated=row["escalated"],
        source=row["source"],
        tags=row["tags"],
        customer=brief(
            row["customer_id"], row["customer__email"], row["customer__first_name"], row["customer__last_name"]
        ),
        assigned_agent=brief(
            row["assigned_agent_id"],
            row["assigned_agent__email"],
            row["assigned_agent__first_name"],
            row["assigned_agent__last_name"],
        ),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        closed_at=row["closed_at"],
        follows=(
            {"id": str(row["follows_id"]), "number": row["follows__number"], "title": row["follows__title"]}
            if row["follows_id"]
            else None
        ),
    )
    item["last_message_snippet"] = row["last_message_snippet"]
    item["unread_count"] = row["unread_count"]
    return item


def ticket_detail_data(ticket: Ticket, messages: Iterable[Message], *, for_staff: bool = False) -> dict[str, Any]:
    """The ticket with the conversation the viewer may see (`selectors.ticket_messages_for`)."""
    data = ticket_data(ticket, for_staff=for_staff)
    data["messages"] = [message_data(message) for message in messages]
    return data


def ticket_ref(ticket: Ticket) -> dict[str, Any]:
    return {"id": str(ticket.pk), "number": ticket.number, "title": ticket.title}


@cache
def _download_url_template() -> str:
    marker = "00000000-0000-0000-0000-000000000000"
    return reverse("attachment-download", kwargs={"attachment_id": marker}).replace(marker, "{}")


def attachment_data(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": str(attachment.pk),
        "ticket": str(attachment.ticket_id),
        "message": str(attachment.message_id) if attachment.message_id else None,
        "uploaded_by": str(attachment.uploaded_by_id) if attachment.uploaded_by_id else None,
        "filename": attachment.filename,
        "file_size": attachment.file_size,
        "content_type": attachment.content_type,
        "is_image": attachment.content_type in IMAGE_TYPES,
        "created_at": iso(attachment.created_at),
        "download_url": _download_url_template().format(attachment.pk),
    }


def message_data(message: Message, attachments: Iterable[Attachment] | None = None) -> dict[str, Any]:
    """A message with its sender (loaded) and its files: given, or prefetched on the message."""
    if attachments is None:
        attachments = message.attachments.all()  # the prefetch: no query
    return {
        "id": str(message.pk),
        "ticket": str(message.ticket_id),
        "sender": person(message.sender),
        "message_text": message.message_text,
        "created_at": iso(message.created_at),
        "is_from_customer": message.is_from_customer,
        "is_internal": message.is_internal,
        "read_by_customer": message.read_by_customer,
        "read_by_staff": message.read_by_staff,
        "entered_by": person(message.entered_by) if message.entered_by_id else None,
        "via": message.via,
        "email_from": message.email_from,
        "attachments": [attachment_data(attachment) for attachment in attachments],
    }


def ticket_event_data(event: TicketEvent) -> dict[str, Any]:
    """One entry of a ticket's history (staff only), with its actor loaded."""
    return {
        "id": str(event.pk),
        "kind": event.kind,
        "actor": person(event.actor),
        "old_value": event.old_value,
        "new_value": event.new_value,
        "note": event.note,
        "created_at": iso(event.created_at),
    }


# --- a person's own data export -------------------------------------------------------------


def message_export(message: Message) -> dict[str, Any]:
    """A message in its author's or customer's data export: who wrote it from their side."""
    return {
        "id": str(message.pk),
        "from": "you" if message.is_from_customer else "support",
        "text": message.message_text,
        "internal": message.is_internal,
        "created_at": iso(message.created_at),
    }


def ticket_export(ticket: Ticket, messages: Iterable[Message], *, owner: User) -> dict[str, Any]:
    """A ticket in a data export: the customer's own ticket with all it shows them, or (for
    staff, `owner` not the customer) the ticket's title with the messages they wrote."""
    data: dict[str, Any] = {"id": str(ticket.pk), "title": ticket.title}
    if ticket.customer_id == owner.pk:
        data.update(
            {
                "status": ticket.status,
                "priority": ticket.priority,
                "category": ticket.category,
                "created_at": iso(ticket.created_at),
                "closed_at": iso(ticket.closed_at),
            }
        )
    data["messages"] = [message_export(message) for message in messages]
    return data


def attachment_export(attachment: Attachment, *, path: str) -> dict[str, Any]:
    """A file in a data export, with where it sits in the archive ("" when it could not be read)."""
    return {
        "id": str(attachment.pk),
        "ticket": str(attachment.ticket_id),
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "file_size": attachment.file_size,
        "path": path,
    }
