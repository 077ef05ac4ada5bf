"""The data generator keeps every invariant of the schema, and each bare-SQL limit view returns
what its real endpoint returns (so the benchmark's ratios compare like with like)."""

from __future__ import annotations

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
        scalar("SELECT count(*) FROM pg_constraint WHERE conrelid = 'support_message'::regclass AND contype = 'f'") == 2
    )
    assert scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'message_ticket_created_idx'") == 1
    # A realistic spread: every status, priority and category, some escalated, some unassigned, tags.
    assert scalar("SELECT count(DISTINCT status) FROM support_ticket") == 4
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
]


@pytest.mark.urls("bench.tests.urls")
def test_limit_views_return_what_the_endpoints_return(dataset: dict[str, Any]) -> None:
    agent, customer = _client(dataset["agent"]["id"]), _client(dataset["customer"]["id"])
    for client, queries in ((agent, LIST_QUERIES), (customer, [*LIST_QUERIES[:1], "search=refund"])):
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


def test_limit_views_are_not_mounted_unless_enabled() -> None:
    match = resolve("/bench/limit/tickets/")
    assert match.func is not limit_views.ticket_list
