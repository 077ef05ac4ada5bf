"""Task-queue interface for notifications: load by id, call a service, retry."""

from __future__ import annotations

from celery import shared_task

from desk.notifications import services


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_emails(self, delivery_ids: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Send a batch of recorded emails; failed ones are retried with backoff."""
    result = services.email_deliver_many(delivery_ids=delivery_ids)
    # In embedded (eager) mode a retry would run at once inside the request; the periodic sweep
    # (or `manage.py retry_emails`) takes over there instead.
    if result.failed_ids and result.retry_in is not None and not self.request.is_eager:
        raise self.retry(args=[[str(pk) for pk in result.failed_ids]], countdown=result.retry_in + 1)
    return result.sent


@shared_task(ignore_result=True)
def retry_due_emails() -> int:
    """Periodic: re-queue every email whose next attempt is due."""
    return services.emails_retry_due()
