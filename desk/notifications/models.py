"""In-app notifications, email delivery records and per-user email preferences."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    TICKET_CREATED = "ticket_created", "New ticket"
    STAFF_REPLY = "staff_reply", "Reply from support"
    CUSTOMER_REPLY = "customer_reply", "Reply from the customer"
    INTERNAL_NOTE = "internal_note", "Internal note by a colleague"
    TICKET_ASSIGNED = "ticket_assigned", "Ticket assigned to you"
    TICKET_ESCALATED = "ticket_escalated", "Ticket escalated"
    TICKET_RESOLVED = "ticket_resolved", "Ticket resolved"
    PASSWORD_RESET = "password_reset", "Password reset link"
    MAIL_REFUSED = "mail_refused", "Mail that matched no ticket"
    SLA_WARNING = "sla_warning", "SLA target at risk"
    SLA_BREACHED = "sla_breached", "SLA target breached"


class Notification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    ticket = models.ForeignKey("support.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.ForeignKey("support.Message", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.CharField(max_length=500)
    # How many notices this one stands for: repeated ones about the same ticket ("3 new replies
    # on …") are grouped into the recipient's unread notification.
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="notification_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"


class EmailDelivery(models.Model):
    """One email to one address, written in the same transaction as the change it reports.

    The record is the email's source of truth: sending is retried from it until it succeeds or
    runs out of attempts, and it stays visible (status, attempts, last error) either way."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # An email goes with its recipient's account and with its ticket: it holds their words.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_address = models.EmailField(max_length=254)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    ticket = models.ForeignKey("support.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set by the attempt that currently owns the record (see services.email_deliver_many).
    claim = models.UUIDField(null=True, blank=True, editable=False)
    # Threading, fixed when the email is recorded so that every attempt sends the same mail: its
    # own Message-ID, the signed reply address of its ticket, and the customer's mail it answers.
    message_id = models.CharField(max_length=255, blank=True, default="")
    reply_to = models.CharField(max_length=254, blank=True, default="")
    in_reply_to = models.CharField(max_length=998, blank=True, default="")
    references = models.TextField(blank=True, default="")
    from_name = models.CharField(max_length=255, blank=True, default="")
    # Written by the desk on its own (`Auto-Submitted: auto-generated`), not a person's reply.
    automatic = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "email deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=~models.Q(status="sent"),
                name="delivery_due_idx",
            ),
            models.Index(fields=["claim"], condition=models.Q(claim__isnull=False), name="delivery_claim_idx"),
            models.Index(fields=["message_id"], condition=~models.Q(message_id=""), name="delivery_message_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="delivery_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address} ({self.status})"


class EmailPreference(models.Model):
    """A user's choice for one kind of email. No row means the default: on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="email_preference_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}={'on' if self.enabled else 'off'}"


class SuppressedAddress(models.Model):
    """An address that hard-bounced: it gets no more mail until an admin clears it (deletes
    the row)."""

    address = models.CharField(max_length=254, unique=True)  # lower case
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "hard-bounced address"
        verbose_name_plural = "hard-bounced addresses"

    def __str__(self) -> str:
        return self.address
