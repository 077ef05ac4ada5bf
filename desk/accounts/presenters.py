"""How people are shown: pure functions from a loaded user to a plain dict, never a query.

Every response, live event, email, export and webhook that shows a person uses one of these:

- `user_data`: the account itself (the signed-in user, the admins' users API) — `UserOutput`.
- `user_brief`: a person on a ticket, for staff and the ticket's customer: id, email, name —
  `UserBrief`.
- `person`: the author of something in a conversation or its history, with no contact details:
  id, name, whether they are staff — `PersonOutput`.
- `person_ref`: the smallest mention, kept in stored records (a ticket's assignment history) and
  on staff-owned things: id and name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desk.accounts.models import User


def iso(value: datetime | None) -> str | None:
    """A datetime as the API writes it (as DRF does): ISO 8601 in UTC, with `Z`."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def display_name(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """A person's name as shown everywhere (`User.name`): first and last name, else the email."""
    return f"{first_name or ''} {last_name or ''}".strip() or (email or "")


def user_data(user: User) -> dict[str, Any]:
    return {
        "id": str(user.pk),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "name": user.name,
        "role": user.role,
        "is_staff": user.is_staff,
        "is_active": user.is_active,
        "triage": user.triage,
        "date_joined": iso(user.date_joined),
    }


def brief(pk: Any, email: str | None, first_name: str | None, last_name: str | None) -> dict[str, Any] | None:
    """`user_brief` from the columns of a row (lists read rows, not instances)."""
    if pk is None:
        return None
    return {"id": str(pk), "email": email, "name": display_name(first_name, last_name, email)}


def user_brief(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return brief(user.pk, user.email, user.first_name, user.last_name)


def person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": str(user.pk), "name": user.name, "is_staff": user.is_staff}


def person_ref(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"id": str(user.pk), "name": user.name}


def user_export(user: User) -> dict[str, Any]:
    """The profile in a person's own data export."""
    return {
        "id": str(user.pk),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "date_joined": iso(user.date_joined),
    }
