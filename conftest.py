"""Fixtures shared by every test: API clients with tokens, people, and isolated storage."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from desk.accounts.models import User
from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory

REQUIRE_ALL = os.environ.get("DESK_REQUIRE_ALL") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip when a part (Redis, PostgreSQL, Chromium) is absent here; in CI, fail instead."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (DESK_REQUIRE_ALL=1: CI must have it)")
    pytest.skip(reason)


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


def token_for(user: User) -> str:
    return str(RefreshToken.for_user(user).access_token)


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
