"""A notification has one shape: the presenter gives what its serializer documents, and the REST
list and a live event carry the same fields."""

from __future__ import annotations

import pytest

from conftest import as_json
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.notifications import presenters, selectors
from desk.notifications.apis import NotificationOutput
from desk.notifications.models import Notification
from desk.support import services

pytestmark = pytest.mark.django_db


def test_notification(django_assert_num_queries) -> None:
    customer, agent = CustomerFactory(), AgentFactory()
    ticket = services.ticket_create(actor=customer, title="Titled", message_text="Hi", category="general")
    services.message_post(ticket=ticket, sender=agent, message_text="Reply")
    Notification.objects.create(recipient=customer, kind="staff_reply", text="Without a ticket")
    notifications = list(selectors.notification_list_for(user=customer))
    assert len(notifications) == 2
    for notification in notifications:
        with django_assert_num_queries(0):
            shown = presenters.notification_data(notification)
        assert as_json(shown) == as_json(NotificationOutput(notification).data)
    assert {n["ticket_title"] for n in map(presenters.notification_data, notifications)} == {"Titled", None}
