"""The clocks follow the tickets: each change that can move a target re-evaluates the ticket's
SLA in the transaction of the change."""

from __future__ import annotations

from desk.core.events import subscriber
from desk.sla import services
from desk.support.events import MessageCreated, TicketCreated, TicketEscalated, TicketUpdated

# The changes after which the policy is chosen again.
CHOOSING_CHANGES = {"priority": "Priority changed", "category": "Category changed"}


@subscriber(TicketCreated)
def ticket_created(event: TicketCreated) -> None:
    services.ticket_sla_evaluate(ticket=event.ticket, choose=True, created=True, why="Ticket created")


@subscriber(MessageCreated)
def message_created(event: MessageCreated) -> None:
    if not event.message.is_internal:  # internal notes never meet a target
        services.ticket_sla_evaluate(ticket=event.ticket)


@subscriber(TicketUpdated)
def ticket_updated(event: TicketUpdated) -> None:
    reasons = [why for change, why in CHOOSING_CHANGES.items() if change in event.changes]
    if reasons or "status" in event.changes:
        services.ticket_sla_evaluate(
            ticket=event.ticket,
            choose=bool(reasons),
            why="; ".join(reasons),
            actor=event.actor,
            status_only=not reasons,
        )


@subscriber(TicketEscalated)
def ticket_escalated(event: TicketEscalated) -> None:
    services.ticket_sla_evaluate(ticket=event.ticket, choose=True, why="Escalated", actor=event.actor)
