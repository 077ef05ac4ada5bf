"""A person's own data, as a zip archive: what each domain shows them of it, in the shapes of
the domains' presenters.

profile.json, tickets.json (a customer's tickets with the conversation as they see it; for staff,
the messages they wrote, by ticket), notifications.json, attachments.json, and the files under
attachments/."""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO, Any

from desk.accounts.models import User
from desk.accounts.presenters import user_export
from desk.core.audit import audit_record
from desk.notifications import selectors as notification_selectors
from desk.notifications.presenters import notification_export
from desk.support import presenters as ticket_presenters
from desk.support import selectors as ticket_selectors
from desk.support.models import Attachment, Message, Ticket


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _tickets(user: User) -> tuple[list[dict[str, Any]], Any]:
    """The tickets part of the export, and the files that go with it."""
    if user.is_staff:
        by_ticket: dict[Any, tuple[Ticket, list[Message]]] = {}
        for message in ticket_selectors.messages_written_by(user=user):
            by_ticket.setdefault(message.ticket_id, (message.ticket, []))[1].append(message)
        tickets = [
            ticket_presenters.ticket_export(ticket, messages, owner=user) for ticket, messages in by_ticket.values()
        ]
        return tickets, ticket_selectors.attachments_visible_to(user).filter(uploaded_by=user)
    visible = ticket_selectors.messages_visible_to(user)
    tickets = [
        ticket_presenters.ticket_export(
            ticket, list(visible.filter(ticket=ticket).order_by("created_at", "id")), owner=user
        )
        for ticket in ticket_selectors.tickets_of(customer=user)
    ]
    return tickets, ticket_selectors.attachments_visible_to(user)


def _copy_file(archive: zipfile.ZipFile, attachment: Attachment) -> str:
    name = f"attachments/{attachment.ticket_id}/{attachment.pk}-{attachment.filename}"
    try:
        with attachment.file.open("rb") as source, archive.open(name, "w") as target:
            for chunk in iter(lambda src=source: src.read(1024 * 1024), b""):
                target.write(chunk)
    except OSError:
        return ""
    return name


def account_export(*, user: User) -> IO[bytes]:
    """Everything the user may see of their own data, as a zip in a temporary file (rewound)."""
    archive_file = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", _dump(user_export(user)))
        tickets, attachments = _tickets(user)
        archive.writestr("tickets.json", _dump(tickets))
        notifications = notification_selectors.notifications_of(user=user)
        archive.writestr("notifications.json", _dump([notification_export(n) for n in notifications]))
        files = [
            ticket_presenters.attachment_export(attachment, path=_copy_file(archive, attachment))
            for attachment in attachments.order_by("created_at", "id")
        ]
        archive.writestr("attachments.json", _dump(files))
    audit_record(actor=user, action="account.exported", target=user)
    archive_file.seek(0)
    return archive_file
