from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from desk.accounts.models import User
from desk.sla.models import BusinessCalendar, SlaPolicy
from desk.support.models import Attachment, EventKind, Message, Ticket, TicketEvent
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
    # Three demo customers, and the one whose ticket came by email (no password: a reset sets one).
    assert User.objects.filter(role__in=["customer", "provider"]).count() == 4
    assert Ticket.objects.count() == 13
    mailed = Ticket.objects.get(source="email")
    assert mailed.messages.get().via == "email" and not mailed.customer.has_usable_password()
    assert set(Ticket.objects.values_list("status", flat=True)) == {
        "open",
        "in_progress",
        "pending",
        "resolved",
        "closed",
    }
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


def test_make_run_prints_the_logins_without_a_line_per_demo_email(tmp_path):
    """As `make run` starts it (embedded mode, emails to files): the terminal shows the logins,
    not one log line per email the demo data sends."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        DATA_DIR=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=root, env=env, check=True, timeout=300)
    seeded = subprocess.run(
        [*manage, "seed_demo"], cwd=root, env=env, capture_output=True, text=True, check=True, timeout=300
    )
    lines = (seeded.stdout + seeded.stderr).strip().splitlines()
    assert any("carol@example.com" in line for line in lines)
    assert len(lines) <= 12, "\n".join(lines[:20])
    assert list((tmp_path / "outbox").iterdir()), "the demo emails were written all the same"


def test_make_run_on_another_port_links_emails_to_that_port():
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[3]
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8201"], cwd=root, capture_output=True, text=True, check=True, timeout=60
    ).stdout.replace("\\\n", " ")
    commands = [line for line in planned.splitlines() if "seed_demo" in line or "uvicorn" in line]
    assert commands and all("SITE_URL=http://127.0.0.1:8201" in line for line in commands), planned
    explicit = subprocess.run(
        ["make", "-n", "run", "PORT=8201", "SITE_URL=https://desk.example.com"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "SITE_URL=https://desk.example.com" in explicit


@pytest.mark.django_db
def test_the_demo_has_service_levels_on_its_tickets() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    assert list(SlaPolicy.objects.values_list("name", flat=True)) == ["Urgent", "Billing", "Standard"]
    office = BusinessCalendar.objects.get(name="Kathmandu office")
    assert office.time_zone == "Asia/Kathmandu" and office.holidays  # Nepal's public holidays
    assert not Ticket.objects.filter(sla_tracked=False).exists()  # "Standard" takes every ticket
    assert Ticket.objects.filter(sla_next_breach_at__isnull=False).exists()
    assert Ticket.objects.get(status="pending").sla_next_breach_at is None  # waiting: clocks stopped
    # The history reads as the demo's timeline, one policy entry per ticket at its creation.
    for ticket in Ticket.objects.all():
        [entry] = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_POLICY)
        assert abs(entry.created_at - ticket.created_at).total_seconds() < 1
