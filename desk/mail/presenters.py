"""How a stored mail is shown to staff: pure functions of loaded instances, never a query."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.urls import reverse

from desk.accounts.presenters import iso
from desk.mail.models import InboundEmail


@cache
def _raw_url_template() -> str:
    marker = "00000000-0000-0000-0000-000000000000"
    return reverse("inbound-email-raw", kwargs={"inbound_id": marker}).replace(marker, "{}")


def inbound_data(inbound: InboundEmail) -> dict[str, Any]:
    return {
        "id": str(inbound.pk),
        "message_id": inbound.message_id_header,
        "channel": inbound.channel,
        "mailbox": inbound.mailbox.name if inbound.mailbox_id and inbound.mailbox else None,
        "from_address": inbound.from_address,
        "from_name": inbound.from_name,
        "subject": inbound.subject,
        "status": inbound.status,
        "reason": inbound.reason,
        "ticket": str(inbound.ticket_id) if inbound.ticket_id else None,
        "message": str(inbound.message_id) if inbound.message_id else None,
        "opened_ticket": inbound.opened_ticket,
        "size": inbound.size,
        "received_at": iso(inbound.received_at),
        "processed_at": iso(inbound.processed_at),
        "full_text": inbound.full_text,
        "raw_url": _raw_url_template().format(inbound.pk),
    }
