"""Who may do what with service levels: staff read calendars and policies, admins write them."""

from __future__ import annotations

from desk.accounts.models import User
from desk.accounts.permissions import ensure_admin
from desk.core.errors import PermissionDenied
from desk.sla.models import BusinessCalendar

CONFIGURE_ADMINS_ONLY = "Only admins may change calendars and SLA policies."


def ensure_may_configure(actor: User) -> None:
    ensure_admin(actor, CONFIGURE_ADMINS_ONLY)


def ensure_may_change_calendar(calendar: BusinessCalendar) -> None:
    if calendar.builtin:
        raise PermissionDenied("The built-in 24/7 calendar cannot be changed or deleted.")
