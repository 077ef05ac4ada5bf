"""Selectors: visibility lives in one place, and list annotations are computed by the database."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.core.errors import NotFound, TicketNotFound, ValidationFailed
from desk.core.pagination import PageRequest
from desk.support import selectors, services
from desk.support.models import Attachment, Ticket
from desk.support.tests import files
from desk.support.tests.factories import MessageFactory, TicketFactory
from desk.support.tests.helpers import first_message

pytestmark = pytest.mark.django_db


def _file(ticket: Ticket, user: User, message_id: Any = None) -> Attachment:
    data = files.png_bytes()
    return services.attachment_upload(
        ticket=ticket, uploader=user, upload=io.BytesIO(data), filename="f.png", size=len(data), message_id=message_id
    )


def test_ticket_visibility(customer: User, other_customer: User, agent: User, admin_user: User) -> None:
    mine, theirs = TicketFactory(customer=customer), TicketFactory(customer=other_customer)
    assert list(selectors.ticket_visible_to(customer)) == [mine]
    assert set(selectors.ticket_visible_to(agent)) == {mine, theirs}
    assert set(selectors.ticket_visible_to(admin_user)) == {mine, theirs}
    assert selectors.ticket_get_for(user=customer, ticket_id=str(mine.pk)) == mine
    for bad in (theirs.pk, uuid.uuid4(), "junk", None, 12, ["x"]):
        with pytest.raises(TicketNotFound):
            selectors.ticket_get_for(user=customer, ticket_id=bad)


def test_attachment_visibility(customer: User, other_customer: User, agent: User, ticket: Ticket) -> None:
    on_message = _file(ticket, customer, first_message(ticket).pk)
    own_draft = _file(ticket, customer)
    staff_draft = _file(ticket, agent)
    note = services.message_post(ticket=ticket, sender=agent, message_text="n", is_internal=True)
    on_note = _file(ticket, agent, note.pk)
    reply = services.message_post(ticket=ticket, sender=agent, message_text="r")
    on_reply = _file(ticket, agent, reply.pk)

    assert set(selectors.attachments_visible_to(customer)) == {on_message, own_draft, on_reply}
    assert set(selectors.attachments_visible_to(agent)) == {on_message, own_draft, staff_draft, on_note, on_reply}
    assert list(selectors.attachments_visible_to(other_customer)) == []
    for bad in (staff_draft.pk, on_note.pk, "junk", uuid.uuid4()):
        with pytest.raises(NotFound):
            selectors.attachment_get_for(user=customer, attachment_id=bad)


def test_customers_see_no_internal_notes(customer: User, agent: User, ticket: Ticket) -> None:
    services.message_post(ticket=ticket, sender=agent, message_text="note", is_internal=True)
    services.message_post(ticket=ticket, sender=agent, message_text="reply")
    shown = [m.message_text for m in selectors.ticket_messages_for(user=customer, ticket=ticket)]
    assert shown == [first_message(ticket).message_text, "reply"]
    assert len(selectors.ticket_messages_for(user=agent, ticket=ticket)) == 3


FIRST_PAGE = PageRequest(number=1, size=25)


def _page(user: User, filters: Any) -> list[dict[str, Any]]:
    return selectors.ticket_page_for(user=user, filters=filters, page=FIRST_PAGE).items


def _ids(user: User, filters: Any) -> list[Any]:
    return [row["id"] for row in _page(user, filters)]


def test_list_takes_a_query_dict_or_a_mapping(agent: User) -> None:
    open_ticket = TicketFactory(status="open")
    closed = TicketFactory(status="closed", closed_at=open_ticket.created_at)
    TicketFactory(status="resolved")
    query = QueryDict("status=open&status=closed&ordering=created_at")
    assert _ids(agent, query) == [open_ticket.pk, closed.pk]
    assert _ids(agent, {"status": "closed"}) == [closed.pk]
    with pytest.raises(ValidationFailed):
        _page(agent, {"ordering": "title"})
    with pytest.raises(ValidationFailed):
        _page(agent, QueryDict("ordering=priority&ordering=nope"))


@pytest.mark.parametrize("tickets", [2, 30])
def test_list_annotations_are_computed_in_the_database(
    django_assert_num_queries: Any, customer: User, tickets: int
) -> None:
    """One query for the page's rows with their people and annotations, and, when the page is
    full, the count (after the planner's estimate on PostgreSQL); never one per row."""
    queries = 1 if tickets < FIRST_PAGE.size else 3 if connection.vendor == "postgresql" else 2
    agent = AgentFactory()
    for _ in range(tickets):
        ticket = TicketFactory(customer=customer)
        MessageFactory.create_batch(2, ticket=ticket)
        MessageFactory(ticket=ticket, sender=agent, message_text="latest reply")
        MessageFactory(ticket=ticket, sender=agent, message_text="private", is_internal=True)
    with django_assert_num_queries(queries):
        rows = _page(customer, {})
    assert len(rows) == min(tickets, FIRST_PAGE.size)
    assert {(row["unread_count"], row["last_message_snippet"], row["customer__email"]) for row in rows} == {
        (1, "latest reply", customer.email)
    }
    with django_assert_num_queries(queries):
        staff_rows = _page(agent, {})
    assert {(row["unread_count"], row["last_message_snippet"]) for row in staff_rows} == {(2, "private")}


def test_a_ticket_with_no_visible_message_has_no_snippet(customer: User) -> None:
    ticket = TicketFactory(customer=customer)
    [row] = _page(customer, {})
    assert row["id"] == ticket.pk
    assert (row["last_message_snippet"], row["unread_count"]) == (None, 0)


def test_customers_never_reach_others_tickets_through_filters(customer: User) -> None:
    TicketFactory.create_batch(3, customer=CustomerFactory(), status="open")
    mine = TicketFactory(customer=customer, status="open")
    query = QueryDict("status=open,closed,resolved,in_progress&assigned_agent=none&search=")
    assert _ids(customer, query) == [mine.pk]
