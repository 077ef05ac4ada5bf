"""Account changes that other domains follow, each in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from desk.accounts import services as account_services
from desk.accounts.models import User
from desk.accounts.permissions import ensure_may_delete_own_account
from desk.core.audit import audit_record
from desk.core.errors import ValidationFailed
from desk.notifications import services as notification_services
from desk.support import services as ticket_services


def user_update(*, actor: User, user: User, changes: dict[str, Any]) -> User:
    """An admin changes a user's name, role or active flag (`accounts.services.user_change_apply`).

    Someone who stops being active staff is taken off their tickets, which go back to the queue
    with their history; someone who becomes customer-side also loses the staff notifications
    they had. The audit entry says what changed and how many tickets were unassigned."""
    with transaction.atomic():
        change = account_services.user_change_apply(actor=actor, user=user, changes=changes)
        if not change.diff:
            return change.user
        details: dict[str, Any] = {}
        if change.left_active_staff:
            unassigned = ticket_services.tickets_unassign_from(
                agent=change.user, actor=actor, all_tickets=not change.user.is_staff
            )
            if unassigned:
                details["tickets_unassigned"] = unassigned
        if change.became_customer_side:
            notification_services.staff_notifications_drop(user=change.user)
        account_services.user_change_record(actor=actor, change=change, details=details)
    return change.user


def user_deactivate(*, actor: User, user: User) -> User:
    """Deactivate an account: it can no longer sign in and its sessions end. Nothing is deleted,
    so tickets and their history stay as they were."""
    return user_update(actor=actor, user=user, changes={"is_active": False})


def account_delete(*, user: User, password: str) -> None:
    """Delete a customer-side account and everything that is theirs: their tickets with
    everything on them (messages, staff notes about them, files, history, notifications and
    emails about them). Staff accounts are removed by an admin, so that tickets are reassigned
    first."""
    ensure_may_delete_own_account(user)
    if not user.check_password(password or ""):
        raise ValidationFailed.field("password", "The password is not correct.")
    with transaction.atomic():
        audit_record(actor=None, action="account.deleted", details={"user_id": str(user.pk), "role": user.role})
        user.delete()
