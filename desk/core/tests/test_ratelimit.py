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
    settings.RATE_LIMIT_ANONYMOUS = settings.RATE_LIMIT_SIGN_IN = settings.RATE_LIMIT_ACCOUNT = 1000
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


def test_anonymous_requests_are_limited_per_address_in_a_budget_of_their_own(settings: Any) -> None:
    settings.RATE_LIMIT_ANONYMOUS = 2
    settings.RATE_LIMIT_DEFAULT = 2
    fresh_window()
    address = own_address()
    caller = APIClient(REMOTE_ADDR=address)
    with_bad_token = APIClient(REMOTE_ADDR=address)
    with_bad_token.credentials(HTTP_AUTHORIZATION="Bearer forged")
    assert caller.get(TICKETS).status_code == 401
    assert with_bad_token.get(TICKETS).status_code == 401  # counted against the address too
    assert_limited(caller.get(TICKETS))
    assert APIClient(REMOTE_ADDR=own_address()).get(TICKETS).status_code == 401  # another address is fine
    # Signing in, registering and refreshing from that address are other budgets.
    user = CustomerFactory()
    signed_in = caller.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert signed_in.status_code == 200
    registered = caller.post(
        "/api/auth/register/",
        {"email": f"new-{random.randrange(10**9)}@example.com", "password": "a-long-unusual-pass"},
    )
    assert registered.status_code == 201
    assert caller.post("/api/auth/token/refresh/", {"refresh": signed_in.json()["refresh"]}).status_code == 200


def test_sign_in_attempts_are_limited_per_address_and_account(settings: Any) -> None:
    settings.RATE_LIMIT_SIGN_IN = 3
    fresh_window()
    # Sign-in attempts are counted per email too: an email of its own keeps earlier runs out of it.
    user = CustomerFactory(email=f"sign-in-{random.randrange(10**9)}@example.com")
    address = own_address()
    caller = APIClient(REMOTE_ADDR=address)
    for _ in range(3):
        response = caller.post("/api/auth/token/", {"email": user.email, "password": "wrong"}, format="json")
        assert response.status_code == 401
    assert_limited(caller.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"))
    # Someone else behind the same address, and the same person elsewhere, still sign in.
    other = CustomerFactory()
    assert caller.post("/api/auth/token/", {"email": other.email, "password": PASSWORD}).status_code == 200
    elsewhere = APIClient(REMOTE_ADDR=own_address())
    assert elsewhere.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}).status_code == 200


def test_refreshes_are_limited_per_account(settings: Any) -> None:
    settings.RATE_LIMIT_REFRESH = 2
    fresh_window()
    user = CustomerFactory()
    caller = APIClient(REMOTE_ADDR=own_address())
    tokens = caller.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}).json()
    for _ in range(2):
        tokens = caller.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}).json()
    assert_limited(caller.post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}))
    # Another account refreshing from the same address is not affected.
    other = caller.post("/api/auth/token/", {"email": CustomerFactory().email, "password": PASSWORD}).json()
    assert caller.post("/api/auth/token/refresh/", {"refresh": other["refresh"]}).status_code == 200


def test_the_window_slides(settings: Any) -> None:
    settings.RATE_LIMIT_DEFAULT = 2
    identity = f"test:{random.random()}"
    start = 1_800_000_000.0  # the start of a minute
    assert start % settings.RATE_LIMIT_WINDOW_SECONDS == 0

    def at(offset: float) -> ratelimit.RateLimitState:
        state = ratelimit.hit(scope="default", identity=identity, now=start + offset)
        assert state is not None
        return state

    assert [at(50).allowed, at(55).allowed] == [True, True]
    refused = at(59)
    assert (refused.allowed, refused.remaining, refused.reset_at) == (False, 0, start + 110)
    assert at(61).allowed is False  # a new minute, but both requests are within the last 60 s
    assert at(110.5).allowed is True  # the first has left the window
    assert at(111).allowed is False
    assert at(115.5).allowed is True


def test_no_burst_passes_across_a_minute_boundary(settings: Any) -> None:
    """Requests timed around the turn of a minute get the limit, not twice it."""
    settings.RATE_LIMIT_DEFAULT = 100
    identity = f"test:{random.random()}"
    start = 1_800_000_000.0
    times = [start + 59.5 + i * 0.004 for i in range(100)] + [start + 60 + i * 0.036 for i in range(100)]
    allowed = [ratelimit.hit(scope="default", identity=identity, now=t).allowed for t in times]
    assert sum(allowed) == 100


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
    key = cache.make_key(f"ratelimit:default:user:{user.pk}")
    other_process = redis.Redis.from_url(live_settings.REDIS_URL)
    assert other_process.zcard(key) == 1
    assert 0 < other_process.pttl(key) <= (window + 1) * 1000

    # Another server process counting for the same user (here: a direct write to Redis) is
    # seen by this one.
    now = time.time()
    other_process.zadd(key, {f"other-{n}": now for n in range(4)})
    assert_limited(client.get(TICKETS))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "seen"),
    [
        (0, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # no proxy of ours: the header is ignored
        (1, "203.0.113.9", "10.0.0.1", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "10.0.0.1", "203.0.113.9"),  # what the client wrote is left of ours
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # fewer entries than proxies: not from them
        (1, "", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_the_client_address_comes_from_trusted_proxies_only(settings: Any, proxies, forwarded, remote, seen) -> None:
    from django.test import RequestFactory

    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == seen


def test_behind_a_proxy_each_client_has_its_own_anonymous_budget(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMIT_ANONYMOUS = 2
    fresh_window()
    proxy = own_address()
    noisy = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=own_address())
    quiet = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=own_address())
    noisy.get(TICKETS)
    noisy.get(TICKETS)
    assert_limited(noisy.get(TICKETS))
    assert quiet.get(TICKETS).status_code == 401


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
