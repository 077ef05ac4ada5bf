"""What an inbound mail becomes (email.md): matching, senders, loops, bounces, limits, files, and
that a mail is its ticket, message, files and notes in one transaction or nothing."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.mail import services
from desk.mail.models import Channel, InboundEmail, InboundStatus, Mailbox
from desk.mail.tests.builders import deliver, mail, reply_to, unique_id
from desk.notifications import threading
from desk.notifications.models import DeliveryStatus, EmailDelivery, Kind, SuppressedAddress
from desk.support import services as support_services
from desk.support.models import Attachment, Message, Source, Status, Ticket
from desk.support.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _confirmation(ticket: Ticket) -> EmailDelivery:
    return EmailDelivery.objects.get(ticket=ticket, kind=Kind.TICKET_CREATED)


# --- new tickets ----------------------------------------------------------------------------


def test_a_mail_from_an_unknown_address_opens_a_ticket_for_a_new_customer(capture) -> None:
    mailbox = Mailbox.objects.create(name="billing", host="imap.example", username="u", category="billing")
    inbound = deliver(mail(sender="Sita Rai <Sita@Example.org>"), capture, mailbox=mailbox, channel=Channel.IMAP)

    assert inbound.status == InboundStatus.PROCESSED
    assert inbound.opened_ticket
    ticket = inbound.ticket
    assert (ticket.source, ticket.category, ticket.priority, ticket.status) == ("email", "billing", "medium", "open")
    assert ticket.title == "My plumber never came"
    customer = User.objects.get(email__iexact="sita@example.org")
    assert ticket.customer == customer
    assert not customer.has_usable_password()  # a password reset lets them sign in later
    assert (customer.first_name, customer.last_name) == ("Sita", "Rai")
    message = inbound.message
    assert message.ticket == ticket and message.sender == customer and message.is_from_customer
    assert (message.via, message.email_from) == (Source.EMAIL, "sita@example.org")
    assert message.message_text.startswith("Hello, the plumber")
    assert message.email_message_id == inbound.message_id_header


def test_the_confirmation_carries_the_number_the_signed_reply_address_and_threads(capture) -> None:
    inbound = deliver(mail(message_id="<first@mail.example.org>"), capture)
    ticket = inbound.ticket
    confirmation = _confirmation(ticket)
    assert confirmation.subject.startswith(f"[#{ticket.number}] ")
    assert confirmation.reply_to == threading.reply_address(ticket.number)
    assert threading.ticket_number_from_address(confirmation.reply_to) == ticket.number
    assert confirmation.in_reply_to == "first@mail.example.org"
    assert confirmation.references == "<first@mail.example.org>"
    assert confirmation.automatic  # Auto-Submitted: auto-generated
    assert confirmation.message_id.endswith("@example.com")


def test_unknown_senders_are_refused_when_the_desk_says_so(capture, settings) -> None:
    settings.INBOUND_UNKNOWN_SENDERS = "reject"
    inbound = deliver(mail(sender="stranger@example.net"), capture)
    assert inbound.status == InboundStatus.IGNORED
    assert "Unknown sender" in inbound.reason
    assert not User.objects.filter(email="stranger@example.net").exists()
    assert not Ticket.objects.exists()


def test_a_known_address_is_that_customer_whatever_its_case(capture) -> None:
    customer = CustomerFactory(email="gita@example.org")
    inbound = deliver(mail(sender="GITA@EXAMPLE.ORG"), capture)
    assert inbound.ticket.customer == customer
    assert User.objects.filter(email__iexact="gita@example.org").count() == 1


def test_a_deactivated_accounts_mail_is_ignored_with_the_reason(capture) -> None:
    CustomerFactory(email="gone@example.org", is_active=False)
    inbound = deliver(mail(sender="gone@example.org"), capture)
    assert (inbound.status, inbound.ticket) == (InboundStatus.IGNORED, None)
    assert "deactivated" in inbound.reason
    assert not Ticket.objects.exists()


def test_the_title_loses_reply_prefixes_and_tags(capture) -> None:
    assert services.ticket_title("Re: Fwd: AW: [#12] Refund please") == "Refund please"
    assert services.ticket_title("   ") == "(no subject)"
    inbound = deliver(mail(subject=""), capture)
    assert inbound.ticket.title == "(no subject)"


# --- matching a mail to its ticket ----------------------------------------------------------


@pytest.fixture
def emailed_ticket(capture):
    """A ticket opened by mail, and the confirmation we sent for it."""
    inbound = deliver(mail(sender="Hari <hari@example.org>"), capture)
    return inbound.ticket, _confirmation(inbound.ticket)


def test_a_reply_to_our_reply_address_lands_on_its_ticket(capture, emailed_ticket) -> None:
    ticket, confirmation = emailed_ticket
    raw = mail(sender="hari@example.org", to=confirmation.reply_to, subject="something else entirely")
    inbound = deliver(raw, capture)
    assert (inbound.status, inbound.ticket, inbound.opened_ticket) == (InboundStatus.PROCESSED, ticket, False)
    assert ticket.messages.count() == 2


def test_a_forged_or_altered_reply_address_matches_nothing(capture, emailed_ticket) -> None:
    ticket, confirmation = emailed_ticket
    local, _, domain = confirmation.reply_to.partition("@")
    forged = f"{local[:-1]}{'0' if local[-1] != '0' else '1'}@{domain}"
    other_number = f"support+t{ticket.number + 1}-{local.rsplit('-', 1)[1]}@{domain}"
    for address in (forged, other_number):
        assert threading.ticket_number_from_address(address) is None
        inbound = deliver(mail(sender="hari@example.org", to=address, subject="Hello"), capture)
        assert inbound.opened_ticket and inbound.ticket != ticket


def test_in_reply_to_one_of_our_emails_finds_the_ticket(capture, emailed_ticket) -> None:
    ticket, confirmation = emailed_ticket
    raw = mail(
        sender="hari@example.org",
        subject="Re: hello",
        headers={"In-Reply-To": f"<{confirmation.message_id}>", "References": f"<{confirmation.message_id}>"},
    )
    assert deliver(raw, capture).ticket == ticket


def test_references_naming_a_mail_we_received_on_the_ticket_find_it(capture, emailed_ticket) -> None:
    ticket, _ = emailed_ticket
    first = ticket.messages.get().email_message_id
    raw = mail(sender="hari@example.org", subject="more", headers={"References": f"<unknown@x> <{first}>"})
    assert deliver(raw, capture).ticket == ticket


def test_a_subject_tag_matches_only_for_the_tickets_customer_or_staff(capture, emailed_ticket) -> None:
    ticket, _ = emailed_ticket
    CustomerFactory(email="other@example.org")
    AgentFactory(email="alice@desk.example", first_name="Alice")
    subject = f"About [#{ticket.number}]"
    assert deliver(mail(sender="hari@example.org", subject=subject), capture).ticket == ticket
    stranger = deliver(mail(sender="other@example.org", subject=subject), capture)
    assert stranger.opened_ticket and stranger.ticket != ticket
    staff = deliver(mail(sender="alice@desk.example", subject=subject), capture)
    assert staff.ticket == ticket and staff.message.is_from_customer is False


def test_someone_else_replying_to_a_customers_thread_gets_a_ticket_of_their_own(capture, emailed_ticket) -> None:
    ticket, confirmation = emailed_ticket
    inbound = deliver(reply_to(confirmation, sender="cousin@example.org"), capture)
    assert inbound.opened_ticket and inbound.ticket.customer.email == "cousin@example.org"
    assert ticket.messages.count() == 1


def test_a_mail_to_a_resolved_ticket_reopens_it(capture, emailed_ticket) -> None:
    ticket, confirmation = emailed_ticket
    agent = AgentFactory()
    support_services.ticket_update(ticket=ticket, actor=agent, changes={"status": "resolved"})
    deliver(reply_to(confirmation, sender="hari@example.org"), capture)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_a_mail_to_a_closed_ticket_opens_a_new_one_that_follows_it(capture, emailed_ticket) -> None:
    ticket, confirmation = emailed_ticket
    support_services.ticket_update(ticket=ticket, actor=AgentFactory(), changes={"status": "closed"})
    inbound = deliver(reply_to(confirmation, sender="hari@example.org"), capture)
    assert inbound.opened_ticket
    new = inbound.ticket
    assert new != ticket and new.follows == ticket and new.customer == ticket.customer
    assert f"#{ticket.number}" in inbound.reason
    assert ticket.messages.count() == 1


# --- staff by email -------------------------------------------------------------------------


def test_a_staff_members_mail_on_a_ticket_is_a_public_reply_from_them(capture, emailed_ticket) -> None:
    ticket, confirmation = emailed_ticket
    agent = AgentFactory(email="alice@desk.example", first_name="Alice", last_name="K")
    EmailDelivery.objects.all().delete()
    inbound = deliver(reply_to(confirmation, sender="Alice <ALICE@desk.example>", body="We are on it."), capture)
    message = inbound.message
    assert (message.sender, message.is_internal, message.is_from_customer) == (agent, False, False)
    assert message.email_from == ""  # staff addresses are not shown to customers
    assert message.message_text == "We are on it."
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    reply = EmailDelivery.objects.get(kind=Kind.STAFF_REPLY)
    assert reply.to_address == "hari@example.org"
    assert reply.from_name == "Alice K at Support Desk"
    assert not reply.automatic  # a person's reply carries no Auto-Submitted


def test_staff_mail_that_matches_no_ticket_is_refused_with_a_note_back(capture) -> None:
    agent = AgentFactory(email="alice@desk.example")
    inbound = deliver(mail(sender="alice@desk.example", subject="A new idea"), capture)
    assert inbound.status == InboundStatus.IGNORED and "Staff mail refused" in inbound.reason
    assert not Ticket.objects.exists()
    note = EmailDelivery.objects.get(kind=Kind.MAIL_REFUSED)
    assert note.recipient == agent and "A new idea" in note.subject
    assert "matches no ticket" in note.body_text


# --- loops, auto-replies, bounces, limits ---------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
    ],
)
def test_automatic_replies_are_recorded_on_their_ticket_not_posted(capture, emailed_ticket, headers) -> None:
    ticket, confirmation = emailed_ticket
    EmailDelivery.objects.all().delete()
    raw = mail(
        sender="hari@example.org",
        to=confirmation.reply_to,
        subject="Automatic reply: away",
        body="I am away until Monday.",
        headers=headers,
    )
    inbound = deliver(raw, capture)
    assert (inbound.status, inbound.ticket, inbound.message) == (InboundStatus.IGNORED, ticket, None)
    assert "automatic reply" in inbound.reason.lower()
    assert ticket.messages.count() == 1
    assert not EmailDelivery.objects.exists()  # nothing answers an auto-reply


@pytest.mark.parametrize(
    "headers",
    [
        {"Precedence": "bulk"},
        {"Precedence": "list"},
        {"List-Id": "<offers.lists.example.net>"},
        {"Auto-Submitted": "auto-generated"},
    ],
)
def test_machine_mail_opens_a_ticket_without_a_confirmation(capture, headers) -> None:
    inbound = deliver(mail(sender="noreply@shop.example", headers=headers), capture)
    assert inbound.opened_ticket
    assert not EmailDelivery.objects.filter(kind=Kind.TICKET_CREATED).exists()


def test_mail_from_our_own_address_is_a_loop_and_ignored(capture, settings) -> None:
    settings.OWN_EMAIL_ADDRESSES = ["alias@example.com"]
    for sender in ("support@example.com", "Alias@example.com"):
        inbound = deliver(mail(sender=sender), capture)
        assert inbound.status == InboundStatus.IGNORED and "loop" in inbound.reason
    assert not Ticket.objects.exists()


def test_a_sender_opens_at_most_the_hourly_limit_of_tickets(capture, settings) -> None:
    settings.INBOUND_TICKETS_PER_SENDER_PER_HOUR = 2
    results = [deliver(mail(sender="flood@example.org", subject=f"n{i}"), capture) for i in range(3)]
    assert [r.status for r in results] == ["processed", "processed", "ignored"]
    assert "limit 2" in results[2].reason
    assert Ticket.objects.count() == 2


def _dsn(delivery: EmailDelivery, *, status: str = "5.1.1", action: str = "failed") -> bytes:
    return f"""From: Mail Delivery Subsystem <mailer-daemon@mx.example.org>
To: support@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: {unique_id()}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; {delivery.to_address}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} User unknown

--b1
Content-Type: text/rfc822-headers

From: Support Desk <support@example.com>
To: {delivery.to_address}
Subject: {delivery.subject}
Message-ID: <{delivery.message_id}>
X-Desk-Delivery: {delivery.pk}

--b1--
""".encode()


def test_a_hard_bounce_marks_the_email_and_stops_mail_to_the_address(capture, emailed_ticket, smtp_server) -> None:
    ticket, confirmation = emailed_ticket
    inbound = deliver(_dsn(confirmation), capture)
    assert inbound.status == InboundStatus.PROCESSED and inbound.ticket == ticket
    confirmation.refresh_from_db()
    assert confirmation.status == DeliveryStatus.BOUNCED and "5.1.1" in confirmation.last_error
    assert SuppressedAddress.objects.filter(address="hari@example.org").exists()
    assert Ticket.objects.count() == 1  # a bounce is never a ticket

    with capture(execute=True):
        support_services.message_post(ticket=ticket, sender=AgentFactory(), message_text="Any news?")
    held = EmailDelivery.objects.get(kind=Kind.STAFF_REPLY)
    assert held.status == DeliveryStatus.FAILED and "hard-bounced" in held.last_error
    assert not [m for m in smtp_server.messages if m["To"] == "hari@example.org"]

    SuppressedAddress.objects.all().delete()  # an admin clears the address
    with capture(execute=True):
        support_services.message_post(ticket=ticket, sender=AgentFactory(), message_text="Hello again")
    assert [m for m in smtp_server.messages if m["To"] == "hari@example.org"]


def test_a_delay_notice_marks_nothing(capture, emailed_ticket) -> None:
    _, confirmation = emailed_ticket
    inbound = deliver(_dsn(confirmation, status="4.4.1", action="delayed"), capture)
    assert inbound.status == InboundStatus.IGNORED and "no failure" in inbound.reason
    confirmation.refresh_from_db()
    assert confirmation.status != DeliveryStatus.BOUNCED
    assert not SuppressedAddress.objects.exists() and Ticket.objects.count() == 1


def test_a_soft_bounce_marks_the_email_but_keeps_the_address(capture, emailed_ticket) -> None:
    _, confirmation = emailed_ticket
    deliver(_dsn(confirmation, status="4.2.2"), capture)
    confirmation.refresh_from_db()
    assert confirmation.status == DeliveryStatus.BOUNCED
    assert not SuppressedAddress.objects.exists()


# --- the message and its files --------------------------------------------------------------


def test_a_long_mail_keeps_its_whole_text_as_a_file(capture) -> None:
    body = "".join(f"Line {i}: the tap in the kitchen still leaks.\n" for i in range(200))
    assert len(body) > 5000
    inbound = deliver(mail(body=body), capture)
    message = inbound.message
    assert len(message.message_text) <= 5000 and message.message_text.startswith("Line 0:")
    whole = message.attachments.get(filename="full-message.txt")
    with whole.file.open("rb") as handle:
        assert handle.read().decode() == body.strip()


def test_files_go_through_the_upload_checks_and_refused_ones_are_named_in_a_note(capture) -> None:
    png = files.png_bytes()
    raw = mail(
        files=[
            ("photo.png", png, "image/png"),
            ("winmail.dat", b"\x78\x9f\x3e\x22" + b"\x00" * 64, "application/ms-tnef"),
            ("fake.png", b"MZ\x90\x00 not an image", "image/png"),
        ]
    )
    inbound = deliver(raw, capture)
    ticket = inbound.ticket
    [photo] = inbound.message.attachments.all()
    assert (photo.filename, photo.content_type, photo.file_size) == ("photo.png", "image/png", len(png))
    note = ticket.messages.get(is_internal=True)
    assert "winmail.dat" in note.message_text and "fake.png" in note.message_text
    assert "photo.png" not in note.message_text
    assert note.sender is None


def test_a_file_over_the_size_cap_is_refused_but_the_mail_is_kept(capture, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    inbound = deliver(mail(files=[("big.txt", b"a" * 2000, "text/plain")]), capture)
    assert inbound.status == InboundStatus.PROCESSED
    assert not inbound.message.attachments.exists()
    assert "big.txt" in inbound.ticket.messages.get(is_internal=True).message_text


# --- bad input: never a lost mail, never a half-written ticket ------------------------------


def test_an_unreadable_mail_is_kept_raw_and_marked_failed(capture) -> None:
    inbound = deliver(b"\x00\x01\x02 this is not a mail \xff\xfe", capture)
    assert inbound.status == InboundStatus.FAILED and inbound.reason
    with inbound.raw.open("rb") as handle:
        assert handle.read().startswith(b"\x00\x01\x02")
    assert not Ticket.objects.exists()
    after = deliver(mail(), capture)  # the next mail is processed
    assert after.status == InboundStatus.PROCESSED


def test_a_failure_midway_writes_nothing_and_leaves_no_file(capture, monkeypatch) -> None:
    def broken_note(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(support_services, "_refused_note", broken_note)
    png = files.png_bytes()
    inbound = deliver(mail(files=[("photo.png", png, "image/png")]), capture)
    assert inbound.status == InboundStatus.FAILED and "the disk is full" in inbound.reason
    assert not Ticket.objects.exists() and not Message.objects.exists() and not Attachment.objects.exists()
    assert not User.objects.filter(email="ram@example.org").exists()
    assert [name for _, _, names in _walk("attachments") for name in names] == []


def _walk(path: str):
    if not default_storage.exists(path):
        return
    dirs, names = default_storage.listdir(path)
    yield path, dirs, names
    for directory in dirs:
        yield from _walk(f"{path}/{directory}")


def test_a_passing_database_fault_is_retried_and_the_mail_kept(capture, monkeypatch) -> None:
    from django.db import OperationalError

    calls = []

    def flaky(inbound, mail):
        calls.append(1)
        raise OperationalError("could not connect")

    monkeypatch.setattr(services, "_handle", flaky)
    with capture(execute=False) as callbacks:
        inbound = services.inbound_receive(raw=mail(), channel=Channel.HTTP)
    assert callbacks  # processing was queued after the commit
    with pytest.raises(OperationalError):
        services.inbound_process(inbound_id=inbound.pk)
    inbound.refresh_from_db()
    assert (inbound.status, inbound.attempts) == (InboundStatus.RECEIVED, 1)  # waits for the retry
    monkeypatch.undo()
    services.inbound_process(inbound_id=inbound.pk)
    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.PROCESSED and inbound.attempts == 2


def test_the_same_message_id_twice_makes_one_message(capture) -> None:
    raw = mail(message_id="<same@mail.example.org>")
    first = deliver(raw, capture)
    second = deliver(raw, capture, channel=Channel.IMAP)
    assert first.pk == second.pk
    assert InboundEmail.objects.count() == 1 and Message.objects.count() == 1


def test_a_mail_without_a_message_id_gets_one_from_its_bytes(capture) -> None:
    raw = mail().replace(b"Message-ID:", b"X-Old-ID:")
    first = deliver(raw, capture)
    assert first.message_id_header.startswith("sha256-")
    assert deliver(raw, capture).pk == first.pk


def test_processing_twice_changes_nothing(capture) -> None:
    inbound = deliver(mail(), capture)
    services.inbound_process(inbound_id=inbound.pk)
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # each mail commits on its own, as in a worker
def test_a_burst_of_mail_is_drained_in_batches_and_its_emails_queued_together(capture, monkeypatch) -> None:
    from desk.notifications import tasks as notification_tasks

    batches: list[list[str]] = []
    monkeypatch.setattr(notification_tasks.deliver_emails, "delay", lambda ids: batches.append(ids))
    monkeypatch.setattr(services, "enqueue_processing", lambda: None)  # the mails wait, as under load
    for i in range(3):
        services.inbound_receive(raw=mail(sender=f"burst{i}@example.org", subject=f"n{i}"), channel=Channel.HTTP)
    monkeypatch.undo()
    monkeypatch.setattr(notification_tasks.deliver_emails, "delay", lambda ids: batches.append(ids))
    assert services.inbound_drain() == 3
    assert InboundEmail.objects.filter(status=InboundStatus.PROCESSED).count() == 3
    assert len(batches) == 1 and len(batches[0]) == 3  # three confirmations, one task


def test_a_drain_takes_a_batch_then_wakes_another(capture, monkeypatch) -> None:
    woken = []
    monkeypatch.setattr(services, "enqueue_processing", lambda: woken.append(1))
    for i in range(3):
        services.inbound_receive(raw=mail(sender=f"b{i}@example.org", subject=f"n{i}"), channel=Channel.HTTP)
    woken.clear()
    assert services.inbound_drain(limit=2) == 2
    assert woken == [1, 1]  # more than a batch waited: another drain at once, and one after
    woken.clear()
    assert services.inbound_drain(limit=2) == 1
    assert woken == []
    assert not InboundEmail.objects.filter(status=InboundStatus.RECEIVED).exists()
