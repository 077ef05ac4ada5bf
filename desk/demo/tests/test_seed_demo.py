from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from desk.accounts.models import User
from desk.support.models import Attachment, Message, Ticket, TicketEvent
from desk.workspace.models import CannedResponse

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("email", "role", "password")),
        "tickets": sorted(Ticket.objects.values_list("id", "status", "priority", "updated_at")),
        "messages": Message.objects.count(),
        "events": TicketEvent.objects.count(),
        "attachments": Attachment.objects.count(),
        "canned": sorted(CannedResponse.objects.values_list("title", "body")),
    }


def test_seed_demo_is_idempotent_and_varied():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo-pass-2026" in out.getvalue()
    first = snapshot()
    assert User.objects.filter(role="admin").count() == 1
    assert User.objects.filter(role="agent").count() == 2
    assert User.objects.filter(role__in=["customer", "provider"]).count() == 3
    assert Ticket.objects.count() == 12
    assert set(Ticket.objects.values_list("status", flat=True)) == {"open", "in_progress", "resolved", "closed"}
    assert Message.objects.filter(is_internal=True).exists()
    assert Ticket.objects.filter(escalated=True).exists()
    assert CannedResponse.objects.filter(shared=True).count() >= 3

    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == first


def test_demo_logins_work(client):
    call_command("seed_demo", stdout=io.StringIO())
    response = client.post(
        "/api/auth/token/",
        {"email": "carol@example.com", "password": "demo-pass-2026"},
        content_type="application/json",
    )
    assert response.status_code == 200
