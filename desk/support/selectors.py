"""Reads on tickets, messages and attachments, each already narrowed to what the viewer may see.

Visibility lives in one place (`ticket_visible_to`, with the rules of `permissions`); every endpoint
starts from it. Selectors load what the presenters show (joins, prefetches, annotations), so that
shaping a response runs no queries.

The ticket list is built to stay fast at a million tickets (bench/README.md): the page's ids are
chosen first from an index of the requested order, and only those rows are joined and annotated;
the count is bounded (`desk.core.pagination`); search uses PostgreSQL full-text search
(`desk.support.search`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from desk.accounts.models import User
from desk.core.errors import NotFound, TicketNotFound
from desk.core.pagination import Page, PageRequest, queryset_page
from desk.support import permissions, search
from desk.support.filters import ORDERINGS, TicketQuery, ticket_query_parse
from desk.support.models import Attachment, Message, Ticket

SNIPPET_LENGTH = 100

# The columns of one row of the list, as `ticket_page_for` returns them.
LIST_ROW_FIELDS = (
    "follows_id",
    "follows__number",
    "follows__title",
    "id",
    "number",
    "title",
    "status",
    "priority",
    "category",
    "escalated",
    "source",
    "tags",
    "created_at",
    "updated_at",
    "closed_at",
    "assigned_agent_id",
    "assigned_agent__email",
    "assigned_agent__first_name",
    "assigned_agent__last_name",
    "customer_id",
    "customer__email",
    "customer__first_name",
    "customer__last_name",
    "last_message_snippet",
    "unread_count",
)


def _ordering_for(name: str, *, user: User) -> tuple[Any, ...]:
    column = permissions.updated_column(user)
    parts = tuple(part.replace("updated_at", column) for part in ORDERINGS[name])
    if name == "sla":  # nulls last on every database (PostgreSQL's ascending index has them last)
        return (F(parts[0]).asc(nulls_last=True), *parts[1:])
    return parts


def _sla_filter(states: tuple[str, ...], *, now: Any) -> Q:
    """`?sla=`: a target missed (flagged by the alert job, or due and not met yet); at risk (less
    than a quarter of the time left); ok; or no policy at all."""
    overdue = Q(sla_breached=True) | Q(sla_next_breach_at__lte=now)
    risky = Q(sla_at_risk_at__lte=now)
    conditions = {
        "breached": Q(sla_tracked=True) & overdue,
        "at_risk": Q(sla_tracked=True) & ~overdue & risky,
        "ok": Q(sla_tracked=True) & ~overdue & ~Q(sla_at_risk_at__lte=now),
        "none": Q(sla_tracked=False),
    }
    combined = Q()
    for state in states:
        combined |= conditions[state]
    return combined


def ticket_visible_to(user: User) -> QuerySet[Ticket]:
    """Every ticket query starts here: staff see all tickets, customers only their own."""
    tickets = Ticket.objects.all()
    if not permissions.sees_every_ticket(user):
        tickets = tickets.filter(customer=user)
    return tickets


def messages_visible_to(user: User) -> QuerySet[Message]:
    messages = Message.objects.all()
    if not permissions.sees_internal_notes(user):
        messages = messages.filter(is_internal=False)
    return messages


def _unread_filter(user: User) -> Q:
    if permissions.sees_internal_notes(user):
        return Q(is_from_customer=True, read_by_staff=False)
    return Q(is_from_customer=False, is_internal=False, read_by_customer=False)


class SubqueryCount(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def with_list_annotations(tickets: QuerySet[Ticket], *, user: User) -> QuerySet[Ticket]:
    """Annotate each ticket with the viewer's last-message snippet and unread count, in SQL."""
    visible = messages_visible_to(user).filter(ticket=OuterRef("pk"))
    latest_text = visible.order_by("-created_at", "-id").values("message_text")[:1]
    unread = visible.filter(_unread_filter(user)).order_by().values("id")
    return tickets.annotate(
        last_message_snippet=Substr(Subquery(latest_text), 1, SNIPPET_LENGTH),
        unread_count=Coalesce(SubqueryCount(unread), 0),
    )


def ticket_matching(*, user: User, query: TicketQuery) -> QuerySet[Ticket]:
    """The tickets the user may see that match the query's filters and search (not ordered)."""
    tickets = ticket_visible_to(user)
    if query.status:
        tickets = tickets.filter(status__in=query.status)
    if query.priority:
        tickets = tickets.filter(priority__in=query.priority)
    if query.category:
        tickets = tickets.filter(category__in=query.category)
    if query.assigned_agent == "me":
        tickets = tickets.filter(assigned_agent=user)
    elif query.assigned_agent == "none":
        tickets = tickets.filter(assigned_agent__isnull=True)
    elif query.assigned_agent is not None:
        tickets = tickets.filter(assigned_agent_id=query.assigned_agent)
    if query.escalated is not None:
        tickets = tickets.filter(escalated=query.escalated)
    if query.tag:
        tickets = tickets.filter(tags__has_tag=query.tag)
    if query.customer is not None:
        tickets = tickets.filter(customer_id=query.customer)
    if query.number is not None:
        tickets = tickets.filter(number=query.number)
    if query.sla:
        tickets = tickets.filter(_sla_filter(query.sla, now=timezone.now()))
    if query.search:
        tickets = search.tickets_matching(tickets, text=query.search, user=user, messages=messages_visible_to(user))
    return tickets


def ticket_page_for(*, user: User, filters: Mapping[str, Any] | None, page: PageRequest) -> Page:
    """One page of the list as rows (LIST_ROW_FIELDS), with a count that stays cheap at any size.

    Without a search, the page's ids are read first from the index of the requested order (a
    deferred join), then only those rows are joined and annotated. A search ranks its candidates
    first (`desk.support.search`)."""
    query = ticket_query_parse(filters, staff=permissions.sees_every_ticket(user))
    matching = ticket_matching(user=user, query=query)
    if query.search and search.ranks_in_database():
        return search.ticket_page(
            matching,
            text=query.search,
            user=user,
            ordering=query.ordering if query.ordering_given else None,
            page=page,
            rows=lambda ids: _rows_for_ids(ids, user=user),
        )
    ordering = _ordering_for(query.ordering, user=user)

    def fetch(offset: int, limit: int) -> list[dict[str, Any]]:
        window = matching.order_by(*ordering).values("pk")[offset : offset + limit]
        return _rows(Ticket.objects.filter(pk__in=window), user=user, ordering=ordering)

    return queryset_page(matching, page, fetch=fetch)


def _rows(tickets: QuerySet[Ticket], *, user: User, ordering: tuple[str, ...]) -> list[dict[str, Any]]:
    column = permissions.updated_column(user)  # read as the row's `updated_at`
    fields = [column if field == "updated_at" else field for field in LIST_ROW_FIELDS]
    rows = list(with_list_annotations(tickets, user=user).order_by(*ordering).values(*fields))
    if column != "updated_at":
        for row in rows:
            row["updated_at"] = row.pop(column)
    return rows


def _rows_for_ids(ids: list[Any], *, user: User) -> list[dict[str, Any]]:
    """The list rows of these tickets, in the order of `ids`."""
    rows = {row["id"]: row for row in _rows(Ticket.objects.filter(pk__in=ids), user=user, ordering=("pk",))}
    return [rows[pk] for pk in ids if pk in rows]


def _parse_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        return None


def ticket_get_for(*, user: User, ticket_id: Any, for_update: bool = False) -> Ticket:
    """One ticket the user may see, or `ticket_not_found` (never revealing that it exists)."""
    pk = _parse_uuid(ticket_id)
    if pk is None:
        raise TicketNotFound()
    try:
        return ticket_visible_to(user).select_related("customer", "assigned_agent", "follows").get(pk=pk)
    except (Ticket.DoesNotExist, DjangoValidationError) as exc:
        raise TicketNotFound() from exc


def attachments_visible_to(user: User) -> QuerySet[Attachment]:
    """Staff see every file. A customer sees files on their own tickets that belong to a message
    they can see, and their own uploads that are not sent yet."""
    attachments = Attachment.objects.all()
    if permissions.sees_every_ticket(user):
        return attachments
    return attachments.filter(ticket__customer=user).filter(
        Q(message__isnull=False, message__is_internal=False) | Q(message__isnull=True, uploaded_by=user)
    )


def ticket_messages_for(*, user: User, ticket: Ticket) -> QuerySet[Message]:
    """The ticket's conversation as the viewer may see it, oldest first, with senders and files."""
    return (
        messages_visible_to(user)
        .filter(ticket=ticket)
        .select_related("sender", "entered_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")))
        .order_by("created_at", "id")
    )


def attachment_get_for(*, user: User, attachment_id: Any) -> Attachment:
    pk = _parse_uuid(attachment_id)
    if pk is None:
        raise NotFound("Attachment not found.")
    attachment = attachments_visible_to(user).filter(pk=pk).first()
    if attachment is None:
        raise NotFound("Attachment not found.")
    return attachment


def messages_written_by(*, user: User) -> QuerySet[Message]:
    """Every message the user wrote, oldest first, with its ticket (a staff member's export)."""
    return Message.objects.filter(sender=user).select_related("ticket").order_by("created_at", "id")


def tickets_of(*, customer: User) -> QuerySet[Ticket]:
    """The customer's own tickets, oldest first (their export)."""
    return Ticket.objects.filter(customer=customer).order_by("created_at", "id")
