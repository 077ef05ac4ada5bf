"""Task-queue interface for notifications: load by id, call a service, retry."""

from __future__ import annotations

from celery import shared_task

from desk.notifications import services


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_email(self, delivery_id: str) -> bool:  # type: ignore[no-untyped-def]
    result = services.email_deliver(delivery_id=delivery_id)
    # In embedded (eager) mode a retry would run at once inside the request; the periodic sweep
    # (or `manage.py retry_emails`) takes over there instead.
    if result.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=result.retry_in + 1)
    return result.sent


@shared_task(ignore_result=True)
def retry_due_emails() -> int:
    """Periodic: re-queue every email whose next attempt is due."""
    return services.emails_retry_due()
