"""Who may do what with accounts, and the role checks every domain builds on.

Services call the `ensure_*` functions (a refusal is a 403 `permission_denied`); views that are
closed to a whole role use the DRF permissions below, which apply the same rules before anything
else is looked at (after authentication and the rate limit).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from desk.accounts.models import User
from desk.core.errors import PermissionDenied, ValidationFailed

STAFF_ONLY = "Only staff may do this."
ADMINS_ONLY = "Only admins may manage users."


def is_staff(user: Any) -> bool:
    """Agents and admins: they see every ticket and internal notes."""
    return bool(getattr(user, "is_staff", False))


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_admin", False))


def ensure_staff(user: Any, message: str = STAFF_ONLY) -> None:
    """Refuse (403) a staff-only action to a customer-side user."""
    if not is_staff(user):
        raise PermissionDenied(message)


def ensure_admin(user: Any, message: str = ADMINS_ONLY) -> None:
    """Refuse (403) an admins-only action to anyone else."""
    if not is_admin(user):
        raise PermissionDenied(message)


def ensure_may_change_user(*, actor: User, user: User, wanted: dict[str, Any]) -> None:
    """Admins change accounts, but not their own role or active flag (so an admin always remains)."""
    ensure_admin(actor)
    if user.pk != actor.pk:
        return
    if wanted.get("role", user.role) != user.role:
        raise ValidationFailed.field("role", "You cannot change your own role; ask another admin.")
    if wanted.get("is_active", True) is False:
        raise ValidationFailed.field("is_active", "You cannot deactivate your own account.")


def ensure_may_delete_own_account(user: User) -> None:
    """Customer-side people delete their own accounts; staff accounts are removed by an admin, so
    that their tickets are reassigned first."""
    if user.is_staff:
        raise PermissionDenied("Staff accounts are removed by an admin.")


class _Role(BasePermission):
    """Anonymous requests are refused as unauthenticated (401); signed-in people without the role
    get the rule's own 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        self.ensure(user)
        return True

    def ensure(self, user: Any) -> None:
        raise NotImplementedError


class StaffOnly(_Role):
    message = STAFF_ONLY

    def ensure(self, user: Any) -> None:
        ensure_staff(user, self.message)


class AdminsOnly(_Role):
    message = ADMINS_ONLY

    def ensure(self, user: Any) -> None:
        ensure_admin(user, self.message)


def staff_only(message: str) -> type[StaffOnly]:
    """A `StaffOnly` permission with the refusal's own sentence."""
    return type("StaffOnly", (StaffOnly,), {"message": message})
