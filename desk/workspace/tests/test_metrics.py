"""Metrics exactly right on a small data set computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support.models import EventKind, Message, Ticket, TicketEvent
from desk.workspace.selectors import metrics_for_range, parse_range

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def ticket(customer, created: str, *, status="open", priority="medium", agent=None, reply_after=None, done_after=None):
    created_at = at(created)
    t = Ticket.objects.create(
        title=f"T {created}",
        customer=customer,
        status=status,
        priority=priority,
        assigned_agent=agent,
        created_at=created_at,
        updated_at=created_at,
        closed_at=created_at + done_after if status == "closed" else None,
    )
    Message.objects.create(ticket=t, sender=customer, message_text="help", created_at=created_at, is_from_customer=True)
    # Noise that must not count as a first response: a customer follow-up and an internal note.
    Message.objects.create(
        ticket=t,
        sender=customer,
        message_text="more",
        created_at=created_at + timedelta(minutes=5),
        is_from_customer=True,
    )
    if agent is not None:
        Message.objects.create(
            ticket=t, sender=agent, message_text="note", created_at=created_at + timedelta(minutes=10), is_internal=True
        )
    if reply_after is not None:
        Message.objects.create(ticket=t, sender=agent, message_text="reply", created_at=created_at + reply_after)
    if done_after is not None:
        # An earlier resolution that was reopened: the last one counts.
        TicketEvent.objects.create(
            ticket=t,
            kind=EventKind.STATUS,
            old_value="open",
            new_value="resolved",
            created_at=created_at + timedelta(minutes=30),
        )
        TicketEvent.objects.create(
            ticket=t,
            kind=EventKind.STATUS,
            old_value="resolved",
            new_value="open",
            created_at=created_at + timedelta(minutes=40),
        )
        TicketEvent.objects.create(
            ticket=t, kind=EventKind.STATUS, old_value="open", new_value=status, created_at=created_at + done_after
        )
    return t


@pytest.fixture
def data_set():
    customer = CustomerFactory()
    alice = AgentFactory(first_name="Alice", last_name="A")
    bob = AgentFactory(first_name="Bob", last_name="B")
    ticket(customer, "2026-03-01T10:00", status="resolved", agent=alice, reply_after=1 * HOUR, done_after=5 * HOUR)
    ticket(customer, "2026-03-01T12:00", status="closed", agent=alice, reply_after=4 * HOUR, done_after=24 * HOUR)
    ticket(customer, "2026-03-02T09:00", status="in_progress", agent=bob, reply_after=2 * HOUR)
    ticket(customer, "2026-03-03T23:30", status="open", priority="urgent")
    ticket(customer, "2026-02-28T08:00", status="resolved", agent=alice, reply_after=HOUR, done_after=HOUR)
    ticket(customer, "2026-03-04T08:00", status="open", priority="high", agent=bob)
    return {"alice": alice, "bob": bob}


def test_metrics_match_the_hand_computed_figures(data_set):
    start, end = parse_range("2026-03-01", "2026-03-03")
    metrics = metrics_for_range(start=start, end=end)
    assert metrics["from"] == "2026-03-01" and metrics["to"] == "2026-03-03"
    assert metrics["tickets_created"] == 4
    assert metrics["created_per_day"] == [
        {"date": "2026-03-01", "count": 2},
        {"date": "2026-03-02", "count": 1},
        {"date": "2026-03-03", "count": 1},
    ]
    assert metrics["status_counts"] == {"open": 1, "in_progress": 1, "pending": 0, "resolved": 1, "closed": 1}
    assert metrics["backlog"] == {
        "by_status": {"open": 2, "in_progress": 1, "pending": 0},
        "by_priority": {"low": 0, "medium": 1, "high": 1, "urgent": 1},
    }
    # First responses: 1 h, 4 h, 2 h.
    assert metrics["first_response"] == {"count": 3, "median_seconds": 7200.0, "mean_seconds": 8400.0}
    # Resolutions: 5 h and 24 h (the last transition to resolved/closed).
    assert metrics["resolution"] == {"count": 2, "median_seconds": 52200.0, "mean_seconds": 52200.0}
    assert metrics["resolution_rate"] == 0.5
    agents = {row["name"]: row for row in metrics["agents"]}
    assert agents["Alice A"]["open_load"] == 0
    assert agents["Alice A"]["resolved_count"] == 2
    assert agents["Alice A"]["median_first_response_seconds"] == 9000.0
    assert agents["Bob B"]["open_load"] == 2
    assert agents["Bob B"]["resolved_count"] == 0
    assert agents["Bob B"]["median_first_response_seconds"] == 7200.0


def test_empty_range_has_zeros_and_no_rates(data_set):
    metrics = metrics_for_range(
        *(), **dict(zip(("start", "end"), parse_range("2025-01-01", "2025-01-02"), strict=True))
    )
    assert metrics["tickets_created"] == 0
    assert metrics["resolution_rate"] is None
    assert metrics["first_response"] == {"count": 0, "median_seconds": None, "mean_seconds": None}
    assert [day["count"] for day in metrics["created_per_day"]] == [0, 0]


@pytest.mark.parametrize(
    ("raw_from", "raw_to", "field"),
    [
        ("2026-13-01", None, "from"),
        (None, "yesterday", "to"),
        ("2026-03-05", "2026-03-01", "from"),
        ("2024-01-01", "2026-01-01", "from"),
    ],
)
def test_bad_ranges_are_validation_errors(raw_from, raw_to, field):
    from desk.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        parse_range(raw_from, raw_to)
    assert field in caught.value.details


def test_metrics_query_count_does_not_grow(data_set, django_assert_num_queries, make_client):
    from desk.accounts.tests.factories import AdminFactory

    client = make_client(AdminFactory())
    with django_assert_num_queries(13) as small:  # 9 for tickets, 4 for SLA attainment
        assert client.get("/api/support/metrics/?from=2026-02-01&to=2026-03-31").status_code == 200
    customer = CustomerFactory()
    for day in range(1, 28):
        ticket(
            customer,
            f"2026-02-{day:02d}T10:00",
            status="resolved",
            agent=data_set["alice"],
            reply_after=HOUR,
            done_after=2 * HOUR,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/api/support/metrics/?from=2026-02-01&to=2026-03-31").json()["tickets_created"] == 33


def test_days_are_counted_in_the_viewers_time_zone(make_client):
    from desk.accounts.tests.factories import AdminFactory

    customer = CustomerFactory()
    # 23:30 UTC on 1 March is already 2 March in Tokyo (UTC+9).
    ticket(customer, "2026-03-01T23:30")
    client = make_client(AdminFactory())
    utc = client.get("/api/support/metrics/?from=2026-03-01&to=2026-03-02").json()["created_per_day"]
    tokyo = client.get("/api/support/metrics/?from=2026-03-01&to=2026-03-02&tz=Asia/Tokyo").json()["created_per_day"]
    assert utc == [{"date": "2026-03-01", "count": 1}, {"date": "2026-03-02", "count": 0}]
    assert tokyo == [{"date": "2026-03-01", "count": 0}, {"date": "2026-03-02", "count": 1}]
    bad = client.get("/api/support/metrics/?tz=Mars/Olympus")
    assert bad.status_code == 400 and "tz" in bad.json()["details"]
