"""Reads on notifications, always the requesting user's own."""

from __future__ import annotations

from django.db.models import QuerySet

from desk.accounts.models import User
from desk.notifications.models import Notification


def notification_list_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user).select_related("ticket")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
