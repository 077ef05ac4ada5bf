"""Fixtures for the service-level tests: a clock the test moves, calendars and policies made
through the services, and tickets opened and answered the way the API does it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from desk.accounts.models import User
from desk.sla import services
from desk.sla.models import BusinessCalendar, SlaPolicy
from desk.support import services as support_services
from desk.support.models import Ticket


class Clock:
    """The time as the test says (every clock in the process: model defaults too): it stands
    still at its start and moves only with `advance`."""

    def __init__(self, traveller: time_machine.Coordinates) -> None:
        self._traveller = traveller

    @property
    def now(self) -> datetime:
        return timezone.now()

    def advance(self, **delta: float) -> datetime:
        self._traveller.shift(timedelta(**delta))
        return self.now


MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Monday 2026-12-07 09:00 UTC, standing still."""
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield Clock(traveller)


WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def office_hours(admin_user: User) -> BusinessCalendar:
    return services.calendar_create(
        actor=admin_user, values={"name": "Office", "time_zone": "UTC", "hours": WEEKDAYS_9_TO_5}
    )


@pytest.fixture
def make_policy(admin_user: User) -> Callable[..., SlaPolicy]:
    def make(**values: Any) -> SlaPolicy:
        values.setdefault("name", f"Policy {SlaPolicy.objects.count() + 1}")
        values.setdefault("targets", {"first_response": 60, "next_response": 60, "resolution": 480})
        if isinstance(values.get("calendar"), BusinessCalendar):
            values["calendar"] = str(values["calendar"].pk)
        return services.policy_create(actor=admin_user, values=values)

    return make


@pytest.fixture
def open_ticket(customer: User) -> Callable[..., Ticket]:
    def open_(**fields: Any) -> Ticket:
        fields.setdefault("title", "The cleaner did not come")
        fields.setdefault("message_text", "Booked for 9:00, nobody came.")
        fields.setdefault("category", "service")
        return support_services.ticket_create(actor=fields.pop("actor", customer), **fields)

    return open_


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("customer", "assigned_agent", "follows").get(pk=ticket.pk)
