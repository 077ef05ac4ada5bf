"""Services: every write is all-or-nothing (a failure anywhere in it, listeners included, leaves
nothing behind), and the rules hold for callers other than the API too."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.core import events
from desk.core.errors import PermissionDenied, ValidationFailed
from desk.support import services
from desk.support.events import TicketChanged
from desk.support.models import Attachment, EventKind, Message, Ticket, TicketEvent
from desk.support.tests import files
from desk.support.tests.helpers import first_message, snapshot, stored_files

pytestmark = pytest.mark.django_db


class ListenerFailed(Exception):
    pass


# The names the tests below use for the support domain's events.
KINDS = {
    "ticket.created": "ticket_created",
    "ticket.updated": "ticket_updated",
    "ticket.assigned": "ticket_assigned",
    "ticket.escalated": "ticket_escalated",
    "message.created": "message_created",
    "attachment.added": "attachment_added",
}


@pytest.fixture
def failing_listener() -> Iterator[set[str]]:
    """A real subscriber to the support domain's events that fails for the kinds put in the
    returned set: the failure happens at the very end of the service's transaction, after every
    row is written."""
    kinds: set[str] = set()

    def listener(event: Any) -> None:
        kind = KINDS[event.name]
        if kind in kinds:
            raise ListenerFailed(kind)

    unsubscribe = events.subscribe(TicketChanged, listener)
    yield kinds
    unsubscribe()


def _png_upload(ticket: Ticket, user: User, message: Message | None = None) -> Attachment:
    data = files.png_bytes()
    return services.attachment_upload(
        ticket=ticket,
        uploader=user,
        upload=io.BytesIO(data),
        filename="shot.png",
        size=len(data),
        message_id=message.pk if message else None,
    )


def test_ticket_create_failure_leaves_nothing(
    failing_listener: set[str], customer: User, django_capture_on_commit_callbacks: Any
) -> None:
    failing_listener.add("ticket_created")
    before = snapshot()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ListenerFailed):
        services.ticket_create(actor=customer, title="Broken", message_text="It broke.", category="technical")
    assert snapshot() == before  # no ticket, no first message, no event
    assert callbacks == []  # and nothing scheduled to be sent


def test_ticket_create_failure_in_the_middle_leaves_nothing(monkeypatch: pytest.MonkeyPatch, customer: User) -> None:
    """The ticket row is written, then writing the first message fails: the ticket goes too."""

    def refuse(*args: Any, **kwargs: Any) -> Message:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Message.objects, "create", refuse)
    with pytest.raises(RuntimeError):
        services.ticket_create(actor=customer, title="Broken", message_text="It broke.", category="technical")
    assert not Ticket.objects.exists()
    assert not TicketEvent.objects.exists()


def test_message_post_failure_leaves_nothing(
    failing_listener: set[str], customer: User, ticket: Ticket, _isolated_media: Path
) -> None:
    upload = _png_upload(ticket, customer)
    Ticket.objects.filter(pk=ticket.pk).update(status="resolved")
    failing_listener.add("message_created")
    before = snapshot()
    with pytest.raises(ListenerFailed):
        services.message_post(ticket=ticket, sender=customer, message_text="Still broken", attachment_ids=[upload.pk])
    # No message, the upload not linked, the ticket not reopened, no status event.
    assert snapshot() == before
    assert Attachment.objects.get(pk=upload.pk).message_id is None


def test_ticket_update_failure_leaves_nothing(failing_listener: set[str], agent: User, ticket: Ticket) -> None:
    failing_listener.add("ticket_updated")
    before = snapshot()
    with pytest.raises(ListenerFailed):
        services.ticket_update(ticket=ticket, actor=agent, changes={"title": "New", "status": "closed", "tags": ["x"]})
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["ticket_assigned", "ticket_escalated"])
def test_assign_and_escalate_failures_leave_nothing(
    failing_listener: set[str], agent: User, ticket: Ticket, kind: str
) -> None:
    failing_listener.add(kind)
    before = snapshot()
    with pytest.raises(ListenerFailed):
        if kind == "ticket_assigned":
            services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
        else:
            services.ticket_escalate(ticket=ticket, actor=agent, reason="VIP", priority="urgent")
    assert snapshot() == before


def test_attachment_failure_removes_the_stored_file(
    failing_listener: set[str], customer: User, ticket: Ticket, _isolated_media: Path
) -> None:
    failing_listener.add("attachment_added")
    before = snapshot()
    with pytest.raises(ListenerFailed):
        _png_upload(ticket, customer, message=first_message(ticket))
    assert snapshot() == before
    assert stored_files(_isolated_media) == []


# --- rules, called directly -----------------------------------------------------------------


def test_services_validate_without_the_api(customer: User, agent: User, ticket: Ticket) -> None:
    with pytest.raises(ValidationFailed):
        services.ticket_create(actor=customer, title="   ", message_text="x", category="general")
    with pytest.raises(ValidationFailed):
        services.ticket_create(actor=customer, title="x", message_text="x" * 5001, category="general")
    with pytest.raises(ValidationFailed):
        services.ticket_create(actor=customer, title="x", message_text="x", category="nope")
    with pytest.raises(PermissionDenied):
        services.ticket_create(actor=customer, title="x", message_text="x", category="general", tags=["vip"])
    with pytest.raises(PermissionDenied):
        services.message_post(ticket=ticket, sender=customer, message_text="x", is_internal=True)
    with pytest.raises(PermissionDenied):
        services.ticket_assign(ticket=ticket, actor=customer, agent_id=agent.pk)
    with pytest.raises(PermissionDenied):
        services.ticket_escalate(ticket=ticket, actor=customer, reason="please")
    with pytest.raises(PermissionDenied):
        services.ticket_update(ticket=ticket, actor=customer, changes={"priority": "high"})
    assert Ticket.objects.count() == 1


def test_staff_create_by_customer_id(agent: User, customer: User) -> None:
    ticket = services.ticket_create(
        actor=agent, customer_id=str(customer.pk), title="Phoned in", message_text="Call notes", category="general"
    )
    assert ticket.customer == customer
    with pytest.raises(ValidationFailed):
        services.ticket_create(actor=agent, customer_id="junk", title="x", message_text="y", category="general")


def test_clean_tags_normalises() -> None:
    assert services.clean_tags(["  VIP ", "vip", "Needs   Callback", "refund"]) == ["vip", "needs callback", "refund"]
    assert services.clean_tags([]) == []
    for bad in ("vip", [1], [""], ["x" * 51], [f"t{i}" for i in range(21)], None):
        with pytest.raises(ValidationFailed):
            services.clean_tags(bad)  # type: ignore[arg-type]
    # Duplicates collapse before the count is checked.
    assert len(services.clean_tags(["same"] * 50)) == 1


def test_mark_read_counts_and_sides(customer: User, agent: User, ticket: Ticket) -> None:
    services.message_post(ticket=ticket, sender=agent, message_text="reply 1")
    services.message_post(ticket=ticket, sender=agent, message_text="reply 2")
    services.message_post(ticket=ticket, sender=agent, message_text="note", is_internal=True)
    stranger = CustomerFactory()
    assert services.ticket_mark_read(ticket=ticket, viewer=stranger) == 0
    assert services.ticket_mark_read(ticket=ticket, viewer=customer) == 2
    assert services.ticket_mark_read(ticket=ticket, viewer=customer) == 0
    assert services.ticket_mark_read(ticket=ticket, viewer=AgentFactory()) == 1  # the customer's first message
    assert services.ticket_mark_read(ticket=ticket, viewer=agent) == 0  # read_by_staff is shared by all staff


def test_an_escalation_is_one_history_entry_that_says_how_the_priority_went(agent: User, ticket: Ticket) -> None:
    before = TicketEvent.objects.filter(ticket=ticket).count()
    services.ticket_escalate(ticket=ticket, actor=agent, reason="VIP", priority="urgent")
    entries = list(TicketEvent.objects.filter(ticket=ticket).order_by("created_at")[before:])
    assert [entry.kind for entry in entries] == [EventKind.ESCALATION]
    assert entries[0].old_value["priority"] == "medium" and entries[0].new_value["priority"] == "urgent"


def test_escalating_twice_records_both(agent: User, ticket: Ticket) -> None:
    services.ticket_escalate(ticket=ticket, actor=agent, reason="first")
    services.ticket_escalate(ticket=ticket, actor=agent, reason="second")
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"  # medium -> high -> urgent
    notes = list(TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ESCALATION).values_list("note", flat=True))
    assert sorted(notes) == ["first", "second"]


def test_every_change_records_an_event_with_actor_old_and_new(agent: User, customer: User, ticket: Ticket) -> None:
    colleague = AgentFactory()
    services.ticket_update(ticket=ticket, actor=agent, changes={"tags": ["a"]})
    services.ticket_update(ticket=ticket, actor=agent, changes={"tags": ["a", "b"]})
    services.ticket_assign(ticket=ticket, actor=agent, agent_id=colleague.pk)
    services.ticket_assign(ticket=ticket, actor=agent, agent_id=None)
    services.ticket_update(ticket=ticket, actor=agent, changes={"status": "resolved"})
    services.message_post(ticket=ticket, sender=customer, message_text="not yet")
    services.ticket_update(ticket=ticket, actor=customer, changes={"status": "closed"})
    rows = list(
        TicketEvent.objects.filter(ticket=ticket)
        .exclude(kind=EventKind.CREATED)
        .order_by("created_at")
        .values_list("kind", "actor", "old_value", "new_value")
    )
    person = {"id": str(colleague.pk), "name": colleague.name}
    assert rows == [
        (EventKind.TAGS, agent.pk, [], ["a"]),
        (EventKind.TAGS, agent.pk, ["a"], ["a", "b"]),
        (EventKind.ASSIGNMENT, agent.pk, None, person),
        (EventKind.STATUS, agent.pk, "open", "in_progress"),
        (EventKind.ASSIGNMENT, agent.pk, person, None),
        (EventKind.STATUS, agent.pk, "in_progress", "resolved"),
        (EventKind.STATUS, customer.pk, "resolved", "open"),
        (EventKind.STATUS, customer.pk, "open", "closed"),
    ]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Refund\r\nBcc: evil@example.com", "Refund Bcc: evil@example.com"),
        ("Tab\there", "Tab here"),
        ("Bell\x07and\x00nul", "Bell and nul"),
        ("Line\u2028separator", "Line separator"),
        ("  Plain  title  ", "Plain title"),
    ],
)
def test_single_line_fields_hold_no_control_characters(customer: User, agent: User, raw: str, stored: str) -> None:
    ticket = services.ticket_create(actor=customer, title=raw, message_text="Body\nwith lines", category="general")
    assert Ticket.objects.get(pk=ticket.pk).title == stored
    assert Message.objects.get(ticket=ticket).message_text == "Body\nwith lines"  # messages keep their lines
    services.ticket_update(ticket=ticket, actor=agent, changes={"title": raw, "tags": [raw]})
    ticket.refresh_from_db()
    assert (ticket.title, ticket.tags) == (stored, [stored.lower()])


def test_a_title_of_only_control_characters_is_empty(customer: User) -> None:
    with pytest.raises(ValidationFailed):
        services.ticket_create(actor=customer, title="\r\n\x00", message_text="m", category="general")


# --- the pending status ---------------------------------------------------------------------


def test_only_staff_set_a_ticket_pending(customer: User, agent: User, ticket: Ticket) -> None:
    with pytest.raises(PermissionDenied):
        services.ticket_update(ticket=ticket, actor=customer, changes={"status": "pending"})
    services.ticket_update(ticket=ticket, actor=agent, changes={"status": "pending"})
    assert Ticket.objects.get(pk=ticket.pk).status == "pending"


@pytest.mark.parametrize(("assigned", "back_to"), [(False, "open"), (True, "in_progress")])
def test_the_customers_reply_answers_a_pending_ticket(
    customer: User, agent: User, ticket: Ticket, assigned: bool, back_to: str
) -> None:
    if assigned:
        services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
    services.ticket_update(ticket=ticket, actor=agent, changes={"status": "pending"})
    services.message_post(ticket=ticket, sender=agent, message_text="A staff note", is_internal=True)
    services.message_post(ticket=ticket, sender=agent, message_text="Any news?")
    assert Ticket.objects.get(pk=ticket.pk).status == "pending"  # staff words leave it waiting
    services.message_post(ticket=ticket, sender=customer, message_text="Here is the receipt.")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == back_to
    change = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS).latest("created_at")
    assert (change.old_value, change.new_value, change.actor_id) == ("pending", back_to, customer.pk)


def test_a_customer_cannot_reopen_a_pending_ticket_by_status(customer: User, agent: User, ticket: Ticket) -> None:
    services.ticket_update(ticket=ticket, actor=agent, changes={"status": "pending"})
    services.ticket_update(ticket=ticket, actor=customer, changes={"status": "open"})
    assert Ticket.objects.get(pk=ticket.pk).status == "pending"  # their reply is what answers it
