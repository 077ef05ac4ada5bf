"""Reads on notifications (always the requesting user's own) and on who receives them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from desk.accounts.models import User
from desk.notifications.models import DeliveryStatus, EmailDelivery, EmailPreference, Notification
from desk.support.models import Message

# A new delivery is queued by its own transaction; the sweep leaves it that long before stepping in.
QUEUE_GRACE = timedelta(minutes=1)


def notification_list_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user).select_related("ticket")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for(*, user: User, notification_id: object) -> Notification | None:
    return Notification.objects.filter(recipient=user, pk=notification_id).select_related("ticket").first()


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """Everything the user was notified of, newest first (their data export)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def staff_recipients(*, exclude: User | None = None) -> list[User]:
    """Every active staff member (but `exclude`, the person who caused the notice)."""
    staff = User.objects.filter(is_staff=True, is_active=True)
    if exclude is not None:
        staff = staff.exclude(pk=exclude.pk)
    return list(staff)


def triage_recipients(*, exclude: User | None = None) -> list[User]:
    """Who hears of new tickets and of replies on unassigned ones: the active staff in the triage
    group, or every active staff member while nobody is in it (but `exclude`)."""
    staff = staff_recipients()
    staff = [user for user in staff if user.triage] or staff
    return [user for user in staff if exclude is None or user.pk != exclude.pk]


def admin_recipients(*, exclude: User | None = None) -> list[User]:
    return [user for user in staff_recipients(exclude=exclude) if user.is_admin]


def email_muted(*, users: Iterable[User], kind: str) -> set[object]:
    """The ids of those among `users` who switched this kind of email off."""
    return set(
        EmailPreference.objects.filter(user__in=list(users), kind=kind, enabled=False).values_list("user_id", flat=True)
    )


def email_preferences_stored(*, user: User) -> dict[str, bool]:
    return dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))


def emails_due(*, max_attempts: int, now: Any = None, limit: int = 500, ignore_backoff: bool = False) -> list[Any]:
    """Deliveries not yet sent whose next attempt is due (or all of them, with ignore_backoff)."""
    now = now or timezone.now()
    deliveries = EmailDelivery.objects.filter(attempts__lt=max_attempts).exclude(status=DeliveryStatus.SENT)
    if not ignore_backoff:
        deliveries = deliveries.filter(next_attempt_at__lte=now).filter(
            Q(status=DeliveryStatus.FAILED) | Q(created_at__lte=now - QUEUE_GRACE)
        )
    return list(deliveries.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def customer_mail_ids(*, ticket: Any) -> list[str]:
    """The Message-IDs of the customer's mails on a ticket, oldest first: the first and the
    latest are what a ticket's emails thread under."""
    ids = list(
        Message.objects.filter(ticket=ticket, is_from_customer=True)
        .exclude(email_message_id="")
        .order_by("created_at")
        .values_list("email_message_id", flat=True)
    )
    return [ids[0], ids[-1]] if len(ids) > 1 else ids
