"""Staff tools' own data: canned responses."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan
from django.utils import timezone

CANNED_TITLE_MAX = 120
CANNED_BODY_MAX = 5000


class CannedResponse(models.Model):
    """A reply staff can insert. Shared ones are visible to all staff; personal ones to their owner.

    The body may use placeholders, filled in when used: {{customer_first_name}}, {{customer_name}},
    {{ticket_title}}, {{agent_name}}, {{agent_first_name}}."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=CANNED_TITLE_MAX)
    body = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="canned_responses")
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["owner", "title"], name="canned_owner_title_idx")]
        constraints = [
            models.CheckConstraint(condition=GreaterThan(Length("title"), 0), name="canned_title_not_empty"),
            models.CheckConstraint(condition=GreaterThan(Length("body"), 0), name="canned_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title
