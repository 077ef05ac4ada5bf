"""Embedded mode's stand-in for `celery beat`: a daemon thread in the server process that sends
due emails every minute and clears abandoned uploads hourly. Started by config.asgi when
EMBEDDED_SCHEDULER is on (`make run`)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

logger = logging.getLogger(__name__)

_started = threading.Event()


def _loop(interval: float, stop: threading.Event) -> None:
    from desk.notifications.services import emails_retry_due
    from desk.support.services import attachments_purge_unsent

    rounds = 0
    while not stop.wait(interval):
        rounds += 1
        try:
            emails_retry_due(inline=True)
            if rounds % 60 == 0:  # hourly
                attachments_purge_unsent()
        except Exception:
            logger.exception("Embedded scheduler: the email retry round failed.")
        finally:
            close_old_connections()


def start_embedded_scheduler(interval: float = 60.0) -> threading.Event | None:
    """Start the loop once per process; returns the event that stops it."""
    if _started.is_set():
        return None
    _started.set()
    stop = threading.Event()
    threading.Thread(target=_loop, args=(interval, stop), name="desk-embedded-scheduler", daemon=True).start()
    logger.info("Embedded scheduler started: due emails are retried every %s s.", int(interval))
    return stop
