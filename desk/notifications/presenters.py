"""How notifications are shown, and what goes into a ticket email: pure functions from loaded
instances to plain dicts, never a query.

`notification_data` is the one shape of a notification: the REST list and a live
`notification.created` event carry the same fields (`NotificationOutput`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from desk.accounts.models import User
from desk.accounts.presenters import iso
from desk.notifications.models import Notification
from desk.support.models import Message, Ticket
from desk.support.presenters import ticket_data


def notification_data(notification: Notification) -> dict[str, Any]:
    """A notification, with the title of its ticket (loaded with it)."""
    return {
        "id": str(notification.pk),
        "kind": notification.kind,
        "text": notification.text,
        "ticket": str(notification.ticket_id) if notification.ticket_id else None,
        "ticket_title": notification.ticket.title if notification.ticket_id else None,
        "message": str(notification.message_id) if notification.message_id else None,
        "count": notification.count,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
    }


def notification_export(notification: Notification) -> dict[str, Any]:
    """A notification in its recipient's data export."""
    return {
        "kind": notification.kind,
        "text": notification.text,
        "ticket_id": str(notification.ticket_id) if notification.ticket_id else None,
        "created_at": iso(notification.created_at),
        "read_at": iso(notification.read_at),
    }


def ticket_url(ticket_id: Any) -> str:
    return f"{settings.SITE_URL}/tickets/{ticket_id}"


def ticket_email_context(
    *,
    ticket: Ticket,
    recipients: list[User],
    headline: str,
    message: Message | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """What a ticket email shows: the ticket (its API shape, with the status as a word), the
    public message it reports, and links. One rendering serves every recipient; a single
    recipient is greeted by name."""
    only = recipients[0] if len(recipients) == 1 else None
    return {
        "recipient_name": (only.first_name or only.name) if only is not None else "",
        "headline": headline,
        "ticket": ticket_data(ticket),
        "ticket_status": ticket.get_status_display(),
        "ticket_url": ticket_url(ticket.pk),
        "message_text": message.message_text[:2000] if message is not None else "",
        "reason": reason,
        "preferences_url": f"{settings.SITE_URL}/settings/notifications",
    }


def password_reset_context(*, user: User, reset_url: str, valid_minutes: int) -> dict[str, Any]:
    return {"recipient_name": user.first_name or user.name, "reset_url": reset_url, "valid_minutes": valid_minutes}
