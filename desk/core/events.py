"""Domain events: the one way a domain announces a change.

A service publishes an event inside the transaction that makes the change; the event carries
everything a listener needs (the objects as written, already loaded). Subscribers run at once, in
order, in the same transaction: notifications, live updates and whatever comes next (webhooks,
SLA clocks, rules). A subscriber writes its own rows there, so nothing it records is lost or
outlives a rollback, and schedules anything external with `transaction.on_commit`, so nothing is
sent for a change that did not happen. A subscriber that raises undoes the change.

Each domain defines what it announces in its own `events.py` (frozen dataclasses deriving from
`DomainEvent`); subscribers register when their app starts (`AppConfig.ready`). A subscriber to a
base class hears every event derived from it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.db import transaction


class DomainEvent:
    """Base of every domain event. `name` is how the event is known outside the code (logs,
    webhooks): `<resource>.<what happened>`."""

    name: ClassVar[str] = "event"


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]

_lock = threading.Lock()
# Every subscription, in the order they were made.
_subscriptions: list[tuple[type[DomainEvent], Handler]] = []
_resolved: dict[type[DomainEvent], tuple[Handler, ...]] = {}


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
    """Call `handler` for every event of `event_type` (or of a class derived from it), after the
    handlers subscribed before it. Returns a function that unsubscribes it."""
    subscription = (event_type, handler)
    with _lock:
        _subscriptions.append(subscription)
        _resolved.clear()

    def unsubscribe() -> None:
        with _lock:
            if subscription in _subscriptions:
                _subscriptions.remove(subscription)
            _resolved.clear()

    return unsubscribe


def subscriber(*event_types: type[DomainEvent]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Decorator form of `subscribe`, for one or more event types."""

    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        for event_type in event_types:
            subscribe(event_type, handler)
        return handler

    return register


def _handlers_for(event_type: type[DomainEvent]) -> tuple[Handler, ...]:
    handlers = _resolved.get(event_type)
    if handlers is None:
        with _lock:
            found: list[Handler] = []
            for subscribed, handler in _subscriptions:
                if issubclass(event_type, subscribed) and handler not in found:
                    found.append(handler)
            handlers = _resolved[event_type] = tuple(found)
    return handlers


class PublishedOutsideTransaction(RuntimeError):
    pass


def publish(event: DomainEvent) -> None:
    """Announce `event` to its subscribers. Must run inside the transaction of the change (so
    that what subscribers write commits or rolls back with it)."""
    if not transaction.get_connection().in_atomic_block:
        raise PublishedOutsideTransaction(f"{event.name} must be published inside the change's transaction.")
    for handler in _handlers_for(type(event)):
        handler(event)
