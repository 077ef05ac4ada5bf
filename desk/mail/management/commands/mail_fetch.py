"""`manage.py mail_fetch`: one poll, now, of every active mailbox (or of the one named)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from desk.mail.imap import PollResult, mailbox_poll, mailboxes_poll
from desk.mail.models import Mailbox


class Command(BaseCommand):
    help = (
        "Fetch the unseen mail of every active mailbox once (or of --mailbox NAME, active or not). "
        "Exits non-zero when a mailbox could not be polled or a mail could not be stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", metavar="NAME", help="Poll only this mailbox (by name).")
        parser.add_argument(
            "--limit", type=int, default=None, help="At most this many mails per mailbox (default: IMAP_BATCH)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["mailbox"]
        if name:
            mailbox = Mailbox.objects.filter(name=name).first()
            if mailbox is None:
                known = ", ".join(Mailbox.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No mailbox named {name!r} (mailboxes: {known}).")
            results = [(mailbox, mailbox_poll(mailbox, limit=options["limit"]))]
        else:
            results = mailboxes_poll(limit=options["limit"])
            if not results:
                self.stdout.write("No active mailbox to poll.")
                return
        for mailbox, result in results:
            self.stdout.write(self._line(mailbox, result))
        troubled = [mailbox.name for mailbox, result in results if not result.ok]
        if troubled:
            raise CommandError(f"{len(troubled)} of {len(results)} mailbox(es) had problems: {', '.join(troubled)}.")

    def _line(self, mailbox: Mailbox, result: PollResult) -> str:
        counts = f"fetched {result.fetched}, stored {result.stored}, failed {result.failed}"
        if result.error:
            return self.style.ERROR(f"{mailbox.name}: error: {result.error} ({counts})")
        if result.failed:
            return self.style.WARNING(f"{mailbox.name}: {counts}")
        return self.style.SUCCESS(f"{mailbox.name}: {counts}")
