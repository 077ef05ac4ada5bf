"""Promises that only show with real processes: rate limits shared through Redis, serving on
when Redis is down, and concurrent writers losing nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import need, need_redis
from desk.accounts.services import token_pair_for
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.notifications.models import DeliveryStatus, EmailDelivery
from desk.support.models import Message, Ticket
from tests.system.conftest import ROOT, free_port, server_env
from tests.system.helpers import call, sign_in


@pytest.mark.redis
def test_rate_limit_holds_across_two_server_processes(server_factory):
    need_redis()
    first = server_factory(RATE_LIMIT_DEFAULT="10")
    second = server_factory(RATE_LIMIT_DEFAULT="10")
    user = CustomerFactory()
    sessions = [sign_in(user), sign_in(user)]
    statuses, remaining = [], []
    for index in range(14):
        base, session = (first.url, sessions[0]) if index % 2 == 0 else (second.url, sessions[1])
        response = call(session, "GET", f"{base}/api/auth/me/")
        statuses.append(response.status_code)
        remaining.append(response.headers.get("X-RateLimit-Remaining"))
    assert statuses[:10] == [200] * 10, statuses
    assert statuses[10:] == [429] * 4
    # One count across both processes: 9, 8, ... regardless of which one answered.
    assert remaining[:10] == [str(n) for n in range(9, -1, -1)]


def test_api_keeps_serving_when_redis_is_down_and_emails_wait_until_it_is_back(server_factory, smtp_server):
    redis_server = shutil.which("redis-server")
    need(redis_server is not None, "needs the redis-server program to bring Redis back")
    port = free_port()
    dead_redis = f"redis://127.0.0.1:{port}/0"
    mail_env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
    }
    server = server_factory(REDIS_URL=dead_redis, **mail_env)
    customer, agent = CustomerFactory(), AgentFactory()
    as_customer, as_agent = sign_in(customer), sign_in(agent)

    started = time.monotonic()
    created = call(
        as_customer,
        "POST",
        f"{server.url}/api/support/tickets/",
        json={"title": "Redis is down", "category": "technical", "message_text": "Hello"},
    )
    assert created.status_code == 201, created.text
    assert "X-RateLimit-Limit" not in created.headers  # the limit degrades, the request does not
    ticket_id = created.json()["id"]
    for index in range(5):
        reply = call(
            as_agent,
            "POST",
            f"{server.url}/api/support/tickets/{ticket_id}/messages/",
            json={"message_text": f"Reply {index}"},
        )
        assert reply.status_code == 201, reply.text
    listed = call(as_customer, "GET", f"{server.url}/api/support/tickets/")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert time.monotonic() - started < 30  # a dead Redis is skipped, not waited for on every call
    assert "unavailable" in server.log()

    waiting = EmailDelivery.objects.filter(ticket_id=ticket_id)
    assert waiting.count() == 6  # the confirmation and five replies to the customer
    assert set(waiting.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert smtp_server.messages == []

    revived = subprocess.Popen(
        [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(0.5)
        sweep = subprocess.run(
            [sys.executable, "manage.py", "retry_emails", "--now"],
            cwd=ROOT,
            env=server_env(REDIS_URL=dead_redis, **mail_env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert sweep.returncode == 0, sweep.stderr
        assert set(waiting.values_list("status", flat=True)) == {DeliveryStatus.SENT}
        assert len(smtp_server.messages) == 6
        # With Redis back, rate limits are counted again (after the breaker's short cool-down).
        time.sleep(5.5)
        assert "X-RateLimit-Limit" in call(as_customer, "GET", f"{server.url}/api/auth/me/").headers
    finally:
        revived.terminate()
        revived.wait(timeout=10)


def test_fifty_concurrent_replies_lose_no_message(server_factory):
    server = server_factory(workers="2")
    customer = CustomerFactory()
    agents = [AgentFactory() for _ in range(5)]
    as_customer = sign_in(customer)
    ticket_id = call(
        as_customer,
        "POST",
        f"{server.url}/api/support/tickets/",
        json={"title": "Busy", "category": "general", "message_text": "Start"},
    ).json()["id"]
    sessions = [sign_in(agents[index % 5]) for index in range(50)]
    barrier = threading.Barrier(50)

    def reply(index: int) -> int:
        barrier.wait(timeout=60)
        response = call(
            sessions[index],
            "POST",
            f"{server.url}/api/support/tickets/{ticket_id}/messages/",
            json={"message_text": f"Reply number {index}"},
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(reply, range(50)))
    assert statuses == [201] * 50, statuses
    texts = set(Message.objects.filter(ticket_id=ticket_id).values_list("message_text", flat=True))
    assert {f"Reply number {index}" for index in range(50)} <= texts
    assert len(texts) == 51
    ticket = Ticket.objects.get(pk=ticket_id)
    latest = Message.objects.filter(ticket_id=ticket_id).order_by("-created_at").first()
    assert ticket.updated_at == latest.created_at
    assert ticket.status == "in_progress"
    listed = call(as_customer, "GET", f"{server.url}/api/support/tickets/").json()["results"][0]
    assert listed["unread_count"] == 50
    detail = call(as_customer, "GET", f"{server.url}/api/support/tickets/{ticket_id}/").json()
    assert len(detail["messages"]) == 51
    assert call(as_customer, "GET", f"{server.url}/api/support/tickets/").json()["results"][0]["unread_count"] == 0


def test_ten_concurrent_refreshes_of_one_token_give_one_new_pair(server_factory):
    """Rotation is atomic across server processes: one refresh succeeds, the rest are refused,
    and only the winner's pair goes on."""
    import requests

    server = server_factory(workers="2", REFRESH_REUSE_GRACE_SECONDS="60")
    refresh = token_pair_for(CustomerFactory())["refresh"]  # the server shares the key
    barrier = threading.Barrier(10)

    def rotate(_: int) -> requests.Response:
        barrier.wait(timeout=60)
        return requests.post(f"{server.url}/api/auth/token/refresh/", json={"refresh": refresh}, timeout=60)

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(rotate, range(10)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [401] * 9, statuses
    winner = next(answer.json() for answer in answers if answer.status_code == 200)
    again = requests.post(f"{server.url}/api/auth/token/refresh/", json={"refresh": winner["refresh"]}, timeout=30)
    assert again.status_code == 200
