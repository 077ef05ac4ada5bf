"""What the notifications domain announces, and who hears it live: a notification only its
recipient. One notice to many staff members travels as a single message to the staff group
(each connection keeps only its own part, `desk.realtime.consumers`); any other notice goes to
each recipient's own group."""

from __future__ import annotations

from dataclasses import dataclass

from desk.core.events import DomainEvent, subscriber
from desk.notifications.models import Notification
from desk.notifications.presenters import notification_data
from desk.realtime.transport import STAFF_GROUP, send_on_commit, user_group


@dataclass(frozen=True, slots=True)
class NotificationsCreated(DomainEvent):
    """In-app notifications were written: one notice to each of their recipients."""

    name = "notification.created"
    notifications: tuple[Notification, ...]
    all_staff: bool = False


@subscriber(NotificationsCreated)
def send_notifications(event: NotificationsCreated) -> None:
    if event.all_staff and len(event.notifications) > 1:
        by_recipient = {str(n.recipient_id): notification_data(n) for n in event.notifications}
        send_on_commit([STAFF_GROUP], {"type": "notification.created", "for": by_recipient})
        return
    for notification in event.notifications:
        send_on_commit(
            [user_group(notification.recipient_id)],
            {"type": "notification.created", "notification": notification_data(notification)},
        )
