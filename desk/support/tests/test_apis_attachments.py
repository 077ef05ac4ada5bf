"""Uploads and downloads: real files of each allowed type, disguised files, the size limit (enforced
while the body streams), path tricks in names, and the download's headers and access."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from desk.accounts.models import User
from desk.core.uploads import LimitedTemporaryFileUploadHandler
from desk.support import services
from desk.support.models import Attachment, Ticket
from desk.support.tests import files
from desk.support.tests.helpers import (
    assert_error,
    download_url,
    first_message,
    snapshot,
    stored_files,
    ticket_url,
    upload,
    upload_raw,
)

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.[a-z]+$")

ALLOWED = [
    ("photo.png", files.png_bytes, "image/png"),
    ("photo.jpg", files.jpeg_bytes, "image/jpeg"),
    ("photo.JPEG", files.jpeg_bytes, "image/jpeg"),
    ("anim.gif", files.gif_bytes, "image/gif"),
    ("pic.webp", files.webp_bytes, "image/webp"),
    ("invoice.pdf", files.pdf_bytes, "application/pdf"),
    ("letter.docx", files.docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("sheet.xlsx", files.xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("letter.odt", files.odt_bytes, "application/vnd.oasis.opendocument.text"),
    ("notes.txt", lambda: files.TEXT, "text/plain"),
    ("README", lambda: files.TEXT, "text/plain"),
    ("charges.csv", lambda: files.CSV, "text/csv"),
    ("server.log", lambda: files.TEXT, "text/plain"),
]


@pytest.mark.parametrize(("name", "make", "content_type"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_allowed_types_upload_and_download_intact(
    customer_client: APIClient,
    customer: User,
    ticket: Ticket,
    _isolated_media: Path,
    name: str,
    make: Any,
    content_type: str,
) -> None:
    data = make()
    # The client's Content-Type is ignored: the bytes decide.
    response = upload(customer_client, ticket, data, name, "application/octet-stream")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["filename"] == name
    assert body["file_size"] == len(data)
    assert body["content_type"] == content_type
    assert body["is_image"] is content_type.startswith("image/")
    assert body["ticket"] == str(ticket.pk)
    assert body["message"] is None
    assert body["uploaded_by"] == str(customer.pk)
    assert body["download_url"] == download_url(body["id"])

    attachment = Attachment.objects.get(pk=body["id"])
    assert STORED_NAME.match(attachment.file.name), attachment.file.name  # a generated name, not the client's
    assert (_isolated_media / attachment.file.name).read_bytes() == data
    assert stored_files(_isolated_media) == [attachment.file.name]

    download = customer_client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"].startswith(content_type)


def test_upload_bumps_the_ticket(customer_client: APIClient, ticket: Ticket) -> None:
    before = Ticket.objects.get(pk=ticket.pk).updated_at
    upload(customer_client, ticket)
    assert Ticket.objects.get(pk=ticket.pk).updated_at > before


def test_the_client_content_type_does_not_decide(customer_client: APIClient, ticket: Ticket) -> None:
    body = upload(customer_client, ticket, files.pdf_bytes(), "invoice.pdf", "image/png").json()
    assert body["content_type"] == "application/pdf"


DISGUISED = [
    ("HTML named .png", "cute-cat.png", files.HTML, "image/png"),
    ("HTML named .txt", "notes.txt", files.HTML, "text/plain"),
    ("HTML without a name extension", "page", b"  <html><script>x()</script></html>", "text/plain"),
    ("SVG named .png", "logo.png", files.SVG, "image/png"),
    ("SVG as .svg", "logo.svg", files.SVG, "image/svg+xml"),
    ("Windows executable named .png", "invoice.png", files.WINDOWS_EXE, "image/png"),
    ("ELF executable named .png", "invoice.png", files.ELF_BINARY, "image/png"),
    ("text sent as image/png", "screenshot.png", files.TEXT, "image/png"),
    ("JPEG named .png", "photo.png", files.jpeg_bytes(), "image/png"),
    ("PNG named .pdf", "invoice.pdf", files.png_bytes(), "application/pdf"),
    ("truncated PNG", "photo.png", files.png_bytes()[:40], "image/png"),
    ("PNG header then garbage", "photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "image/png"),
    ("zip with an executable named .docx", "letter.docx", files.plain_zip_bytes(), "application/zip"),
    ("text named .exe", "setup.exe", b"just text", "application/octet-stream"),
    ("text named .html", "page.html", b"just text", "text/html"),
    ("script named .sh", "run.sh", b"echo hi\n", "text/plain"),
    ("binary noise", "data.bin", bytes(range(256)) * 4, "application/octet-stream"),
    ("UTF-16 text with NULs", "notes.txt", "hello".encode("utf-16"), "text/plain"),
]


@pytest.mark.parametrize(("case", "name", "data", "claimed"), DISGUISED, ids=[d[0] for d in DISGUISED])
def test_disguised_and_disallowed_files_are_refused(
    customer_client: APIClient, ticket: Ticket, _isolated_media: Path, case: str, name: str, data: bytes, claimed: str
) -> None:
    before = snapshot()
    body = assert_error(upload(customer_client, ticket, data, name, claimed), 400, "invalid_file_type")
    assert "file" in body["details"]
    assert snapshot() == before
    assert stored_files(_isolated_media) == []


# --- size -----------------------------------------------------------------------------------


LIMIT = 100_000


@pytest.fixture
def small_limit(settings: Any, tmp_path: Path) -> Path:
    """A 100 KB limit and a temporary-upload folder we can inspect."""
    temp = tmp_path / "upload-temp"
    temp.mkdir()
    settings.ATTACHMENT_MAX_BYTES = LIMIT
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    return temp


def test_oversize_upload_is_stopped_while_streaming(
    customer_client: APIClient, ticket: Ticket, _isolated_media: Path, small_limit: Path
) -> None:
    big = files.png_bytes((600, 600))
    big += b"\x00" * (2_000_000 - len(big))  # a 2 MB "PNG"
    before = snapshot()
    response = upload(customer_client, ticket, big, "huge.png")
    body = assert_error(response, 400, "file_too_large")
    assert "file" in body["details"]
    assert snapshot() == before
    assert stored_files(_isolated_media) == []
    assert list(small_limit.iterdir()) == []  # the partial temporary file is gone too

    # The limiting handler stopped taking the file one chunk past the limit, long before the
    # end of the 2 MB body: the rest was read off the connection and thrown away, never stored.
    [handler] = response.wsgi_request.upload_handlers
    assert isinstance(handler, LimitedTemporaryFileUploadHandler)
    assert LIMIT < handler.received <= LIMIT + handler.chunk_size
    assert handler.received < len(big) // 4
    assert handler.file.closed


def test_a_file_exactly_at_the_limit_is_accepted(customer_client: APIClient, ticket: Ticket, small_limit: Path) -> None:
    data = files.TEXT * (LIMIT // len(files.TEXT))
    data += b"." * (LIMIT - len(data))
    assert len(data) == LIMIT
    response = upload(customer_client, ticket, data, "exact.txt", "text/plain")
    assert response.status_code == 201, response.content
    assert response.json()["file_size"] == LIMIT
    over = upload(customer_client, ticket, data + b".", "over.txt", "text/plain")
    assert_error(over, 400, "file_too_large")


def test_the_limit_is_checked_by_the_service_too(settings: Any, customer: User, ticket: Ticket) -> None:
    """Callers other than the API (e.g. an email importer) get the same rule."""
    import io

    from desk.core.errors import FileTooLarge

    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(FileTooLarge):
        services.attachment_upload(
            ticket=ticket, uploader=customer, upload=io.BytesIO(b"x" * 11), filename="a.txt", size=11
        )
    assert not Attachment.objects.exists()


def test_default_limit_is_ten_megabytes(settings: Any) -> None:
    from django.conf import settings as live

    assert live.ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024


def test_empty_file_is_refused(customer_client: APIClient, ticket: Ticket, _isolated_media: Path) -> None:
    before = snapshot()
    body = assert_error(upload(customer_client, ticket, b"", "empty.txt", "text/plain"), 400, "validation_error")
    assert "file" in body["details"]
    assert snapshot() == before
    assert stored_files(_isolated_media) == []


def test_missing_file_and_several_files(customer_client: APIClient, ticket: Ticket) -> None:
    assert (
        "file"
        in assert_error(
            customer_client.post(ticket_url(ticket, "attachments"), {"note": "no file"}, format="multipart"),
            400,
            "validation_error",
        )["details"]
    )
    response = upload_raw(
        customer_client,
        ticket,
        files.Part("file", files.png_bytes(), "a.png", "image/png"),
        files.Part("file", files.png_bytes(), "b.png", "image/png"),
    )
    assert_error(response, 400, "validation_error")
    assert not Attachment.objects.exists()


def test_json_body_is_unsupported(customer_client: APIClient, ticket: Ticket) -> None:
    for payload in ('{"file": "aGVsbG8="}', "[1]"):
        response = customer_client.post(
            ticket_url(ticket, "attachments"), data=payload, content_type="application/json"
        )
        assert_error(response, 415, "unsupported_media_type")


def test_malformed_multipart_is_a_validation_error(customer_client: APIClient, ticket: Ticket) -> None:
    url = ticket_url(ticket, "attachments")
    for content_type in ("multipart/form-data", "multipart/form-data; boundary="):
        response = customer_client.post(url, data=b"garbage", content_type=content_type)
        assert_error(response, 400, "validation_error")


def test_too_many_parts_is_a_validation_error(customer_client: APIClient, ticket: Ticket, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    parts = [files.Part("file", files.png_bytes(), f"{i}.png", "image/png") for i in range(5)]
    assert_error(upload_raw(customer_client, ticket, *parts), 400, "validation_error")


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\system32\\evil.png", "evil.png"),
        ("C:\\Users\\carol\\Desktop\\receipt.png", "receipt.png"),
        ("/absolute/path/receipt.png", "receipt.png"),
        ("bell\x07and\x1bescape.png", "bellandescape.png"),
        ("new\nline.png", "newline.png"),
        ('quote"and<angle>|pipe?.png', "quote_and_angle__pipe_.png"),
        ("   spaced   out   .png", "spaced out .png"),
        ("résumé — ünïcode.png", "résumé — ünïcode.png"),
        ("x" * 300 + ".png", "x" * 251 + ".png"),
    ],
)
def test_path_tricks_in_names_are_sanitized(
    customer_client: APIClient, ticket: Ticket, _isolated_media: Path, sent: str, shown: str
) -> None:
    response = upload_raw(customer_client, ticket, files.Part("file", files.png_bytes(), sent, "image/png"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["filename"] == shown
    assert len(body["filename"]) <= 255
    attachment = Attachment.objects.get(pk=body["id"])
    assert STORED_NAME.match(attachment.file.name)
    # Nothing was written outside MEDIA_ROOT's attachment folders.
    assert stored_files(_isolated_media) == [attachment.file.name]
    assert not (_isolated_media.parent / "etc").exists()

    disposition = customer_client.get(body["download_url"])["Content-Disposition"]
    assert "/" not in disposition and "\\" not in disposition and "\n" not in disposition


@pytest.mark.parametrize("sent", ["..", ".", "", "/"])
def test_names_that_are_only_path_parts_are_not_files(customer_client: APIClient, ticket: Ticket, sent: str) -> None:
    response = upload_raw(customer_client, ticket, files.Part("file", files.png_bytes(), sent, "image/png"))
    assert_error(response, 400, "validation_error")
    assert not Attachment.objects.exists()


# --- linking to a message, closed tickets ---------------------------------------------------


def test_upload_straight_onto_own_message(customer_client: APIClient, customer: User, ticket: Ticket) -> None:
    message = first_message(ticket)
    body = upload(customer_client, ticket, message=str(message.pk)).json()
    assert body["message"] == str(message.pk)
    detail = customer_client.get(ticket_url(ticket)).json()
    assert [a["id"] for a in detail["messages"][0]["attachments"]] == [body["id"]]


@pytest.mark.parametrize("case", ["someone else's", "another ticket's", "malformed", "unknown"])
def test_upload_onto_a_message_that_is_not_yours_here(
    customer_client: APIClient, customer: User, agent: User, ticket: Ticket, case: str
) -> None:
    import uuid

    if case == "someone else's":
        target = str(services.message_post(ticket=ticket, sender=agent, message_text="reply").pk)
    elif case == "another ticket's":
        other = services.ticket_create(actor=customer, title="Other", message_text="Other", category="general")
        target = str(first_message(other).pk)
    elif case == "malformed":
        target = "not-a-uuid"
    else:
        target = str(uuid.uuid4())
    before = snapshot()
    body = assert_error(upload(customer_client, ticket, message=target), 400, "validation_error")
    assert "message" in body["details"]
    assert snapshot() == before


def test_closed_ticket_refuses_uploads(customer_client: APIClient, ticket: Ticket, _isolated_media: Path) -> None:
    customer_client.patch(ticket_url(ticket), {"status": "closed"}, format="json")
    before = snapshot()
    assert_error(upload(customer_client, ticket), 400, "validation_error")
    assert snapshot() == before
    assert stored_files(_isolated_media) == []


# --- download -------------------------------------------------------------------------------


def test_download_headers(customer_client: APIClient, ticket: Ticket) -> None:
    image = upload(customer_client, ticket, files.png_bytes(), "photo.png").json()
    pdf = upload(customer_client, ticket, files.pdf_bytes(), "invoice.pdf", "application/pdf").json()

    saved = customer_client.get(image["download_url"])
    assert saved["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert saved["X-Content-Type-Options"] == "nosniff"
    assert saved["Content-Type"] == "image/png"
    assert "private" in saved["Cache-Control"]

    preview = customer_client.get(image["download_url"] + "?inline=1")
    assert preview["Content-Disposition"] == 'inline; filename="photo.png"'
    assert preview["X-Content-Type-Options"] == "nosniff"

    # Only images are ever shown inline; anything else is always a download.
    not_image = customer_client.get(pdf["download_url"] + "?inline=1")
    assert not_image["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    assert not_image["X-Content-Type-Options"] == "nosniff"


def test_download_of_a_text_file_is_never_rendered(customer_client: APIClient, ticket: Ticket) -> None:
    text = upload(customer_client, ticket, files.TEXT, "notes.txt", "text/plain").json()
    response = customer_client.get(text["download_url"] + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_download_keeps_a_non_ascii_name(customer_client: APIClient, ticket: Ticket) -> None:
    body = upload(customer_client, ticket, files.pdf_bytes(), "résumé.pdf", "application/pdf").json()
    disposition = customer_client.get(body["download_url"])["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''r%C3%A9sum%C3%A9.pdf" in disposition


def test_download_of_a_file_missing_from_storage_is_not_found(
    customer_client: APIClient, ticket: Ticket, _isolated_media: Path
) -> None:
    body = upload(customer_client, ticket).json()
    (_isolated_media / Attachment.objects.get(pk=body["id"]).file.name).unlink()
    assert_error(customer_client.get(body["download_url"]), 404, "not_found")


@pytest.mark.parametrize("bad_id", ["nope", "123", "%00"])
def test_malformed_attachment_ids_are_not_found(customer_client: APIClient, bad_id: str) -> None:
    assert_error(customer_client.get(download_url(bad_id)), 404, "not_found")


def test_staff_and_owner_download_but_another_customer_cannot(
    customer_client: APIClient, agent_client: APIClient, other_client: APIClient, ticket: Ticket
) -> None:
    body = upload(customer_client, ticket).json()
    assert customer_client.get(body["download_url"]).status_code == 200
    assert agent_client.get(body["download_url"]).status_code == 200
    assert_error(other_client.get(body["download_url"]), 404, "not_found")


def test_deleting_an_attachment_removes_its_file(
    customer_client: APIClient, ticket: Ticket, _isolated_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    body = upload(customer_client, ticket).json()
    assert stored_files(_isolated_media)
    with django_capture_on_commit_callbacks(execute=True):
        Attachment.objects.get(pk=body["id"]).delete()
    assert stored_files(_isolated_media) == []


def test_the_agent_who_entered_a_callers_words_attaches_files_to_them(
    agent_client: APIClient, agent: User, customer: User
) -> None:
    """Staff open a ticket for a caller: the first message is the customer's, entered by the
    agent, who then attaches the files the caller sent. Another agent may not."""
    ticket = services.ticket_create(
        actor=agent, customer=customer, title="Payout missing", message_text="Dave called", category="billing"
    )
    message = first_message(ticket)
    assert (message.sender_id, message.entered_by_id) == (customer.pk, agent.pk)
    body = upload(agent_client, ticket, message=str(message.pk)).json()
    assert body["message"] == str(message.pk)
    from conftest import client_for
    from desk.accounts.tests.factories import AgentFactory

    colleague = client_for(AgentFactory())
    before = snapshot()
    assert_error(upload(colleague, ticket, message=str(message.pk)), 400, "validation_error")
    assert snapshot() == before
