from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support.models import Message, Ticket
from desk.support.tests.factories import MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db


def db_id(obj):
    return type(obj)._meta.pk.get_db_prep_value(obj.pk, connection)


def raw_update(model, obj, column: str, value) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, db_id(obj)])


@pytest.mark.parametrize(
    ("column", "value"),
    [("status", "waiting"), ("priority", "critical"), ("category", "sales"), ("source", "fax"), ("title", "")],
)
def test_database_refuses_invalid_ticket_values_even_bypassing_the_orm(column, value):
    ticket = TicketFactory()
    with pytest.raises(IntegrityError):
        raw_update(Ticket, ticket, column, value)
    ticket.refresh_from_db()
    assert getattr(ticket, column) != value


def test_database_refuses_closed_ticket_without_closed_at():
    ticket = TicketFactory()
    with pytest.raises(IntegrityError):
        raw_update(Ticket, ticket, "status", "closed")


def test_database_refuses_internal_note_from_customer():
    message = MessageFactory()
    assert message.is_from_customer
    with pytest.raises(IntegrityError):
        raw_update(Message, message, "is_internal", True)


def test_database_refuses_empty_or_oversize_message():
    message = MessageFactory()
    with pytest.raises(IntegrityError):
        raw_update(Message, message, "message_text", "")
    with pytest.raises(IntegrityError):
        raw_update(Message, message, "message_text", "x" * 5001)


def test_deleting_a_customer_deletes_their_tickets():
    customer = CustomerFactory()
    ticket = TicketFactory(customer=customer)
    MessageFactory(ticket=ticket)
    kept = TicketFactory()
    customer.delete()
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert not Message.objects.filter(ticket_id=ticket.pk).exists()
    assert Ticket.objects.filter(pk=kept.pk).exists()


def test_deleting_an_agent_leaves_their_tickets_unassigned():
    agent = AgentFactory()
    ticket = TicketFactory(assigned_agent=agent)
    reply = MessageFactory(ticket=ticket, sender=agent)
    agent.delete()
    ticket.refresh_from_db()
    assert ticket.assigned_agent is None
    reply.refresh_from_db()
    assert reply.sender is None  # the conversation keeps the agent's words


def test_tag_lookup_matches_whole_tags_only():
    vip = TicketFactory(tags=["vip", "refund"])
    TicketFactory(tags=["vipish"])
    TicketFactory(tags=[])
    assert list(Ticket.objects.filter(tags__has_tag="vip")) == [vip]
