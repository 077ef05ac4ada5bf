"""Fixtures shared by every test: API clients with tokens, people, and isolated storage."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from desk.accounts.models import User
from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory

REQUIRE_ALL = os.environ.get("DESK_REQUIRE_ALL") == "1"


def _own_cache_keys() -> None:
    """Counters kept in a shared Redis (rate limits, sign-in throttling) must not carry over
    from an earlier run of the suite: this run's keys get a prefix of their own, and the servers
    that system tests start inherit it. (Settings are loaded before this file; the caches are
    created at first use, after it.)"""
    from django.conf import settings

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    os.environ["CACHE_KEY_PREFIX"] = prefix
    settings.CACHES["default"]["KEY_PREFIX"] = prefix


_own_cache_keys()


def need(condition: bool, reason: str) -> None:
    """Skip when a part (Redis, PostgreSQL, Chromium) is absent here; in CI, fail instead."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (DESK_REQUIRE_ALL=1: CI must have it)")
    pytest.skip(reason)


def need_redis() -> str:
    """The Redis URL for a Redis-backed test. Without REDIS_URL (the embedded configuration) the
    test does not apply and is skipped; with REDIS_URL set, Redis must answer."""
    import redis
    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("Redis-backed: runs in the Redis configuration (REDIS_URL is not set)")
    try:
        alive = bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        alive = False
    need(alive, f"Redis at {settings.REDIS_URL} does not answer")
    return settings.REDIS_URL


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path: Path) -> Iterator[Path]:
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}},
    }
    yield media
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_event_loop_running_on_the_test_thread(request: pytest.FixtureRequest) -> None:
    """Server code called from a test (`async_to_sync` in publishers, Django's async-unsafe
    checks) fails or stays silent on a thread with a running event loop: only browser tests,
    whose Playwright session keeps one, may start with one."""
    if request.node.get_closest_marker("browser") is not None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    pytest.fail(f"An earlier test left an event loop running on the test thread: {loop!r}")


@pytest.fixture(autouse=True)
def _breakers_closed() -> Iterator[None]:
    """A test that takes Redis away must not leave the next test skipping it."""
    from desk.core.breaker import broker_breaker, cache_breaker, channel_breaker

    yield
    for breaker in (cache_breaker, broker_breaker, channel_breaker):
        breaker.reset()


@pytest.fixture(autouse=True)
def _tasks_in_process() -> Iterator[None]:
    """Tests run tasks in-process (as the embedded mode does) unless a test starts a real worker;
    with REDIS_URL set, tasks would otherwise wait in Redis for a worker that is not there."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def as_json(data: object) -> object:
    """Data as a response body carries it (rendered by the API's JSON renderer, parsed again)."""
    import json

    from rest_framework.renderers import JSONRenderer

    return json.loads(JSONRenderer().render(data))


def token_for(user: User) -> str:
    return str(AccessToken.for_user(user))


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return client


@pytest.fixture
def make_client() -> Callable[[User | None], APIClient]:
    return client_for


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def customer(db) -> User:
    return CustomerFactory(first_name="Carol", last_name="Customer")


@pytest.fixture
def other_customer(db) -> User:
    return CustomerFactory(first_name="Oscar", last_name="Other")


@pytest.fixture
def agent(db) -> User:
    return AgentFactory(first_name="Alice", last_name="Agent")


@pytest.fixture
def admin_user(db) -> User:
    return AdminFactory(first_name="Ada", last_name="Admin")


@pytest.fixture
def customer_client(customer) -> APIClient:
    return client_for(customer)


@pytest.fixture
def agent_client(agent) -> APIClient:
    return client_for(agent)


# --- a real SMTP server (aiosmtpd) ------------------------------------------------------------


class SmtpSink:
    """An SMTP server on a free local port that keeps what it receives."""

    def __init__(self, port: int = 0) -> None:
        import email
        import socket

        from aiosmtpd.controller import Controller

        if not port:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
        self.port = port
        self.messages: list[email.message.Message] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing with the production work factor makes every factory user cost ~0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
