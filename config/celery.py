"""Celery application. With REDIS_URL, Redis is the broker and `celery -A config worker` does the
work; without it, tasks run in-process (eagerly) once the transaction that queued them commits."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
