"""What the service-level domain announces, and who hears it live: staff only, always (customers
never see SLA data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from desk.accounts.models import User
from desk.core.events import DomainEvent, subscriber
from desk.realtime.transport import STAFF_GROUP, send_on_commit
from desk.sla import presenters
from desk.sla.models import TicketSla
from desk.support.models import Ticket


@dataclass(frozen=True, slots=True)
class SlaChanged(DomainEvent):
    """A ticket's SLA block changed (None: no policy applies any more)."""

    name = "ticket.sla"
    ticket: Ticket
    state: TicketSla | None
    now: datetime


@dataclass(frozen=True, slots=True)
class SlaAlert(DomainEvent):
    """A target of a ticket reached 75% of its time (`warning`) or its due time (`breach`)."""

    WARNING: ClassVar[str] = "warning"
    BREACH: ClassVar[str] = "breach"
    name = "sla.alert"
    ticket: Ticket
    actor: User | None
    target: str
    level: str
    due_at: datetime | None


@subscriber(SlaChanged)
def send_sla(event: SlaChanged) -> None:
    send_on_commit(
        [STAFF_GROUP],
        {"type": "ticket.sla", "ticket": str(event.ticket.pk), "sla": presenters.sla_data(event.state, now=event.now)},
    )
