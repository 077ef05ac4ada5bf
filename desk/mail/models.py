"""The email channel: the mailboxes we poll and every mail that reached us, kept raw."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from desk.core import secrets
from desk.support.models import Category


class Security(models.TextChoices):
    TLS = "tls", "TLS (port 993)"
    STARTTLS = "starttls", "STARTTLS (port 143)"
    NONE = "none", "None (loopback or a trusted network only)"


class Mailbox(models.Model):
    """An IMAP mailbox polled for mail; its new tickets get its category."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True)
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=16, choices=Security.choices, default=Security.TLS)
    username = models.CharField(max_length=255)
    # Encrypted with a key derived from the secret key (`desk.core.secrets`); read `password`.
    password_encrypted = models.TextField(blank=True, default="", editable=False)
    folder = models.CharField(max_length=255, default="INBOX")
    # Where fetched mail goes on the server: marked seen in `folder`, or moved to this folder.
    move_to = models.CharField(max_length=255, blank=True, default="")
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.GENERAL)
    active = models.BooleanField(default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "mailboxes"
        constraints = [
            models.CheckConstraint(condition=models.Q(security__in=Security.values), name="mailbox_security_valid"),
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="mailbox_category_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.username}@{self.host})"

    @property
    def password(self) -> str:
        return secrets.decrypt(self.password_encrypted)

    @password.setter
    def password(self, value: str) -> None:
        self.password_encrypted = secrets.encrypt(value) if value else ""


class Channel(models.TextChoices):
    IMAP = "imap", "IMAP polling"
    HTTP = "http", "Raw MIME over HTTP"
    WEBHOOK = "webhook", "Provider webhook"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored"
    FAILED = "failed", "Failed"


def raw_upload_to(instance: InboundEmail, filename: str) -> str:
    now = timezone.now()
    return f"inbound/{now:%Y/%m}/{uuid.uuid4().hex}.eml"


class InboundEmail(models.Model):
    """One mail as it reached us, written (raw bytes in storage) before anything reads it: the
    record is what processing works from, retries from, and what staff and admins inspect."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The mail's Message-ID (without angle brackets); one made from its bytes when it has none.
    message_id_header = models.CharField(max_length=998, unique=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    mailbox = models.ForeignKey(Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_address = models.CharField(max_length=254, blank=True, default="")
    from_name = models.CharField(max_length=255, blank=True, default="")
    subject = models.CharField(max_length=998, blank=True, default="")
    raw = models.FileField(upload_to=raw_upload_to, max_length=255)
    size = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, choices=InboundStatus.choices, default=InboundStatus.RECEIVED)
    reason = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    # What it became: the ticket it opened or landed on, the message it made (none when ignored).
    ticket = models.ForeignKey(
        "support.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    message = models.ForeignKey("support.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    opened_ticket = models.BooleanField(default=False)
    # The whole text of the mail, quoted history and signature included (the message has the cut).
    full_text = models.TextField(blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["ticket", "received_at"], name="inbound_ticket_idx"),
            models.Index(fields=["status", "-received_at"], name="inbound_status_idx"),
            models.Index(
                fields=["from_address", "received_at"],
                condition=models.Q(opened_ticket=True),
                name="inbound_sender_opened_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="inbound_channel_valid"),
            models.CheckConstraint(condition=models.Q(status__in=InboundStatus.values), name="inbound_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} from {self.from_address or '?'} ({self.status})"
