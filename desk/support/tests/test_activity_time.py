"""What "updated" means to each side: customers see a ticket move only for changes they can see;
staff see every activity, internal notes and their files included."""

from __future__ import annotations

import pytest

from desk.support import services
from desk.support.models import Ticket
from desk.support.tests.helpers import upload

pytestmark = pytest.mark.django_db

LIST = "/api/support/tickets/"


def _detail(client, ticket: Ticket) -> dict:
    return client.get(f"{LIST}{ticket.pk}/").json()


def _listed(client, ordering: str = "-updated_at") -> list[tuple[str, str]]:
    return [(item["id"], item["updated_at"]) for item in client.get(LIST, {"ordering": ordering}).json()["results"]]


@pytest.fixture
def two_tickets(customer) -> tuple[Ticket, Ticket]:
    older = services.ticket_create(actor=customer, title="Older", message_text="First", category="general")
    newer = services.ticket_create(actor=customer, title="Newer", message_text="Second", category="general")
    return older, newer


def test_an_internal_note_moves_nothing_for_the_customer(customer_client, agent_client, agent, two_tickets):
    older, newer = two_tickets
    seen_by_customer = _detail(customer_client, older)["updated_at"]
    listed_before = _listed(customer_client)
    assert [pk for pk, _ in listed_before] == [str(newer.pk), str(older.pk)]

    services.message_post(ticket=older, sender=agent, message_text="Customer sounds upset", is_internal=True)

    assert _detail(customer_client, older)["updated_at"] == seen_by_customer
    assert _listed(customer_client) == listed_before  # same order, same times
    # Staff see the activity: the ticket moves up their list and its time is the note's.
    note_time = _detail(agent_client, older)["messages"][-1]["created_at"]
    assert _detail(agent_client, older)["updated_at"] == note_time
    assert _listed(agent_client)[0] == (str(older.pk), note_time)


def test_a_staff_file_not_sent_yet_moves_nothing_for_the_customer(customer_client, agent_client, two_tickets):
    older, _ = two_tickets
    seen_by_customer = _detail(customer_client, older)["updated_at"]
    assert upload(agent_client, older).status_code == 201
    assert _detail(customer_client, older)["updated_at"] == seen_by_customer
    assert _detail(agent_client, older)["updated_at"] > seen_by_customer


def test_a_reply_moves_the_ticket_for_both_sides(customer_client, agent_client, agent, two_tickets):
    older, _ = two_tickets
    services.message_post(ticket=older, sender=agent, message_text="We are on it")
    reply_time = _detail(customer_client, older)["messages"][-1]["created_at"]
    assert _detail(customer_client, older)["updated_at"] == reply_time
    assert _detail(agent_client, older)["updated_at"] == reply_time
    assert _listed(customer_client)[0] == (str(older.pk), reply_time)
    assert _listed(agent_client)[0] == (str(older.pk), reply_time)


def test_ascending_order_follows_each_sides_time_too(customer_client, agent_client, agent, two_tickets):
    older, newer = two_tickets
    services.message_post(ticket=older, sender=agent, message_text="Note", is_internal=True)
    assert [pk for pk, _ in _listed(customer_client, "updated_at")] == [str(older.pk), str(newer.pk)]
    assert [pk for pk, _ in _listed(agent_client, "updated_at")] == [str(newer.pk), str(older.pk)]
