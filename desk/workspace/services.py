"""Writes of the staff workspace: canned responses and bulk actions on tickets.

Bulk actions go through the ticket services one ticket at a time inside one transaction, so each
ticket keeps every rule and gets its history entry, and a single refusal undoes the whole batch.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from desk.accounts.models import User
from desk.core.audit import audit_record
from desk.core.errors import ApplicationError, ValidationFailed
from desk.core.text import single_line
from desk.support import services as ticket_services
from desk.support.models import Priority, Status, Ticket
from desk.workspace.models import CANNED_BODY_MAX, CANNED_TITLE_MAX, CannedResponse
from desk.workspace.permissions import ensure_may_edit_canned, ensure_workspace_user

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PLACEHOLDERS = ("customer_first_name", "customer_name", "ticket_title", "agent_name", "agent_first_name")
BULK_MAX = 100
BULK_ACTIONS = ("assign", "set_status", "set_priority", "add_tag", "remove_tag")


# --- canned responses -----------------------------------------------------------------------


def _clean_canned(*, title: Any, body: Any) -> tuple[str, str]:
    title = single_line(title or "") if isinstance(title, str) else ""
    body = (body or "").strip() if isinstance(body, str) else ""
    if not title:
        raise ValidationFailed.field("title", "The title cannot be empty.")
    if len(title) > CANNED_TITLE_MAX:
        raise ValidationFailed.field("title", f"The title can be at most {CANNED_TITLE_MAX} characters.")
    if not body:
        raise ValidationFailed.field("body", "The text cannot be empty.")
    if len(body) > CANNED_BODY_MAX:
        raise ValidationFailed.field("body", f"The text can be at most {CANNED_BODY_MAX} characters.")
    unknown = sorted({name for name in PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})
    if unknown:
        allowed = ", ".join("{{" + name + "}}" for name in PLACEHOLDERS)
        raise ValidationFailed.field("body", f"Unknown placeholder(s): {', '.join(unknown)}. Use: {allowed}.")
    return title, body


def canned_response_create(*, owner: User, title: str, body: str, shared: bool = False) -> CannedResponse:
    ensure_workspace_user(owner)
    title, body = _clean_canned(title=title, body=body)
    with transaction.atomic():
        response = CannedResponse.objects.create(owner=owner, title=title, body=body, shared=bool(shared))
        audit_record(actor=owner, action="canned_response.created", target=response, details={"title": title})
    return response


def canned_response_update(*, response: CannedResponse, user: User, changes: dict[str, Any]) -> CannedResponse:
    ensure_may_edit_canned(response, user)
    title, body = _clean_canned(title=changes.get("title", response.title), body=changes.get("body", response.body))
    response.title, response.body = title, body
    if "shared" in changes:
        response.shared = bool(changes["shared"])
    response.updated_at = timezone.now()
    with transaction.atomic():
        response.save()
        audit_record(actor=user, action="canned_response.updated", target=response, details={"title": title})
    return response


def canned_response_delete(*, response: CannedResponse, user: User) -> None:
    ensure_may_edit_canned(response, user)
    with transaction.atomic():
        audit_record(actor=user, action="canned_response.deleted", target=response, details={"title": response.title})
        response.delete()


def canned_response_render(*, response: CannedResponse, ticket: Ticket, agent: User) -> str:
    """Fill the placeholders for a ticket. The result is plain text for the composer."""
    customer = ticket.customer
    values = {
        "customer_first_name": customer.first_name or customer.name,
        "customer_name": customer.name,
        "ticket_title": ticket.title,
        "agent_name": agent.name,
        "agent_first_name": agent.first_name or agent.name,
    }
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), response.body)


# --- bulk actions ---------------------------------------------------------------------------


def _bulk_ids(ticket_ids: Any) -> list[uuid.UUID]:
    if not isinstance(ticket_ids, (list, tuple)) or not ticket_ids:
        raise ValidationFailed.field("ticket_ids", "Give a list of 1 to 100 ticket ids.")
    if len(ticket_ids) > BULK_MAX:
        raise ValidationFailed.field("ticket_ids", f"At most {BULK_MAX} tickets at once.")
    parsed: list[uuid.UUID] = []
    for value in ticket_ids:
        try:
            parsed.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValidationFailed.field("ticket_ids", f"'{value}' is not a valid ticket id.") from exc
    if len(set(parsed)) != len(parsed):
        raise ValidationFailed.field("ticket_ids", "A ticket id appears twice.")
    return parsed


def _bulk_value(action: str, value: Any) -> Any:
    if action not in BULK_ACTIONS:
        raise ValidationFailed.field("action", f"Choose one of: {', '.join(BULK_ACTIONS)}.")
    if action == "set_status" and value not in Status.values:
        raise ValidationFailed.field("value", f"Choose a status: {', '.join(Status.values)}.")
    if action == "set_priority" and value not in Priority.values:
        raise ValidationFailed.field("value", f"Choose a priority: {', '.join(Priority.values)}.")
    if action in ("add_tag", "remove_tag"):
        if not isinstance(value, str):
            raise ValidationFailed.field("value", "Give the tag as a string.")
        return ticket_services.clean_tags([value])[0]
    return value


def ticket_bulk_update(*, actor: User, ticket_ids: Sequence[Any], action: str, value: Any = None) -> list[Ticket]:
    """Apply one action to up to 100 tickets: all of them change, or none does."""
    ensure_workspace_user(actor)
    ids = _bulk_ids(ticket_ids)
    value = _bulk_value(action, value)
    with transaction.atomic():
        tickets = {ticket.pk: ticket for ticket in Ticket.objects.select_for_update().filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in tickets]
        if missing:
            raise ValidationFailed(
                f"{len(missing)} of the tickets do not exist; nothing was changed.",
                details={"ticket_ids": [f"Unknown ticket: {pk}" for pk in missing]},
            )
        updated = []
        for pk in ids:
            ticket = tickets[pk]
            try:
                updated.append(_bulk_apply(ticket, actor=actor, action=action, value=value))
            except ApplicationError as exc:
                exc.message = f"Ticket {pk}: {exc.message} Nothing was changed."
                exc.details = {**exc.details, "ticket_ids": [f"Refused for ticket: {pk}"], "failed_ticket": [str(pk)]}
                raise
        audit_record(
            actor=actor,
            action="tickets.bulk_update",
            details={
                "action": action,
                "value": str(value) if value is not None else None,
                "ticket_ids": [str(pk) for pk in ids],
            },
        )
    return updated


def _bulk_apply(ticket: Ticket, *, actor: User, action: str, value: Any) -> Ticket:
    if action == "assign":
        return ticket_services.ticket_assign(ticket=ticket, actor=actor, agent_id=value)
    if action == "set_status":
        return ticket_services.ticket_update(ticket=ticket, actor=actor, changes={"status": value})
    if action == "set_priority":
        return ticket_services.ticket_update(ticket=ticket, actor=actor, changes={"priority": value})
    tags = list(ticket.tags)
    if action == "add_tag" and value not in tags:
        tags.append(value)
    elif action == "remove_tag" and value in tags:
        tags.remove(value)
    return ticket_services.ticket_update(ticket=ticket, actor=actor, changes={"tags": tags})
