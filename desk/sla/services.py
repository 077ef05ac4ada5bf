"""Writes of the service-level domain: calendars and policies (admins), each ticket's clocks
(`ticket_sla_evaluate`, run by the subscribers in the transaction of the ticket's change), and
the periodic alert job (`sla_check`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from desk.accounts.models import CUSTOMER_ROLES, User
from desk.core.errors import Conflict, ValidationFailed
from desk.core.events import publish
from desk.core.queue import task_named
from desk.core.text import single_line
from desk.sla import clocks, hours, permissions
from desk.sla.events import SlaAlert, SlaChanged
from desk.sla.models import NAME_MAX_LENGTH, BusinessCalendar, SlaOutcome, SlaPolicy, Target, TicketSla
from desk.support import services as support_services
from desk.support.models import Category, EventKind, Message, Priority, Source, Status, Ticket, TicketEvent

logger = logging.getLogger(__name__)

BUILTIN_NAME = "24/7"
MAX_TARGET_MINUTES = 365 * 24 * 60
MAX_HOLIDAYS = 1000
REEVALUATE_TASK = "desk.sla.tasks.reevaluate_tickets"
CONDITION_CHOICES: dict[str, tuple[str, ...]] = {
    "priority": tuple(Priority.values),
    "category": tuple(Category.values),
    "customer_role": tuple(str(role) for role in CUSTOMER_ROLES),
    "source": tuple(Source.values),
}
TARGET_LABELS = dict(Target.choices)


# --- calendars ------------------------------------------------------------------------------


def _calendar_of(calendar: BusinessCalendar) -> hours.Calendar:
    """The arithmetic's calendar for a stored one (cached per version of the row)."""
    key = (calendar.pk, calendar.updated_at)
    cached = _CALENDARS.get(key)
    if cached is None:
        if len(_CALENDARS) > 256:
            _CALENDARS.clear()
        cached = _CALENDARS[key] = hours.parse_calendar(
            time_zone=calendar.time_zone, hours=calendar.hours, holidays=calendar.holidays
        )
    return cached


_CALENDARS: dict[tuple[Any, Any], hours.Calendar] = {}


def builtin_calendar() -> BusinessCalendar:
    """The 24/7 calendar, made when missing (the migration makes it; a flushed database may not
    have it)."""
    calendar = BusinessCalendar.objects.filter(builtin=True).first()
    if calendar is None:
        always = hours.Calendar.always_open()
        calendar, _ = BusinessCalendar.objects.get_or_create(
            builtin=True,
            defaults={"name": BUILTIN_NAME, "time_zone": "UTC", "hours": hours.canonical_hours(always), "holidays": []},
        )
    return calendar


def _public_holidays(country: Any, years: Any, *, errors: dict[str, list[str]]) -> list[date]:
    import holidays as holiday_tables

    code = str(country or "").strip().upper()
    if code not in holiday_tables.list_supported_countries():
        errors["holiday_country"] = [f"'{country}' is not a country code we have holidays for (such as NP)."]
        return []
    this_year = timezone.localdate().year
    if years in (None, ""):
        years = [this_year, this_year + 1]
    if not isinstance(years, list) or not years or len(years) > 10:
        errors["holiday_years"] = ["Give a list of up to 10 years, such as [2026, 2027]."]
        return []
    if not all(isinstance(year, int) and not isinstance(year, bool) and 1900 <= year <= 2200 for year in years):
        errors["holiday_years"] = ["Each year must be a number such as 2026."]
        return []
    return sorted(holiday_tables.country_holidays(code, years=years))


def _calendar_values(values: Mapping[str, Any], *, instance: BusinessCalendar | None) -> dict[str, Any]:
    """Validate a calendar's fields (the given ones over the instance's), reporting every problem
    at once; returns the fields to store."""
    errors: dict[str, list[str]] = {}
    name = single_line(str(values.get("name", instance.name if instance else "") or ""))
    if not name:
        errors["name"] = ["Give the calendar a name."]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [f"A name can be at most {NAME_MAX_LENGTH} characters."]
    elif BusinessCalendar.objects.filter(name__iexact=name).exclude(pk=instance.pk if instance else None).exists():
        errors["name"] = ["Another calendar has this name."]
    time_zone = values.get("time_zone", instance.time_zone if instance else "")
    week = values.get("hours", instance.hours if instance else {})
    holidays = values.get("holidays", instance.holidays if instance else [])
    if not isinstance(holidays, list):
        errors["holidays"] = ["Give a list of dates such as 2026-10-21."]
        holidays = []
    holidays = list(holidays)
    if values.get("holiday_country") not in (None, ""):
        holidays += [
            day.isoformat()
            for day in _public_holidays(values["holiday_country"], values.get("holiday_years"), errors=errors)
        ]
    parsed = None
    try:
        parsed = hours.parse_calendar(time_zone=str(time_zone or ""), hours=week, holidays=holidays)
    except hours.InvalidCalendar as exc:
        for key, messages in exc.errors.items():
            errors.setdefault(key, []).extend(messages)
    if parsed is not None and len(parsed.holidays) > MAX_HOLIDAYS:
        errors["holidays"] = [f"A calendar can have at most {MAX_HOLIDAYS} holidays."]
    if errors or parsed is None:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else "Some fields are invalid."
        raise ValidationFailed(message, details=errors)
    return {
        "name": name,
        "time_zone": str(time_zone).strip(),
        "hours": hours.canonical_hours(parsed),
        "holidays": sorted(day.isoformat() for day in parsed.holidays),
    }


def calendar_create(*, actor: User, values: Mapping[str, Any]) -> BusinessCalendar:
    permissions.ensure_may_configure(actor)
    fields = _calendar_values(values, instance=None)
    now = timezone.now()
    return BusinessCalendar.objects.create(**fields, created_at=now, updated_at=now)


def calendar_update(*, actor: User, calendar: BusinessCalendar, values: Mapping[str, Any]) -> BusinessCalendar:
    """Change a calendar (the fields given); the open tickets on its policies are re-evaluated."""
    permissions.ensure_may_configure(actor)
    permissions.ensure_may_change_calendar(calendar)
    fields = _calendar_values(values, instance=calendar)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(calendar, name, value)
        calendar.updated_at = timezone.now()
        calendar.save()
        transaction.on_commit(enqueue_reevaluation)
    return calendar


def calendar_delete(*, actor: User, calendar: BusinessCalendar) -> None:
    permissions.ensure_may_configure(actor)
    permissions.ensure_may_change_calendar(calendar)
    if SlaPolicy.objects.filter(calendar=calendar).exists():
        raise Conflict(
            "A policy uses this calendar; give the policy another calendar first.",
            details={"calendar": ["In use by a policy."]},
        )
    calendar.delete()


# --- policies -------------------------------------------------------------------------------


def _conditions(raw: Any, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        errors["conditions"] = ['Give the conditions as an object, such as {"priority": ["urgent"]}.']
        return {}
    conditions: dict[str, list[str]] = {}
    for key, values in raw.items():
        allowed = CONDITION_CHOICES.get(key)
        if allowed is None:
            errors["conditions"] = [f"'{key}' is not a condition; use: {', '.join(CONDITION_CHOICES)}."]
            continue
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            errors[f"conditions.{key}"] = ["Give a list of values."]
            continue
        wrong = [value for value in values if value not in allowed]
        if wrong:
            errors[f"conditions.{key}"] = [f"'{wrong[0]}' is not a valid {key}; choose from: {', '.join(allowed)}."]
            continue
        if values:  # an empty list is no condition
            conditions[key] = list(dict.fromkeys(values))
    return conditions


def _targets(raw: Any, errors: dict[str, list[str]]) -> dict[str, int | None]:
    if not isinstance(raw, Mapping):
        errors["targets"] = ["Give the targets as an object of business minutes."]
        return {}
    unknown = sorted(set(raw) - set(clocks.TARGETS))
    if unknown:
        errors["targets"] = [f"'{unknown[0]}' is not a target; use: {', '.join(clocks.TARGETS)}."]
    targets: dict[str, int | None] = {}
    for name in clocks.TARGETS:
        value = raw.get(name)
        if value is None:
            targets[name] = None
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TARGET_MINUTES:
            errors[f"targets.{name}"] = [f"Give a whole number of business minutes from 1 to {MAX_TARGET_MINUTES}."]
        else:
            targets[name] = value
    if not errors and not any(targets.values()):
        errors["targets"] = ["Give at least one target."]
    return targets


def _policy_values(values: Mapping[str, Any], *, instance: SlaPolicy | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    if "name" in values or instance is None:
        name = single_line(str(values.get("name") or ""))
        if not name:
            errors["name"] = ["Give the policy a name."]
        elif len(name) > NAME_MAX_LENGTH:
            errors["name"] = [f"A name can be at most {NAME_MAX_LENGTH} characters."]
        fields["name"] = name
    if "calendar" in values or instance is None:
        calendar_id = values.get("calendar")
        calendar = None
        if calendar_id in (None, ""):
            calendar = builtin_calendar()
        else:
            try:
                calendar = BusinessCalendar.objects.filter(pk=calendar_id).first()
            except (ValueError, TypeError, DjangoValidationError):  # a malformed id is just not a calendar
                calendar = None
            if calendar is None:
                errors["calendar"] = ["No calendar has this id."]
        fields["calendar"] = calendar
    if "conditions" in values or instance is None:
        fields["conditions"] = _conditions(values.get("conditions"), errors)
    if "targets" in values or instance is None:
        for name, minutes in _targets(values.get("targets", {}), errors).items():
            fields[f"{name}_minutes"] = minutes
    if "escalate_on_breach" in values:
        if not isinstance(values["escalate_on_breach"], bool):
            errors["escalate_on_breach"] = ["Use true or false."]
        fields["escalate_on_breach"] = values["escalate_on_breach"]
    if "position" in values and values["position"] is not None:
        position = values["position"]
        if isinstance(position, bool) or not isinstance(position, int) or position < 1:
            errors["position"] = ["Give a position from 1."]
        fields["position"] = position
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else "Some fields are invalid."
        raise ValidationFailed(message, details=errors)
    return fields


def _place(policy: SlaPolicy, position: int | None) -> None:
    """Put `policy` at `position` (1-based, clamped; None: last) and number the others 1…n around
    it, under a lock on every policy so concurrent moves do not interleave."""
    others = list(SlaPolicy.objects.select_for_update().exclude(pk=policy.pk).order_by("position", "created_at"))
    index = len(others) if position is None else max(0, min(position - 1, len(others)))
    ordered = [*others[:index], policy, *others[index:]]
    changed = []
    for number, item in enumerate(ordered, start=1):
        if item.position != number:
            item.position = number
            changed.append(item)
    SlaPolicy.objects.bulk_update([item for item in changed if item.pk != policy.pk], ["position"])


def policy_create(*, actor: User, values: Mapping[str, Any]) -> SlaPolicy:
    permissions.ensure_may_configure(actor)
    fields = _policy_values(values, instance=None)
    position = fields.pop("position", None)
    with transaction.atomic():
        now = timezone.now()
        policy = SlaPolicy(**fields, position=0, created_at=now, updated_at=now)
        _place(policy, position)
        policy.save()
        transaction.on_commit(enqueue_reevaluation)
    return policy


def policy_update(*, actor: User, policy: SlaPolicy, values: Mapping[str, Any]) -> SlaPolicy:
    permissions.ensure_may_configure(actor)
    fields = _policy_values(values, instance=policy)
    position = fields.pop("position", None)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(policy, name, value)
        if position is not None:
            _place(policy, position)
        policy.updated_at = timezone.now()
        policy.save()
        transaction.on_commit(enqueue_reevaluation)
    return policy


def policy_delete(*, actor: User, policy: SlaPolicy) -> None:
    permissions.ensure_may_configure(actor)
    with transaction.atomic():
        policy.delete()
        _renumber()
        transaction.on_commit(enqueue_reevaluation)


def _renumber() -> None:
    policies = list(SlaPolicy.objects.select_for_update().order_by("position", "created_at"))
    for number, policy in enumerate(policies, start=1):
        policy.position = number
    SlaPolicy.objects.bulk_update(policies, ["position"])


def policy_matches(policy: SlaPolicy, ticket: Ticket) -> bool:
    facts = {
        "priority": ticket.priority,
        "category": ticket.category,
        "customer_role": ticket.customer.role,
        "source": ticket.source,
    }
    return all(facts.get(key) in values for key, values in (policy.conditions or {}).items())


def policy_for(ticket: Ticket, policies: Iterable[SlaPolicy] | None = None) -> SlaPolicy | None:
    """The first policy by position whose conditions the ticket meets."""
    if policies is None:
        policies = SlaPolicy.objects.select_related("calendar").order_by("position", "created_at")
    return next((policy for policy in policies if policy_matches(policy, ticket)), None)


def enqueue_reevaluation() -> None:
    """Re-evaluate the open tickets in the background (after a policy or calendar changed)."""
    try:
        task_named(REEVALUATE_TASK).delay()
    except Exception:
        logger.warning("Could not queue the re-evaluation of open tickets.", exc_info=True)


# --- a ticket's clocks ----------------------------------------------------------------------


def _timeline(ticket: Ticket) -> list[clocks.Entry]:
    """The moments that move a ticket's clocks: public messages and status changes (internal
    notes never meet a target)."""
    messages = (
        Message.objects.filter(ticket=ticket, is_internal=False)
        .filter(Q(is_from_customer=True) | Q(sender__isnull=False))
        .order_by("created_at")
        .values_list("created_at", "is_from_customer")
    )
    statuses = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS).values_list("created_at", "new_value")
    entries = [clocks.message_entry(at, from_customer=customer) for at, customer in messages]
    entries += [clocks.status_entry(at, status) for at, status in statuses if isinstance(status, str)]
    return entries


def _targets_of(policy: SlaPolicy) -> dict[str, int | None]:
    return {name: policy.minutes(name) for name in clocks.TARGETS}


def _ref(policy: SlaPolicy | None) -> dict[str, Any] | None:
    return None if policy is None else {"id": str(policy.pk), "name": policy.name}


def _outcome(ticket: Ticket, clock: clocks.Clock, *, met: bool, decided_at: datetime) -> None:
    """Record (or, for a cycle decided again — a reopened ticket resolved anew — correct) what
    came of a target."""
    assert clock.cycle is not None and clock.due_at is not None
    values = {
        "met": met,
        "due_at": clock.due_at,
        "decided_at": decided_at,
        "priority": ticket.priority,
        "agent_id": ticket.assigned_agent_id,
    }
    key = {"ticket": ticket, "target": clock.name, "cycle": clock.cycle}
    if not SlaOutcome.objects.filter(**key).update(**values):  # the ticket is locked: no race
        SlaOutcome.objects.create(**key, **values)


def _record_missed(ticket: Ticket, clock: clocks.Clock, *, actor: User | None) -> None:
    assert clock.due_at is not None
    clock.missed = True
    TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=EventKind.SLA_MISSED,
        new_value={"target": clock.name, "due_at": clock.due_at.isoformat()},
        created_at=max(timezone.now(), clock.due_at),
    )
    _outcome(ticket, clock, met=False, decided_at=clock.due_at)


def _record_met(ticket: Ticket, old: Mapping[str, clocks.Clock], new: Mapping[str, clocks.Clock]) -> None:
    """History and outcomes for the targets this evaluation finds newly met."""
    for name, clock in new.items():
        if clock.minutes is None or clock.met_at is None or clock.cycle is None:
            continue
        before = old.get(name)
        if before is not None and before.cycle == clock.cycle and before.met_at == clock.met_at:
            continue
        value: dict[str, Any] = {
            "target": name,
            "due_at": clock.due_at.isoformat() if clock.due_at else None,
            "met_at": clock.met_at.isoformat(),
        }
        if clock.missed or clock.late():
            if not clock.missed:  # met late before the alert job saw the breach: no alert after the fact
                _record_missed(ticket, clock, actor=None)
                clock.alerted = clock.warned = True
            value["late"] = True
        elif clock.due_at is not None:
            _outcome(ticket, clock, met=True, decided_at=clock.met_at)
        TicketEvent.objects.create(ticket=ticket, actor=None, kind=EventKind.SLA_MET, new_value=value)


def _set_keys(ticket: Ticket, keys: clocks.QueueKeys | None) -> None:
    """Bring the ticket's queue columns up to date (one UPDATE, only when they change)."""
    wanted = {
        "sla_next_breach_at": keys.next_breach_at if keys else None,
        "sla_at_risk_at": keys.at_risk_at if keys else None,
        "sla_breached": keys.breached if keys else False,
        "sla_tracked": keys is not None,
    }
    changed = {name: value for name, value in wanted.items() if getattr(ticket, name) != value}
    if changed:
        Ticket.objects.filter(pk=ticket.pk).update(**changed)
        for name, value in changed.items():
            setattr(ticket, name, value)


def ticket_sla_evaluate(
    *,
    ticket: Ticket,
    choose: bool = False,
    why: str = "",
    created: bool = False,
    actor: User | None = None,
    status_only: bool = False,
) -> TicketSla | None:
    """Bring a ticket's clocks up to date after a change, inside the change's transaction (the
    ticket is locked by its caller). `choose`: pick the policy again (creation, a new priority or
    category, edited policies). Records met targets in the history, keeps the queue's columns,
    and announces the new state to staff. `status_only`: the status changed and nothing else, so
    there is nothing to do unless the clocks start or stop (open → in progress moves nothing)."""
    now = timezone.now()
    state = None if created else TicketSla.objects.select_related("policy__calendar").filter(ticket=ticket).first()
    if status_only and state is not None and state.policy_id is not None:
        paused = ticket.status not in clocks.RUNNING_STATUSES
        if paused == state.paused and not (
            paused and ticket.status in clocks.DONE_STATUSES and _resolution_running(state)
        ):
            return state
    before = state.policy if state is not None else None
    policy = before
    if choose or (state is not None and state.policy_id is None):
        policy = policy_for(ticket)
    if policy is None:
        if state is not None:
            if before is not None:
                _policy_event(ticket, before, None, why=why, actor=actor)
            state.delete()
            _set_keys(ticket, None)
            publish(SlaChanged(ticket=ticket, state=None, now=now))
        return None
    old = clocks.load(state.clocks) if state is not None else {}
    new = clocks.replay(
        calendar=_calendar_of(policy.calendar),
        targets=_targets_of(policy),
        created_at=ticket.created_at,
        entries=[] if created else _timeline(ticket),
        now=now,
    )
    clocks.merge(old, new)
    _record_met(ticket, old, new)
    paused = ticket.status not in clocks.RUNNING_STATUSES
    keys = clocks.queue_keys(new, paused=paused, now=now)
    if before is None or before.pk != policy.pk:
        _policy_event(
            ticket, before, policy, why=why or ("Ticket created" if created else "Policies changed"), actor=actor
        )
    new_state = state is None
    if state is None:
        state = TicketSla(ticket=ticket)
    state.policy = policy
    state.clocks = clocks.dump(new)
    state.paused = paused
    state.next_alert_at = keys.next_alert_at
    state.evaluated_at = now
    state.version = (state.version or 0) + 1
    state.save(force_insert=new_state)
    _set_keys(ticket, keys)
    publish(SlaChanged(ticket=ticket, state=state, now=now))
    return state


def _policy_event(
    ticket: Ticket, old: SlaPolicy | None, new: SlaPolicy | None, *, why: str, actor: User | None
) -> None:
    TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=EventKind.SLA_POLICY, old_value=_ref(old), new_value=_ref(new), note=why
    )


def _resolution_running(state: TicketSla) -> bool:
    """Whether the resolution clock is still to meet (a pending ticket just resolved meets it)."""
    resolution = state.clocks.get(Target.RESOLUTION)
    return bool(resolution) and resolution.get("cycle") is not None and resolution.get("met_at") is None


def _locked_ticket(ticket_id: Any, *, skip_locked: bool = False) -> Ticket | None:
    return (
        Ticket.objects.select_for_update(of=("self",), skip_locked=skip_locked)
        .select_related("customer", "assigned_agent", "follows")
        .filter(pk=ticket_id)
        .first()
    )


REEVALUATE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.PENDING)


def tickets_reevaluate(*, batch: int = 500) -> int:
    """Choose the policy again for every open ticket, one transaction per ticket, oldest first
    (after policies or calendars changed). Returns how many were evaluated."""
    count = 0
    last: Any = None
    while True:
        page = Ticket.objects.filter(status__in=REEVALUATE_STATUSES).order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:batch])
        if not ids:
            return count
        for ticket_id in ids:
            with transaction.atomic():
                ticket = _locked_ticket(ticket_id)
                if ticket is not None and ticket.status in REEVALUATE_STATUSES:
                    ticket_sla_evaluate(ticket=ticket, choose=True, why="Policies changed")
                    count += 1
        last = ids[-1]


# --- alerts ---------------------------------------------------------------------------------


class _Claimed(Exception):
    """Another scheduler handled this ticket's alerts first."""


ALERT_BATCH = 1000


def sla_check(*, now: datetime | None = None, limit: int = ALERT_BATCH) -> int:
    """The periodic job: for every ticket whose next alert is due, send the 75% warnings and the
    breach alerts (and escalate where the policy says), each ticket in its own transaction.
    Running it twice, or from two schedulers at once, sends nothing twice. Returns the number of
    alerts sent."""
    now = now or timezone.now()
    sent = 0
    due = list(
        TicketSla.objects.filter(next_alert_at__lte=now)
        .order_by("next_alert_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for ticket_id in due:
        try:
            sent += _alert_ticket(ticket_id, now=now)
        except _Claimed:
            continue
        except OperationalError:  # a busy database (another scheduler's write): the next run retries
            logger.warning("SLA check: ticket %s was busy; it waits for the next run.", ticket_id, exc_info=True)
    return sent


def _alert_ticket(ticket_id: Any, *, now: datetime) -> int:
    with transaction.atomic():
        ticket = _locked_ticket(ticket_id, skip_locked=True)
        if ticket is None:
            return 0  # another scheduler holds it, or it is gone
        state = TicketSla.objects.select_related("policy__calendar").filter(ticket=ticket).first()
        if state is None or state.next_alert_at is None or state.next_alert_at > now:
            return 0
        if state.policy is None:  # its policy was deleted: no more alerts (re-evaluation may give it another)
            TicketSla.objects.filter(pk=ticket.pk).update(next_alert_at=None, version=F("version") + 1)
            return 0
        current = clocks.load(state.clocks)
        alerts: list[tuple[str, clocks.Clock]] = []
        for clock in current.values():
            if clock.minutes is None or not clock.active:
                continue
            if clock.due_at is not None and clock.due_at <= now and not clock.alerted:
                clock.alerted = clock.warned = True
                _record_missed(ticket, clock, actor=None)
                alerts.append((SlaAlert.BREACH, clock))
            elif clock.at_risk_at is not None and clock.at_risk_at <= now and not clock.warned:
                clock.warned = True
                alerts.append((SlaAlert.WARNING, clock))
        keys = clocks.queue_keys(current, paused=state.paused, now=now)
        claimed = TicketSla.objects.filter(pk=ticket.pk, version=state.version).update(
            clocks=clocks.dump(current), next_alert_at=keys.next_alert_at, version=F("version") + 1
        )
        if not claimed:
            raise _Claimed()
        state.clocks, state.next_alert_at, state.version = clocks.dump(current), keys.next_alert_at, state.version + 1
        _set_keys(ticket, keys)
        if alerts:
            publish(SlaChanged(ticket=ticket, state=state, now=now))
        if ticket.status in clocks.DONE_STATUSES:
            return 0  # missed while it was open and recorded so; nobody is alerted about a finished ticket
        for level, clock in alerts:
            publish(SlaAlert(ticket=ticket, actor=None, target=clock.name, level=level, due_at=clock.due_at))
        breaches = [clock for level, clock in alerts if level == SlaAlert.BREACH]
        if breaches and state.policy.escalate_on_breach:
            reason = f"SLA breach: {TARGET_LABELS[breaches[0].name].lower()}"
            support_services.ticket_escalate(ticket=ticket, actor=None, reason=reason)
        return len(alerts)
