"""Celery application. With REDIS_URL, Redis is the broker and `celery -A config worker` does the
work; without it, tasks run in-process (eagerly) once the transaction that queued them commits."""

from __future__ import annotations

import os
import sys

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "worker" in sys.argv[1:]:
    # A worker process runs one task at a time: a persistent database connection serves it, where
    # the server's per-process pool (made for ASGI's thread per request) costs a checkout and a
    # reset per task, and its threads do not survive the fork of the worker's processes. Measured:
    # 88 short tasks/s with a persistent connection against 24/s through the pool (bench/README.md).
    os.environ.setdefault("DB_POOL_MAX_SIZE", "0")

app = Celery("desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
