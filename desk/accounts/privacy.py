"""A user's own data: download it all as an archive, or delete the account.

Deleting a customer's account deletes their tickets with everything on them (messages, staff
notes about them, files, history, notifications and emails about them)."""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from desk.accounts.models import User
from desk.core.audit import audit_record
from desk.core.errors import PermissionDenied, ValidationFailed


def _dump(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def account_export(*, user: User) -> IO[bytes]:
    """Everything the user may see of their own data, as a zip in a temporary file (rewound):
    profile.json, tickets.json (conversations as the user sees them), notifications.json, and
    the files under attachments/."""
    from desk.notifications.models import Notification
    from desk.support.models import Message
    from desk.support.selectors import attachments_visible_to, messages_visible_to

    archive_file = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "profile.json",
            _dump(
                {key: getattr(user, key) for key in ("id", "email", "first_name", "last_name", "role", "date_joined")}
            ),
        )
        if user.is_staff:
            messages = Message.objects.filter(sender=user).select_related("ticket").order_by("created_at")
            tickets: dict[Any, dict[str, Any]] = {}
            for message in messages:
                entry = tickets.setdefault(
                    message.ticket_id, {"id": message.ticket_id, "title": message.ticket.title, "messages": []}
                )
                entry["messages"].append(_message(message))
            attachments = attachments_visible_to(user).filter(uploaded_by=user)
        else:
            visible = messages_visible_to(user)
            tickets = {}
            for ticket in user.tickets.order_by("created_at"):
                tickets[ticket.pk] = {
                    "id": ticket.pk,
                    "title": ticket.title,
                    "status": ticket.status,
                    "priority": ticket.priority,
                    "category": ticket.category,
                    "created_at": ticket.created_at,
                    "closed_at": ticket.closed_at,
                    "messages": [
                        _message(m)
                        for m in visible.filter(ticket=ticket).select_related("sender").order_by("created_at")
                    ],
                }
            attachments = attachments_visible_to(user)
        archive.writestr("tickets.json", _dump(list(tickets.values())))
        archive.writestr(
            "notifications.json",
            _dump(
                list(
                    Notification.objects.filter(recipient=user).values(
                        "kind", "text", "ticket_id", "created_at", "read_at"
                    )
                )
            ),
        )
        files = []
        for attachment in attachments.order_by("created_at"):
            name = f"attachments/{attachment.ticket_id}/{attachment.pk}-{attachment.filename}"
            try:
                with attachment.file.open("rb") as source, archive.open(name, "w") as target:
                    for chunk in iter(lambda src=source: src.read(1024 * 1024), b""):
                        target.write(chunk)
            except OSError:
                name = ""
            files.append(
                {
                    "id": attachment.pk,
                    "ticket": attachment.ticket_id,
                    "filename": attachment.filename,
                    "content_type": attachment.content_type,
                    "file_size": attachment.file_size,
                    "path": name,
                }
            )
        archive.writestr("attachments.json", _dump(files))
    audit_record(actor=user, action="account.exported", target=user)
    archive_file.seek(0)
    return archive_file


def _message(message: Any) -> dict[str, Any]:
    return {
        "id": message.pk,
        "from": "you" if message.is_from_customer else "support",
        "text": message.message_text,
        "internal": message.is_internal,
        "created_at": message.created_at,
    }


def account_delete(*, user: User, password: str) -> None:
    """Delete a customer-side account and everything that is theirs. Staff accounts are removed
    by an admin, so that tickets are reassigned first."""
    if user.is_staff:
        raise PermissionDenied("Staff accounts are removed by an admin.")
    if not user.check_password(password or ""):
        raise ValidationFailed.field("password", "The password is not correct.")
    with transaction.atomic():
        audit_record(actor=None, action="account.deleted", details={"user_id": str(user.pk), "role": user.role})
        user.delete()
