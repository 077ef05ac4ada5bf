"""Reads of the staff workspace: agents with their load, canned responses, ticket history, and
the metrics dashboard (aggregate queries whose count does not grow with the data)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Avg, Count, F, FloatField, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from desk.accounts.models import CUSTOMER_ROLES, User
from desk.core.errors import NotFound, ValidationFailed
from desk.sla import selectors as sla_selectors
from desk.support.models import EventKind, Message, Priority, Status, Ticket, TicketEvent
from desk.workspace.aggregates import Median
from desk.workspace.models import CannedResponse

OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.PENDING)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)
MAX_RANGE_DAYS = 366


def agent_list_with_load() -> QuerySet[User]:
    """Active staff, each with the number of open or in-progress tickets assigned to them."""
    return (
        User.objects.filter(is_staff=True, is_active=True)
        .annotate(open_tickets=Count("assigned_tickets", filter=Q(assigned_tickets__status__in=OPEN_STATUSES)))
        .order_by("first_name", "last_name", "email")
    )


def customer_search(*, query: str = "") -> QuerySet[User]:
    """Customer-side accounts for staff pickers (opening a ticket on someone's behalf), each word
    of the query matched on email or name, with their ticket count."""
    customers = User.objects.filter(role__in=[r.value for r in CUSTOMER_ROLES], is_active=True)
    for word in query.split()[:5]:  # every word must match the email or a name ("dave prov")
        customers = customers.filter(
            Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    return customers.annotate(ticket_count=Count("tickets")).order_by("email")


def canned_responses_for(*, user: User, search: str = "") -> QuerySet[CannedResponse]:
    responses = CannedResponse.objects.filter(Q(shared=True) | Q(owner=user)).select_related("owner")
    search = " ".join(search.split())
    if search:
        responses = responses.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return responses.order_by("title", "id")


def canned_response_get_for(*, user: User, response_id: Any) -> CannedResponse:
    """A canned response the user may see (shared, or their own), or `not_found`."""
    try:
        pk = uuid.UUID(str(response_id))
    except ValueError as exc:
        raise NotFound("Canned response not found.") from exc
    response = canned_responses_for(user=user).filter(pk=pk).first()
    if response is None:
        raise NotFound("Canned response not found.")
    return response


def ticket_history_for(*, ticket: Ticket) -> QuerySet[TicketEvent]:
    return TicketEvent.objects.filter(ticket=ticket).select_related("actor").order_by("-created_at", "-id")


# --- metrics --------------------------------------------------------------------------------


class SecondsBetween(Func):
    """end - start in seconds, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"((julianday({end}) - julianday({start})) * 86400.0)", [*end_params, *start_params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"EXTRACT(EPOCH FROM ({end} - {start}))::float", [*end_params, *start_params]


def parse_timezone(raw: str | None) -> tzinfo:
    """The viewer's time zone (an IANA name such as Europe/Lisbon) for counting days; UTC by default."""
    if not raw:
        return UTC
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed.field("tz", "Use a time zone name such as Europe/Lisbon.") from exc


def parse_range(
    raw_from: str | None, raw_to: str | None, *, today: date | None = None, tz: tzinfo = UTC
) -> tuple[date, date]:
    """`from`/`to` as YYYY-MM-DD, both inclusive; the last 30 days (to today in `tz`) by default."""
    today = today or timezone.localdate(timezone.now(), tz)
    try:
        end = date.fromisoformat(raw_to) if raw_to else today
    except ValueError as exc:
        raise ValidationFailed.field("to", "Use a date like 2026-01-31.") from exc
    try:
        start = date.fromisoformat(raw_from) if raw_from else end - timedelta(days=29)
    except ValueError as exc:
        raise ValidationFailed.field("from", "Use a date like 2026-01-01.") from exc
    if start > end:
        raise ValidationFailed.field("from", "The start of the range is after its end.")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValidationFailed.field("from", f"A range can span at most {MAX_RANGE_DAYS} days.")
    return start, end


def _summary(tickets: QuerySet[Ticket], field: str) -> dict[str, Any]:
    seconds = SecondsBetween(F(field), F("created_at"))
    row = tickets.filter(**{f"{field}__isnull": False}).aggregate(
        count=Count("pk"), median_seconds=Median(seconds), mean_seconds=Avg(seconds)
    )
    return {key: (round(value, 1) if isinstance(value, float) else value) for key, value in row.items()}


def metrics_for_range(*, start: date, end: date, tz: tzinfo = UTC) -> dict[str, Any]:
    """The dashboard's figures for tickets created from `start` to `end` (inclusive days in the
    viewer's time zone), plus the current backlog. Every figure is an aggregate query."""
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    first_reply = (
        Message.objects.filter(
            ticket=OuterRef("pk"), is_from_customer=False, is_internal=False, created_at__gt=OuterRef("created_at")
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    resolved = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), kind=EventKind.STATUS, new_value__in=list(DONE_STATUSES))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    in_range = Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
    measured = in_range.annotate(first_reply_at=Subquery(first_reply), resolved_at=Subquery(resolved))
    done = measured.filter(status__in=DONE_STATUSES)

    per_day = dict(
        in_range.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    status_counts = dict(in_range.values("status").annotate(count=Count("pk")).values_list("status", "count"))
    backlog = Ticket.objects.filter(status__in=OPEN_STATUSES)
    backlog_status = dict(backlog.values("status").annotate(count=Count("pk")).values_list("status", "count"))
    backlog_priority = dict(backlog.values("priority").annotate(count=Count("pk")).values_list("priority", "count"))
    created = sum(status_counts.values())
    done_count = sum(status_counts.get(status, 0) for status in DONE_STATUSES)

    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "tickets_created": created,
        "created_per_day": [
            {
                "date": (start + timedelta(days=offset)).isoformat(),
                "count": per_day.get(start + timedelta(days=offset), 0),
            }
            for offset in range((end - start).days + 1)
        ],
        "status_counts": {status: status_counts.get(status, 0) for status in Status.values},
        "backlog": {
            "by_status": {status: backlog_status.get(status, 0) for status in OPEN_STATUSES},
            "by_priority": {priority: backlog_priority.get(priority, 0) for priority in Priority.values},
        },
        "first_response": _summary(measured, "first_reply_at"),
        "resolution": _summary(done, "resolved_at"),
        "resolution_rate": round(done_count / created, 4) if created else None,
        "agents": _agent_metrics(measured),
        "sla": sla_selectors.sla_attainment(since=since, until=until),
    }


def _agent_metrics(measured: QuerySet[Ticket]) -> list[dict[str, Any]]:
    seconds = SecondsBetween(F("first_reply_at"), F("created_at"))
    per_agent = {
        row["assigned_agent"]: row
        for row in measured.filter(assigned_agent__isnull=False)
        .values("assigned_agent")
        .annotate(
            resolved_count=Count("pk", filter=Q(status__in=DONE_STATUSES)),
            median_first_response_seconds=Median(seconds),
        )
    }
    agents = agent_list_with_load()
    return [
        {
            "id": str(agent.pk),
            "name": agent.name,
            "email": agent.email,
            "open_load": agent.open_tickets,
            "resolved_count": per_agent.get(agent.pk, {}).get("resolved_count", 0),
            "median_first_response_seconds": _round(per_agent.get(agent.pk, {}).get("median_first_response_seconds")),
        }
        for agent in agents
    ]


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None
