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
MULTI_VALUE_FILTERS = frozenset({"status", "priority", "category", "sla"})
CHOICES: dict[str, tuple[str, ...]] = {
    "status": tuple(Status.values),
    "priority": tuple(Priority.values),
    "category": tuple(Category.values),
}
# Service-level states a staff queue filters on (`?sla=breached,at_risk`; see docs/sla.md).
SLA_STATES = ("breached", "at_risk", "ok", "none")
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
    # Soonest breach first, overdue ones first of all, tickets without a due time last (staff only).
    "sla": ("sla_next_breach_at", "created_at", "id"),
}
STAFF_ONLY_ORDERINGS = frozenset({"sla"})
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
    sla: tuple[str, ...] = ()  # staff only
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


def ticket_query_parse(params: Mapping[str, Any] | None, *, staff: bool = False) -> TicketQuery:
    """Validate the list's parameters (a QueryDict or a plain mapping); unknown ones are ignored.
    Service-level filters and ordering exist for `staff` only. Raises `validation_error` naming
    every invalid parameter."""
    values = query_values(params)
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Any] = {}
    for name, allowed in CHOICES.items():
        items = [item.strip() for item in values.get(name, "").split(",") if item.strip()]
        wrong = [item for item in items if item not in allowed]
        if wrong:
            errors[name] = [f"'{wrong[0]}' is not a valid {name}; choose from: {', '.join(allowed)}."]
        parsed[name] = tuple(dict.fromkeys(items))
    sla = [item.strip() for item in values.get("sla", "").split(",") if item.strip()]
    if sla and not staff:
        errors["sla"] = ["Only staff filter by service level."]
    elif any(item not in SLA_STATES for item in sla):
        wrong = next(item for item in sla if item not in SLA_STATES)
        errors["sla"] = [f"'{wrong}' is not a valid sla; choose from: {', '.join(SLA_STATES)}."]
    parsed["sla"] = tuple(dict.fromkeys(sla))
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
    offered = [name for name in ORDERINGS if staff or name not in STAFF_ONLY_ORDERINGS]
    if ordering not in offered:
        errors["ordering"] = [f"Order by one of: {', '.join(offered)}."]
    parsed["ordering"] = ordering
    parsed["ordering_given"] = bool(values.get("ordering"))
    if errors:
        message = next(iter(errors.values()))[0] if len(errors) == 1 else "Some filters are invalid."
        raise ValidationFailed(message, details=errors)
    return TicketQuery(**parsed)
