"""Fixtures for the support API tests: the five kinds of caller and a ticket with a conversation."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.models import User
from desk.support import services
from desk.support.models import Ticket


@pytest.fixture
def other_client(other_customer: User) -> APIClient:
    return client_for(other_customer)


@pytest.fixture
def admin_client(admin_user: User) -> APIClient:
    return client_for(admin_user)


@pytest.fixture
def ticket(customer: User) -> Ticket:
    """An open ticket of `customer`, opened through the service like the API does."""
    return services.ticket_create(
        actor=customer,
        title="Charged twice for my booking",
        message_text="I see two charges of $80 for Friday's cleaning.",
        category="billing",
    )
