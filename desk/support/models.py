"""Tickets, their conversation (messages and attachments) and their history (events)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
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
    # Waiting on the customer: set by staff, its service-level clocks stop, and the customer's
    # next reply moves it back to open (or in progress, when it has an agent).
    PENDING = "pending", "Pending"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


# Severity order: the API sorts priority by this rank, never alphabetically.
PRIORITY_RANK: dict[str, int] = {Priority.LOW: 0, Priority.MEDIUM: 1, Priority.HIGH: 2, Priority.URGENT: 3}
PRIORITY_RANK_EXPRESSION = models.Case(
    *[models.When(priority=str(name), then=models.Value(rank)) for name, rank in PRIORITY_RANK.items()],
    output_field=models.SmallIntegerField(),
)


class Source(models.TextChoices):
    WEB = "web", "Web"
    MOBILE = "mobile", "Mobile"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"


def _enum_check(field: str, choices: type[models.TextChoices], table: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=f"{table}_{field}_valid")


class TicketNumber(models.Model):
    """Hands out ticket numbers: one row per number ever taken, so that the database's own
    counter (a sequence, or SQLite's AUTOINCREMENT) makes them unique, increasing and never
    reused, whichever process opens the ticket."""

    id = models.BigAutoField(primary_key=True)

    def __str__(self) -> str:
        return f"#{self.id}"


class Ticket(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What people quote: `#1042` in the web app and in every email subject (`TicketNumber`).
    number = models.PositiveBigIntegerField(unique=True, editable=False)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    # Indexed by (customer, created_at, id) below, which also serves lookups by customer alone.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tickets", db_index=False
    )
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.GENERAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    assigned_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,  # indexed by (assigned_agent, created_at, id) below
    )
    escalated = models.BooleanField(default=False)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    tags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The last change the customer can see; `activity_at` is the last change of any kind (internal
    # notes and staff-only files included), what staff see as "updated".
    updated_at = models.DateTimeField(default=timezone.now)
    activity_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The closed ticket this one continues (a customer's mail about it after it was closed).
    follows = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups", db_index=False
    )
    # Service levels, kept by desk.sla so that the queue sorts and filters on its own columns: the
    # earliest due time of a target not yet met (null while paused or when nothing is due), the
    # moment that target has only a quarter of its time left, whether a target was missed, and
    # whether a policy applies at all. Staff only: no customer response carries them.
    sla_next_breach_at = models.DateTimeField(null=True, blank=True)
    sla_at_risk_at = models.DateTimeField(null=True, blank=True)
    sla_breached = models.BooleanField(default=False)
    sla_tracked = models.BooleanField(default=False)
    # Severity as a number (low 0 … urgent 3), kept by the database, so that sorting by priority
    # is an index scan rather than a sort of every ticket.
    priority_rank = models.GeneratedField(
        expression=PRIORITY_RANK_EXPRESSION, output_field=models.SmallIntegerField(), db_persist=True
    )

    class Meta:
        ordering = ["-created_at"]
        # The queue's orderings and filters, each ending in the (created_at, id) tie-break so that a
        # page is read from the index in order (see bench/README.md for the plans). The tag filter's
        # GIN index and the search indexes are PostgreSQL-only (migration 0003).
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="ticket_created_idx"),
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated_idx"),
            models.Index(fields=["-activity_at", "-id"], name="ticket_activity_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_status_idx"),
            models.Index(fields=["customer", "-created_at", "-id"], name="ticket_customer_idx"),
            models.Index(fields=["assigned_agent", "-created_at", "-id"], name="ticket_agent_idx"),
            models.Index(
                fields=["-created_at", "-id"], condition=models.Q(escalated=True), name="ticket_escalated_idx"
            ),
            models.Index(fields=["-priority_rank", "-created_at", "-id"], name="ticket_priority_desc_idx"),
            models.Index(fields=["priority_rank", "-created_at", "-id"], name="ticket_priority_asc_idx"),
            # `ordering=sla`: soonest breach first, tickets without one last (PostgreSQL's ascending
            # order puts nulls last, as the query asks).
            models.Index(fields=["sla_next_breach_at", "created_at", "id"], name="ticket_sla_idx"),
            # The SLA views of open work (`sla=breached|at_risk`): few tickets of the million, read
            # and counted from this index alone.
            models.Index(
                fields=["sla_next_breach_at", "created_at", "id", "status", "sla_breached", "sla_at_risk_at"],
                condition=models.Q(sla_tracked=True, status__in=["open", "in_progress", "pending"]),
                name="ticket_sla_open_idx",
            ),
            models.Index(fields=["priority"], name="ticket_priority_idx"),
            models.Index(fields=["category"], name="ticket_category_idx"),
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
        return f"#{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.number is None:  # a new ticket takes the next number, however it is written
            self.number = TicketNumber.objects.create().pk
        super().save(*args, **kwargs)


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
    # The staff member who typed the customer's words in (a phone call, a walk-in), when it was
    # not the sender.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How it reached us: the web app (and the API), or a mail. A mail keeps its sender's address
    # (a customer's; empty for staff) and its Message-ID, which threads later mail onto the ticket.
    via = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    email_from = models.EmailField(max_length=254, blank=True, default="")
    email_message_id = models.CharField(max_length=998, blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket_created_idx"),
            models.Index(
                fields=["email_message_id"], condition=~models.Q(email_message_id=""), name="message_email_id_idx"
            ),
        ]
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
            _enum_check("via", Source, "message"),
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
    SLA_POLICY = "sla_policy", "SLA policy changed"
    SLA_MET = "sla_met", "SLA target met"
    SLA_MISSED = "sla_missed", "SLA target missed"


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


class TicketSearch(models.Model):
    """A ticket's words, for full-text search on PostgreSQL (see `desk.support.search`).

    One row per ticket: its title and messages as a `tsvector`, and, when the ticket has internal
    notes, the same without them (`public_document`, null when it would equal `document`). The
    database keeps it (triggers of migration 0003, PostgreSQL only); nothing in Python writes it."""

    ticket = models.OneToOneField(
        Ticket, primary_key=True, on_delete=models.DO_NOTHING, related_name="search", db_constraint=False
    )
    created_at = models.DateTimeField()
    document = SearchVectorField()
    public_document = SearchVectorField(null=True)

    class Meta:
        managed = False
        db_table = "support_ticketsearch"

    def __str__(self) -> str:
        return f"search document of {self.ticket_id}"
