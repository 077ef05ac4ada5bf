"""A database error in the middle of a request leaves no partial ticket, message or file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

import pytest
from django.db import connection

from desk.support.models import Attachment, Message, Ticket
from desk.support.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def failing_insert(table: str, column: str, value: str) -> Iterator[None]:
    """A trigger that makes the database refuse one insert, as a failing disk or a lost
    connection would, half-way through a request."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER desk_fail BEFORE INSERT ON {table} WHEN NEW.{column} = '{value}' "
                # Reading a table that is not there fails as an I/O error would (OperationalError).
                "BEGIN SELECT * FROM desk_injected_failure; END"
            )
        else:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION desk_fail() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.{column} = '{value}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER desk_fail BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION desk_fail()"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS desk_fail")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS desk_fail ON {table}")
                cursor.execute("DROP FUNCTION IF EXISTS desk_fail()")


def test_failure_after_the_ticket_row_leaves_no_ticket(customer_client):
    with failing_insert("support_message", "message_text", "BOOM"):
        response = customer_client.post(
            "/api/support/tickets/",
            {"title": "Half-made", "category": "general", "message_text": "BOOM"},
            format="json",
        )
    assert response.status_code == 503
    assert response.json()["error"] == "service_unavailable"
    assert not Ticket.objects.filter(title="Half-made").exists()
    assert not Message.objects.exists()


def test_failure_while_saving_an_attachment_leaves_no_row_and_no_file(customer, customer_client, _isolated_media):
    ticket = TicketFactory(customer=customer)
    upload = BytesIO(b"just some text\n")
    upload.name = "notes.txt"
    with failing_insert("support_attachment", "filename", "notes.txt"):
        response = customer_client.post(
            f"/api/support/tickets/{ticket.pk}/attachments/", {"file": upload}, format="multipart"
        )
    assert response.status_code == 503
    assert not Attachment.objects.exists()
    assert [p for p in _isolated_media.rglob("*") if p.is_file()] == []


def test_failure_while_posting_a_message_changes_nothing(customer, customer_client):
    ticket = TicketFactory(customer=customer, status="resolved")
    before = Ticket.objects.get(pk=ticket.pk)
    with failing_insert("support_message", "message_text", "BOOM"):
        response = customer_client.post(
            f"/api/support/tickets/{ticket.pk}/messages/", {"message_text": "BOOM"}, format="json"
        )
    assert response.status_code == 503
    after = Ticket.objects.get(pk=ticket.pk)
    assert (after.status, after.updated_at) == ("resolved", before.updated_at)  # the reopen rolled back too
    assert not Message.objects.filter(ticket=ticket).exists()


def test_a_conflicting_write_is_409_and_any_other_database_failure_503():
    from django.db import IntegrityError, OperationalError

    from desk.core.exceptions import api_exception_handler

    conflict = api_exception_handler(IntegrityError("duplicate key"), {})
    assert (conflict.status_code, conflict.data["error"]) == (409, "conflict")
    unavailable = api_exception_handler(OperationalError("server closed the connection"), {})
    assert (unavailable.status_code, unavailable.data["error"]) == (503, "service_unavailable")
    assert unavailable["Retry-After"] == "5"
