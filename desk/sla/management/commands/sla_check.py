"""`manage.py sla_check`: run the SLA alert job once (what beat runs every minute), or with
`--reevaluate` first choose the policy again for every open ticket."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from desk.sla import services


class Command(BaseCommand):
    help = "Send the SLA warnings and breach alerts that are due (once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reevaluate", action="store_true", help="First re-evaluate every open ticket.")
        parser.add_argument("--limit", type=int, default=services.ALERT_BATCH, help="At most this many tickets.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reevaluate"]:
            count = services.tickets_reevaluate()
            self.stdout.write(f"Re-evaluated {count} open tickets.")
        sent = services.sla_check(limit=options["limit"])
        self.stdout.write(f"Sent {sent} SLA alerts.")
