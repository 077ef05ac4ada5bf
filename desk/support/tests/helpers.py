"""Helpers shared by the support API tests: URLs, SPEC's error body, uploads and database snapshots."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from desk.support.models import Attachment, Message, Ticket, TicketEvent
from desk.support.tests import files

TICKETS = "/api/support/tickets/"


def ticket_url(ticket: Ticket | Any, action: str = "") -> str:
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    return f"{TICKETS}{pk}/{action + '/' if action else ''}"


def first_message(ticket: Ticket) -> Message:
    """The message a ticket was opened with."""
    return Message.objects.filter(ticket=ticket).order_by("created_at", "id").first()


def download_url(attachment: Attachment | Any) -> str:
    pk = attachment.pk if isinstance(attachment, Attachment) else attachment
    return f"/api/support/attachments/{pk}/download/"


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is SPEC's error body with this status and code."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error", "message", "details"}, body
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["details"], dict), body
    for messages in body["details"].values():
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages), body
    return body


def upload(
    client: APIClient,
    ticket: Ticket | Any,
    data: bytes | None = None,
    name: str = "photo.png",
    content_type: str = "image/png",
    **fields: Any,
) -> Any:
    """Upload one file through the API (multipart, as a browser sends it)."""
    payload = {"file": SimpleUploadedFile(name, files.png_bytes() if data is None else data, content_type), **fields}
    return client.post(ticket_url(ticket, "attachments"), payload, format="multipart")


def upload_raw(client: APIClient, ticket: Ticket | Any, *parts: files.Part) -> Any:
    body, content_type = files.multipart(*parts)
    return client.post(ticket_url(ticket, "attachments"), data=body, content_type=content_type)


def snapshot() -> tuple[Any, ...]:
    """Everything the support API can write, to prove that a refused request changed nothing."""
    return (
        list(Ticket.objects.order_by("pk").values()),
        list(Message.objects.order_by("pk").values()),
        list(Attachment.objects.order_by("pk").values()),
        TicketEvent.objects.count(),
    )


def stored_files(media_root: Any) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())
