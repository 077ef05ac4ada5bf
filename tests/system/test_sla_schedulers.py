"""Two schedulers at once (two server processes with the embedded scheduler, or beat plus a
stray worker) never send an SLA alert twice: each ticket's alerts are claimed under its row lock
and a version check. Two real processes run the job over the same due tickets at the same time."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory
from desk.notifications.models import Kind, Notification
from desk.sla import services as sla_services
from desk.support import services
from desk.support.models import EventKind, TicketEvent
from tests.system.conftest import ROOT, server_env

pytestmark = pytest.mark.django_db(transaction=True)

TICKETS = 150


def test_two_schedulers_at_once_send_each_alert_once() -> None:
    if connection.vendor != "postgresql":  # the PostgreSQL configuration runs it (row locks, skip locked)
        pytest.skip("PostgreSQL-only: runs in the PostgreSQL configuration (DATABASE_URL is not PostgreSQL)")
    admin, agent, customer = AdminFactory(), AgentFactory(), CustomerFactory()
    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
        sla_services.policy_create(actor=admin, values={"name": "Fast", "targets": {"first_response": 5}})
        tickets = [
            services.ticket_create(actor=customer, title=f"Wait {n}", message_text="Hello?", category="general")
            for n in range(TICKETS)
        ]
    command = [sys.executable, "manage.py", "sla_check", "--limit", str(TICKETS)]
    runs = [
        subprocess.Popen(
            command, cwd=ROOT, env=server_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=180)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    sent = [int(output.rsplit("Sent ", 1)[1].split()[0]) for output in outputs]
    leftover = sla_services.sla_check()  # whatever a busy scheduler left for its next run

    print(f"\nschedulers sent {sent}, the run after them {leftover}")
    assert sum(sent) + leftover == TICKETS, (sent, leftover)  # one breach alert per ticket, no more
    for ticket in tickets:
        assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_MISSED).count() == 1
    recipients = {agent.pk, admin.pk}  # unassigned: all staff; and the admins
    per_recipient = Notification.objects.filter(kind=Kind.SLA_BREACHED).values_list("recipient", "ticket")
    assert len(per_recipient) == len(set(per_recipient)) == TICKETS * len(recipients)
    assert sla_services.sla_check() == 0
