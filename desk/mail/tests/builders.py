"""Mails for tests, built as mail clients build them (the corpus under `mail/` has the odd ones)."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from django.utils import timezone

from desk.mail import services
from desk.mail.models import Channel, InboundEmail, Mailbox


def mail(
    *,
    sender: str = "Ram Thapa <ram@example.org>",
    to: str = "support@example.com",
    subject: str = "My plumber never came",
    body: str = "Hello, the plumber I booked for Monday never came. Please help.",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    files: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
    html: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content, content_type in files:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def reply_to(delivery: Any, *, sender: str, body: str = "Thanks, but it is still broken.", **kwargs: Any) -> bytes:
    """A reply to one of our emails, as a mail client writes it: to its Reply-To, threaded."""
    return mail(
        sender=sender,
        to=delivery.reply_to,
        subject=f"Re: {delivery.subject}",
        body=f"{body}\n\nOn Mon, 1 Dec 2026 at 10:00, Support Desk <support@example.com> wrote:\n> {delivery.body_text.splitlines()[0]}\n",
        headers={"In-Reply-To": f"<{delivery.message_id}>", "References": f"<{delivery.message_id}>"},
        **kwargs,
    )


def deliver(raw: bytes, capture: Any, *, mailbox: Mailbox | None = None, channel: str = Channel.HTTP) -> InboundEmail:
    """Receive a mail and run what its commit queues (processing, and the emails it records)."""
    with capture(execute=True):
        inbound = services.inbound_receive(raw=raw, channel=channel, mailbox=mailbox)
    inbound.refresh_from_db()
    return inbound


def unique_id() -> str:
    return f"<{uuid.uuid4().hex}@mail.example.org>"
