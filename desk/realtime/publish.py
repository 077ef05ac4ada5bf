"""The event fan-out: what each connected client hears, and through which group.

Groups: `user.<id>` (every connection of one user) and `staff` (every staff connection).
A ticket's events go to its customer's group and to `staff`; an internal note only to `staff`;
a notification only to its recipient. So a customer's socket never carries another customer's
data or an internal note, without any per-ticket subscription to check.
Call these after the commit (services use `transaction.on_commit`).
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from redis.exceptions import RedisError

from desk.core.breaker import channel_breaker

logger = logging.getLogger(__name__)

STAFF_GROUP = "staff"


def user_group(user_id: Any) -> str:
    return f"user.{user_id}"


def _send(groups: list[str], event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group in groups:
        if not channel_breaker.allow():
            return
        try:
            async_to_sync(layer.group_send)(group, {"type": "desk.event", "event": event})
        except (OSError, RedisError) as exc:  # the layer is unreachable: skip it for a while
            logger.warning("Could not publish %s to %s: %s", event.get("type"), group, exc)
            channel_breaker.failed()
        except Exception:  # any other failure loses this one event, never the request
            logger.warning("Could not publish %s to %s", event.get("type"), group, exc_info=True)


def message_created(message: Any) -> None:
    from desk.support.apis import MessageOutput

    event = {"type": "message.created", "ticket": str(message.ticket_id), "message": MessageOutput(message).data}
    groups = [STAFF_GROUP] if message.is_internal else [STAFF_GROUP, user_group(message.ticket.customer_id)]
    _send(groups, event)


def ticket_updated(ticket: Any) -> None:
    event = {
        "type": "ticket.updated",
        "ticket": {
            "id": str(ticket.pk),
            "title": ticket.title,
            "status": ticket.status,
            "priority": ticket.priority,
            "category": ticket.category,
            "escalated": ticket.escalated,
            "assigned_agent": str(ticket.assigned_agent_id) if ticket.assigned_agent_id else None,
            "updated_at": ticket.updated_at.isoformat(),
        },
    }
    _send([STAFF_GROUP, user_group(ticket.customer_id)], event)


def _notification(notification: Any) -> dict[str, Any]:
    return {
        "id": str(notification.pk),
        "kind": notification.kind,
        "text": notification.text,
        "ticket": str(notification.ticket_id) if notification.ticket_id else None,
        "ticket_title": notification.ticket.title if notification.ticket_id else None,
        "created_at": notification.created_at.isoformat(),
        "read_at": None,
    }


def notifications_created(notifications: list[Any], *, all_staff: bool = False) -> None:
    """One notice to many people: a single message to the staff group when every recipient is
    staff (each connection keeps only its own part), otherwise one message per recipient."""
    if all_staff and len(notifications) > 1:
        by_recipient = {str(n.recipient_id): _notification(n) for n in notifications}
        _send([STAFF_GROUP], {"type": "notification.created", "for": by_recipient})
        return
    for notification in notifications:
        _send(
            [user_group(notification.recipient_id)],
            {"type": "notification.created", "notification": _notification(notification)},
        )


def sessions_ended(user_id: Any) -> None:
    """Close every live connection of a user whose sessions were ended (password change, new
    role, deactivation), so a socket opened with the old rights hears nothing more."""
    _send([user_group(user_id)], {"type": "session.ended"})
