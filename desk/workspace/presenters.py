"""How the staff workspace's things are shown: pure functions from loaded instances (with the
selectors' annotations) to plain dicts, never a query."""

from __future__ import annotations

from typing import Any

from desk.accounts.models import User
from desk.accounts.presenters import iso, person_ref
from desk.workspace.models import CannedResponse


def agent_data(agent: User) -> dict[str, Any]:
    """An active staff member with their load (`selectors.agent_list_with_load`)."""
    return {
        "id": str(agent.pk),
        "email": agent.email,
        "name": agent.name,
        "role": agent.role,
        "open_tickets": agent.open_tickets,  # type: ignore[attr-defined]
    }


def customer_data(customer: User) -> dict[str, Any]:
    """A customer-side account with their ticket count (`selectors.customer_search`)."""
    return {
        "id": str(customer.pk),
        "email": customer.email,
        "name": customer.name,
        "role": customer.role,
        "ticket_count": customer.ticket_count,  # type: ignore[attr-defined]
    }


def canned_response_data(response: CannedResponse, *, can_edit: bool) -> dict[str, Any]:
    """A canned response with its owner (loaded) and whether the viewer may change it
    (`permissions.may_edit_canned`)."""
    return {
        "id": str(response.pk),
        "title": response.title,
        "body": response.body,
        "shared": response.shared,
        "owner": person_ref(response.owner),
        "can_edit": can_edit,
        "created_at": iso(response.created_at),
        "updated_at": iso(response.updated_at),
    }
