"""Full-text search on PostgreSQL (`desk.support.search`): stemming and websearch syntax, ranking,
the search documents the database triggers keep, and the bound on the candidates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.models import User
from desk.support import search, services
from desk.support.models import Message, Ticket, TicketSearch
from desk.support.tests.factories import MessageFactory, TicketFactory
from desk.support.tests.helpers import TICKETS, assert_error, ticket_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql_only() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only: runs in the PostgreSQL configuration (DATABASE_URL is not PostgreSQL)")
    yield


def page(client: APIClient, **params: Any) -> dict[str, Any]:
    response = client.get(TICKETS, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def found(client: APIClient, text: str, **params: Any) -> list[str]:
    return [row["id"] for row in page(client, search=text, **params)["results"]]


def ids(*tickets: Ticket) -> list[str]:
    return [str(t.pk) for t in tickets]


def opened(customer: User, title: str, text: str, *, hours_ago: int = 0) -> Ticket:
    """A ticket of `customer` with one message, created `hours_ago`."""
    at = timezone.now() - timedelta(hours=hours_ago)
    ticket = TicketFactory(customer=customer, title=title, created_at=at, updated_at=at)
    MessageFactory(ticket=ticket, message_text=text, created_at=at)
    return ticket


# --- language -------------------------------------------------------------------------------


def test_search_stems_english_words(customer_client: APIClient, customer: User) -> None:
    ticket = opened(customer, "Booking problem", "Please refund the second payment.")
    opened(customer, "Other", "Nothing to see here.")
    assert found(customer_client, "refunds") == ids(ticket)
    assert found(customer_client, "refunding") == ids(ticket)
    assert found(customer_client, "payments") == ids(ticket)


def test_a_quoted_phrase_matches_only_the_phrase(customer_client: APIClient, customer: User) -> None:
    phrase = opened(customer, "Billing", "There is a double charge on my card.")
    apart = opened(customer, "Billing", "A charge appeared, then a double booking.")
    assert set(found(customer_client, "double charge")) == set(ids(phrase, apart))
    assert found(customer_client, '"double charge"') == ids(phrase)


def test_a_minus_word_excludes_tickets_with_it(customer_client: APIClient, customer: User) -> None:
    with_both = opened(customer, "Billing", "A double charge on my card.")
    only_charge = opened(customer, "Billing", "An unexpected charge on my card.")
    assert set(found(customer_client, "charge")) == set(ids(with_both, only_charge))
    assert found(customer_client, "charge -double") == ids(only_charge)


# --- ranking --------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_newer_message_match(customer_client: APIClient, customer: User) -> None:
    in_title = opened(customer, "Refund for the plumber", "He left early.", hours_ago=5)
    in_message = opened(customer, "Booking problem", "I would like a refund.", hours_ago=1)
    assert found(customer_client, "refund") == ids(in_title, in_message)


def test_an_explicit_ordering_replaces_the_ranking(customer_client: APIClient, customer: User) -> None:
    in_title = opened(customer, "Refund for the plumber", "He left early.", hours_ago=5)
    in_message = opened(customer, "Booking problem", "I would like a refund.", hours_ago=1)
    assert found(customer_client, "refund", ordering="-created_at") == ids(in_message, in_title)
    assert found(customer_client, "refund", ordering="created_at") == ids(in_title, in_message)


# --- the documents the database keeps -------------------------------------------------------


def test_a_posted_message_is_searchable_at_once(
    customer_client: APIClient, agent_client: APIClient, customer: User, agent: User
) -> None:
    ticket = opened(customer, "Booking problem", "The cleaner did not come.")
    assert found(customer_client, "voucher") == []
    services.message_post(ticket=ticket, sender=agent, message_text="We sent you a voucher.")
    assert found(customer_client, "voucher") == ids(ticket)

    response = customer_client.post(ticket_url(ticket, "messages"), {"message_text": "The kitchen is flooded."})
    assert response.status_code == 201, response.content
    assert found(customer_client, "kitchen") == ids(ticket)
    assert found(agent_client, "kitchen") == ids(ticket)


def test_an_internal_note_is_found_by_staff_but_never_by_the_customer(
    customer_client: APIClient, agent_client: APIClient, customer: User, agent: User
) -> None:
    ticket = opened(customer, "Login trouble", "I am locked out of my account.")
    services.message_post(ticket=ticket, sender=agent, message_text="Possible fraud attempt.", is_internal=True)
    response = agent_client.post(
        ticket_url(ticket, "messages"), {"message_text": "Escalate to security.", "is_internal": True}
    )
    assert response.status_code == 201, response.content
    # A public reply after the notes still reaches the customer's document.
    services.message_post(ticket=ticket, sender=agent, message_text="Your password was reset.")

    assert found(agent_client, "fraud") == ids(ticket)
    assert found(agent_client, "security") == ids(ticket)
    assert found(customer_client, "fraud") == []
    assert found(customer_client, "security") == []
    assert found(customer_client, "locked password") == ids(ticket)  # words of two public messages
    assert found(customer_client, "password") == ids(ticket)
    assert found(customer_client, "locked") == ids(ticket)
    assert found(customer_client, "login") == ids(ticket)
    assert found(customer_client, "password fraud") == []


def test_editing_a_message_updates_the_document(
    customer_client: APIClient, agent_client: APIClient, customer: User, agent: User
) -> None:
    ticket = opened(customer, "Booking problem", "The cleaner broke a vase.")
    Message.objects.filter(ticket=ticket).update(message_text="The cleaner broke a mirror.")
    assert found(customer_client, "vase") == []
    assert found(customer_client, "mirror") == ids(ticket)

    message = Message.objects.get(ticket=ticket)
    message.message_text = "The cleaner broke a lamp."
    message.save()
    assert found(customer_client, "mirror") == []
    assert found(customer_client, "lamp") == ids(ticket)

    # A public message turned into an internal note leaves the customer's document.
    reply = services.message_post(ticket=ticket, sender=agent, message_text="Insurance will cover it.")
    assert found(customer_client, "insurance") == ids(ticket)
    Message.objects.filter(pk=reply.pk).update(is_internal=True)
    assert found(customer_client, "insurance") == []
    assert found(agent_client, "insurance") == ids(ticket)


def test_deleting_a_message_updates_the_document(
    customer_client: APIClient, agent_client: APIClient, customer: User, agent: User
) -> None:
    ticket = opened(customer, "Booking problem", "The cleaner was late.")
    reply = services.message_post(ticket=ticket, sender=agent, message_text="We apologise for the delay.")
    note = services.message_post(ticket=ticket, sender=agent, message_text="Third complaint.", is_internal=True)
    assert found(customer_client, "apologise") == ids(ticket)
    assert found(agent_client, "complaint") == ids(ticket)

    reply.delete()
    assert found(customer_client, "apologise") == []
    assert found(customer_client, "late") == ids(ticket)

    Message.objects.filter(pk=note.pk).delete()
    assert found(agent_client, "complaint") == []
    assert TicketSearch.objects.get(ticket=ticket).public_document is None  # no note left


def test_changing_the_title_updates_the_document(customer_client: APIClient, customer: User) -> None:
    ticket = opened(customer, "Broken dishwasher", "It leaks.")
    response = customer_client.patch(ticket_url(ticket), {"title": "Broken oven"}, format="json")
    assert response.status_code == 200, response.content
    assert found(customer_client, "dishwasher") == []
    assert found(customer_client, "oven") == ids(ticket)
    assert found(customer_client, "leaks") == ids(ticket)  # the messages are kept

    Ticket.objects.filter(pk=ticket.pk).update(title="Broken fridge")
    assert found(customer_client, "oven") == []
    assert found(customer_client, "fridge") == ids(ticket)


def test_deleting_a_ticket_removes_its_search_row(customer: User, agent: User) -> None:
    ticket = opened(customer, "Broken dishwasher", "It leaks.")
    services.message_post(ticket=ticket, sender=agent, message_text="Note.", is_internal=True)
    kept = opened(customer, "Broken oven", "It smokes.")
    assert TicketSearch.objects.filter(ticket_id=ticket.pk).exists()
    ticket.delete()
    assert not TicketSearch.objects.filter(ticket_id=ticket.pk).exists()
    assert TicketSearch.objects.filter(ticket_id=kept.pk).exists()

    customer.delete()  # and with their owner
    assert not TicketSearch.objects.exists()


def test_internal_notes_do_not_hide_a_ticket_from_the_customer_search(
    customer_client: APIClient, customer: User, agent: User
) -> None:
    with_notes = opened(customer, "Heating broken", "The radiator is cold.")
    services.message_post(ticket=with_notes, sender=agent, message_text="Supplier issue.", is_internal=True)
    without = opened(customer, "Heating broken", "The boiler is cold.")
    assert set(found(customer_client, "heating")) == set(ids(with_notes, without))
    assert found(customer_client, "radiator") == ids(with_notes)
    assert set(found(customer_client, "cold")) == set(ids(with_notes, without))


# --- the bound on candidates ----------------------------------------------------------------


@pytest.fixture
def few_candidates(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 5)
    return 5


@pytest.mark.parametrize("viewer", ["customer", "agent"])
def test_a_search_with_more_matches_than_candidates_lists_the_newest(
    customer: User, agent: User, few_candidates: int, viewer: str
) -> None:
    client = client_for(customer if viewer == "customer" else agent)
    matches = [opened(customer, f"Refund request {i}", "Please help.", hours_ago=i) for i in range(8)]
    opened(customer, "Unrelated", "Nothing.")

    first = page(client, search="refund", page_size=2)
    assert first["count_exact"] is False
    assert first["count"] > few_candidates
    assert first["next"] is not None

    listed = [row["id"] for n in (1, 2, 3) for row in page(client, search="refund", page_size=2, page=n)["results"]]
    assert sorted(listed) == sorted(ids(*matches[:few_candidates]))  # the five newest, none twice
    assert page(client, search="refund", page_size=2, page=3)["next"] is None

    body = assert_error(client.get(TICKETS, {"search": "refund", "page_size": 2, "page": 4}), 400, "validation_error")
    assert "page" in body["details"], body
    body = assert_error(client.get(TICKETS, {"search": "refund", "page": 2}), 400, "validation_error")
    assert "page" in body["details"], body


def test_a_search_with_fewer_matches_than_candidates_counts_exactly(
    customer_client: APIClient, customer: User, few_candidates: int
) -> None:
    for i in range(4):
        opened(customer, f"Refund request {i}", "Please help.", hours_ago=i)
    opened(customer, "Unrelated", "Nothing.")
    first = page(customer_client, search="refund", page_size=3)
    assert (first["count"], first["count_exact"]) == (4, True)
    second = page(customer_client, search="refund", page_size=3, page=2)
    assert (second["count"], second["count_exact"], len(second["results"])) == (4, True, 1)
    last = page(customer_client, search="refund", page_size=3, page="last")
    assert last["results"] == second["results"]
