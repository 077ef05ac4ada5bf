"""Selectors: visibility lives in one place, and list annotations are computed by the database."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.http import QueryDict

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.core.errors import NotFound, TicketNotFound, ValidationFailed
from desk.support import selectors, services
from desk.support.models import Attachment, Ticket
from desk.support.tests import files
from desk.support.tests.factories import MessageFactory, TicketFactory

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
    on_message = _file(ticket, customer, ticket.first_message.pk)
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
    assert shown == [ticket.first_message.message_text, "reply"]
    assert len(selectors.ticket_messages_for(user=agent, ticket=ticket)) == 3


def test_list_takes_a_query_dict_or_a_mapping(agent: User) -> None:
    open_ticket = TicketFactory(status="open")
    closed = TicketFactory(status="closed", closed_at=open_ticket.created_at)
    TicketFactory(status="resolved")
    query = QueryDict("status=open&status=closed&ordering=created_at")
    assert list(selectors.ticket_list_for(user=agent, filters=query)) == [open_ticket, closed]
    assert list(selectors.ticket_list_for(user=agent, filters={"status": "closed"})) == [closed]
    with pytest.raises(ValidationFailed):
        selectors.ticket_list_for(user=agent, filters={"ordering": "title"})
    with pytest.raises(ValidationFailed):
        selectors.ticket_list_for(user=agent, filters=QueryDict("ordering=priority&ordering=nope"))


def test_list_annotations_are_one_query(django_assert_num_queries: Any, customer: User) -> None:
    agent = AgentFactory()
    for _ in range(20):
        ticket = TicketFactory(customer=customer)
        MessageFactory.create_batch(2, ticket=ticket)
        MessageFactory(ticket=ticket, sender=agent, message_text="latest reply")
        MessageFactory(ticket=ticket, sender=agent, message_text="private", is_internal=True)
    tickets = selectors.ticket_list_for(user=customer, filters={})
    with django_assert_num_queries(1):
        rows = [(t.unread_count, t.last_message_snippet, t.customer.email, t.assigned_agent) for t in tickets]
    assert {row[:2] for row in rows} == {(1, "latest reply")}
    as_staff = selectors.ticket_list_for(user=agent, filters={})
    with django_assert_num_queries(1):
        staff_rows = {(t.unread_count, t.last_message_snippet) for t in as_staff}
    assert staff_rows == {(2, "private")}


def test_a_ticket_with_no_visible_message_has_no_snippet(customer: User) -> None:
    ticket = TicketFactory(customer=customer)
    [row] = selectors.ticket_list_for(user=customer, filters={})
    assert row == ticket
    assert (row.last_message_snippet, row.unread_count) == (None, 0)


def test_customers_never_reach_others_tickets_through_filters(customer: User) -> None:
    TicketFactory.create_batch(3, customer=CustomerFactory(), status="open")
    mine = TicketFactory(customer=customer, status="open")
    query = QueryDict("status=open,closed,resolved,in_progress&assigned_agent=none&search=")
    assert list(selectors.ticket_list_for(user=customer, filters=query)) == [mine]
