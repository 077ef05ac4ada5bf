"""Customers never see service-level data: not in a response, a live event, an email, a
notification or their export; and they cannot sort or filter by it (which would reveal it)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from desk.sla import services as sla_services
from desk.support import services
from tests.access.world import World, assert_error

pytestmark = pytest.mark.django_db

# Words that only service-level data contains.
SLA_WORDS = ("sla", "breach", "due_at", "Standard", "first_response", "resolution_due")


def _clean(text: str) -> None:
    lowered = text.lower()
    for word in SLA_WORDS:
        assert word.lower() not in lowered, word


def test_staff_see_the_sla_block_and_customers_see_none_of_it(world: World) -> None:
    staff = world.client("agent")
    assert staff.get(f"/api/support/tickets/{world.ticket.pk}/").json()["sla"]["policy"]["name"] == "Standard"
    assert staff.get("/api/support/tickets/").json()["results"][0]["sla"] is not None
    owner = world.client("owner")
    detail = owner.get(f"/api/support/tickets/{world.ticket.pk}/")
    listing = owner.get("/api/support/tickets/")
    assert "sla" not in detail.json() and all("sla" not in row for row in listing.json()["results"])
    for response in (detail, listing, owner.get("/api/notifications/"), owner.get("/api/auth/me/")):
        _clean(response.content.decode())


@pytest.mark.parametrize("query", [{"ordering": "sla"}, {"sla": "breached"}, {"sla": "none"}])
def test_customers_cannot_sort_or_filter_by_service_level(world: World, query: dict[str, str]) -> None:
    body = assert_error(world.client("owner").get("/api/support/tickets/", query), 400, "validation_error")
    assert set(body["details"]) == set(query)
    assert world.client("agent").get("/api/support/tickets/", query).status_code == 200


def test_a_customers_export_and_emails_hold_no_service_level_data(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = world.client("owner").get("/api/auth/me/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    _clean(b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8", "replace"))
    # A breach alert goes to staff only; the customer's own emails say nothing of it.
    with django_capture_on_commit_callbacks(execute=True):  # the emails go once the change commits
        sla_services.sla_check(now=timezone.now() + timedelta(days=30))
        services.message_post(ticket=world.ticket, sender=world.agent, message_text="An answer for Anna")
    assert any(world.owner.email in message.to for message in mail.outbox)  # the customer's reply email
    for message in mail.outbox:
        if world.owner.email in message.to:
            _clean(f"{message.subject}\n{message.body}\n{json.dumps(message.alternatives, default=str)}")
    staff_subjects = [m.subject for m in mail.outbox if world.owner.email not in m.to]
    assert any("SLA breached" in subject for subject in staff_subjects)  # the control


def test_the_history_with_its_sla_entries_is_staff_only(world: World) -> None:
    url = f"/api/support/tickets/{world.ticket.pk}/history/"
    assert world.client("owner").get(url).status_code == 403
    kinds = {entry["kind"] for entry in world.client("agent").get(url).json()}
    assert "sla_policy" in kinds
