"""The OpenAPI shapes of the `sla` block (desk.sla.presenters.sla_data), shared by the ticket
responses that carry it for staff and by the live event."""

from __future__ import annotations

from rest_framework import serializers

from desk.sla.models import Target

TARGET_STATES = ("running", "paused", "idle", "met", "breached")
TARGET_STATE_CHOICES = [(state, state) for state in TARGET_STATES]


class SlaPolicyRefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SlaTargetOutput(serializers.Serializer):
    name = serializers.ChoiceField(choices=Target.choices)
    minutes = serializers.IntegerField(help_text="The target, in business minutes.")
    state = serializers.ChoiceField(choices=TARGET_STATE_CHOICES)
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="Null once met, and while paused (unless already breached)."
    )
    at_risk_at = serializers.DateTimeField(allow_null=True, help_text="From when less than 25% of the time is left.")
    met_at = serializers.DateTimeField(allow_null=True)
    remaining_minutes = serializers.FloatField(
        allow_null=True, help_text="Business minutes left when the ticket was last evaluated."
    )


class SlaOutput(serializers.Serializer):
    """A ticket's service level (staff only; see docs/sla.md)."""

    policy = SlaPolicyRefOutput()
    first_response_due_at = serializers.DateTimeField(allow_null=True)
    next_response_due_at = serializers.DateTimeField(allow_null=True)
    resolution_due_at = serializers.DateTimeField(allow_null=True)
    next_breach_at = serializers.DateTimeField(
        allow_null=True, help_text="The earliest due time of a target not met yet; null while paused."
    )
    at_risk_at = serializers.DateTimeField(allow_null=True)
    breached = serializers.ListField(child=serializers.ChoiceField(choices=Target.choices))
    paused = serializers.BooleanField(help_text="Pending, resolved or closed: the clocks are stopped.")
    targets = SlaTargetOutput(many=True)
