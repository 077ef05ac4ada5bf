"""Reads on tickets, messages and attachments, each already narrowed to what the viewer may see.

Visibility lives in one place (`ticket_visible_to`); every endpoint starts from it. Selectors that
feed serializers do their own joins and annotations so serializers run no queries.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from desk.accounts.models import User
from desk.core.errors import NotFound, TicketNotFound, ValidationFailed
from desk.support.filters import TicketFilter
from desk.support.models import PRIORITY_RANK, Attachment, Message, Ticket

SNIPPET_LENGTH = 100

PRIORITY_RANK_EXPRESSION = Case(
    *[When(priority=name, then=Value(rank)) for name, rank in PRIORITY_RANK.items()],
    output_field=IntegerField(),
)


def ticket_visible_to(user: User) -> QuerySet[Ticket]:
    """Every ticket query starts here: staff see all tickets, customers only their own."""
    tickets = Ticket.objects.all()
    if not user.is_staff:
        tickets = tickets.filter(customer=user)
    return tickets


def messages_visible_to(user: User) -> QuerySet[Message]:
    messages = Message.objects.all()
    if not user.is_staff:
        messages = messages.filter(is_internal=False)
    return messages


def _unread_filter(user: User) -> Q:
    if user.is_staff:
        return Q(is_from_customer=True, read_by_staff=False)
    return Q(is_from_customer=False, is_internal=False, read_by_customer=False)


class SubqueryCount(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def with_list_annotations(tickets: QuerySet[Ticket], *, user: User) -> QuerySet[Ticket]:
    """Annotate each ticket with the viewer's last-message snippet and unread count, in SQL."""
    visible = messages_visible_to(user).filter(ticket=OuterRef("pk"))
    latest_text = visible.order_by("-created_at", "-id").values("message_text")[:1]
    unread = visible.filter(_unread_filter(user)).values("id")
    return tickets.annotate(
        last_message_snippet=Substr(Subquery(latest_text), 1, SNIPPET_LENGTH),
        unread_count=Coalesce(SubqueryCount(unread), 0),
    )


def search_tickets(tickets: QuerySet[Ticket], *, query: str, user: User) -> QuerySet[Ticket]:
    """Match the words of `query` against the title and the text of messages the viewer may see."""
    query = " ".join(query.split())
    if not query:
        return tickets
    matches = messages_visible_to(user).filter(ticket=OuterRef("pk"), message_text__icontains=query)
    return tickets.filter(Q(title__icontains=query) | Exists(matches))


ORDERINGS = {
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "priority": ("priority_rank", "-created_at", "-id"),
    "-priority": ("-priority_rank", "-created_at", "-id"),
}


MULTI_VALUE_FILTERS = frozenset({"status", "priority", "category"})


def _query_values(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """One value per query parameter: a repeated list filter (`?status=open&status=closed`) joins
    its values as if they were comma-separated; any other repeated parameter keeps its last value."""
    if params is None:
        return {}
    getlist = getattr(params, "getlist", None)
    if getlist is None:
        return dict(params)
    values: dict[str, Any] = {}
    for key in params:
        items = getlist(key)
        values[key] = ",".join(items) if key in MULTI_VALUE_FILTERS else items[-1] if items else ""
    return values


def ticket_list_for(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Ticket]:
    """The tickets the user may see, filtered, searched and ordered per the API's query
    parameters (a QueryDict or a plain mapping; invalid values raise a validation error)."""
    filters = _query_values(filters)
    tickets = ticket_visible_to(user)
    filterset = TicketFilter(filters, queryset=tickets, request_user=user)
    tickets = filterset.qs_or_error()
    search = filterset.form.cleaned_data.get("search")
    if search:
        tickets = search_tickets(tickets, query=search, user=user)
    ordering = filters.get("ordering") or "-created_at"
    if ordering not in ORDERINGS:
        raise ValidationFailed.field("ordering", f"Order by one of: {', '.join(ORDERINGS)}.")
    if "priority_rank" in ORDERINGS[ordering][0]:
        tickets = tickets.annotate(priority_rank=PRIORITY_RANK_EXPRESSION)
    tickets = tickets.order_by(*ORDERINGS[ordering])
    return with_list_annotations(tickets.select_related("assigned_agent", "customer"), user=user)


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
        return ticket_visible_to(user).select_related("customer", "assigned_agent").get(pk=pk)
    except (Ticket.DoesNotExist, DjangoValidationError) as exc:
        raise TicketNotFound() from exc


def attachments_visible_to(user: User) -> QuerySet[Attachment]:
    """Staff see every file. A customer sees files on their own tickets that belong to a message
    they can see, and their own uploads that are not sent yet."""
    attachments = Attachment.objects.all()
    if user.is_staff:
        return attachments
    return attachments.filter(ticket__customer=user).filter(
        Q(message__isnull=False, message__is_internal=False) | Q(message__isnull=True, uploaded_by=user)
    )


def ticket_messages_for(*, user: User, ticket: Ticket) -> QuerySet[Message]:
    """The ticket's conversation as the viewer may see it, oldest first, with senders and files."""
    return (
        messages_visible_to(user)
        .filter(ticket=ticket)
        .select_related("sender")
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
