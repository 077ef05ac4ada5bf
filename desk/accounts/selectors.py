"""Reads on users for the admins' users API: the list with its filters, and one user by id."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from desk.accounts.models import Role, User
from desk.core.errors import NotFound, ValidationFailed

SEARCH_MAX_LENGTH = 200
USER_ORDERINGS = {
    "email": ("email", "id"),
    "-email": ("-email", "-id"),
    "date_joined": ("date_joined", "id"),
    "-date_joined": ("-date_joined", "-id"),
}
BOOLEAN_CHOICES = [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]


class RoleInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`?role=agent,admin`: a comma-separated list of roles."""


class UserFilter(django_filters.FilterSet):
    role = RoleInFilter(choices=Role.choices)
    is_active = django_filters.ChoiceFilter(choices=BOOLEAN_CHOICES, method="filter_is_active")
    search = django_filters.CharFilter(method="filter_search", max_length=SEARCH_MAX_LENGTH)
    ordering = django_filters.ChoiceFilter(choices=[(key, key) for key in USER_ORDERINGS], method="filter_ordering")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_is_active(self, users: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return users.filter(is_active=value in ("true", "1"))

    def filter_search(self, users: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        """Every word must appear in the email, the first name or the last name."""
        for word in value.split():
            users = users.filter(
                Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
        return users

    def filter_ordering(self, users: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return users.order_by(*USER_ORDERINGS[value])


def user_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[User]:
    """Every account (customers, providers, agents, admins), filtered by `role` (comma-separated),
    `is_active` and `search` (words in the email or name), ordered by email unless `ordering` says
    otherwise. Invalid filter values raise a validation error."""
    filterset = UserFilter(filters or {}, queryset=User.objects.order_by(*USER_ORDERINGS["email"]))
    if not filterset.is_valid():
        details = {field: [str(m) for m in messages] for field, messages in filterset.errors.items()}
        raise ValidationFailed("Some filters are invalid.", details=details)
    return filterset.qs


def user_get(*, user_id: Any) -> User:
    """One account by id, or `not_found`."""
    try:
        pk = user_id if isinstance(user_id, uuid.UUID) else uuid.UUID(str(user_id))
    except (ValueError, AttributeError, TypeError) as exc:
        raise NotFound("User not found.") from exc
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise NotFound("User not found.")
    return user
