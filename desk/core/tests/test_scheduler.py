"""The embedded scheduler: it runs the periodic tasks of the beat schedule, by name, when due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from desk.core.scheduler import run_due
from desk.notifications.models import DeliveryStatus, EmailDelivery


def test_an_entry_runs_once_its_interval_has_passed_and_then_waits_again() -> None:
    schedule = {"often": {"task": "a", "schedule": 60.0}, "rarely": {"task": "b", "schedule": timedelta(hours=1)}}
    last_run = dict.fromkeys(schedule, 0.0)
    ran: list[str] = []
    assert run_due(schedule, last_run, now=59.0, run=ran.append) == []
    assert run_due(schedule, last_run, now=60.0, run=ran.append) == ["often"]
    assert run_due(schedule, last_run, now=100.0, run=ran.append) == []
    assert run_due(schedule, last_run, now=3600.0, run=ran.append) == ["often", "rarely"]
    assert ran == ["a", "a", "b"]


def test_a_failing_task_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    schedule = {"broken": {"task": "x", "schedule": 1.0}, "fine": {"task": "y", "schedule": 1.0}}
    ran: list[str] = []

    def run(name: str) -> None:
        if name == "x":
            raise RuntimeError("boom")
        ran.append(name)

    assert run_due(schedule, dict.fromkeys(schedule, 0.0), now=5.0, run=run) == ["broken", "fine"]
    assert ran == ["y"]
    assert "broken failed" in caplog.text


@pytest.mark.django_db
def test_the_beat_schedule_sends_emails_that_are_due(smtp_server, customer) -> None:
    """The real schedule's task names resolve: a failed email due again is sent by the round."""
    delivery = EmailDelivery.objects.create(
        recipient=customer,
        to_address=customer.email,
        kind="staff_reply",
        subject="Waiting",
        body_text="text",
        body_html="<p>html</p>",
        status=DeliveryStatus.FAILED,
        attempts=1,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    schedule = settings.CELERY_BEAT_SCHEDULE
    ran = run_due(schedule, dict.fromkeys(schedule, 0.0), now=60.0)
    assert "retry-due-emails" in ran
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert [m["Subject"] for m in smtp_server.messages] == ["Waiting"]
