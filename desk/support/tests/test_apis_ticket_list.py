"""The ticket list: filters, search, ordering, pagination, and the viewer-aware unread count and
last-message snippet."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support import services
from desk.support.models import Ticket
from desk.support.tests.factories import MessageFactory, TicketFactory
from desk.support.tests.helpers import TICKETS, assert_error

pytestmark = pytest.mark.django_db


def listed(client: APIClient, query: str = "") -> list[str]:
    response = client.get(TICKETS + query)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def ids(*tickets: Ticket) -> set[str]:
    return {str(t.pk) for t in tickets}


@pytest.fixture
def board(customer: User, agent: User) -> dict[str, Ticket]:
    """Tickets in varied states, oldest first by name: a..f."""
    now = timezone.now()
    colleague = AgentFactory()

    def make(name: str, age_hours: int, **fields: Any) -> Ticket:
        at = now - timedelta(hours=age_hours)
        return TicketFactory(customer=fields.pop("customer", customer), created_at=at, updated_at=at, **fields)

    return {
        "a": make("a", 60, status="open", priority="low", category="billing", tags=["refund"]),
        "b": make("b", 50, status="in_progress", priority="urgent", category="technical", assigned_agent=agent),
        "c": make("c", 40, status="resolved", priority="medium", category="billing", escalated=True),
        "d": make(
            "d", 30, status="closed", priority="high", category="account", closed_at=now, assigned_agent=colleague
        ),
        "e": make("e", 20, status="open", priority="urgent", category="service", tags=["vip", "refund"]),
        "f": make("f", 10, status="open", priority="medium", category="general", customer=CustomerFactory()),
    }


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "abcdef"),
        ("?status=open", "aef"),
        ("?status=open,closed", "adef"),
        ("?status=open&status=closed", "adef"),
        ("?status=", "abcdef"),
        ("?priority=urgent", "be"),
        ("?priority=low,high", "ad"),
        ("?category=billing", "ac"),
        ("?category=billing,service", "ace"),
        ("?escalated=true", "c"),
        ("?escalated=1", "c"),
        ("?escalated=false", "abdef"),
        ("?tag=refund", "ae"),
        ("?tag=VIP", "e"),
        ("?tag=vi", ""),
        ("?assigned_agent=me", "b"),
        ("?assigned_agent=none", "acef"),
        ("?status=open&priority=urgent", "e"),
        ("?status=open,in_progress&assigned_agent=none", "aef"),
    ],
)
def test_staff_filters(agent_client: APIClient, board: dict[str, Ticket], query: str, expected: str) -> None:
    assert set(listed(agent_client, query)) == ids(*(board[name] for name in expected))


def test_filter_by_agent_id(agent_client: APIClient, board: dict[str, Ticket]) -> None:
    colleague = board["d"].assigned_agent
    assert listed(agent_client, f"?assigned_agent={colleague.pk}") == [str(board["d"].pk)]


def test_staff_filter_by_customer(agent_client: APIClient, board: dict[str, Ticket]) -> None:
    someone = board["f"].customer
    assert listed(agent_client, f"?customer={someone.pk}") == [str(board["f"].pk)]
    assert_error(agent_client.get(TICKETS + "?customer=junk"), 400, "validation_error")


def test_a_customer_cannot_list_someone_elses_tickets_by_customer_id(
    customer_client: APIClient, board: dict[str, Ticket]
) -> None:
    assert listed(customer_client, f"?customer={board['f'].customer.pk}") == []


def test_customer_filters_only_their_own(customer_client: APIClient, board: dict[str, Ticket]) -> None:
    assert set(listed(customer_client, "?status=open")) == ids(board["a"], board["e"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=waiting", "status"),
        ("?status=open,bogus", "status"),
        ("?priority=critical", "priority"),
        ("?category=sales", "category"),
        ("?escalated=maybe", "escalated"),
        ("?assigned_agent=someone", "assigned_agent"),
        ("?tag=" + "x" * 51, "tag"),
        ("?search=" + "s" * 201, "search"),
        ("?search=nul%00byte", "search"),
        ("?tag=nul%00", "tag"),
        ("?ordering=title", "ordering"),
        ("?ordering=-priority,created_at", "ordering"),
        ("?page=abc", "page"),
        ("?page=0", "page"),
        ("?page=-1", "page"),
        ("?page=1.5", "page"),
        ("?page_size=0", "page_size"),
        ("?page_size=ten", "page_size"),
        ("?page_size=-5", "page_size"),
    ],
)
def test_invalid_list_parameters_are_validation_errors(agent_client: APIClient, query: str, field: str) -> None:
    TicketFactory()
    body = assert_error(agent_client.get(TICKETS + query), 400, "validation_error")
    assert field in body["details"], body


def test_unknown_parameters_are_ignored(agent_client: APIClient) -> None:
    ticket = TicketFactory()
    assert listed(agent_client, "?colour=blue") == [str(ticket.pk)]


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def searchable(customer: User, agent: User) -> dict[str, Ticket]:
    in_title = services.ticket_create(
        actor=customer, title="Refund for the plumber", message_text="He left early.", category="billing"
    )
    in_message = services.ticket_create(
        actor=customer, title="Booking problem", message_text="I want my money back, a full REFUND.", category="service"
    )
    in_reply = services.ticket_create(actor=customer, title="Question", message_text="Hello?", category="general")
    services.message_post(ticket=in_reply, sender=agent, message_text="We issued the refund yesterday.")
    in_note = services.ticket_create(actor=customer, title="Login", message_text="Locked out.", category="account")
    services.message_post(ticket=in_note, sender=agent, message_text="Possible refund fraud?", is_internal=True)
    services.ticket_create(actor=customer, title="Other", message_text="Nothing to see.", category="general")
    return {"title": in_title, "message": in_message, "reply": in_reply, "note": in_note}


def test_customer_search_matches_title_and_visible_messages_but_not_internal_notes(
    customer_client: APIClient, searchable: dict[str, Ticket]
) -> None:
    found = set(listed(customer_client, "?search=refund"))
    assert found == ids(searchable["title"], searchable["message"], searchable["reply"])
    assert listed(customer_client, "?search=fraud") == []


def test_staff_search_includes_internal_notes(agent_client: APIClient, searchable: dict[str, Ticket]) -> None:
    assert set(listed(agent_client, "?search=refund")) == ids(*searchable.values())
    assert listed(agent_client, "?search=fraud") == [str(searchable["note"].pk)]


def test_search_combines_with_filters_and_ignores_blank(
    customer_client: APIClient, searchable: dict[str, Ticket]
) -> None:
    assert listed(customer_client, "?search=refund&category=billing") == [str(searchable["title"].pk)]
    assert len(listed(customer_client, "?search=%20%20")) == 5


def test_search_is_case_insensitive(customer_client: APIClient, searchable: dict[str, Ticket]) -> None:
    assert set(listed(customer_client, "?search=PLUMBER")) == ids(searchable["title"])


# --- ordering -------------------------------------------------------------------------------


def _names(board: dict[str, Ticket], found: list[str]) -> str:
    by_id = {str(t.pk): name for name, t in board.items()}
    return "".join(by_id[i] for i in found)


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("", "fedcba"),  # newest first by default
        ("-created_at", "fedcba"),
        ("created_at", "abcdef"),
        ("priority", "afcdeb"),  # low, medium, high, urgent; newest first within a rank
        ("-priority", "ebdfca"),
    ],
)
def test_ordering(agent_client: APIClient, board: dict[str, Ticket], ordering: str, expected: str) -> None:
    found = listed(agent_client, f"?ordering={ordering}" if ordering else "")
    assert _names(board, found) == expected


def test_priority_sorts_by_severity_not_alphabetically(agent_client: APIClient, board: dict[str, Ticket]) -> None:
    priorities = [row["priority"] for row in agent_client.get(TICKETS + "?ordering=-priority").json()["results"]]
    assert priorities == ["urgent", "urgent", "high", "medium", "medium", "low"]
    assert priorities != sorted(priorities, reverse=True)  # alphabetical would differ


def test_ordering_by_updated_at(agent_client: APIClient, board: dict[str, Ticket], agent: User) -> None:
    services.message_post(ticket=board["a"], sender=agent, message_text="Bumps a to the top.")
    assert _names(board, listed(agent_client, "?ordering=-updated_at")) == "afedcb"
    assert _names(board, listed(agent_client, "?ordering=updated_at")) == "bcdefa"


# --- pagination -----------------------------------------------------------------------------


def test_pagination_defaults_and_links(customer_client: APIClient, customer: User) -> None:
    now = timezone.now()
    for i in range(23):
        TicketFactory(customer=customer, created_at=now - timedelta(minutes=i))
    first = customer_client.get(TICKETS).json()
    assert set(first) == {"count", "count_exact", "next", "previous", "results"}
    assert first["count"] == 23
    assert first["count_exact"] is True
    assert len(first["results"]) == 10
    assert first["previous"] is None
    assert first["next"].endswith("/api/support/tickets/?page=2")

    third = customer_client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(third["results"]) == 3
    assert third["next"] is None
    assert "page=2" in third["previous"]

    every = [r["id"] for p in (1, 2, 3) for r in customer_client.get(f"{TICKETS}?page={p}").json()["results"]]
    assert len(every) == len(set(every)) == 23

    small = customer_client.get(TICKETS + "?page_size=5&status=open").json()
    assert len(small["results"]) == 5
    assert "page_size=5" in small["next"] and "status=open" in small["next"]


def test_page_size_is_capped_at_100(customer_client: APIClient, customer: User) -> None:
    TicketFactory.create_batch(105, customer=customer)
    body = customer_client.get(TICKETS + "?page_size=1000").json()
    assert body["count"] == 105
    assert len(body["results"]) == 100
    assert len(customer_client.get(TICKETS + "?page_size=100&page=2").json()["results"]) == 5


def test_a_page_past_the_end_is_not_found(customer_client: APIClient, customer: User) -> None:
    TicketFactory(customer=customer)
    assert_error(customer_client.get(TICKETS + "?page=2"), 404, "not_found")
    assert customer_client.get(TICKETS + "?page=last").status_code == 200


def test_an_empty_list_is_one_empty_page(customer_client: APIClient) -> None:
    assert customer_client.get(TICKETS).json() == {
        "count": 0,
        "count_exact": True,
        "next": None,
        "previous": None,
        "results": [],
    }


# --- viewer-aware unread count and snippet --------------------------------------------------


def row_for(client: APIClient, ticket: Ticket) -> dict[str, Any]:
    [row] = [r for r in client.get(TICKETS).json()["results"] if r["id"] == str(ticket.pk)]
    return row


def test_list_item_shape(customer_client: APIClient, ticket: Ticket) -> None:
    row = row_for(customer_client, ticket)
    expected_keys = {"id", "title", "status", "priority", "category", "escalated", "assigned_agent"}
    expected_keys |= {"last_message_snippet", "unread_count", "created_at", "updated_at"}
    assert expected_keys <= set(row)


def test_unread_count_and_snippet_depend_on_the_viewer(
    customer_client: APIClient, agent_client: APIClient, ticket: Ticket, agent: User, customer: User
) -> None:
    # A fresh customer ticket: staff have one unread message, the customer none.
    assert row_for(agent_client, ticket)["unread_count"] == 1
    assert row_for(customer_client, ticket)["unread_count"] == 0

    services.message_post(ticket=ticket, sender=agent, message_text="We refunded the second charge.")
    services.message_post(ticket=ticket, sender=agent, message_text="INTERNAL: refund id RF-1", is_internal=True)

    customer_row = row_for(customer_client, ticket)
    assert customer_row["unread_count"] == 1  # the reply, never the note
    assert customer_row["last_message_snippet"] == "We refunded the second charge."
    staff_row = row_for(agent_client, ticket)
    assert staff_row["unread_count"] == 1  # still the customer's first message
    assert staff_row["last_message_snippet"] == "INTERNAL: refund id RF-1"

    customer_client.get(f"{TICKETS}{ticket.pk}/")
    assert row_for(customer_client, ticket)["unread_count"] == 0
    agent_client.get(f"{TICKETS}{ticket.pk}/")
    assert row_for(agent_client, ticket)["unread_count"] == 0

    services.message_post(ticket=ticket, sender=customer, message_text="Thanks! " * 30)
    staff_row = row_for(agent_client, ticket)
    assert staff_row["unread_count"] == 1
    assert staff_row["last_message_snippet"] == ("Thanks! " * 30)[:100]
    assert len(staff_row["last_message_snippet"]) == 100


def test_a_customer_whose_only_new_activity_is_internal_sees_nothing_new(
    customer_client: APIClient, ticket: Ticket, agent: User
) -> None:
    before = row_for(customer_client, ticket)
    for i in range(3):
        services.message_post(ticket=ticket, sender=agent, message_text=f"note {i}", is_internal=True)
    after = row_for(customer_client, ticket)
    assert after["unread_count"] == before["unread_count"] == 0
    assert after["last_message_snippet"] == before["last_message_snippet"]


def test_unread_counts_many_messages_in_sql(agent_client: APIClient, customer: User) -> None:
    ticket = TicketFactory(customer=customer)
    MessageFactory.create_batch(7, ticket=ticket)
    assert row_for(agent_client, ticket)["unread_count"] == 7
    assert row_for(client_for(customer), ticket)["unread_count"] == 0
