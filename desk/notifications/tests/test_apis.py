from __future__ import annotations

import pytest

from desk.notifications.models import EmailPreference, Kind, Notification
from desk.support import services

pytestmark = pytest.mark.django_db

BASE = "/api/notifications/"


@pytest.fixture
def notified(customer, agent):
    """The customer gets staff replies on three tickets: three notifications."""
    for title in ("Boiler", "Fan", "Heater"):
        ticket = services.ticket_create(actor=customer, title=title, message_text="Cold", category="service")
        services.message_post(ticket=ticket, sender=agent, message_text=f"About the {title}")
    return list(Notification.objects.filter(recipient=customer).order_by("-created_at"))


def test_list_is_paginated_newest_first_and_only_mine(customer_client, notified, agent_client):
    body = customer_client.get(BASE).json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == [str(n.id) for n in notified]
    first = body["results"][0]
    assert first["kind"] == "staff_reply"
    assert first["ticket_title"] == "Heater"
    assert first["read_at"] is None
    # The agent's own list does not contain the customer's notifications.
    agent_ids = {item["id"] for item in agent_client.get(BASE).json()["results"]}
    assert not agent_ids & {str(n.id) for n in notified}


def test_unread_count_and_mark_one_and_all(customer_client, notified):
    assert customer_client.get(BASE + "unread-count/").json() == {"unread": 3}
    response = customer_client.post(f"{BASE}{notified[0].id}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert customer_client.get(BASE + "unread-count/").json() == {"unread": 2}
    assert customer_client.get(BASE + "?unread=true").json()["count"] == 2
    assert customer_client.post(BASE + "read-all/").json() == {"marked": 2}
    assert customer_client.get(BASE + "unread-count/").json() == {"unread": 0}


def test_someone_elses_notification_is_404(notified, make_client, other_customer):
    response = make_client(other_customer).post(f"{BASE}{notified[0].id}/read/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert Notification.objects.get(pk=notified[0].id).read_at is None
    assert make_client(other_customer).post(f"{BASE}not-a-uuid/read/").status_code == 404


def test_anonymous_gets_401(anon_client):
    for response in (
        anon_client.get(BASE),
        anon_client.get(BASE + "unread-count/"),
        anon_client.get(BASE + "preferences/"),
    ):
        assert response.status_code == 401


def test_invalid_unread_filter_is_400(customer_client):
    assert customer_client.get(BASE + "?unread=maybe").json()["error"] == "validation_error"


def test_preferences_default_on_and_can_be_turned_off(customer_client, customer):
    assert customer_client.get(BASE + "preferences/").json() == {
        "email": {"ticket_created": True, "staff_reply": True, "ticket_resolved": True}
    }
    response = customer_client.patch(BASE + "preferences/", {"email": {"staff_reply": False}})
    assert response.status_code == 200
    assert response.json() == {"email": {"ticket_created": True, "staff_reply": False, "ticket_resolved": True}}
    assert EmailPreference.objects.get(user=customer, kind=Kind.STAFF_REPLY).enabled is False


def test_staff_have_their_own_email_kinds(agent_client):
    assert set(agent_client.get(BASE + "preferences/").json()["email"]) == {
        "customer_reply",
        "ticket_assigned",
        "sla_warning",
        "sla_breached",
        "ticket_escalated",
    }


@pytest.mark.parametrize(
    "payload",
    [{"email": {"customer_reply": False}}, {"email": {"staff_reply": "sometimes"}}, {"email": ["staff_reply"]}, {}],
)
def test_bad_preferences_are_refused_and_change_nothing(customer_client, customer, payload):
    response = customer_client.patch(BASE + "preferences/", payload)
    assert response.status_code == 400
    assert response.json()["error"] == "validation_error"
    assert not EmailPreference.objects.filter(user=customer).exists()


def test_turned_off_email_is_not_sent(customer_client, customer, agent, django_capture_on_commit_callbacks):
    from desk.notifications.models import EmailDelivery

    customer_client.patch(BASE + "preferences/", {"email": {"staff_reply": False}})
    ticket = services.ticket_create(actor=customer, title="Heater", message_text="Cold", category="service")
    services.message_post(ticket=ticket, sender=agent, message_text="Fixed")
    assert not EmailDelivery.objects.filter(recipient=customer, kind=Kind.STAFF_REPLY).exists()
    assert Notification.objects.filter(recipient=customer, kind=Kind.STAFF_REPLY).exists()


def test_list_query_count_does_not_grow(customer_client, customer, agent, django_assert_max_num_queries):
    ticket = services.ticket_create(actor=customer, title="Heater", message_text="Cold", category="service")
    services.message_post(ticket=ticket, sender=agent, message_text="one")
    with django_assert_max_num_queries(4):
        customer_client.get(BASE)
    for index in range(20):  # on twenty more tickets: replies on one ticket are grouped
        more = services.ticket_create(actor=customer, title=f"Heater {index}", message_text="Cold", category="service")
        services.message_post(ticket=more, sender=agent, message_text=f"more {index}")
    with django_assert_max_num_queries(4):
        assert len(customer_client.get(BASE + "?page_size=50").json()["results"]) == 21
