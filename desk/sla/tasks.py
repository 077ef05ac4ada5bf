"""Task-queue interface of the service levels: the periodic alert job and the re-evaluation of
open tickets after policies or calendars changed."""

from __future__ import annotations

from celery import shared_task

from desk.sla import services


@shared_task(ignore_result=True)
def check_sla() -> int:
    """Periodic (every minute): send the SLA warnings and breach alerts that are due."""
    return services.sla_check()


@shared_task(ignore_result=True, acks_late=True)
def reevaluate_tickets() -> int:
    """Choose the policy again for every open ticket (policies or calendars changed)."""
    return services.tickets_reevaluate()
