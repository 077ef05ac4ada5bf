"""The data generator keeps every invariant of the schema (and its service levels are what the
product computes), and each bare-SQL limit view returns what its real endpoint returns (so the
benchmark's ratios compare like with like)."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import resolve
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from bench import generate, limit_views
from desk.accounts.models import User
from desk.sla import clocks, presenters, services
from desk.sla.models import BusinessCalendar, SlaOutcome, SlaPolicy, TicketSla
from desk.support.models import Ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SMALL = {"tickets": 3000, "messages": 15000, "customers": 200, "agents": 8}


@pytest.fixture
def dataset(tmp_path: Path) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only: runs in the PostgreSQL configuration (DATABASE_URL is not PostgreSQL)")
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    url = f"postgresql://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    config = generate.Config(**SMALL, detail_tickets=5, bench_customer_tickets=12, now=time.time())
    return generate.run(config, database_url=url, replace=True, results_dir=tmp_path, log=lambda _: None)


def scalar(sql: str) -> Any:
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


def test_generator_loads_the_requested_rows_with_every_invariant_kept(dataset: dict[str, Any], tmp_path: Path) -> None:
    assert scalar("SELECT count(*) FROM support_ticket") == SMALL["tickets"]
    assert scalar("SELECT count(*) FROM support_message") == SMALL["messages"]
    assert scalar("SELECT count(*) FROM accounts_user WHERE is_staff") == SMALL["agents"]
    assert scalar("SELECT count(*) FROM accounts_user WHERE NOT is_staff") == SMALL["customers"]
    violations = {
        "is_from_customer differs from sender == customer": """
            SELECT count(*) FROM support_message m JOIN support_ticket t ON t.id = m.ticket_id
            WHERE m.is_from_customer <> (m.sender_id = t.customer_id)""",
        "staff-side message from a customer": """
            SELECT count(*) FROM support_message m JOIN accounts_user u ON u.id = m.sender_id
            WHERE NOT m.is_from_customer AND NOT u.is_staff""",
        "message outside the ticket's lifetime": """
            SELECT count(*) FROM support_message m JOIN support_ticket t ON t.id = m.ticket_id
            WHERE m.created_at < t.created_at OR m.created_at > t.updated_at""",
        "ticket assigned to a non-staff user": """
            SELECT count(*) FROM support_ticket t JOIN accounts_user u ON u.id = t.assigned_agent_id
            WHERE NOT u.is_staff""",
        "customer ticket owned by staff": """
            SELECT count(*) FROM support_ticket t JOIN accounts_user u ON u.id = t.customer_id WHERE u.is_staff""",
        "open ticket with a staff reply": """
            SELECT count(*) FROM support_message m JOIN support_ticket t ON t.id = m.ticket_id
            WHERE t.status = 'open' AND NOT m.is_from_customer AND t.source NOT IN ('phone', 'email')""",
        "internal note marked read by the customer": "SELECT count(*) FROM support_message WHERE is_internal AND read_by_customer",
        "future timestamps": "SELECT count(*) FROM support_ticket WHERE updated_at > now() + interval '1 minute'",
    }
    assert {name: scalar(sql) for name, sql in violations.items()} == dict.fromkeys(violations, 0)
    # The database's own checks and keys were rebuilt, and validated the load.
    assert (
        scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = 'support_message'::regclass AND contype = 'f'") == 3
    )
    assert scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'message_ticket_created_idx'") == 1
    assert scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'ticket_sla_idx'") == 1
    assert scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'sla_outcome_unique'") == 1
    # A realistic spread: every status, priority and category, some escalated, some unassigned, tags.
    assert scalar("SELECT count(DISTINCT status) FROM support_ticket") == 5
    assert scalar("SELECT count(DISTINCT priority) FROM support_ticket") == 4
    assert scalar("SELECT count(DISTINCT category) FROM support_ticket") == 5
    assert 0 < scalar("SELECT count(*) FROM support_ticket WHERE escalated") < SMALL["tickets"] / 5
    assert 0 < scalar("SELECT count(*) FROM support_ticket WHERE assigned_agent_id IS NULL") < SMALL["tickets"] / 2
    assert scalar("SELECT count(*) FROM support_ticket WHERE tags <> '[]'::jsonb") > SMALL["tickets"] / 3
    assert scalar("SELECT count(*) FROM support_message WHERE is_internal") > 0
    assert scalar("SELECT extract(day FROM max(created_at) - min(created_at)) FROM support_ticket") > 600
    # The benchmark's fixtures: known accounts, tickets with exactly 50 messages, open tickets to post to.
    for key in ("agent", "customer", "writer"):
        assert User.objects.get(pk=dataset[key]["id"], email=dataset[key]["email"]).check_password(dataset["password"])
    assert User.objects.get(pk=dataset["agent"]["id"]).is_staff
    ids = "','".join(dataset["detail_ticket_ids"])
    assert scalar(f"SELECT count(DISTINCT ticket_id) FROM support_message WHERE ticket_id IN ('{ids}')") == 5
    counts = {
        row[0]: row[1]
        for row in _rows(
            f"SELECT ticket_id::text, count(*) FROM support_message WHERE ticket_id IN ('{ids}') GROUP BY 1"
        )
    }
    assert set(counts.values()) == {50}
    posts = "','".join(dataset["post_ticket_ids"])
    assert scalar(f"SELECT count(*) FROM support_ticket WHERE id IN ('{posts}') AND status = 'closed'") == 0
    assert json.loads((tmp_path / "dataset.json").read_text())["counts"]["tickets"] == SMALL["tickets"]


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_generator_refuses_to_replace_data_unless_asked(dataset: dict[str, Any], tmp_path: Path) -> None:
    s = connection.settings_dict
    url = f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    with pytest.raises(SystemExit, match="--replace"):
        generate.run(generate.Config(**SMALL), database_url=url, replace=False, results_dir=tmp_path)
    assert scalar("SELECT count(*) FROM support_ticket") == SMALL["tickets"]


def _client(user_id: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(User.objects.get(pk=user_id))}")
    return client


def _without_links(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("next", "previous")}


LIST_QUERIES = [
    "page_size=25",
    "status=open,in_progress&priority=high,urgent&page_size=25",
    "assigned_agent=me&page_size=25",
    "assigned_agent=none&page_size=10",
    "tag=refund&page_size=25",
    "escalated=true&page_size=25",
    "ordering=-priority&page_size=25",
    "ordering=updated_at&page=3&page_size=20",
    "page=40&page_size=25",
    "search=window%20cleaning&page_size=25",
    "ordering=sla&page_size=25",
    "sla=breached&status=open,in_progress&ordering=sla&page_size=25",
    "sla=at_risk,ok&page_size=10",
    "sla=none&ordering=-updated_at&page_size=10",
]


@pytest.mark.urls("bench.tests.urls")
def test_limit_views_return_what_the_endpoints_return(dataset: dict[str, Any]) -> None:
    agent, customer = _client(dataset["agent"]["id"]), _client(dataset["customer"]["id"])
    for client, queries in (
        (agent, LIST_QUERIES),
        (customer, [*LIST_QUERIES[:1], "search=refund", "ordering=-updated_at"]),
    ):
        for query in queries:
            real = client.get(f"/api/support/tickets/?{query}")
            limit = client.get(f"/bench/limit/tickets/?{query}")
            assert real.status_code == limit.status_code == 200, query
            assert real.json()["results"], query
            assert _without_links(limit.json()) == _without_links(real.json()), query
            assert (limit.json()["next"] is None) == (real.json()["next"] is None), query
    for ticket_id in dataset["detail_ticket_ids"][:2] + dataset["bench_customer_ticket_ids"][:1]:
        for client in (agent, customer):
            limit = client.get(f"/bench/limit/tickets/{ticket_id}/")
            real = client.get(f"/api/support/tickets/{ticket_id}/")
            assert limit.status_code == real.status_code, ticket_id
            if real.status_code == 200:
                assert limit.json() == real.json(), ticket_id
    assert agent.get("/bench/limit/tickets/").status_code == 200
    assert APIClient().get("/bench/limit/tickets/").status_code == 401
    for query in ("ordering=sla", "sla=breached"):  # customers never see service levels
        assert customer.get(f"/api/support/tickets/?{query}").status_code == 400
        assert customer.get(f"/bench/limit/tickets/?{query}").status_code == 400


def test_limit_views_are_not_mounted_unless_enabled() -> None:
    match = resolve("/bench/limit/tickets/")
    assert match.func is not limit_views.ticket_list


def _ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def test_generated_service_levels_are_what_the_product_computes(dataset: dict[str, Any]) -> None:
    """Policies, calendars, each tracked ticket's clocks and queue columns as the product itself
    would have them after living through the ticket's history with the alert job running."""
    sla = dataset["sla"]
    now = _ts(sla["now"])
    assert SlaPolicy.objects.count() == len(generate.SLA_POLICIES)
    office = BusinessCalendar.objects.get(builtin=False)
    assert office.time_zone == "Asia/Kathmandu" and office.hours["sat"] == [] and office.hours["sun"]
    years = {day[:4] for day in office.holidays}
    assert len(years) >= 3 and len(office.holidays) < 16 * len(years)  # a few a year, not every festival
    # Every ticket a policy matches has its clocks, and only those.
    tickets = list(Ticket.objects.select_related("customer"))
    policies = list(SlaPolicy.objects.select_related("calendar").order_by("position"))
    states = {s.ticket_id: s for s in TicketSla.objects.select_related("policy__calendar")}
    matched = {t.pk: services.policy_for(t, policies) for t in tickets}
    assert {pk for pk, p in matched.items() if p is not None} == set(states)
    assert sum(t.sla_tracked for t in tickets) == len(states) == sla["tracked"]
    assert 0 < len(states) < len(tickets)  # some tickets have no SLA (general questions of low priority)
    by_id = {t.pk: t for t in tickets}
    statuses = {t.status for t in tickets}
    assert "pending" in statuses
    # The clocks are the product's replay of the ticket's timeline (messages and status history),
    # with the alert job's marks; the queue columns and the next alert follow from them.
    for ticket_id, state in states.items():
        ticket = by_id[ticket_id]
        assert state.policy_id == matched[ticket_id].pk
        assert state.paused == (ticket.status not in clocks.RUNNING_STATUSES)
        assert state.next_alert_at is None or state.next_alert_at > now  # nothing due
        stored = clocks.load(state.clocks)
        if ticket.number % 7 == 0:  # a sample: the replay reads each ticket's timeline
            replayed = clocks.replay(
                calendar=services._calendar_of(state.policy.calendar),
                targets=services._targets_of(state.policy),
                created_at=ticket.created_at,
                entries=services._timeline(ticket),
                now=state.evaluated_at,
            )
            for name, clock in replayed.items():  # the alert job's marks (what `clocks.merge` carries over)
                clock.warned, clock.alerted, clock.missed = (
                    stored[name].warned,
                    stored[name].alerted,
                    stored[name].missed,
                )
                if stored[name].crossed_due and clock.missed and clock.met_at is None:
                    clock.crossed_due = True  # breached, then evaluated again: merge keeps the due time
            assert clocks.dump(replayed) == state.clocks, ticket_id
        keys = clocks.queue_keys(stored, paused=state.paused, now=now)
        assert (keys.next_breach_at, keys.at_risk_at, keys.breached) == (
            ticket.sla_next_breach_at,
            ticket.sla_at_risk_at,
            ticket.sla_breached,
        ), ticket_id
        assert keys.next_alert_at == state.next_alert_at, ticket_id
        assert presenters.sla_data(state, now=now)["policy"]["id"] == str(state.policy_id)
    # A realistic spread of the running clocks: some breached, some at risk, most due ahead.
    running = [by_id[pk] for pk, s in states.items() if not s.paused]
    assert sla["running"] == len(running) > 0
    overdue = [t for t in running if t.sla_breached or (t.sla_next_breach_at and t.sla_next_breach_at <= now)]
    ahead = [t for t in running if t.sla_next_breach_at and t.sla_next_breach_at > now]
    assert 0 < len(overdue) < len(running) and len(ahead) > len(running) / 3
    assert all(by_id[pk].sla_next_breach_at is None for pk, s in states.items() if s.paused)
    # Decided targets: mostly met, some missed; the history has the status changes.
    assert SlaOutcome.objects.count() == sla["outcomes"]
    missed = SlaOutcome.objects.filter(met=False).count()
    assert 0 < missed < SlaOutcome.objects.count() / 3
    assert not SlaOutcome.objects.filter(decided_at__gt=now).exists()
    assert (
        scalar(
            "SELECT count(*) FROM support_ticket t WHERE t.status IN ('resolved', 'closed') AND NOT EXISTS "
            "(SELECT 1 FROM support_ticketevent e WHERE e.ticket_id = t.id AND e.new_value = '\"resolved\"'::jsonb)"
        )
        == 0
    )
    # Nothing is due right after the load: the alert job has nothing to send.
    assert services.sla_check(now=now) == 0


def test_the_api_presents_the_generated_clocks(dataset: dict[str, Any]) -> None:
    agent = _client(dataset["agent"]["id"])
    state = TicketSla.objects.filter(paused=False, ticket__sla_next_breach_at__isnull=False).first()
    assert state is not None
    body = agent.get(f"/api/support/tickets/{state.ticket_id}/").json()
    block = body["sla"]
    assert block["policy"]["id"] == str(state.policy_id) and not block["paused"]
    assert block["next_breach_at"] is not None and len(block["targets"]) == 3
    first = agent.get("/api/support/tickets/?ordering=sla&page_size=5").json()["results"]
    dues = [row["sla"]["next_breach_at"] for row in first]
    assert all(dues) and dues == sorted(dues)  # soonest breach first (all of these running)
