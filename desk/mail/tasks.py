"""Task-queue interface of the email channel: load by id, call a service, retry."""

from __future__ import annotations

from celery import shared_task

from desk.mail import services


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=services.TRANSIENT,
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=8,
)
def process_inbound_mail() -> int:
    """Process the stored mails that wait, a batch at a time; passing faults are retried with
    backoff."""
    return services.inbound_drain()


@shared_task(ignore_result=True)
def poll_mailboxes() -> int:
    """Periodic (every minute): fetch new mail from every active IMAP mailbox."""
    from desk.mail.imap import mailboxes_poll

    return sum(result.stored for _, result in mailboxes_poll())


@shared_task(ignore_result=True)
def retry_received() -> int:
    """Periodic: queue again the mails that are still waiting to be processed."""
    return services.inbound_retry_due()
