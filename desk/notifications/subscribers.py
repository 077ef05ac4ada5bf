"""Who is told what: notifications and emails follow the other domains' events, written in the
transaction of the change they report (so they exist exactly when the change does)."""

from __future__ import annotations

from desk.accounts.events import PasswordResetRequested
from desk.core.events import subscriber
from desk.notifications import services
from desk.sla.events import SlaAlert
from desk.support.events import MessageCreated, TicketAssigned, TicketCreated, TicketEscalated, TicketUpdated
from desk.support.models import Status


@subscriber(TicketCreated)
def ticket_created(event: TicketCreated) -> None:
    services.notify_ticket_created(ticket=event.ticket, actor=event.actor, message=event.message, confirm=event.confirm)


@subscriber(MessageCreated)
def message_created(event: MessageCreated) -> None:
    services.notify_message(ticket=event.ticket, actor=event.actor, message=event.message)


@subscriber(TicketUpdated)
def ticket_updated(event: TicketUpdated) -> None:
    if "status" in event.changes and event.ticket.status == Status.RESOLVED:
        services.notify_resolved(ticket=event.ticket, actor=event.actor)


@subscriber(TicketAssigned)
def ticket_assigned(event: TicketAssigned) -> None:
    services.notify_assigned(ticket=event.ticket, actor=event.actor, agent=event.agent)


@subscriber(TicketEscalated)
def ticket_escalated(event: TicketEscalated) -> None:
    services.notify_escalated(ticket=event.ticket, actor=event.actor, reason=event.reason)


@subscriber(PasswordResetRequested)
def password_reset_requested(event: PasswordResetRequested) -> None:
    services.email_password_reset(user=event.user, reset_url=event.reset_url, valid_minutes=event.valid_minutes)


@subscriber(SlaAlert)
def sla_alert(event: SlaAlert) -> None:
    services.notify_sla(ticket=event.ticket, target=event.target, level=event.level, due_at=event.due_at)
