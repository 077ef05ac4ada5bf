"""Rate limits (SPEC): per user, 30 ticket creations and 100 other requests a minute, counted in
the shared cache (Redis when configured), with `X-RateLimit-*` headers on every response and 429
`rate_limit_exceeded` with `Retry-After` past the limit.

Limits are lowered per test with the settings fixture. Counts are keyed by user id (or client
address), so each test uses fresh users or its own address instead of clearing the cache.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from django.conf import settings as live_settings
from django.core.cache import cache, caches
from rest_framework.test import APIClient

from conftest import client_for, need_redis
from desk.accounts.tests.factories import PASSWORD, AgentFactory, CustomerFactory
from desk.core import ratelimit
from desk.support import services

pytestmark = pytest.mark.django_db

TICKETS = "/api/support/tickets/"
NEW_TICKET = {"title": "Locked out", "category": "account", "message_text": "It says my account is locked."}


def fresh_window(margin: float = 10.0) -> None:
    """Wait for a new window if the current one ends within `margin` seconds, so that a burst of
    requests in a test all fall in one window."""
    window = live_settings.RATE_LIMIT_WINDOW_SECONDS
    left = window - (time.time() % window)
    if left < margin:
        time.sleep(left + 0.05)


def own_address() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def headers(response: Any) -> tuple[int, int, int]:
    return (
        int(response["X-RateLimit-Limit"]),
        int(response["X-RateLimit-Remaining"]),
        int(response["X-RateLimit-Reset"]),
    )


def assert_limited(response: Any) -> None:
    assert response.status_code == 429, response.content
    body = response.json()
    assert body["error"] == "rate_limit_exceeded"
    assert set(body) == {"error", "message", "details"}
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= live_settings.RATE_LIMIT_WINDOW_SECONDS
    assert response["X-RateLimit-Remaining"] == "0"


def test_every_response_carries_the_headers(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 1000
    settings.RATE_LIMIT_TICKET_CREATE = 500
    fresh_window()
    customer, other = CustomerFactory(), CustomerFactory()
    client = client_for(customer)
    ticket = services.ticket_create(actor=other, title="x", message_text="y", category="general")
    anonymous = APIClient(REMOTE_ADDR=own_address())
    bad_token = APIClient(REMOTE_ADDR=own_address())
    bad_token.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    start = time.time()
    responses = {
        "list 200": client.get(TICKETS),
        "create 201": client.post(TICKETS, NEW_TICKET, format="json"),
        "create 400": client.post(TICKETS, {}, format="json"),
        "someone else's ticket 404": client.get(f"{TICKETS}{ticket.pk}/"),
        "staff-only 403": client.post(f"{TICKETS}{ticket.pk}/assign/", {}, format="json"),
        "wrong method 405": client.delete(TICKETS),
        "anonymous 401": anonymous.get(TICKETS),
        "bad token 401": bad_token.get(TICKETS),
        "register 201": anonymous.post(
            "/api/auth/register/", {"email": "rl@example.com", "password": "a-long-unusual-pass"}, format="json"
        ),
        "token 200": anonymous.post("/api/auth/token/", {"email": customer.email, "password": PASSWORD}, format="json"),
        "me 200": client.get("/api/auth/me/"),
    }
    end = time.time()
    for name, response in responses.items():
        limit, remaining, reset = headers(response)
        assert limit in (1000, 500), name
        assert 0 <= remaining < limit, name
        assert start < reset <= end + live_settings.RATE_LIMIT_WINDOW_SECONDS + 1, name
    assert headers(responses["create 201"])[0] == 500  # the ticket-creation bucket
    assert headers(responses["list 200"])[0] == 1000


def test_past_the_limit_requests_get_429_with_retry_after(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 3
    fresh_window()
    client = client_for(CustomerFactory())
    remaining = [headers(client.get(TICKETS))[1] for _ in range(3)]
    assert remaining == [2, 1, 0]
    assert_limited(client.get(TICKETS))
    assert_limited(client.get("/api/auth/me/"))  # every endpoint shares the default bucket


def test_refused_requests_count_too(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 2
    fresh_window()
    client = client_for(CustomerFactory())
    assert client.get(f"{TICKETS}not-a-ticket/").status_code == 404
    assert client.post(f"{TICKETS}not-a-ticket/messages/", {}, format="json").status_code == 404
    assert_limited(client.get(TICKETS))


def test_ticket_creation_has_its_own_bucket(settings: Any) -> None:
    settings.RATE_LIMIT_TICKET_CREATE = 2
    settings.RATE_LIMIT_DEFAULT = 4
    fresh_window()
    client = client_for(CustomerFactory())
    assert client.post(TICKETS, NEW_TICKET, format="json").status_code == 201
    assert client.post(TICKETS, NEW_TICKET, format="json").status_code == 201
    assert_limited(client.post(TICKETS, NEW_TICKET, format="json"))
    # Other requests are counted separately and still allowed.
    listing = client.get(TICKETS)
    assert listing.status_code == 200
    assert headers(listing)[:2] == (4, 3)
    for _ in range(3):
        client.get(TICKETS)
    assert_limited(client.get(TICKETS))


def test_exhausting_the_default_bucket_does_not_block_creating(settings: Any) -> None:
    settings.RATE_LIMIT_TICKET_CREATE = 2
    settings.RATE_LIMIT_DEFAULT = 1
    fresh_window()
    client = client_for(CustomerFactory())
    client.get(TICKETS)
    assert_limited(client.get(TICKETS))
    assert client.post(TICKETS, NEW_TICKET, format="json").status_code == 201


def test_limits_are_per_user(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 2
    fresh_window()
    first, second = client_for(CustomerFactory()), client_for(AgentFactory())
    first.get(TICKETS)
    first.get(TICKETS)
    assert_limited(first.get(TICKETS))
    assert second.get(TICKETS).status_code == 200


def test_a_users_second_token_shares_the_count(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 2
    fresh_window()
    user = CustomerFactory()
    client_for(user).get(TICKETS)
    client_for(user).get(TICKETS)
    assert_limited(client_for(user).get(TICKETS))


def test_anonymous_requests_are_limited_per_address(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 2
    fresh_window()
    address = own_address()
    caller = APIClient(REMOTE_ADDR=address)
    with_bad_token = APIClient(REMOTE_ADDR=address)
    with_bad_token.credentials(HTTP_AUTHORIZATION="Bearer forged")
    assert caller.get(TICKETS).status_code == 401
    assert with_bad_token.get(TICKETS).status_code == 401  # counted against the address too
    assert_limited(caller.post("/api/auth/token/", {"email": "a@example.com", "password": "guess"}, format="json"))
    assert APIClient(REMOTE_ADDR=own_address()).get(TICKETS).status_code == 401  # another address is fine


def test_login_attempts_are_limited(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 3
    fresh_window()
    # Sign-in attempts are counted per email too: an email of its own keeps earlier runs out of it.
    user = CustomerFactory(email=f"sign-in-{random.randrange(10**9)}@example.com")
    caller = APIClient(REMOTE_ADDR=own_address())
    for _ in range(3):
        response = caller.post("/api/auth/token/", {"email": user.email, "password": "wrong"}, format="json")
        assert response.status_code == 401
    assert_limited(caller.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"))


def test_the_window_starts_afresh(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 2
    identity = f"test:{random.random()}"
    start = 1_800_000_000.0  # the start of a window for a 60-second window
    assert start % settings.RATE_LIMIT_WINDOW_SECONDS == 0
    states = [ratelimit.hit(scope="default", identity=identity, now=start + i) for i in range(3)]
    assert [s.count for s in states] == [1, 2, 3]
    assert [s.allowed for s in states] == [True, True, False]
    assert {s.reset_at for s in states} == {int(start) + settings.RATE_LIMIT_WINDOW_SECONDS}
    later = ratelimit.hit(scope="default", identity=identity, now=start + settings.RATE_LIMIT_WINDOW_SECONDS)
    assert (later.count, later.allowed) == (1, True)


def test_default_limits_follow_spec() -> None:
    """The pytest environment raises them; the code's defaults are SPEC's 30 and 100 a minute."""
    import importlib.util
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("RATE_LIMIT_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.RATE_LIMIT_TICKET_CREATE, s.RATE_LIMIT_DEFAULT, s.RATE_LIMIT_WINDOW_SECONDS)"
    )
    assert importlib.util.find_spec("config") is not None
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["30", "100", "60"]


def test_the_count_lives_in_redis_when_configured(settings: Any) -> None:
    """With REDIS_URL set the cache is Redis, so every server process shares one count."""
    need_redis()
    import redis
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    settings.RATE_LIMIT_DEFAULT = 5
    fresh_window()
    user = CustomerFactory()
    client = client_for(user)
    assert headers(client.get(TICKETS))[1] == 4

    window = settings.RATE_LIMIT_WINDOW_SECONDS
    window_start = int(time.time() // window) * window
    key = cache.make_key(f"ratelimit:default:user:{user.pk}:{window_start}")
    other_process = redis.Redis.from_url(live_settings.REDIS_URL)
    assert int(other_process.get(key)) == 1
    assert 0 < other_process.ttl(key) <= window + 5

    # Another server process counting for the same user (here: a direct write to Redis) is
    # seen by this one.
    other_process.incrby(key, 4)
    assert_limited(client.get(TICKETS))


def test_the_api_keeps_serving_when_the_cache_is_down(settings: Any, caplog: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    client = client_for(CustomerFactory())
    response = client.get(TICKETS)
    assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response
    assert "Rate limiting is unavailable" in caplog.text
