"""Task-queue interface for the support domain."""

from __future__ import annotations

from celery import shared_task

from desk.support import services


@shared_task(ignore_result=True)
def purge_unsent_attachments() -> int:
    """Periodic: delete uploads that were never sent with a message."""
    return services.attachments_purge_unsent()
