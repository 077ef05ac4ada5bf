"""Who may see and do what with tickets, messages and attachments: every rule in one place.

Services call these before they write; views call the same functions where a refusal must come
before the request body is read. Visibility (what a customer's queries may contain at all) is
applied as a queryset filter by `selectors`, with the predicates below.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desk.accounts.models import CUSTOMER_ROLES, User
from desk.accounts.permissions import ensure_staff, is_staff
from desk.core.errors import PermissionDenied, ValidationFailed
from desk.support.models import Attachment, Source, Status

ASSIGN_STAFF_ONLY = "Only staff may assign tickets."
ESCALATE_STAFF_ONLY = "Only staff may escalate tickets."
OPEN_FOR_SOMEONE_ELSE = "Only staff may open a ticket for someone else."

# What each side may change on a ticket.
STAFF_FIELDS = frozenset({"status", "priority", "assigned_agent", "category", "tags", "title"})
CUSTOMER_FIELDS = frozenset({"title", "status"})
# Customers close or reopen their tickets; the other statuses are staff's.
CUSTOMER_STATUSES = frozenset({Status.CLOSED, Status.OPEN})
# Where a customer's own ticket may come from; staff record email and phone tickets too.
CUSTOMER_SOURCES = frozenset({Source.WEB, Source.MOBILE})


# --- seeing ---------------------------------------------------------------------------------


def sees_every_ticket(user: User) -> bool:
    """Staff see every ticket; anyone else only the tickets they are the customer of."""
    return is_staff(user)


def sees_internal_notes(user: User) -> bool:
    return is_staff(user)


def updated_column(user: User) -> str:
    """What "updated" means to the viewer: for staff the last activity of any kind (internal notes
    included), for a customer the last change they can see."""
    return "activity_at" if sees_internal_notes(user) else "updated_at"


# --- opening tickets ------------------------------------------------------------------------


def ensure_may_open_for(*, actor: User, customer_id: Any) -> None:
    """Only staff open a ticket for someone else. Checked before any lookup of the customer, so
    a customer cannot learn which accounts exist."""
    if not is_staff(actor) and str(customer_id) != str(actor.pk):
        raise PermissionDenied(OPEN_FOR_SOMEONE_ELSE, details={"customer": ["Staff only."]})


def ensure_may_be_customer(customer: User) -> None:
    """The customer of a ticket opened by staff is an active customer-side account."""
    if customer.role not in CUSTOMER_ROLES or not customer.is_active:
        raise ValidationFailed.field("customer", "The customer must be an active customer or provider account.")


def ensure_customer_may_open(*, actor: User, customer: User | None, tags: Iterable[str] | None, source: str) -> None:
    """A customer opens tickets for themselves, from the web or the app, without tags."""
    if customer is not None and customer.pk != actor.pk:
        raise PermissionDenied(OPEN_FOR_SOMEONE_ELSE, details={"customer": ["Staff only."]})
    if tags:
        raise PermissionDenied("Only staff may tag tickets.", details={"tags": ["Staff only."]})
    if source not in CUSTOMER_SOURCES:
        raise PermissionDenied("Only staff may record email or phone tickets.", details={"source": ["Staff only."]})


# --- changing tickets -----------------------------------------------------------------------


def ensure_may_change(*, actor: User, fields: Iterable[str]) -> None:
    """Staff may change any of STAFF_FIELDS; a customer may retitle their ticket and set its status."""
    allowed = STAFF_FIELDS if is_staff(actor) else CUSTOMER_FIELDS
    refused = sorted(set(fields) - allowed)
    if refused:
        raise PermissionDenied(
            f"You may not change: {', '.join(refused)}.",
            details={name: ["You may not change this field."] for name in refused},
        )


def ensure_may_set_status(*, actor: User, status: str) -> None:
    if not is_staff(actor) and status not in CUSTOMER_STATUSES:
        raise PermissionDenied(
            "Customers may only close or reopen a ticket.", details={"status": ["Only 'closed' or 'open'."]}
        )


def ensure_may_assign(actor: User) -> None:
    ensure_staff(actor, ASSIGN_STAFF_ONLY)


def ensure_may_escalate(actor: User) -> None:
    ensure_staff(actor, ESCALATE_STAFF_ONLY)


def may_be_assigned(user: User) -> bool:
    """Tickets go to active staff only."""
    return is_staff(user) and user.is_active


# --- messages and files ---------------------------------------------------------------------


def ensure_may_write(*, sender: User, is_internal: bool) -> None:
    if is_internal and not is_staff(sender):
        raise PermissionDenied("Only staff may write internal notes.", details={"is_internal": ["Staff only."]})


def ensure_may_remove_upload(*, attachment: Attachment, user: User) -> None:
    """Your own files that are not sent yet (picked, then dropped in the composer); sent files are
    part of the conversation and stay."""
    if attachment.message_id is not None or attachment.uploaded_by_id != user.pk:
        raise PermissionDenied("Only your own files that are not sent yet can be removed.")
