"""Live updates for support events, sent after the change commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from desk.realtime import publish
from desk.support.signals import ticket_changed

MESSAGE_KINDS = {"message_created", "attachment_added"}
TICKET_KINDS = {"ticket_created", "ticket_updated", "ticket_assigned", "ticket_escalated"}


@receiver(ticket_changed, dispatch_uid="realtime_ticket_changed")
def on_ticket_changed(sender: Any, *, kind: str, ticket: Any, message: Any = None, **kwargs: Any) -> None:
    linked = getattr(message, "linked_attachments", None)
    if kind == "message_created" and linked is not None:
        # A new message as written, with the files it took along: nothing to read again.
        transaction.on_commit(lambda: publish.message_created(message, linked))
    elif kind in MESSAGE_KINDS and message is not None:
        transaction.on_commit(lambda: publish.message_created(_fresh_message(message.pk)))
    if kind in TICKET_KINDS:
        transaction.on_commit(lambda: publish.ticket_updated(ticket))


def _fresh_message(message_id: Any) -> Any:
    from desk.support.models import Message

    return Message.objects.select_related("sender", "ticket").prefetch_related("attachments").get(pk=message_id)
