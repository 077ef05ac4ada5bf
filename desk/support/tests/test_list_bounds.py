"""The ticket list's bounds (`desk.core.pagination`): a count that is exact up to a limit and
PostgreSQL's estimate above it, pages that go only so deep, and links that keep the query."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from desk.accounts.models import User
from desk.core import pagination
from desk.support.models import Ticket
from desk.support.tests.factories import MessageFactory, TicketFactory
from desk.support.tests.helpers import TICKETS, assert_error

pytestmark = pytest.mark.django_db

POSTGRESQL_ONLY = "PostgreSQL-only: runs in the PostgreSQL configuration (DATABASE_URL is not PostgreSQL)"
SQLITE_ONLY = "SQLite-only: runs in the embedded configuration (DATABASE_URL is PostgreSQL)"


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(POSTGRESQL_ONLY)


def page(client: APIClient, **params: Any) -> dict[str, Any]:
    response = client.get(TICKETS, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def tickets(count: int, *, customer: User, **fields: Any) -> list[Ticket]:
    """`count` tickets of `customer`, newest first, a minute apart."""
    now = timezone.now()
    return [
        TicketFactory(customer=customer, created_at=now - timedelta(minutes=i), updated_at=now, **fields)
        for i in range(count)
    ]


def analyze() -> None:
    """Refresh PostgreSQL's statistics of the tickets (its estimates come from them)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_ticket")


@pytest.fixture
def small_bound(monkeypatch: pytest.MonkeyPatch) -> int:
    """Counts are exact up to 3 matches; an estimate above 6 is not even counted."""
    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 3)
    monkeypatch.setattr(pagination, "ESTIMATE_IS_LARGE", 6)
    return 3


# --- the bounded count ----------------------------------------------------------------------


def test_the_count_is_exact_up_to_the_bound(
    monkeypatch: pytest.MonkeyPatch, agent_client: APIClient, customer: User
) -> None:
    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 5)
    tickets(5, customer=customer)
    first = page(agent_client, page_size=2)
    assert (first["count"], first["count_exact"]) == (5, True)
    assert first["next"] is not None  # counted, not inferred from a short page


def test_one_match_past_the_bound_is_counted_as_an_estimate_on_postgresql(
    monkeypatch: pytest.MonkeyPatch, agent_client: APIClient, customer: User
) -> None:
    postgresql_only()
    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 5)
    tickets(6, customer=customer)
    first = page(agent_client, page_size=2)
    assert first["count_exact"] is False
    assert first["count"] >= 6


def test_a_large_estimate_is_the_count_on_postgresql(small_bound: int, agent_client: APIClient, customer: User) -> None:
    postgresql_only()
    made = tickets(30, customer=customer)
    analyze()
    Ticket.objects.filter(pk__in=[t.pk for t in made[10:]]).delete()  # the statistics still say 30
    estimate = pagination.planner_estimate(Ticket.objects.all())
    assert estimate is not None and estimate > pagination.ESTIMATE_IS_LARGE and estimate != 10

    with CaptureQueriesContext(connection) as captured:
        first = page(agent_client, page_size=2)
    assert (first["count"], first["count_exact"]) == (estimate, False)
    assert len(first["results"]) == 2
    assert not [q for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]  # not counted


@pytest.mark.parametrize("counted", [True, False], ids=["counted", "not-counted"])
def test_an_estimate_is_never_below_the_rows_known_to_exist(
    small_bound: int, monkeypatch: pytest.MonkeyPatch, agent_client: APIClient, customer: User, counted: bool
) -> None:
    """Whether the matches are counted (up to the bound) or the estimate is taken as it is."""
    postgresql_only()
    if not counted:
        monkeypatch.setattr(pagination, "ESTIMATE_IS_LARGE", 0)
    tickets(10, customer=customer, status="closed", closed_at=timezone.now())
    analyze()  # as far as the statistics know, no ticket is open
    tickets(12, customer=customer, status="open")
    estimate = pagination.planner_estimate(Ticket.objects.filter(status__in=["open"]))
    assert estimate is not None and estimate < 6

    first = page(agent_client, status="open", page_size=5)
    assert (first["count"], first["count_exact"]) == (6, False)  # 5 shown and at least one more
    second = page(agent_client, status="open", page_size=5, page=2)
    assert (second["count"], second["count_exact"]) == (11, False)
    last = page(agent_client, status="open", page_size=5, page=3)
    assert (last["count"], last["count_exact"]) == (12, True)  # the last page knows
    assert last["next"] is None


def test_without_a_planner_estimate_the_count_is_always_exact(
    small_bound: int, agent_client: APIClient, customer: User
) -> None:
    if connection.vendor == "postgresql":
        pytest.skip(SQLITE_ONLY)
    tickets(12, customer=customer)
    for number in (1, 2):
        body = page(agent_client, page_size=5, page=number)
        assert (body["count"], body["count_exact"]) == (12, True)
    last = page(agent_client, page_size=5, page="last")
    assert len(last["results"]) == 2
    assert last["next"] is None


# --- the last page --------------------------------------------------------------------------


def test_the_last_page_is_served_when_the_count_is_exact(customer_client: APIClient, customer: User) -> None:
    made = tickets(23, customer=customer)
    last = page(customer_client, page_size=10, page="last")
    assert [row["id"] for row in last["results"]] == [str(t.pk) for t in made[20:]]
    assert (last["count"], last["count_exact"], last["next"]) == (23, True, None)
    assert parse_qs(urlsplit(last["previous"]).query)["page"] == ["2"]


def test_the_last_page_is_refused_when_the_count_is_an_estimate(
    small_bound: int, agent_client: APIClient, customer: User
) -> None:
    postgresql_only()
    tickets(12, customer=customer)
    assert page(agent_client, page_size=5)["count_exact"] is False
    body = assert_error(agent_client.get(TICKETS, {"page": "last", "page_size": 5}), 400, "validation_error")
    assert "page" in body["details"], body
    assert len(page(agent_client, page_size=5, page=3)["results"]) == 2  # reachable by number


# --- the deepest page -----------------------------------------------------------------------


def test_a_page_beyond_the_deepest_offset_is_a_validation_error(
    monkeypatch: pytest.MonkeyPatch, agent_client: APIClient, customer: User
) -> None:
    monkeypatch.setattr(pagination, "MAX_PAGE_OFFSET", 20)
    made = tickets(40, customer=customer)

    deepest = page(agent_client, page_size=10, page=3)  # rows 21..30: offset 20
    assert [row["id"] for row in deepest["results"]] == [str(t.pk) for t in made[20:30]]
    assert (deepest["count"], deepest["count_exact"]) == (40, True)
    assert deepest["next"] is None  # the next page would be refused: no link to it
    assert page(agent_client, page_size=10, page=2)["next"]  # page 3 is still served
    assert len(page(agent_client, page_size=5, page=5)["results"]) == 5  # offset 20 again

    for params in ({"page_size": 10, "page": 4}, {"page_size": 5, "page": 6}, {"page": 1000}):
        body = assert_error(agent_client.get(TICKETS, params), 400, "validation_error")
        assert list(body["details"]) == ["page"], body

    first = page(agent_client)
    assert (first["count"], len(first["results"])) == (40, 10)
    assert page(agent_client, page=4, ordering="created_at", page_size=5)["results"]  # offset 15


# --- links ----------------------------------------------------------------------------------


def query_of(url: str | None) -> dict[str, list[str]]:
    assert url is not None
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("search", ["", "refund"])
def test_next_and_previous_keep_the_other_parameters(agent_client: APIClient, customer: User, search: str) -> None:
    made = tickets(12, customer=customer, title="Refund request", status="open", tags=["vip"])
    tickets(3, customer=customer, title="Refund request", status="closed", closed_at=timezone.now(), tags=["vip"])
    params = {"status": "open", "tag": "vip", "ordering": "created_at", "page_size": "4"}
    if search:
        params["search"] = search
    kept = {name: [value] for name, value in params.items()}

    first = page(agent_client, **params)
    assert first["previous"] is None
    assert query_of(first["next"]) == {**kept, "page": ["2"]}

    second = agent_client.get(first["next"]).json()
    assert query_of(second["previous"]) == kept  # page 1 is the bare query
    assert query_of(second["next"]) == {**kept, "page": ["3"]}

    third = agent_client.get(second["next"]).json()
    assert query_of(third["previous"]) == {**kept, "page": ["2"]}
    assert third["next"] is None

    every = [row["id"] for body in (first, second, third) for row in body["results"]]
    assert every == [str(t.pk) for t in reversed(made)]  # oldest first, none twice
    for body in (first, second, third):
        assert (body["count"], body["count_exact"]) == (12, True)


def test_a_small_list_says_its_count_is_exact(customer_client: APIClient, customer: User) -> None:
    tickets(3, customer=customer)
    for params in ({}, {"page_size": 2}, {"page_size": 2, "page": 2}, {"status": "open"}):
        body = page(customer_client, **params)
        assert body["count_exact"] is True
        assert body["count"] == 3


# --- queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("bound", ["exact", "estimated"])
def test_a_deep_page_runs_the_same_queries_for_few_or_many_tickets(
    django_assert_max_num_queries: Any,
    monkeypatch: pytest.MonkeyPatch,
    agent_client: APIClient,
    customer: User,
    bound: str,
) -> None:
    """Past the first page, with `next` to know and a count to take (exact, or bounded)."""
    if bound == "estimated":
        monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 10)
        monkeypatch.setattr(pagination, "ESTIMATE_IS_LARGE", 20)

    def queries() -> int:
        with django_assert_max_num_queries(6) as captured:
            body = page(agent_client, page_size=5, page=2, ordering="-priority")
        assert len(body["results"]) == 5 and body["next"] is not None
        return len(captured.captured_queries)

    for ticket in tickets(11, customer=customer):
        MessageFactory(ticket=ticket)
    few = queries()
    for ticket in tickets(60, customer=customer):
        MessageFactory(ticket=ticket)
    assert queries() == few
