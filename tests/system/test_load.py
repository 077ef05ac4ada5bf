"""A bounded mixed workload against the server process: 10,000 requests from 50 concurrent
clients, with zero errors and every write found in the database afterwards."""

from __future__ import annotations

import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support.models import Message, Ticket
from tests.system.helpers import call, sign_in

CLIENTS = 50
REQUESTS_PER_CLIENT = 200  # 10,000 in all


def test_mixed_load_has_no_errors_and_loses_no_write(server_factory):
    server = server_factory(workers="2", RATE_LIMIT_DEFAULT="1000000", RATE_LIMIT_TICKET_CREATE="1000000")
    customers = [CustomerFactory() for _ in range(40)]
    agents = [AgentFactory() for _ in range(10)]
    api = f"{server.url}/api/support"

    def client(index: int) -> Counter[str]:
        rng = random.Random(index)
        is_agent = index >= len(customers)
        user = agents[index - len(customers)] if is_agent else customers[index]
        session = sign_in(user)
        seen: Counter[str] = Counter()
        own_tickets: list[str] = []
        if not is_agent:
            response = call(
                session,
                "POST",
                f"{api}/tickets/",
                json={"title": f"Load {index}", "category": "general", "message_text": "first"},
            )
            seen[f"create:{response.status_code}"] += 1
            own_tickets.append(response.json()["id"])
        for step in range(REQUESTS_PER_CLIENT - (0 if is_agent else 1)):
            roll = rng.random()
            if is_agent and not own_tickets:
                page = call(session, "GET", f"{api}/tickets/?page_size=25").json()["results"]
                own_tickets.extend(ticket["id"] for ticket in page)
                seen["list:200"] += 1
                continue
            ticket = rng.choice(own_tickets)
            if roll < 0.4:
                response = call(
                    session,
                    "GET",
                    f"{api}/tickets/?page_size=25&ordering={rng.choice(['-updated_at', 'priority', '-created_at'])}",
                )
                kind = "list"
            elif roll < 0.65:
                response = call(session, "GET", f"{api}/tickets/{ticket}/")
                kind = "detail"
            elif roll < 0.9:
                response = call(
                    session, "POST", f"{api}/tickets/{ticket}/messages/", json={"message_text": f"c{index} s{step}"}
                )
                kind = "reply"
            elif is_agent:
                response = call(
                    session,
                    "PATCH",
                    f"{api}/tickets/{ticket}/",
                    json={"priority": rng.choice(["low", "medium", "high"])},
                )
                kind = "update"
            else:
                response = call(
                    session,
                    "POST",
                    f"{api}/tickets/",
                    json={"title": f"Load {index}.{step}", "category": "billing", "message_text": "more"},
                )
                kind = "create"
                if response.status_code == 201:
                    own_tickets.append(response.json()["id"])
            seen[f"{kind}:{response.status_code}"] += 1
        return seen

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        totals = sum(pool.map(client, range(CLIENTS)), Counter())
    elapsed = time.monotonic() - started

    assert sum(totals.values()) == CLIENTS * REQUESTS_PER_CLIENT
    errors = {key: count for key, count in totals.items() if not key.endswith((":200", ":201"))}
    assert errors == {}, f"{errors}\n{server.log()[-6000:]}"
    created = totals["create:201"]
    replies = totals["reply:201"]
    assert Ticket.objects.count() == created
    # Every ticket has its first message; every reply that got a 201 is stored.
    assert Message.objects.count() == created + replies
    print(
        f"\n{sum(totals.values())} requests in {elapsed:.1f} s ({sum(totals.values()) / elapsed:.0f}/s): {dict(totals)}"
    )
