"""Embedded mode's stand-in for `celery beat`: a daemon thread in the server process that runs
the periodic tasks of `CELERY_BEAT_SCHEDULE` (due emails every minute, abandoned uploads hourly)
in-process, by name, so it knows no domain. Started by config.asgi when EMBEDDED_SCHEDULER is on
(`make run`)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import close_old_connections

from desk.core.queue import task_named

logger = logging.getLogger(__name__)

_started = threading.Event()


def _interval(entry: Mapping[str, Any]) -> float:
    schedule = entry["schedule"]
    return float(schedule.total_seconds() if hasattr(schedule, "total_seconds") else schedule)


def _run_task(name: str) -> None:
    task_named(name).apply()


def run_due(
    schedule: Mapping[str, Mapping[str, Any]],
    last_run: dict[str, float],
    *,
    now: float,
    run: Callable[[str], None] = _run_task,
) -> list[str]:
    """Run each entry of `schedule` whose interval has passed since it last ran (or since the
    start, the first time: `last_run` holds the start for entries not run yet). A failing task is
    logged and tried again at its next interval. Returns the names of the entries that ran."""
    ran = []
    for key, entry in schedule.items():
        if now - last_run[key] < _interval(entry):
            continue
        last_run[key] = now
        try:
            run(entry["task"])
        except Exception:
            logger.exception("Embedded scheduler: %s failed.", key)
        ran.append(key)
    return ran


def _loop(schedule: Mapping[str, Mapping[str, Any]], tick: float, stop: threading.Event) -> None:
    started = time.monotonic()
    last_run = dict.fromkeys(schedule, started)
    while not stop.wait(tick):
        try:
            run_due(schedule, last_run, now=time.monotonic())
        finally:
            close_old_connections()  # this thread's own connections


def start_embedded_scheduler(schedule: Mapping[str, Mapping[str, Any]] | None = None) -> threading.Event | None:
    """Start the loop once per process; returns the event that stops it."""
    if _started.is_set():
        return None
    _started.set()
    schedule = dict(settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule)
    tick = min((_interval(entry) for entry in schedule.values()), default=60.0)
    stop = threading.Event()
    threading.Thread(target=_loop, args=(schedule, tick, stop), name="desk-embedded-scheduler", daemon=True).start()
    logger.info(
        "Embedded scheduler started: %s.",
        ", ".join(f"{key} every {int(_interval(e))} s" for key, e in schedule.items()),
    )
    return stop
