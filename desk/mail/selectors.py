"""Reads of the email channel."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from desk.accounts.models import User
from desk.core.errors import NotFound
from desk.mail.models import InboundEmail
from desk.support import permissions as support_permissions
from desk.support.models import Ticket


def ticket_mails(*, ticket: Ticket) -> QuerySet[InboundEmail]:
    """The mails that reached a ticket (replies, auto-replies, bounces), oldest first."""
    return InboundEmail.objects.filter(ticket=ticket).select_related("mailbox").order_by("received_at", "id")


def inbound_get_for(*, user: User, inbound_id: Any) -> InboundEmail:
    """A stored mail, for staff who may see its ticket (admins: any); otherwise not found."""
    if not support_permissions.sees_internal_notes(user):
        raise NotFound("Mail not found.")
    try:
        pk = uuid.UUID(str(inbound_id))
    except ValueError:
        raise NotFound("Mail not found.") from None
    inbound = InboundEmail.objects.filter(pk=pk).select_related("ticket").first()
    if inbound is None or (inbound.ticket_id is None and not user.is_admin):
        raise NotFound("Mail not found.")
    return inbound
