"""Task-queue interface for accounts."""

from __future__ import annotations

from celery import shared_task

from desk.accounts import services


@shared_task(ignore_result=True)
def purge_attempts() -> int:
    """Periodic: forget sign-in failures and reset requests too old to count for any limit."""
    return services.attempts_purge()
