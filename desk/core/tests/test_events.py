"""The domain-event bus: subscribers hear what they subscribed to, in order, inside the change's
transaction, and an event published outside one is refused."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from desk.core import events


@dataclass(frozen=True)
class Thing(events.DomainEvent):
    name = "thing.happened"
    value: int


@dataclass(frozen=True)
class SpecialThing(Thing):
    name = "thing.special"


@pytest.fixture
def heard():
    log: list[tuple[str, object]] = []
    unsubscribers = [
        events.subscribe(Thing, lambda event: log.append(("thing", event.value))),
        events.subscribe(SpecialThing, lambda event: log.append(("special", event.value))),
        events.subscribe(events.DomainEvent, lambda event: log.append(("any", event.name))),
    ]
    yield log
    for unsubscribe in unsubscribers:
        unsubscribe()


@pytest.mark.django_db
def test_subscribers_hear_their_events_and_those_derived_from_them_in_order(heard) -> None:
    with transaction.atomic():
        events.publish(Thing(value=1))
        events.publish(SpecialThing(value=2))
    # In the order of subscription, whichever class each subscribed to.
    assert heard == [("thing", 1), ("any", "thing.happened"), ("thing", 2), ("special", 2), ("any", "thing.special")]


@pytest.mark.django_db
def test_an_unsubscribed_handler_hears_nothing_more(heard) -> None:
    log: list[int] = []
    unsubscribe = events.subscribe(Thing, lambda event: log.append(event.value))
    with transaction.atomic():
        events.publish(Thing(value=1))
    unsubscribe()
    with transaction.atomic():
        events.publish(Thing(value=2))
    assert log == [1]


@pytest.mark.django_db(transaction=True)
def test_publishing_outside_a_transaction_is_refused(heard) -> None:
    with pytest.raises(events.PublishedOutsideTransaction):
        events.publish(Thing(value=3))
    assert heard == []


@pytest.mark.django_db
def test_a_failing_subscriber_undoes_the_change() -> None:
    from desk.core.models import AuditEntry

    def refuse(event: Thing) -> None:
        raise RuntimeError("no")

    unsubscribe = events.subscribe(Thing, refuse)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            AuditEntry.objects.create(action="something")
            events.publish(Thing(value=4))
    finally:
        unsubscribe()
    assert not AuditEntry.objects.filter(action="something").exists()
