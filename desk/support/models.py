"""Tickets, their conversation (messages and attachments) and their history (events)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

TITLE_MAX_LENGTH = 255
MESSAGE_MAX_LENGTH = 5000
TAG_MAX_LENGTH = 50
MAX_TAGS = 20


class Category(models.TextChoices):
    BILLING = "billing", "Billing"
    TECHNICAL = "technical", "Technical"
    ACCOUNT = "account", "Account"
    SERVICE = "service", "Service"
    GENERAL = "general", "General"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


# Severity order: the API sorts priority by this rank, never alphabetically.
PRIORITY_RANK: dict[str, int] = {Priority.LOW: 0, Priority.MEDIUM: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class Source(models.TextChoices):
    WEB = "web", "Web"
    MOBILE = "mobile", "Mobile"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"


def _enum_check(field: str, choices: type[models.TextChoices], table: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=f"{table}_{field}_valid")


class Ticket(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tickets")
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.GENERAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    assigned_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    escalated = models.BooleanField(default=False)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    tags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], name="ticket_status_idx"),
            models.Index(fields=["priority"], name="ticket_priority_idx"),
            models.Index(fields=["category"], name="ticket_category_idx"),
            models.Index(fields=["updated_at"], name="ticket_updated_idx"),
            models.Index(fields=["created_at"], name="ticket_created_idx"),
        ]
        constraints = [
            _enum_check("status", Status, "ticket"),
            _enum_check("priority", Priority, "ticket"),
            _enum_check("category", Category, "ticket"),
            _enum_check("source", Source, "ticket"),
            models.CheckConstraint(condition=GreaterThan(Length("title"), 0), name="ticket_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(status=Status.CLOSED, closed_at__isnull=False)
                | (~models.Q(status=Status.CLOSED) & models.Q(closed_at__isnull=True)),
                name="ticket_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by (ticket, created_at) below, which also serves lookups by ticket alone.
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    message_text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    is_from_customer = models.BooleanField(default=False)
    is_internal = models.BooleanField(default=False)
    read_by_customer = models.BooleanField(default=False)
    read_by_staff = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length("message_text"), 0)
                & LessThanOrEqual(Length("message_text"), MESSAGE_MAX_LENGTH),
                name="message_text_length",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_internal=True, is_from_customer=True),
                name="message_internal_is_staff_only",
            ),
        ]

    def __str__(self) -> str:
        return self.message_text[:60]


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """Files are stored under a generated name; the original name lives only in the database."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_upload_to, max_length=255)
    filename = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=127)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="attachment_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=GreaterThan(Length("filename"), 0), name="attachment_filename_not_empty"),
        ]

    def __str__(self) -> str:
        return self.filename


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    STATUS = "status_changed", "Status changed"
    PRIORITY = "priority_changed", "Priority changed"
    CATEGORY = "category_changed", "Category changed"
    TITLE = "title_changed", "Title changed"
    ASSIGNMENT = "assigned", "Assignment changed"
    ESCALATION = "escalated", "Escalated"
    TAGS = "tags_changed", "Tags changed"


class TicketEvent(models.Model):
    """One entry of a ticket's history: who changed what, from what, to what, and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_created_idx")]
        constraints = [_enum_check("kind", EventKind, "ticketevent")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.ticket_id}"
