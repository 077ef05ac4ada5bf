"""Tickets through the API: create, detail, update, assign and escalate, with SPEC's rules and
every field's limits. (The list endpoint has its own file, test_apis_ticket_list.py.)"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory, ProviderFactory
from desk.support import services
from desk.support.models import EventKind, Message, Ticket, TicketEvent
from desk.support.tests.factories import TicketFactory
from desk.support.tests.helpers import TICKETS, assert_error, first_message, snapshot, ticket_url

pytestmark = pytest.mark.django_db


def new_ticket(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Provider did not show up",
        "category": "service",
        "message_text": "Nobody came at 9am.",
    } | overrides


def events(ticket: Ticket, kind: str) -> list[TicketEvent]:
    return list(TicketEvent.objects.filter(ticket=ticket, kind=kind).order_by("created_at"))


# --- create ---------------------------------------------------------------------------------


def test_customer_creates_a_ticket_with_its_first_message(customer_client: APIClient, customer: User) -> None:
    response = customer_client.post(TICKETS, new_ticket(title="  Provider did not show up  "), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Provider did not show up"
    assert (body["status"], body["priority"], body["category"], body["source"]) == ("open", "medium", "service", "web")
    assert body["customer"] == {"id": str(customer.pk), "email": customer.email, "name": "Carol Customer"}
    assert body["assigned_agent"] is None
    assert body["escalated"] is False
    assert body["tags"] == []
    assert body["closed_at"] is None
    [message] = body["messages"]
    assert message["message_text"] == "Nobody came at 9am."
    assert message["is_from_customer"] is True
    assert message["is_internal"] is False
    assert (message["read_by_customer"], message["read_by_staff"]) == (True, False)
    assert message["sender"] == {"id": str(customer.pk), "name": "Carol Customer", "is_staff": False}

    ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.customer == customer
    assert ticket.messages.count() == 1
    [created] = events(ticket, EventKind.CREATED)
    assert created.actor == customer


def test_customer_may_choose_priority_and_a_mobile_source(customer_client: APIClient) -> None:
    body = customer_client.post(TICKETS, new_ticket(priority="high", source="mobile"), format="json").json()
    assert (body["priority"], body["source"]) == ("high", "mobile")


def test_a_provider_is_a_customer_side_user(make_client: Any) -> None:
    provider = ProviderFactory()
    response = make_client(provider).post(TICKETS, new_ticket(), format="json")
    assert response.status_code == 201
    assert response.json()["customer"]["id"] == str(provider.pk)


def test_customer_naming_themselves_as_customer_is_fine(customer_client: APIClient, customer: User) -> None:
    response = customer_client.post(TICKETS, new_ticket(customer=str(customer.pk)), format="json")
    assert response.status_code == 201


def test_staff_open_a_ticket_on_a_customers_behalf(agent_client: APIClient, agent: User, customer: User) -> None:
    response = agent_client.post(
        TICKETS,
        new_ticket(customer=str(customer.pk), source="phone", tags=["VIP", "  vip ", "No  Show"]),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["customer"]["id"] == str(customer.pk)
    assert body["source"] == "phone"
    assert body["tags"] == ["vip", "no show"]
    [message] = body["messages"]
    # What the customer said, shown as theirs and marked as entered by the agent.
    assert message["is_from_customer"] is True
    assert message["sender"]["id"] == str(customer.pk)
    assert message["entered_by"] == {"id": str(agent.pk), "name": agent.name, "is_staff": True}
    assert (message["read_by_customer"], message["read_by_staff"]) == (True, True)
    # The customer finds it in their list, their own words, nothing unread.
    from conftest import client_for

    [row] = client_for(customer).get(TICKETS).json()["results"]
    assert row["id"] == body["id"]
    assert row["unread_count"] == 0
    assert client_for(customer).get(f"{TICKETS}{body['id']}/").json()["messages"][0]["entered_by"]["id"] == str(
        agent.pk
    )


def test_staff_may_open_a_ticket_with_an_internal_note_the_customer_never_sees(
    agent_client: APIClient, agent: User, customer: User
) -> None:
    from desk.notifications.models import EmailDelivery

    response = agent_client.post(
        TICKETS,
        new_ticket(customer=str(customer.pk), message_as="internal_note", message_text="Caller sounded upset"),
        format="json",
    )
    assert response.status_code == 201, response.content
    [note] = response.json()["messages"]
    assert (note["is_internal"], note["sender"]["id"], note["entered_by"]) == (True, str(agent.pk), None)
    from conftest import client_for

    seen = client_for(customer).get(f"{TICKETS}{response.json()['id']}/").json()
    assert seen["messages"] == []
    [row] = client_for(customer).get(TICKETS).json()["results"]
    assert (row["last_message_snippet"], row["unread_count"]) in ((None, 0), ("", 0))
    emails = list(EmailDelivery.objects.filter(to_address=customer.email))
    assert emails, "the customer still hears that a ticket was opened for them"
    assert all("Caller sounded upset" not in email.body_text + email.body_html for email in emails)


def test_staff_open_a_ticket_for_a_caller_without_an_account(agent_client: APIClient, agent: User) -> None:
    response = agent_client.post(
        TICKETS,
        new_ticket(customer_email="  Ram.Thapa@Example.com ", customer_name="Ram  Thapa"),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    caller = User.objects.get(email="ram.thapa@example.com")
    assert (caller.role, caller.first_name, caller.last_name, caller.has_usable_password()) == (
        "customer",
        "Ram",
        "Thapa",
        False,
    )
    assert body["customer"]["id"] == str(caller.pk)
    assert body["source"] == "phone"  # a caller, unless said otherwise
    # The same caller again: the same account, not a second one.
    again = agent_client.post(TICKETS, new_ticket(customer_email="ram.thapa@example.com"), format="json")
    assert again.json()["customer"]["id"] == str(caller.pk)
    assert User.objects.filter(email__iexact="ram.thapa@example.com").count() == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"customer_email": "not an email"}, 400, "customer_email"),
        ({"customer_email": "staff"}, 400, "customer_email"),
        ({"customer_email": "a@example.com", "customer": "me"}, 400, "customer_email"),
        ({"message_as": "shout"}, 400, "message_as"),
    ],
)
def test_bad_caller_or_first_message_changes_nothing(agent_client, agent, customer, body, status, field) -> None:
    body = {**body}
    if body.get("customer_email") == "staff":
        body["customer_email"] = agent.email
    if body.get("customer") == "me":
        body["customer"] = str(customer.pk)
    users, tickets = User.objects.count(), Ticket.objects.count()
    response = agent_client.post(TICKETS, new_ticket(**body), format="json")
    assert response.status_code == status, response.content
    assert field in response.json()["details"]
    assert (User.objects.count(), Ticket.objects.count()) == (users, tickets)


@pytest.mark.parametrize("body", [{"customer_email": "new@example.com"}, {"message_as": "internal_note"}])
def test_customers_cannot_open_for_callers_or_start_with_a_note(customer_client, body) -> None:
    users = User.objects.count()
    response = customer_client.post(TICKETS, new_ticket(**body), format="json")
    assert response.status_code == 403
    assert User.objects.count() == users
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("customer_value", "why"),
    [
        (None, "missing"),
        ("staff", "a staff account"),
        ("inactive", "an inactive account"),
        ("5f0c8a9e-7d1b-4c2a-9e3f-000000000002", "no such user"),
        ("not-a-uuid", "malformed"),
    ],
)
def test_staff_must_name_an_active_customer(agent_client: APIClient, customer_value: Any, why: str) -> None:
    body = new_ticket()
    if customer_value == "staff":
        body["customer"] = str(AgentFactory().pk)
    elif customer_value == "inactive":
        body["customer"] = str(CustomerFactory(is_active=False).pk)
    elif customer_value is not None:
        body["customer"] = customer_value
    before = snapshot()
    error = assert_error(agent_client.post(TICKETS, body, format="json"), 400, "validation_error")
    assert "customer" in error["details"], why
    assert snapshot() == before


def test_customer_cannot_open_a_ticket_for_someone_else(customer_client: APIClient, other_customer: User) -> None:
    before = snapshot()
    existing = customer_client.post(TICKETS, new_ticket(customer=str(other_customer.pk)), format="json")
    body = assert_error(existing, 403, "permission_denied")
    assert "customer" in body["details"]
    # An id that belongs to nobody gets the same answer: customers cannot probe for accounts.
    nobody = customer_client.post(TICKETS, new_ticket(customer=str(uuid.uuid4())), format="json")
    assert nobody.status_code == 403
    assert nobody.json() == body
    assert snapshot() == before


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"tags": ["vip"]}, "tags"), ({"source": "email"}, "source"), ({"source": "phone"}, "source")],
)
def test_customer_cannot_tag_or_record_email_or_phone_tickets(
    customer_client: APIClient, extra: dict[str, Any], field: str
) -> None:
    before = snapshot()
    body = assert_error(customer_client.post(TICKETS, new_ticket(**extra), format="json"), 403, "permission_denied")
    assert field in body["details"]
    assert snapshot() == before


def test_customer_sending_an_empty_tag_list_is_fine(customer_client: APIClient) -> None:
    assert customer_client.post(TICKETS, new_ticket(tags=[]), format="json").status_code == 201


LONG_TITLE = "t" * 255
LONG_MESSAGE = "m" * 5000


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   \n\t "}, "title"),
        ({"title": LONG_TITLE + "x"}, "title"),
        ({"title": None}, "title"),
        ({"title": {"nested": True}}, "title"),
        ({"title": ["a list"]}, "title"),
        ({"title": True}, "title"),
        ({"title": "nul\x00byte"}, "title"),
        ({"message_text": ""}, "message_text"),
        ({"message_text": " \n \n "}, "message_text"),
        ({"message_text": LONG_MESSAGE + "m"}, "message_text"),
        ({"message_text": ["hello"]}, "message_text"),
        ({"category": "sales"}, "category"),
        ({"category": "Billing"}, "category"),
        ({"category": None}, "category"),
        ({"priority": "critical"}, "priority"),
        ({"priority": 3}, "priority"),
        ({"source": "fax"}, "source"),
    ],
)
def test_invalid_ticket_fields_are_refused(customer_client: APIClient, overrides: dict[str, Any], field: str) -> None:
    before = snapshot()
    body = assert_error(customer_client.post(TICKETS, new_ticket(**overrides), format="json"), 400, "validation_error")
    assert field in body["details"], body
    assert snapshot() == before


@pytest.mark.parametrize("missing", ["title", "category", "message_text"])
def test_required_ticket_fields(customer_client: APIClient, missing: str) -> None:
    body = new_ticket()
    del body[missing]
    error = assert_error(customer_client.post(TICKETS, body, format="json"), 400, "validation_error")
    assert missing in error["details"]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("tags", "why"),
    [
        ("vip", "a string, not a list"),
        ([""], "an empty tag"),
        (["  "], "a blank tag"),
        (["x" * 51], "a tag over 50 characters"),
        ([f"tag{i}" for i in range(21)], "more than 20 tags"),
        ([["nested"]], "a tag that is not a string"),
        ([{"a": 1}], "a tag that is an object"),
    ],
)
def test_invalid_tags_are_refused(agent_client: APIClient, customer: User, tags: Any, why: str) -> None:
    before = snapshot()
    response = agent_client.post(TICKETS, new_ticket(customer=str(customer.pk), tags=tags), format="json")
    body = assert_error(response, 400, "validation_error")
    assert any(key.startswith("tags") for key in body["details"]), why
    assert snapshot() == before


def test_limits_apply_after_trimming(customer_client: APIClient) -> None:
    response = customer_client.post(
        TICKETS, new_ticket(title=f"  {LONG_TITLE}  ", message_text=f"\n {LONG_MESSAGE} \n"), format="json"
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.title == LONG_TITLE
    assert ticket.messages.get().message_text == LONG_MESSAGE


def test_message_text_is_stored_as_written(customer_client: APIClient) -> None:
    text = "<script>alert('x')</script> & <b>bold</b>\nsecond line 👍"
    body = customer_client.post(TICKETS, new_ticket(message_text=text), format="json").json()
    assert body["messages"][0]["message_text"] == text
    assert Message.objects.get().message_text == text


@pytest.mark.parametrize("payload", ["[1, 2, 3]", '"a string"', "null", "12", "true", "{bad json", "[" * 50_000])
@pytest.mark.parametrize(
    ("method", "action"),
    [("post", None), ("put", ""), ("patch", ""), ("post", "messages"), ("post", "assign"), ("post", "escalate")],
)
def test_bodies_that_are_not_json_objects_are_refused(
    agent_client: APIClient, ticket: Ticket, payload: str, method: str, action: str | None
) -> None:
    url = TICKETS if action is None else ticket_url(ticket, action)
    before = snapshot()
    response = getattr(agent_client, method)(url, data=payload, content_type="application/json")
    assert_error(response, 400, "validation_error")
    assert snapshot() == before


def test_form_encoded_create_works_too(customer_client: APIClient) -> None:
    response = customer_client.post(TICKETS, new_ticket(), format="multipart")
    assert response.status_code == 201


# --- detail ---------------------------------------------------------------------------------


def test_detail_lists_messages_oldest_first_with_their_attachments(
    customer_client: APIClient, agent_client: APIClient, ticket: Ticket, agent: User
) -> None:
    from desk.support.tests.helpers import upload

    attachment = upload(customer_client, ticket).json()
    customer_client.post(
        ticket_url(ticket, "messages"),
        {"message_text": "Here is the receipt.", "attachment_ids": [attachment["id"]]},
        format="json",
    )
    agent_client.post(ticket_url(ticket, "messages"), {"message_text": "Thanks, refunding."}, format="json")
    body = customer_client.get(ticket_url(ticket)).json()
    texts = [m["message_text"] for m in body["messages"]]
    assert texts == ["I see two charges of $80 for Friday's cleaning.", "Here is the receipt.", "Thanks, refunding."]
    times = [m["created_at"] for m in body["messages"]]
    assert times == sorted(times)
    assert [len(m["attachments"]) for m in body["messages"]] == [0, 1, 0]
    shown = body["messages"][1]["attachments"][0]
    assert shown["id"] == attachment["id"]
    assert shown["download_url"] == f"/api/support/attachments/{attachment['id']}/download/"
    assert body["messages"][2]["sender"] == {"id": str(agent.pk), "name": "Alice Agent", "is_staff": True}
    assert body["assigned_agent"] is None


def test_viewing_marks_the_other_sides_messages_read(
    customer_client: APIClient, agent_client: APIClient, ticket: Ticket, customer: User, agent: User
) -> None:
    reply = services.message_post(ticket=ticket, sender=agent, message_text="We are on it.")
    note = services.message_post(ticket=ticket, sender=agent, message_text="Check logs.", is_internal=True)
    first = first_message(ticket)
    assert not Message.objects.get(pk=reply.pk).read_by_customer

    body = customer_client.get(ticket_url(ticket)).json()
    assert [m["read_by_customer"] for m in body["messages"]] == [True, True]  # shown already read
    reply.refresh_from_db()
    note.refresh_from_db()
    first.refresh_from_db()
    assert reply.read_by_customer
    assert not note.read_by_customer  # the customer never sees it, so never reads it
    assert not first.read_by_staff  # the customer reading does not mark anything read for staff

    agent_client.get(ticket_url(ticket))
    first.refresh_from_db()
    assert first.read_by_staff


def test_another_customer_probing_does_not_mark_anything_read(other_client: APIClient, ticket: Ticket) -> None:
    before = snapshot()
    assert_error(other_client.get(ticket_url(ticket)), 404, "ticket_not_found")
    assert snapshot() == before


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g", "%00", "x" * 300])
@pytest.mark.parametrize("action", ["", "messages", "attachments", "assign", "escalate"])
def test_malformed_ticket_ids_in_paths_are_not_found(agent_client: APIClient, bad_id: str, action: str) -> None:
    url = ticket_url(bad_id, action)
    response = agent_client.get(url) if action == "" else agent_client.post(url, {}, format="json")
    if action == "attachments":
        response = agent_client.post(url, {}, format="multipart")
    assert_error(response, 404, "ticket_not_found")


# --- update ---------------------------------------------------------------------------------


def test_staff_update_every_staff_field_and_each_change_is_recorded(
    agent_client: APIClient, agent: User, ticket: Ticket
) -> None:
    other_agent = AgentFactory()
    response = agent_client.patch(
        ticket_url(ticket),
        {
            "title": "Double charge on Friday",
            "status": "resolved",
            "priority": "high",
            "category": "technical",
            "tags": ["Refund", "vip"],
            "assigned_agent": str(other_agent.pk),
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Double charge on Friday"
    assert (body["status"], body["priority"], body["category"]) == ("resolved", "high", "technical")
    assert body["tags"] == ["refund", "vip"]
    assert body["assigned_agent"]["id"] == str(other_agent.pk)

    expected = {
        EventKind.TITLE: ("Charged twice for my booking", "Double charge on Friday"),
        EventKind.PRIORITY: ("medium", "high"),
        EventKind.CATEGORY: ("billing", "technical"),
        EventKind.TAGS: ([], ["refund", "vip"]),
        EventKind.ASSIGNMENT: (None, {"id": str(other_agent.pk), "name": other_agent.name}),
    }
    for kind, (old, new) in expected.items():
        [event] = events(ticket, kind)
        assert (event.actor, event.old_value, event.new_value) == (agent, old, new), kind
    # Assignment moved the open ticket into progress, then the explicit status applied.
    status_changes = [(e.old_value, e.new_value) for e in events(ticket, EventKind.STATUS)]
    assert status_changes == [("open", "in_progress"), ("in_progress", "resolved")]


def test_update_that_changes_nothing_records_nothing(agent_client: APIClient, ticket: Ticket) -> None:
    before = snapshot()
    response = agent_client.patch(ticket_url(ticket), {"priority": "medium", "title": ticket.title}, format="json")
    assert response.status_code == 200
    assert snapshot() == before


def test_closing_sets_closed_at_and_reopening_clears_it(
    customer_client: APIClient, agent_client: APIClient, ticket: Ticket, customer: User
) -> None:
    closed = customer_client.patch(ticket_url(ticket), {"status": "closed"}, format="json").json()
    assert closed["status"] == "closed"
    assert closed["closed_at"] is not None
    ticket.refresh_from_db()
    assert ticket.closed_at is not None
    [event] = events(ticket, EventKind.STATUS)
    assert (event.actor, event.old_value, event.new_value) == (customer, "open", "closed")

    reopened = customer_client.patch(ticket_url(ticket), {"status": "open"}, format="json").json()
    assert (reopened["status"], reopened["closed_at"]) == ("open", None)

    agent_client.patch(ticket_url(ticket), {"status": "closed"}, format="json")
    staff_reopened = agent_client.put(ticket_url(ticket), {"status": "in_progress"}, format="json").json()
    assert (staff_reopened["status"], staff_reopened["closed_at"]) == ("in_progress", None)


def test_customer_reopens_a_resolved_ticket(customer_client: APIClient, ticket: Ticket) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(status="resolved")
    body = customer_client.patch(ticket_url(ticket), {"status": "open"}, format="json").json()
    assert body["status"] == "open"


def test_customer_reopen_of_a_ticket_in_progress_changes_nothing(customer_client: APIClient, ticket: Ticket) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(status="in_progress")
    before = snapshot()
    body = customer_client.patch(ticket_url(ticket), {"status": "open"}, format="json").json()
    assert body["status"] == "in_progress"
    assert snapshot() == before


def test_customer_may_retitle_their_ticket(customer_client: APIClient, ticket: Ticket) -> None:
    body = customer_client.put(ticket_url(ticket), {"title": "  New title "}, format="json").json()
    assert body["title"] == "New title"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "in_progress"}, "status"),
        ({"status": "resolved"}, "status"),
        ({"priority": "urgent"}, "priority"),
        ({"category": "technical"}, "category"),
        ({"tags": ["vip"]}, "tags"),
        ({"assigned_agent": None}, "assigned_agent"),
        ({"title": "ok", "priority": "low"}, "priority"),
    ],
)
def test_customer_cannot_change_staff_fields(
    customer_client: APIClient, ticket: Ticket, change: dict[str, Any], field: str
) -> None:
    before = snapshot()
    body = assert_error(customer_client.patch(ticket_url(ticket), change, format="json"), 403, "permission_denied")
    assert field in body["details"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "waiting"}, "status"),
        ({"priority": "critical"}, "priority"),
        ({"category": "sales"}, "category"),
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"assigned_agent": "not-a-uuid"}, "assigned_agent"),
        ({"assigned_agent": str(uuid.uuid4())}, "assigned_agent"),
        ({"tags": "vip"}, "tags"),
        ({"tags": ["x" * 51]}, "tags"),
        ({"status": ["open"]}, "status"),
    ],
)
def test_invalid_updates_are_refused(
    agent_client: APIClient, ticket: Ticket, change: dict[str, Any], field: str
) -> None:
    before = snapshot()
    body = assert_error(agent_client.patch(ticket_url(ticket), change, format="json"), 400, "validation_error")
    assert any(key.startswith(field) for key in body["details"]), body
    assert snapshot() == before


def test_tickets_can_only_be_assigned_to_active_staff_via_update(agent_client: APIClient, ticket: Ticket) -> None:
    for person in (CustomerFactory(), AgentFactory(is_active=False)):
        response = agent_client.patch(ticket_url(ticket), {"assigned_agent": str(person.pk)}, format="json")
        assert_error(response, 400, "validation_error")
    assert Ticket.objects.get(pk=ticket.pk).assigned_agent is None


def test_staff_unassign_through_update(agent_client: APIClient, agent: User, ticket: Ticket) -> None:
    services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
    body = agent_client.patch(ticket_url(ticket), {"assigned_agent": None}, format="json").json()
    assert body["assigned_agent"] is None
    [_, unassigned] = events(ticket, EventKind.ASSIGNMENT)
    assert unassigned.new_value is None
    assert unassigned.old_value == {"id": str(agent.pk), "name": agent.name}


# --- assign ---------------------------------------------------------------------------------


def test_assigning_an_open_ticket_puts_it_in_progress(agent_client: APIClient, agent: User, ticket: Ticket) -> None:
    colleague = AgentFactory()
    response = agent_client.post(ticket_url(ticket, "assign"), {"agent_id": str(colleague.pk)}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["assigned_agent"] == {"id": str(colleague.pk), "email": colleague.email, "name": colleague.name}
    assert body["status"] == "in_progress"
    [assignment] = events(ticket, EventKind.ASSIGNMENT)
    assert (assignment.actor, assignment.old_value) == (agent, None)
    assert assignment.new_value == {"id": str(colleague.pk), "name": colleague.name}
    [status] = events(ticket, EventKind.STATUS)
    assert (status.old_value, status.new_value, status.actor) == ("open", "in_progress", agent)


def test_assigning_a_resolved_ticket_keeps_its_status(
    admin_client: APIClient, admin_user: User, ticket: Ticket
) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(status="resolved")
    body = admin_client.post(ticket_url(ticket, "assign"), {"agent_id": str(admin_user.pk)}, format="json").json()
    assert (body["status"], body["assigned_agent"]["id"]) == ("resolved", str(admin_user.pk))


def test_assigning_the_same_agent_again_records_nothing(agent_client: APIClient, agent: User, ticket: Ticket) -> None:
    agent_client.post(ticket_url(ticket, "assign"), {"agent_id": str(agent.pk)}, format="json")
    before = snapshot()
    assert (
        agent_client.post(ticket_url(ticket, "assign"), {"agent_id": str(agent.pk)}, format="json").status_code == 200
    )
    assert snapshot() == before


def test_unassigning_with_null(agent_client: APIClient, agent: User, ticket: Ticket) -> None:
    agent_client.post(ticket_url(ticket, "assign"), {"agent_id": str(agent.pk)}, format="json")
    body = agent_client.post(ticket_url(ticket, "assign"), {"agent_id": None}, format="json").json()
    assert body["assigned_agent"] is None
    assert body["status"] == "in_progress"


@pytest.mark.parametrize(
    "agent_id",
    ["customer", "inactive agent", "nobody", "not-a-uuid", "missing", 42, ["x"]],
)
def test_assign_needs_an_active_staff_member(agent_client: APIClient, ticket: Ticket, agent_id: Any) -> None:
    body: dict[str, Any] = {}
    if agent_id == "customer":
        body["agent_id"] = str(CustomerFactory().pk)
    elif agent_id == "inactive agent":
        body["agent_id"] = str(AgentFactory(is_active=False).pk)
    elif agent_id == "nobody":
        body["agent_id"] = str(uuid.uuid4())
    elif agent_id != "missing":
        body["agent_id"] = agent_id
    before = snapshot()
    error = assert_error(agent_client.post(ticket_url(ticket, "assign"), body, format="json"), 400, "validation_error")
    assert "agent_id" in error["details"]
    assert snapshot() == before


def test_owner_is_refused_assign_and_escalate_whatever_the_body(customer_client: APIClient, ticket: Ticket) -> None:
    for action in ("assign", "escalate"):
        for body in ({}, {"agent_id": "junk"}, {"reason": ""}):
            response = customer_client.post(ticket_url(ticket, action), body, format="json")
            assert_error(response, 403, "permission_denied")


# --- escalate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "asked", "expected"),
    [
        ("low", None, "medium"),
        ("medium", None, "high"),
        ("high", None, "urgent"),
        ("urgent", None, "urgent"),
        ("low", "urgent", "urgent"),
        ("medium", "high", "high"),
        ("high", "low", "high"),  # never lowered
        ("urgent", "medium", "urgent"),
        ("medium", "medium", "medium"),
    ],
)
def test_escalation_raises_priority_and_never_lowers_it(
    agent_client: APIClient, agent: User, start: str, asked: str | None, expected: str
) -> None:
    ticket = TicketFactory(priority=start)
    body: dict[str, Any] = {"reason": "  Customer has waited a week.  "}
    if asked:
        body["priority"] = asked
    response = agent_client.post(ticket_url(ticket, "escalate"), body, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["escalated"], response.json()["priority"]) == (True, expected)

    [escalation] = events(ticket, EventKind.ESCALATION)
    assert escalation.actor == agent
    assert escalation.note == "Customer has waited a week."
    assert escalation.old_value == {"escalated": False, "priority": start}
    assert escalation.new_value == {"escalated": True, "priority": expected}
    # The escalation's entry says how the priority went; there is no second entry for it.
    assert events(ticket, EventKind.PRIORITY) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "r" * 1001}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "ok", "priority": "critical"}, "priority"),
    ],
)
def test_escalation_needs_a_reason(agent_client: APIClient, ticket: Ticket, body: dict[str, Any], field: str) -> None:
    before = snapshot()
    error = assert_error(
        agent_client.post(ticket_url(ticket, "escalate"), body, format="json"), 400, "validation_error"
    )
    assert field in error["details"]
    assert snapshot() == before


def test_no_500_for_a_flood_of_odd_values(agent_client: APIClient, ticket: Ticket, customer: User) -> None:
    odd_values: list[Any] = [None, True, 0, -1, 1e308, "", " ", "\x00", "💥" * 300, [], {}, [None], {"$ne": 1}]
    fields = ["title", "category", "priority", "message_text", "customer", "source", "tags", "status"]
    fields += ["assigned_agent", "agent_id", "reason", "is_internal", "attachment_ids"]
    for field in fields:
        for value in odd_values:
            for method, url in [
                ("post", TICKETS),
                ("patch", ticket_url(ticket)),
                ("post", ticket_url(ticket, "messages")),
                ("post", ticket_url(ticket, "assign")),
                ("post", ticket_url(ticket, "escalate")),
            ]:
                response = getattr(agent_client, method)(url, {field: value}, format="json")
                assert response.status_code < 500, (method, url, field, value, response.content[:200])
