"""The ticket list's query parameters, parsed and validated into a `TicketQuery`.

Plain parsing, without a form per request: the list is the busiest endpoint, and every invalid
parameter is still reported at once, each under its own name in `details`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk.core.errors import ValidationFailed
from desk.support.models import TAG_MAX_LENGTH, Category, Priority, Status

SEARCH_MAX_LENGTH = 200
TICKET_NUMBER = re.compile(r"#(?P<number>[1-9][0-9]{0,17})")
MULTI_VALUE_FILTERS = frozenset({"status", "priority", "category"})
CHOICES: dict[str, tuple[str, ...]] = {
    "status": tuple(Status.values),
    "priority": tuple(Priority.values),
    "category": tuple(Category.values),
}
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
# Each ordering ends in a unique tie-break, so pages never overlap or skip a ticket; each is
# served by an index of the same shape (see `Ticket.Meta.indexes`).
ORDERINGS: dict[str, tuple[str, ...]] = {
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "priority": ("priority_rank", "-created_at", "-id"),
    "-priority": ("-priority_rank", "-created_at", "-id"),
}
DEFAULT_ORDERING = "-created_at"


@dataclass(frozen=True)
class TicketQuery:
    """What the viewer asked the list for. Empty parameters mean "no filter"."""

    status: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    assigned_agent: str | uuid.UUID | None = None  # "me", "none" or a user id
    escalated: bool | None = None
    tag: str = ""
    customer: uuid.UUID | None = None
    number: int | None = None  # `?number=1042`, or `?search=#1042`
    search: str = ""
    ordering: str = DEFAULT_ORDERING
    ordering_given: bool = False


def query_values(params: Mapping[str, Any] | None) -> dict[str, str]:
    """One value per query parameter: a repeated list filter (`?status=open&status=closed`) joins
    its values as if they were comma-separated; any other repeated parameter keeps its last value."""
    if params is None:
        return {}
    getlist = getattr(params, "getlist", None)
    if getlist is None:
        return {key: "" if value is None else str(value) for key, value in params.items()}
    values: dict[str, str] = {}
    for key in params:
        items = getlist(key)
        values[key] = ",".join(items) if key in MULTI_VALUE_FILTERS else items[-1] if items else ""
    return values


def _text(value: str, *, field: str, max_length: int, errors: dict[str, list[str]]) -> str:
    value = value.strip()
    if len(value) > max_length:
        errors.setdefault(field, []).append(f"Ensure this value has at most {max_length} characters.")
    return value


def ticket_query_parse(params: Mapping[str, Any] | None) -> TicketQuery:
    """Validate the list's parameters (a QueryDict or a plain mapping); unknown ones are ignored.
    Raises `validation_error` naming every invalid parameter."""
    values = query_values(params)
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Any] = {}
    for name, allowed in CHOICES.items():
        items = [item.strip() for item in values.get(name, "").split(",") if item.strip()]
        wrong = [item for item in items if item not in allowed]
        if wrong:
            errors[name] = [f"'{wrong[0]}' is not a valid {name}; choose from: {', '.join(allowed)}."]
        parsed[name] = tuple(dict.fromkeys(items))
    agent = values.get("assigned_agent", "").strip()
    if agent in ("me", "none"):
        parsed["assigned_agent"] = agent
    elif agent:
        try:
            parsed["assigned_agent"] = uuid.UUID(agent)
        except ValueError:
            errors["assigned_agent"] = ["Use a user id, 'me' or 'none'."]
    escalated = values.get("escalated", "").strip()
    if escalated:
        if escalated in BOOLEANS:
            parsed["escalated"] = BOOLEANS[escalated]
        else:
            errors["escalated"] = ["Use true or false."]
    tag = _text(values.get("tag", ""), field="tag", max_length=TAG_MAX_LENGTH, errors=errors)
    parsed["tag"] = " ".join(tag.split()).lower()
    customer = values.get("customer", "").strip()
    if customer:
        try:
            parsed["customer"] = uuid.UUID(customer)
        except ValueError:
            errors["customer"] = ["Enter a valid customer id."]
    number = values.get("number", "").strip().lstrip("#")
    if number:
        if number.isascii() and number.isdigit() and 0 < len(number) <= 18 and int(number) > 0:
            parsed["number"] = int(number)
        else:
            errors["number"] = ["Use a ticket number, such as 1042."]
    search = _text(values.get("search", ""), field="search", max_length=SEARCH_MAX_LENGTH, errors=errors)
    search = " ".join(search.split())
    quoted = TICKET_NUMBER.fullmatch(search)
    if quoted and "number" not in errors:  # "#1042" is that ticket, not a text search
        parsed["number"], search = int(quoted["number"]), ""
    parsed["search"] = search
    ordering = values.get("ordering") or DEFAULT_ORDERING
    if ordering not in ORDERINGS:
        errors["ordering"] = [f"Order by one of: {', '.join(ORDERINGS)}."]
    parsed["ordering"] = ordering
    parsed["ordering_given"] = bool(values.get("ordering"))
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else "Some filters are invalid."
        raise ValidationFailed(message, details=errors)
    return TicketQuery(**parsed)
