"""Against real Redis: a real `celery worker` process sends the email for a staff reply."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from conftest import need_redis
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.notifications.models import DeliveryStatus, EmailDelivery
from desk.support import services

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_email_for_a_staff_reply(smtp_server, settings):
    redis_url = need_redis()
    from config.celery import app

    queue = f"desk-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "DATA_DIR": str(Path(django_settings.DATA_DIR).resolve()),
        "MEDIA_ROOT": str(Path(settings.MEDIA_ROOT).resolve()),  # the stored mails, as in production
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        customer, agent = CustomerFactory(), AgentFactory()
        ticket = services.ticket_create(actor=customer, title="Worker test", message_text="Hi", category="general")
        services.message_post(ticket=ticket, sender=agent, message_text="Sent by the worker")
        delivery = EmailDelivery.objects.get(recipient=customer, kind="staff_reply")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status == DeliveryStatus.SENT:
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        assert delivery.status == DeliveryStatus.SENT
        subjects = [m["Subject"] for m in smtp_server.messages]
        assert f"[#{ticket.number}] Re: Worker test" in subjects

        # The customer answers by email: the worker drains it onto the ticket.
        from desk.mail import services as mail_services
        from desk.mail.models import Channel
        from desk.mail.tests.builders import mail
        from desk.notifications.threading import reply_address

        raw = mail(sender=customer.email, to=reply_address(ticket.number), body="Answered by mail")
        inbound = mail_services.inbound_receive(raw=raw, channel=Channel.HTTP)
        while time.monotonic() < deadline + 60:
            inbound.refresh_from_db()
            if inbound.status != "received":
                break
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        assert (inbound.status, inbound.ticket_id) == ("processed", ticket.pk), inbound.reason
        assert ticket.messages.filter(message_text="Answered by mail", via="email").exists()
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
