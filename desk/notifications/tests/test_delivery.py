"""Email delivery through a real SMTP server: recorded, retried, never silently lost."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import SmtpSink
from desk.notifications import services as notify
from desk.notifications.models import DeliveryStatus, EmailDelivery
from desk.support import services


def untagged(subject: str) -> str:
    """A subject without the ticket's `[#N] ` tag (desk.notifications.threading), which every
    ticket email starts with."""
    assert re.match(r"^\[#\d+\] ", subject), subject
    return re.sub(r"^\[#\d+\] ", "", subject)


pytestmark = pytest.mark.django_db


def staff_reply(customer, agent, capture, text="We fixed it."):
    with capture(execute=True):
        ticket = services.ticket_create(actor=customer, title="Leaking sink", message_text="Help", category="service")
    EmailDelivery.objects.all().delete()
    with capture(execute=True):
        services.message_post(ticket=ticket, sender=agent, message_text=text)
    return ticket, EmailDelivery.objects.get(recipient=customer)


def test_staff_reply_is_delivered_through_smtp_with_text_and_html(
    smtp_server, customer, agent, django_capture_on_commit_callbacks
):
    ticket, delivery = staff_reply(customer, agent, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    [received] = [m for m in smtp_server.messages if untagged(m["Subject"]).startswith("Re:")]
    assert received["To"] == customer.email
    assert ticket.title in received["Subject"]
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in received.walk()
        if not part.is_multipart()
    }
    assert set(parts) == {"text/plain", "text/html"}
    assert "We fixed it." in parts["text/plain"] and "We fixed it." in parts["text/html"]
    assert f"/tickets/{ticket.pk}" in parts["text/html"]


def test_html_part_escapes_message_text(smtp_server, customer, agent, django_capture_on_commit_callbacks):
    staff_reply(customer, agent, django_capture_on_commit_callbacks, text="<script>alert(1)</script>")
    [received] = [m for m in smtp_server.messages if untagged(m["Subject"]).startswith("Re:")]
    html = next(p.get_payload(decode=True).decode() for p in received.walk() if p.get_content_type() == "text/html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_smtp_down_records_failure_then_retry_sends_once_server_is_back(
    settings, customer, agent, django_capture_on_commit_callbacks
):
    down = SmtpSink()  # reserves a free port; nothing listens on it yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", down.port, 2

    _, delivery = staff_reply(customer, agent, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert "refused" in delivery.last_error.lower() or "connect" in delivery.last_error.lower()
    assert delivery.next_attempt_at > timezone.now()

    # Not due yet: the periodic sweep leaves it alone.
    assert notify.emails_retry_due(inline=True) == 0

    server = SmtpSink(port=down.port).start()
    try:
        EmailDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert notify.emails_retry_due(inline=True) == 1
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.attempts == 2
        assert [untagged(m["Subject"])[:3] for m in server.messages] == ["Re:"]
        # Sent once: another sweep sends nothing more.
        assert notify.emails_retry_due(inline=True) == 0
        assert [untagged(m["Subject"])[:3] for m in server.messages] == ["Re:"]
    finally:
        server.stop()


def test_retry_emails_command_sends_what_is_waiting(settings, customer, agent, django_capture_on_commit_callbacks):
    down = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", down.port, 2
    _, delivery = staff_reply(customer, agent, django_capture_on_commit_callbacks)
    server = SmtpSink(port=down.port).start()
    try:
        out = io.StringIO()
        call_command("retry_emails", "--now", stdout=out)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        assert "0 not sent yet" in out.getvalue()
        assert [untagged(m["Subject"])[:3] for m in server.messages] == ["Re:"]
    finally:
        server.stop()


def test_a_delivery_claimed_by_one_worker_is_not_sent_by_another(smtp_server, customer, agent, settings):
    ticket = services.ticket_create(actor=customer, title="Claimed", message_text="Help", category="general")
    [delivery] = notify.email_queue(recipients=[customer], kind="staff_reply", ticket=ticket)
    # One worker claims the record (an attempt under way)...
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + notify.ATTEMPT_LEASE, attempts=1
    )
    # ...so a second one, e.g. the sweep, does nothing.
    assert notify.email_deliver(delivery_id=delivery.pk).sent == 0
    assert smtp_server.messages == []


def test_attempts_stop_at_the_maximum_and_the_record_stays_failed(settings, customer, agent):
    down = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", down.port, 1
    settings.EMAIL_MAX_ATTEMPTS = 2
    ticket = services.ticket_create(actor=customer, title="Doomed", message_text="Help", category="general")
    [delivery] = notify.email_queue(recipients=[customer], kind="staff_reply", ticket=ticket)
    for _ in range(3):
        EmailDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        notify.email_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error


def test_a_batch_goes_out_over_one_connection_and_records_each_result(smtp_server, customer):
    from desk.accounts.tests.factories import AgentFactory

    staff = [AgentFactory() for _ in range(5)]
    ticket = services.ticket_create(actor=customer, title="Batch", message_text="Help", category="general")
    deliveries = notify.email_queue(recipients=staff, kind="customer_reply", ticket=ticket)
    result = notify.email_deliver_many(delivery_ids=[d.pk for d in deliveries])
    assert result.sent == 5 and result.failed_ids == ()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(user.email for user in staff)
    assert set(EmailDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).values_list("status", "attempts")) == {
        ("sent", 1)
    }


def test_a_title_with_a_line_break_is_one_line_and_its_emails_are_sent(
    smtp_server, customer, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_create(
            actor=customer, title="Refund\r\nBcc: evil@example.com", message_text="Help", category="billing"
        )
    ticket.refresh_from_db()
    assert ticket.title == "Refund Bcc: evil@example.com"
    [received] = smtp_server.messages
    assert untagged(received["Subject"]) == "We received your request: Refund Bcc: evil@example.com"
    assert received["Bcc"] is None
    assert EmailDelivery.objects.get().status == DeliveryStatus.SENT


def test_emails_go_out_even_for_a_title_stored_with_a_line_break(
    smtp_server, customer, agent, django_capture_on_commit_callbacks
):
    """A row written before titles were cleaned (or by another writer) must not stop the email."""
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_create(actor=customer, title="Leak", message_text="Help", category="service")
    type(ticket).objects.filter(pk=ticket.pk).update(title="Leak\nBcc: evil@example.com")
    ticket.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=agent, message_text="Fixed.")
    reply = EmailDelivery.objects.get(kind="staff_reply")
    assert reply.status == DeliveryStatus.SENT, reply.last_error
    received = [m for m in smtp_server.messages if untagged(m["Subject"]).startswith("Re:")]
    assert [untagged(m["Subject"]) for m in received] == ["Re: Leak Bcc: evil@example.com"]
    assert all(m["Bcc"] is None for m in smtp_server.messages)
