"""Reads of the service-level domain: calendars, policies, the `sla` blocks of tickets (one
query for a page of them) and SLA attainment for the dashboard (aggregates whose query count
does not grow with the data)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from desk.accounts.models import User
from desk.accounts.presenters import iso, user_brief
from desk.core.errors import NotFound
from desk.sla import presenters
from desk.sla.models import BusinessCalendar, SlaOutcome, SlaPolicy, Target, TicketSla
from desk.support.models import Priority, Status, Ticket

OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.PENDING)
AT_RISK_LIST = 20


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        return None


def calendar_list() -> QuerySet[BusinessCalendar]:
    return BusinessCalendar.objects.annotate(policy_count=Count("policies")).order_by("-builtin", "name", "id")


def calendar_get(*, calendar_id: Any) -> BusinessCalendar:
    pk = _uuid(calendar_id)
    calendar = calendar_list().filter(pk=pk).first() if pk else None
    if calendar is None:
        raise NotFound("Calendar not found.")
    return calendar


def policy_list() -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.order_by("position", "created_at", "id")


def policy_get(*, policy_id: Any) -> SlaPolicy:
    pk = _uuid(policy_id)
    policy = SlaPolicy.objects.filter(pk=pk).first() if pk else None
    if policy is None:
        raise NotFound("SLA policy not found.")
    return policy


def sla_blocks_for(ticket_ids: Iterable[Any], *, now: datetime | None = None) -> dict[Any, dict[str, Any] | None]:
    """The `sla` block of each ticket (None for those without a policy), in one query."""
    ids = list(ticket_ids)
    now = now or timezone.now()
    blocks: dict[Any, dict[str, Any] | None] = dict.fromkeys(ids)
    if not ids:
        return blocks
    rows = (
        TicketSla.objects.filter(ticket_id__in=ids, policy__isnull=False)
        .values_list("ticket_id", "policy_id", "policy__name", "clocks", "paused")
        .order_by()
    )
    for ticket_id, policy_id, policy_name, clocks_data, paused in rows:
        blocks[ticket_id] = presenters.sla_block(
            policy_id=policy_id, policy_name=policy_name, clocks_data=clocks_data, paused=paused, now=now
        )
    return blocks


def sla_block_for(ticket: Ticket, *, now: datetime | None = None) -> dict[str, Any] | None:
    return sla_blocks_for([ticket.pk], now=now)[ticket.pk]


def _share(met: int, breached: int) -> dict[str, Any]:
    total = met + breached
    return {"met": met, "breached": breached, "percentage": round(100.0 * met / total, 1) if total else None}


def sla_attainment(*, since: datetime, until: datetime, now: datetime | None = None) -> dict[str, Any]:
    """Targets decided in [since, until) — met, or missed at their due time — per target, per
    priority and per agent; and the open tickets at risk or breached now."""
    now = now or timezone.now()
    decided = SlaOutcome.objects.filter(decided_at__gte=since, decided_at__lt=until)
    counts = {"met_count": Count("pk", filter=Q(met=True)), "breached_count": Count("pk", filter=Q(met=False))}
    per_target: dict[str, list[int]] = {name: [0, 0] for name in Target.values}
    per_priority: dict[str, list[int]] = {name: [0, 0] for name in Priority.values}
    for row in decided.values("target", "priority").annotate(**counts).order_by():
        for tally in (per_target.get(row["target"]), per_priority.get(row["priority"])):
            if tally is not None:
                tally[0] += row["met_count"]
                tally[1] += row["breached_count"]
    per_agent = list(decided.filter(agent__isnull=False).values("agent").annotate(**counts).order_by("agent"))
    agents = {user.pk: user for user in User.objects.filter(pk__in=[row["agent"] for row in per_agent])}
    overdue = Q(sla_breached=True) | Q(sla_next_breach_at__lte=now)
    at_risk_now = ~overdue & Q(sla_next_breach_at__gt=now, sla_at_risk_at__lte=now)
    tracked_open = Ticket.objects.filter(status__in=OPEN_STATUSES, sla_tracked=True)
    now_counts = tracked_open.aggregate(at_risk=Count("pk", filter=at_risk_now), breached=Count("pk", filter=overdue))
    at_risk = list(
        tracked_open.filter(overdue | at_risk_now)
        .filter(sla_next_breach_at__isnull=False)
        .select_related("assigned_agent")
        .order_by("sla_next_breach_at", "created_at", "id")[:AT_RISK_LIST]
    )
    return {
        "targets": {name: _share(*tally) for name, tally in per_target.items()},
        "by_priority": {name: _share(*tally) for name, tally in per_priority.items()},
        "by_agent": [
            {
                "id": str(row["agent"]),
                "name": agents[row["agent"]].name,
                **_share(row["met_count"], row["breached_count"]),
            }
            for row in per_agent
            if row["agent"] in agents
        ],
        "at_risk_count": now_counts["at_risk"],
        "breached_open_count": now_counts["breached"],
        "at_risk": [
            {
                "id": str(ticket.pk),
                "number": ticket.number,
                "title": ticket.title,
                "next_breach_at": iso(ticket.sla_next_breach_at),
                "breached": ticket.sla_breached or ticket.sla_next_breach_at <= now,
                "assigned_agent": user_brief(ticket.assigned_agent),
            }
            for ticket in at_risk
        ],
    }
