"""Outbound threading, read off a real SMTP server (aiosmtpd): every email has a stable
Message-ID, a ticket's email its signed reply address, the `[#N]` tag and the thread of the
customer's mail; a staff reply is from the agent "at" the desk, automatic ones say so."""

from __future__ import annotations

from email.utils import parseaddr

import pytest

from desk.accounts.tests.factories import AgentFactory
from desk.mail.tests.builders import deliver, mail
from desk.notifications import services, threading
from desk.notifications.models import DeliveryStatus, EmailDelivery, Kind
from desk.support import services as support_services

pytestmark = pytest.mark.django_db


def _received(smtp_server, delivery: EmailDelivery):
    [message] = [m for m in smtp_server.messages if m["X-Desk-Delivery"] == str(delivery.pk)]
    return message


def test_a_staff_reply_threads_under_the_customers_mail(smtp_server, django_capture_on_commit_callbacks) -> None:
    inbound = deliver(
        mail(sender="hari@example.org", message_id="<cust-1@mail.example.org>"), django_capture_on_commit_callbacks
    )
    ticket = inbound.ticket
    agent = AgentFactory(first_name="Alice", last_name="Gurung")
    with django_capture_on_commit_callbacks(execute=True):
        support_services.message_post(ticket=ticket, sender=agent, message_text="We will send someone today.")
    reply = EmailDelivery.objects.get(kind=Kind.STAFF_REPLY)
    received = _received(smtp_server, reply)

    assert received["Subject"].startswith(f"[#{ticket.number}] ")
    assert received["Message-ID"] == f"<{reply.message_id}>"
    assert received["In-Reply-To"] == "<cust-1@mail.example.org>"
    assert received["References"] == "<cust-1@mail.example.org>"
    assert parseaddr(received["Reply-To"])[1] == threading.reply_address(ticket.number)
    name, address = parseaddr(received["From"])
    assert (name, address) == ("Alice Gurung at Support Desk", "support@example.com")
    assert received["Auto-Submitted"] is None  # a person's reply

    confirmation = _received(smtp_server, EmailDelivery.objects.get(kind=Kind.TICKET_CREATED))
    assert confirmation["Auto-Submitted"] == "auto-generated"
    assert parseaddr(confirmation["From"])[0] == "Support Desk"


def test_references_carry_the_first_and_the_latest_customer_mail(django_capture_on_commit_callbacks) -> None:
    capture = django_capture_on_commit_callbacks
    first = deliver(mail(sender="hari@example.org", message_id="<one@mail.example.org>"), capture)
    ticket = first.ticket
    raw = mail(
        sender="hari@example.org",
        to=threading.reply_address(ticket.number),
        message_id="<two@mail.example.org>",
        subject="Re: more",
    )
    deliver(raw, capture)
    with capture(execute=True):
        support_services.message_post(ticket=ticket, sender=AgentFactory(), message_text="Noted.")
    reply = EmailDelivery.objects.get(kind=Kind.STAFF_REPLY)
    assert reply.in_reply_to == "two@mail.example.org"
    assert reply.references == "<one@mail.example.org> <two@mail.example.org>"


def test_the_message_id_stays_the_same_on_every_attempt(smtp_server, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_PORT = 1  # the mail server is away: the first attempt fails
    inbound = deliver(mail(sender="hari@example.org"), django_capture_on_commit_callbacks)
    delivery = EmailDelivery.objects.get(ticket=inbound.ticket, kind=Kind.TICKET_CREATED)
    assert delivery.status == DeliveryStatus.FAILED
    settings.EMAIL_PORT = smtp_server.port
    services.emails_retry_due(inline=True, ignore_backoff=True)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert _received(smtp_server, delivery)["Message-ID"] == f"<{delivery.message_id}>"


def test_reply_addresses_are_signed_per_ticket_and_case_blind(settings) -> None:
    address = threading.reply_address(1042)
    local, _, domain = address.partition("@")
    assert local.startswith("support+t1042-") and domain == "example.com"
    assert threading.ticket_number_from_address(address.upper()) == 1042
    assert threading.ticket_number_from_address(address.replace("t1042", "t1043")) is None
    assert threading.ticket_number_from_address("support@example.com") is None
    assert threading.ticket_number_from_address(address.replace("example.com", "evil.example")) is None
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789"
    assert threading.ticket_number_from_address(address) is None  # signed with our key only
