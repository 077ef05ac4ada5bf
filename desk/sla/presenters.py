"""How service levels are shown: a ticket's `sla` block (staff only), calendars and policies.
Pure functions of loaded instances, never a query."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desk.accounts.presenters import iso
from desk.sla import clocks
from desk.sla.models import BusinessCalendar, SlaPolicy, TicketSla


def _state(clock: clocks.Clock, *, paused: bool, now: datetime) -> str:
    if clock.breached(now):
        return "breached"
    if clock.met:
        return "met"
    if clock.cycle is None:
        return "idle"
    return "paused" if paused or clock.since is None else "running"


def target_data(clock: clocks.Clock, *, paused: bool, now: datetime) -> dict[str, Any]:
    shown_due = clock.due_at if (clock.active and (clock.since is not None or clock.crossed_due)) else None
    if clock.missed and not clock.met:
        shown_due = clock.due_at
    return {
        "name": clock.name,
        "minutes": clock.minutes,
        "state": _state(clock, paused=paused, now=now),
        "due_at": iso(shown_due),
        "at_risk_at": iso(clock.at_risk_at if clock.active and shown_due is not None else None),
        "met_at": iso(clock.met_at),
        "remaining_minutes": None if clock.remaining is None else round(clock.remaining / 60, 1),
    }


def sla_data(state: TicketSla | None, *, now: datetime) -> dict[str, Any] | None:
    """A ticket's `sla` block, or None when no policy applies (its policy loaded)."""
    if state is None or state.policy is None:
        return None
    return sla_block(
        policy_id=state.policy.pk, policy_name=state.policy.name, clocks_data=state.clocks, paused=state.paused, now=now
    )


def sla_block(
    *, policy_id: Any, policy_name: str, clocks_data: dict[str, Any], paused: bool, now: datetime
) -> dict[str, Any]:
    """The `sla` block from a ticket's stored clocks (as a row of `selectors.sla_blocks_for` reads them)."""
    ticket_clocks = clocks.load(clocks_data)
    targets = [
        target_data(clock, paused=paused, now=now)
        for name in clocks.TARGETS
        if (clock := ticket_clocks.get(name)) is not None and clock.minutes is not None
    ]
    due = {target["name"]: target["due_at"] for target in targets}
    keys = clocks.queue_keys(ticket_clocks, paused=paused, now=now)
    return {
        "policy": {"id": str(policy_id), "name": policy_name},
        "first_response_due_at": due.get("first_response"),
        "next_response_due_at": due.get("next_response"),
        "resolution_due_at": due.get("resolution"),
        "next_breach_at": iso(keys.next_breach_at),
        "at_risk_at": iso(keys.at_risk_at),
        "breached": [target["name"] for target in targets if target["state"] == "breached"],
        "paused": paused,
        "targets": targets,
    }


def calendar_data(calendar: BusinessCalendar, *, policy_count: int = 0) -> dict[str, Any]:
    return {
        "id": str(calendar.pk),
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "hours": calendar.hours,
        "holidays": list(calendar.holidays),
        "builtin": calendar.builtin,
        "policy_count": policy_count,
        "created_at": iso(calendar.created_at),
        "updated_at": iso(calendar.updated_at),
    }


def policy_data(policy: SlaPolicy) -> dict[str, Any]:
    return {
        "id": str(policy.pk),
        "name": policy.name,
        "position": policy.position,
        "calendar": str(policy.calendar_id),
        "conditions": dict(policy.conditions or {}),
        "targets": {name: policy.minutes(name) for name in clocks.TARGETS},
        "escalate_on_breach": policy.escalate_on_breach,
        "created_at": iso(policy.created_at),
        "updated_at": iso(policy.updated_at),
    }
