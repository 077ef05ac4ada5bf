"""Service levels: business calendars, SLA policies, each ticket's clocks and the targets met or
missed (what the dashboard counts)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

NAME_MAX_LENGTH = 100


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    NEXT_RESPONSE = "next_response", "Next response"
    RESOLUTION = "resolution", "Resolution"


class BusinessCalendar(models.Model):
    """When business time passes: weekly intervals in a time zone, minus holidays (`hours`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=NAME_MAX_LENGTH, unique=True)
    time_zone = models.CharField(max_length=64)
    # {"mon": [["09:00", "17:00"]], … "sun": []}, as `hours.canonical_hours` writes it.
    hours = models.JSONField(default=dict)
    holidays = models.JSONField(default=list)  # sorted ISO dates
    # The built-in 24/7 calendar: always there, never changed or deleted.
    builtin = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-builtin", "name"]
        constraints = [
            models.UniqueConstraint(fields=["builtin"], condition=models.Q(builtin=True), name="calendar_one_builtin"),
        ]

    def __str__(self) -> str:
        return self.name


class SlaPolicy(models.Model):
    """Targets for the tickets that match its conditions; the first match by `position` applies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    position = models.PositiveIntegerField()
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="policies")
    # {"priority": [...], "category": [...], "customer_role": [...], "source": [...]}, each optional.
    conditions = models.JSONField(default=dict, blank=True)
    # Business minutes; null: the policy has no such target.
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    escalate_on_breach = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "created_at"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_response_minutes__isnull=False)
                | models.Q(next_response_minutes__isnull=False)
                | models.Q(resolution_minutes__isnull=False),
                name="sla_policy_has_a_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def minutes(self, target: str) -> int | None:
        return getattr(self, f"{target}_minutes")


class TicketSla(models.Model):
    """A ticket's clocks under its policy (one row per ticket that has one).

    `clocks` holds, per target, what the timeline says (`clocks.replay`) and what the alert job
    did (warned, alerted, the breach recorded). `next_alert_at` is when the job next has
    something to do for the ticket; `version` lets a writer claim the row (the job, and a
    request, never both act on one state)."""

    ticket = models.OneToOneField(
        "support.Ticket", primary_key=True, on_delete=models.CASCADE, related_name="sla_state"
    )
    policy = models.ForeignKey(SlaPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    clocks = models.JSONField(default=dict)
    paused = models.BooleanField(default=False)
    next_alert_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "ticket SLA"
        indexes = [
            models.Index(
                fields=["next_alert_at"], condition=models.Q(next_alert_at__isnull=False), name="ticketsla_alert_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"SLA of {self.ticket_id}"


class SlaOutcome(models.Model):
    """One target decided: met in time, or missed at its due time. The dashboard counts these."""

    id = models.BigAutoField(primary_key=True)
    ticket = models.ForeignKey("support.Ticket", on_delete=models.CASCADE, related_name="+", db_index=False)
    target = models.CharField(max_length=16, choices=Target.choices)
    # The clock's start: the ticket's creation, or (next response) the customer's waiting message.
    cycle = models.DateTimeField()
    met = models.BooleanField()
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField()
    priority = models.CharField(max_length=16)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["decided_at"], name="sla_outcome_decided_idx")]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "target", "cycle"], name="sla_outcome_unique"),
            models.CheckConstraint(condition=models.Q(target__in=Target.values), name="sla_outcome_target_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {'met' if self.met else 'missed'} on {self.ticket_id}"
