"""Query counts per request: the same small number whatever the size of the page or conversation.

The counts measured (SQLite and PostgreSQL alike) are printed with `-s` for the record."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory
from desk.sla import services as sla_services
from desk.support import services
from desk.support.models import Attachment, Message, Ticket
from desk.support.tests import files
from desk.support.tests.factories import MessageFactory, TicketFactory
from desk.support.tests.helpers import TICKETS, ticket_url, upload

pytestmark = pytest.mark.django_db

LIST_MAX = 6  # staff: 3 (the page's SLA blocks are one of them)
DETAIL_MAX = 8  # staff: 6
# A new ticket takes its number from the counter (one insert); an email on a ticket looks up the
# customer's mails it threads under (one select). Service levels: creating chooses the policy,
# writes the ticket's clocks, its queue columns and a history entry (4); a public reply reads the
# clocks and the ticket's timeline and writes the clocks (4), moves the queue columns when a due
# time changes (1), and the staff reply that meets a target records it (history and outcome, 3)
# and reads the clocks again for the status it moved (1).
CREATE_MAX = 18
REPLY_MAX = 22


@pytest.fixture(autouse=True)
def service_levels(db: Any, admin_user: User) -> None:
    """A desk with an SLA policy that applies to every ticket, as a real desk would have."""
    sla_services.policy_create(
        actor=admin_user,
        values={"name": "All", "targets": {"first_response": 60, "next_response": 60, "resolution": 480}},
    )


def count_queries(assert_max: Any, limit: int, call: Any) -> tuple[int, Any]:
    with assert_max(limit) as captured:
        response = call()
    assert response.status_code < 300, response.content[:300]
    return len(captured.captured_queries), response


def fill_list(customer: User, agent: User, tickets: int) -> None:
    """Tickets with a conversation each (customer message, staff reply, internal note), some assigned."""
    for i in range(tickets):
        ticket = TicketFactory(
            title=f"Refund for order {i}", customer=customer, assigned_agent=agent if i % 2 else None, tags=["vip"]
        )
        MessageFactory(ticket=ticket)
        MessageFactory(ticket=ticket, sender=agent)
        MessageFactory(ticket=ticket, sender=agent, is_internal=True)


@pytest.mark.parametrize("viewer", ["customer", "agent"])
def test_list_runs_the_same_queries_for_1_or_100_tickets(
    django_assert_max_num_queries: Any, customer: User, agent: User, viewer: str
) -> None:
    client = client_for(customer if viewer == "customer" else agent)
    query = TICKETS + "?page_size=100&ordering=-priority&search=refund"
    fill_list(customer, agent, 1)
    one, response = count_queries(django_assert_max_num_queries, LIST_MAX, lambda: client.get(query))
    assert len(response.json()["results"]) == 1
    fill_list(customer, agent, 99)
    hundred, response = count_queries(django_assert_max_num_queries, LIST_MAX, lambda: client.get(query))
    assert len(response.json()["results"]) == 100
    assert one == hundred
    print(f"\nlist as {viewer}: {one} queries for 1 ticket, {hundred} for 100")


def fill_conversation(ticket: Ticket, customer: User, agent: User, messages: int) -> None:
    """Messages alternating sides, every message with an attachment, every fifth an internal note."""
    png = files.png_bytes()
    for i in range(messages):
        if i % 2 == 0:
            message = MessageFactory(ticket=ticket, sender=customer)
        else:
            message = MessageFactory(ticket=ticket, sender=agent, is_internal=i % 5 == 0)
        services.attachment_upload(
            ticket=ticket,
            uploader=message.sender,
            upload=io.BytesIO(png),
            filename=f"shot-{i}.png",
            size=len(png),
            message_id=message.pk,
        )


@pytest.mark.parametrize("viewer", ["customer", "agent"])
def test_detail_runs_the_same_queries_for_1_or_200_messages(
    django_assert_max_num_queries: Any, customer: User, agent: User, viewer: str
) -> None:
    client = client_for(customer if viewer == "customer" else agent)
    ticket = TicketFactory(customer=customer, assigned_agent=agent)
    fill_conversation(ticket, customer, agent, 1)
    one, response = count_queries(django_assert_max_num_queries, DETAIL_MAX, lambda: client.get(ticket_url(ticket)))
    assert len(response.json()["messages"]) == 1
    fill_conversation(ticket, customer, agent, 199)
    two_hundred, response = count_queries(
        django_assert_max_num_queries, DETAIL_MAX, lambda: client.get(ticket_url(ticket))
    )
    shown = response.json()["messages"]
    assert len(shown) == (200 if viewer == "agent" else 200 - Message.objects.filter(is_internal=True).count())
    assert all(len(m["attachments"]) == 1 for m in shown)
    assert one == two_hundred
    print(f"\ndetail as {viewer}: {one} queries for 1 message, {two_hundred} for 200 (each with a file)")


def test_writes_run_a_bounded_number_of_queries(
    django_assert_max_num_queries: Any, customer_client: APIClient, customer: User, agent: User
) -> None:
    """Creating a ticket and posting a message stay bounded whatever the number of staff and
    messages (notifications included)."""
    AgentFactory.create_batch(5)
    agent_client = client_for(agent)
    body = {"title": "Broken", "category": "technical", "message_text": "It broke."}
    create, response = count_queries(
        django_assert_max_num_queries, CREATE_MAX, lambda: customer_client.post(TICKETS, body)
    )
    ticket = Ticket.objects.get(pk=response.json()["id"])
    MessageFactory.create_batch(50, ticket=ticket)
    file_id = upload(customer_client, ticket).json()["id"]
    reply = {"message_text": "More detail.", "attachment_ids": [file_id]}
    customer_post, _ = count_queries(
        django_assert_max_num_queries, REPLY_MAX, lambda: customer_client.post(ticket_url(ticket, "messages"), reply)
    )
    staff_post, _ = count_queries(
        django_assert_max_num_queries,
        REPLY_MAX,
        lambda: agent_client.post(ticket_url(ticket, "messages"), {"message_text": "On it."}),
    )
    uploaded, _ = count_queries(django_assert_max_num_queries, 12, lambda: upload(customer_client, ticket))
    assert Attachment.objects.filter(message__isnull=False).count() == 1

    def plain_reply() -> Any:
        return customer_client.post(ticket_url(ticket, "messages"), {"message_text": "Still there?"})

    # The first customer message after a staff reply starts the next-response clock (it moves
    # the queue's columns); the ones after it wait on the same clock.
    count_queries(django_assert_max_num_queries, REPLY_MAX, plain_reply)
    plain, _ = count_queries(django_assert_max_num_queries, REPLY_MAX, plain_reply)

    # Doubling the staff (all told of a new ticket and of replies on an unassigned one) adds no
    # queries per staff member.
    AgentFactory.create_batch(5)
    create_again, _ = count_queries(
        django_assert_max_num_queries, CREATE_MAX, lambda: customer_client.post(TICKETS, body)
    )
    assert create_again == create
    # The new staff's first notice about this ticket is written new, once; from then on every
    # reply brings each one's unread notification up to date ("3 new replies"), as before.
    count_queries(django_assert_max_num_queries, REPLY_MAX, plain_reply)
    plain_again, _ = count_queries(django_assert_max_num_queries, REPLY_MAX, plain_reply)
    assert plain_again == plain
    print(
        f"\ncreate: {create} queries; customer reply with a file: {customer_post}; staff reply: {staff_post};"
        f" upload: {uploaded}"
    )
