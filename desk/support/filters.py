"""The ticket list's query parameters, parsed and validated (django-filter)."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet

from desk.accounts.models import User
from desk.core.errors import ValidationFailed
from desk.support.models import TAG_MAX_LENGTH, Category, Priority, Status, Ticket


class ChoiceInFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """`?status=open,in_progress`: a comma-separated list, each value one of the choices."""


class AgentField(forms.CharField):
    """`me`, `none`, or a user id."""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in ("", None):
            return None
        if value in ("me", "none"):
            return value
        try:
            return uuid.UUID(value)
        except ValueError as exc:
            raise forms.ValidationError("Use a user id, 'me' or 'none'.") from exc


class AgentFilter(filters.Filter):
    field_class = AgentField


SEARCH_MAX_LENGTH = 200

BOOLEAN_CHOICES = [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]


class TicketFilter(filters.FilterSet):
    status = ChoiceInFilter(choices=Status.choices)
    priority = ChoiceInFilter(choices=Priority.choices)
    category = ChoiceInFilter(choices=Category.choices)
    assigned_agent = AgentFilter(method="filter_assigned_agent")
    escalated = filters.ChoiceFilter(choices=BOOLEAN_CHOICES, method="filter_escalated")
    tag = filters.CharFilter(method="filter_tag", max_length=TAG_MAX_LENGTH)
    # A customer's tickets (for staff; a customer's own list is already only theirs).
    customer = filters.UUIDFilter(field_name="customer_id")
    # Validated here (length, no NUL characters); applied by `selectors.search_tickets`.
    search = filters.CharFilter(method="filter_search", max_length=SEARCH_MAX_LENGTH)

    class Meta:
        model = Ticket
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, request_user: User | None = None, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.request_user = request_user

    def filter_assigned_agent(self, tickets: QuerySet[Ticket], name: str, value: Any) -> QuerySet[Ticket]:
        if value == "me":
            return tickets.filter(assigned_agent=self.request_user)
        if value == "none":
            return tickets.filter(assigned_agent__isnull=True)
        return tickets.filter(assigned_agent_id=value)

    def filter_escalated(self, tickets: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return tickets.filter(escalated=value in ("true", "1"))

    def filter_tag(self, tickets: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        tag = " ".join(value.split()).lower()
        return tickets.filter(tags__has_tag=tag) if tag else tickets

    def filter_search(self, tickets: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return tickets

    def qs_or_error(self) -> QuerySet[Ticket]:
        if not self.is_valid():
            details = {field: [str(m) for m in messages] for field, messages in self.errors.items()}
            raise ValidationFailed("Some filters are invalid.", details=details)
        return self.qs
