"""`manage.py retry_emails`: send every email that is still waiting, now, in this process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from desk.notifications.models import DeliveryStatus, EmailDelivery
from desk.notifications.services import emails_retry_due


class Command(BaseCommand):
    help = "Send the emails whose delivery is pending or failed (respecting backoff unless --now)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Ignore the backoff: try every unsent email now.")
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        tried = emails_retry_due(inline=True, limit=options["limit"], ignore_backoff=options["now"])
        waiting = EmailDelivery.objects.exclude(status=DeliveryStatus.SENT).count()
        self.stdout.write(f"Tried {tried} email(s); {waiting} not sent yet.")
