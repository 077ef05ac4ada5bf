"""What other domains add to staff's view of a ticket (desk.sla adds `sla`, the service level).

Each registers, when its app starts, a field: its name, its OpenAPI serializer field, and a
function that reads the values for a page of tickets at once (one query, whatever the page's
size). The ticket list and detail show them to staff without knowing them, so support never
imports a domain that builds on it. Customers never get these fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers


@dataclass(frozen=True)
class StaffField:
    name: str
    schema: Callable[[], serializers.Field]  # a new serializer field each time (one per serializer)
    values: Callable[[Sequence[Any]], dict[Any, Any]]  # ticket ids -> value (missing: None)


_fields: dict[str, StaffField] = {}


def register(field: StaffField) -> None:
    _fields[field.name] = field


def staff_fields() -> tuple[StaffField, ...]:
    return tuple(_fields.values())


def schema_fields() -> dict[str, serializers.Field]:
    return {field.name: field.schema() for field in staff_fields()}


def add_staff_fields(items: Iterable[dict[str, Any]], ticket_ids: Sequence[Any]) -> None:
    """Set each registered field on the items (ticket dicts, in the order of `ticket_ids`)."""
    items = list(items)
    for field in staff_fields():
        values = field.values(ticket_ids)
        for item, ticket_id in zip(items, ticket_ids, strict=True):
            item[field.name] = values.get(ticket_id)
