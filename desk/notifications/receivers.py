"""Notifications for support events, written in the transaction of the event."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from desk.notifications.services import notify_ticket_change
from desk.support.signals import ticket_changed


@receiver(ticket_changed, dispatch_uid="notifications_ticket_changed")
def on_ticket_changed(sender: Any, **kwargs: Any) -> None:
    notify_ticket_change(**kwargs)
