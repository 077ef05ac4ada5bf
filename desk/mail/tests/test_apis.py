"""The email channel over HTTP: raw mail in (POST /api/inbound/email/), a provider's webhook, and
what staff read of a ticket's mails."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.mail.models import Channel, InboundEmail, InboundStatus
from desk.mail.tests.builders import deliver, mail
from desk.support.models import Message, Ticket

pytestmark = pytest.mark.django_db

TOKEN = "inbound-test-token-0123456789"
URL = "/api/inbound/email/"


@pytest.fixture
def inbound_on(settings):
    settings.INBOUND_EMAIL_TOKEN = TOKEN


def post(raw: bytes, *, token: str | None = TOKEN, content_type: str = "message/rfc822"):
    client = APIClient()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.generic("POST", URL, raw, content_type=content_type, **headers)


def test_a_raw_mail_is_accepted_stored_and_becomes_a_ticket(inbound_on, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(mail(subject="Refund for a cancelled booking"))
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"id", "status"} and body["status"] == "received"
    inbound = InboundEmail.objects.get(pk=body["id"])
    assert inbound.channel == Channel.HTTP and inbound.status == InboundStatus.PROCESSED
    assert inbound.ticket.title == "Refund for a cancelled booking"


def test_the_same_mail_twice_answers_with_the_first_record(inbound_on, django_capture_on_commit_callbacks) -> None:
    raw = mail(message_id="<twice@mail.example.org>")
    with django_capture_on_commit_callbacks(execute=True):
        first = post(raw).json()
    with django_capture_on_commit_callbacks(execute=True):
        second = post(raw).json()
    assert first["id"] == second["id"] and second["status"] == "processed"
    assert Message.objects.count() == 1


def test_without_a_token_set_the_endpoint_does_not_exist(settings) -> None:
    settings.INBOUND_EMAIL_TOKEN = ""
    response = post(mail())
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert not InboundEmail.objects.exists()


@pytest.mark.parametrize("token", [None, "wrong", TOKEN + "x"])
def test_a_wrong_or_missing_token_is_refused(inbound_on, token) -> None:
    response = post(mail(), token=token)
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"
    assert not InboundEmail.objects.exists()


def test_a_body_over_the_limit_is_refused_and_nothing_is_stored(inbound_on, settings) -> None:
    settings.INBOUND_EMAIL_MAX_BYTES = 2000
    response = post(mail(body="x" * 3000))
    assert response.status_code == 413 and response.json()["error"] == "file_too_large"
    assert not InboundEmail.objects.exists()


def test_other_content_types_and_empty_bodies_are_refused(inbound_on) -> None:
    wrong = post(mail(), content_type="application/json")
    assert wrong.status_code == 415 and wrong.json()["error"] == "unsupported_media_type"
    empty = post(b"   ")
    assert empty.status_code == 400 and empty.json()["error"] == "validation_error"
    assert not InboundEmail.objects.exists()


def test_a_provider_webhook_feeds_the_same_path(settings, django_capture_on_commit_callbacks) -> None:
    """Mailgun's "store and forward" with the raw MIME (`body-mime`), through django-anymail."""
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret", "MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key"}
    import hashlib
    import hmac
    import time

    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(b"signing-key", f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    auth = base64.b64encode(b"hook:secret").decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/anymail/mailgun/inbound_mime/",
            {
                "body-mime": mail(sender="webhook@example.org", subject="Via the provider").decode(),
                "timestamp": timestamp,
                "token": token,
                "signature": signature,
            },
            HTTP_AUTHORIZATION=f"Basic {auth}",
        )
    assert response.status_code == 200, response.content
    inbound = InboundEmail.objects.get()
    assert inbound.channel == Channel.WEBHOOK and inbound.status == InboundStatus.PROCESSED
    assert inbound.ticket.title == "Via the provider"


# --- what staff read ------------------------------------------------------------------------


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    inbound = deliver(mail(sender="hari@example.org", body="The geyser is broken."), django_capture_on_commit_callbacks)
    return inbound.ticket, inbound


def test_staff_see_a_tickets_mails_and_download_the_original(mailed, django_assert_max_num_queries) -> None:
    ticket, inbound = mailed
    client = client_for(AgentFactory())
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/support/tickets/{ticket.pk}/emails/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(inbound.pk) and row["message"] == str(inbound.message_id)
    assert (row["status"], row["from_address"], row["channel"]) == ("processed", "hari@example.org", "http")
    assert "The geyser is broken." in row["full_text"]
    raw = client.get(row["raw_url"])
    assert raw.status_code == 200 and raw["Content-Type"] == "message/rfc822"
    assert f"ticket-{ticket.number}-" in raw["Content-Disposition"]
    assert b"The geyser is broken." in b"".join(raw.streaming_content)


def test_customers_see_neither_the_mail_records_nor_the_originals(mailed) -> None:
    ticket, inbound = mailed
    client = client_for(ticket.customer)
    assert client.get(f"/api/support/tickets/{ticket.pk}/emails/").status_code == 404
    assert client.get(f"/api/support/inbound-emails/{inbound.pk}/raw/").status_code == 404
    assert client_for(CustomerFactory()).get(f"/api/support/tickets/{ticket.pk}/emails/").status_code == 404
    assert client_for(AgentFactory()).get("/api/support/inbound-emails/not-an-id/raw/").status_code == 404


def test_the_detail_shows_the_message_came_by_email_and_the_number(mailed) -> None:
    ticket, _ = mailed
    body = client_for(AgentFactory()).get(f"/api/support/tickets/{ticket.pk}/").json()
    assert body["number"] == ticket.number
    [message] = body["messages"]
    assert (message["via"], message["email_from"]) == ("email", "hari@example.org")
    assert body["follows"] is None


def test_ticket_numbers_are_unique_increasing_and_searchable(mailed) -> None:
    first, _ = mailed
    customer = first.customer
    from desk.support import services

    later = [
        services.ticket_create(actor=customer, title=f"T{i}", message_text="x", category="general") for i in range(3)
    ]
    numbers = [first.number, *(t.number for t in later)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
    client = client_for(AgentFactory())
    for query in (f"?search=%23{later[1].number}", f"?number={later[1].number}"):
        rows = client.get(f"/api/support/tickets/{query}").json()["results"]
        assert [row["id"] for row in rows] == [str(later[1].pk)]
        assert rows[0]["number"] == later[1].number
    assert client.get("/api/support/tickets/?number=abc").status_code == 400
    # a customer's search by number never finds someone else's ticket
    assert client_for(CustomerFactory()).get(f"/api/support/tickets/?number={first.number}").json()["results"] == []
    deleted = later[2].number
    later[2].delete()
    assert services.ticket_create(actor=customer, title="n", message_text="x", category="general").number > deleted
    assert Ticket.objects.filter(number=deleted).count() == 0


def test_a_webhook_body_the_provider_parser_chokes_on_is_a_400(settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret", "MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key"}
    auth = base64.b64encode(b"hook:secret").decode()
    response = Client().post(
        "/anymail/mailgun/inbound_mime/",
        '{"signature": "not a block"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )
    assert response.status_code == 400 and response.json()["error"] == "validation_error"
    assert not InboundEmail.objects.exists()
