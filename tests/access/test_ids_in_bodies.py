"""Ids of other people's objects in request bodies and query strings are refused and change
nothing, and the refusal reads exactly like the one for an id that does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from desk.support.models import Attachment, Message, Ticket
from desk.support.tests import files
from tests.access.world import World, assert_error, snapshot

pytestmark = pytest.mark.django_db


def _message(w: World, ids: list[Any]) -> dict[str, Any]:
    return {"message_text": "Here are the files.", "attachment_ids": [str(i) for i in ids]}


@dataclass(frozen=True)
class Probe:
    """`role` sends `request(world, foreign_id)`; the same request with a made-up id must get the
    same answer, `status` with `code`, and neither may change anything."""

    name: str
    role: str
    foreign: Callable[[World], Any]
    request: Callable[[Any, World, Any], Any]
    field: str | None = None
    status: int = 400
    code: str = "validation_error"
    # Staff may know which accounts exist (they see every ticket's customer), so a refusal to them
    # may say why; to a customer it must read like an unknown id.
    same_as_unknown: bool = True


def _post_message(client: Any, w: World, ref: Any) -> Any:
    return client.post(f"/api/support/tickets/{w.ticket.pk}/messages/", _message(w, [ref]), format="json")


def _assign(client: Any, w: World, ref: Any) -> Any:
    return client.post(f"/api/support/tickets/{w.ticket.pk}/assign/", {"agent_id": str(ref)}, format="json")


def _patch_assignee(client: Any, w: World, ref: Any) -> Any:
    return client.patch(f"/api/support/tickets/{w.ticket.pk}/", {"assigned_agent": str(ref)}, format="json")


def _bulk_assign(client: Any, w: World, ref: Any) -> Any:
    return client.post(
        "/api/support/tickets/bulk/",
        {"ticket_ids": [str(w.ticket.pk), str(w.other_ticket.pk)], "action": "assign", "value": str(ref)},
        format="json",
    )


def _upload_onto(client: Any, w: World, ref: Any) -> Any:
    return client.post(
        f"/api/support/tickets/{w.ticket.pk}/attachments/",
        {"file": SimpleUploadedFile("shot.png", files.png_bytes(), "image/png"), "message": str(ref)},
        format="multipart",
    )


def _create_for(client: Any, w: World, ref: Any) -> Any:
    return client.post(
        "/api/support/tickets/",
        {"title": "For someone", "category": "general", "message_text": "Hi", "customer": str(ref)},
        format="json",
    )


def _render(client: Any, w: World, ref: Any) -> Any:
    return client.post(
        f"/api/support/canned-responses/{w.shared_canned.pk}/render/", {"ticket_id": str(ref)}, format="json"
    )


def _render_as_customer(client: Any, w: World, ref: Any) -> Any:
    return client.post(f"/api/support/canned-responses/{ref}/render/", {"ticket_id": str(w.ticket.pk)}, format="json")


def _read_notification(client: Any, w: World, ref: Any) -> Any:
    return client.post(f"/api/notifications/{ref}/read/")


PROBES = [
    # attachment_ids: only the sender's own, unsent uploads on this ticket may be linked.
    Probe("someone else's upload", "owner", lambda w: w.other_unsent_file.pk, _post_message, "attachment_ids"),
    Probe("another ticket's upload", "owner", lambda w: w.unsent_file2.pk, _post_message, "attachment_ids"),
    Probe("a file already sent", "owner", lambda w: w.sent_file.pk, _post_message, "attachment_ids"),
    Probe("staff's upload on my ticket", "owner", lambda w: w.agent_unsent_file.pk, _post_message, "attachment_ids"),
    Probe("a customer's upload, by staff", "agent", lambda w: w.unsent_file.pk, _post_message, "attachment_ids"),
    # agent_id / assigned_agent: only an active staff member.
    Probe("assign to a customer", "agent", lambda w: w.other.pk, _assign, "agent_id"),
    Probe("assign to an inactive agent", "agent", lambda w: w.inactive_agent.pk, _assign, "agent_id"),
    Probe("assigned_agent a customer", "agent", lambda w: w.owner.pk, _patch_assignee, "assigned_agent"),
    Probe("assigned_agent inactive", "admin", lambda w: w.inactive_agent.pk, _patch_assignee, "assigned_agent"),
    Probe("bulk assign to a customer", "agent", lambda w: w.owner.pk, _bulk_assign, "agent_id"),
    Probe("bulk assign to an inactive agent", "admin", lambda w: w.inactive_agent.pk, _bulk_assign, "agent_id"),
    # `message` on an upload: one of the uploader's own messages on this ticket.
    Probe("upload onto someone else's message", "owner", lambda w: w.other_message.pk, _upload_onto, "message"),
    Probe(
        "upload onto my other ticket's message", "owner", lambda w: w.ticket2.messages.get().pk, _upload_onto, "message"
    ),
    Probe("upload onto staff's reply", "owner", lambda w: w.agent_reply.pk, _upload_onto, "message"),
    Probe("upload onto an internal note", "owner", lambda w: w.note.pk, _upload_onto, "message"),
    # `customer` on ticket create: refused to customers before any lookup.
    Probe(
        "ticket for another customer", "owner", lambda w: w.other.pk, _create_for, "customer", 403, "permission_denied"
    ),
    Probe("ticket for an agent", "owner", lambda w: w.agent.pk, _create_for, "customer", 403, "permission_denied"),
    Probe("staff ticket for an agent", "agent", lambda w: w.agent2.pk, _create_for, "customer", same_as_unknown=False),
    Probe(
        "staff ticket for an inactive account",
        "agent",
        lambda w: w.inactive_agent.pk,
        _create_for,
        "customer",
        same_as_unknown=False,
    ),
    # ticket_id in canned-response render; customers never reach it.
    Probe(
        "render for a ticket, by a customer",
        "owner",
        lambda w: w.shared_canned.pk,
        _render_as_customer,
        None,
        403,
        "permission_denied",
    ),
    Probe(
        "render someone's private response",
        "agent",
        lambda w: w.private_canned.pk,
        _render_as_customer,
        None,
        404,
        "not_found",
    ),
    # Notifications are only ever the recipient's.
    Probe(
        "another customer's notification",
        "owner",
        lambda w: w.other_notification.pk,
        _read_notification,
        None,
        404,
        "not_found",
    ),
    Probe(
        "a customer's notification, by staff",
        "agent",
        lambda w: w.notification.pk,
        _read_notification,
        None,
        404,
        "not_found",
    ),
]


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_foreign_ids_in_bodies_are_refused_like_unknown_ids(world: World, probe: Probe) -> None:
    client = world.client(probe.role)
    before = snapshot()
    response = probe.request(client, world, probe.foreign(world))
    body = assert_error(response, probe.status, probe.code)
    if probe.field:
        assert probe.field in body["details"], body
    assert snapshot() == before, f"{probe.name}: refused but something changed"
    made_up = probe.request(client, world, uuid.uuid4())
    if probe.same_as_unknown:
        assert (made_up.status_code, made_up.json()) == (response.status_code, body), probe.name
    else:
        assert_error(made_up, probe.status, probe.code)
    assert snapshot() == before


def test_render_needs_a_ticket_that_exists(world: World) -> None:
    client = world.client("agent")
    assert_error(_render(client, world, uuid.uuid4()), 404, "ticket_not_found")
    assert_error(_render(client, world, "not-a-uuid"), 400, "validation_error")
    rendered = _render(client, world, world.ticket.pk)
    assert rendered.json() == {"body": "Hi Anna"}


def test_bulk_with_one_unknown_ticket_changes_none(world: World) -> None:
    before = snapshot()
    response = world.client("agent").post(
        "/api/support/tickets/bulk/",
        {"ticket_ids": [str(world.ticket.pk), str(uuid.uuid4())], "action": "set_status", "value": "resolved"},
        format="json",
    )
    assert_error(response, 400, "validation_error")
    assert snapshot() == before


@pytest.mark.parametrize("role", ["owner", "other"])
def test_customers_cannot_run_bulk_actions_on_any_ticket(world: World, role: str) -> None:
    before = snapshot()
    for ids in ([world.ticket.pk], [world.other_ticket.pk], [uuid.uuid4()]):
        response = world.client(role).post(
            "/api/support/tickets/bulk/",
            {"ticket_ids": [str(i) for i in ids], "action": "set_status", "value": "closed"},
            format="json",
        )
        assert_error(response, 403, "permission_denied")
    assert snapshot() == before


def test_fields_a_customer_may_not_set_on_update_are_refused_or_ignored(world: World) -> None:
    client = world.client("owner")
    before = snapshot()
    # Staff fields are refused outright...
    for change in ({"assigned_agent": str(world.agent.pk)}, {"tags": ["vip"]}, {"category": "technical"}):
        assert_error(
            client.patch(f"/api/support/tickets/{world.ticket.pk}/", change, format="json"), 403, "permission_denied"
        )
    assert snapshot() == before
    # ...and fields no one may write through the API (owner, flags, dates) are not taken.
    response = client.patch(
        f"/api/support/tickets/{world.ticket.pk}/",
        {"title": "Renamed", "customer": str(world.other.pk), "escalated": True, "id": str(uuid.uuid4())},
        format="json",
    )
    assert response.status_code == 200
    ticket = Ticket.objects.get(pk=world.ticket.pk)
    assert (ticket.title, ticket.customer_id, ticket.escalated) == ("Renamed", world.owner.pk, False)


def test_a_message_body_cannot_claim_another_sender_or_ticket(world: World) -> None:
    response = world.client("owner").post(
        f"/api/support/tickets/{world.ticket.pk}/messages/",
        {
            "message_text": "Mine",
            "sender": str(world.agent.pk),
            "ticket": str(world.other_ticket.pk),
            "is_from_customer": False,
            "read_by_staff": True,
        },
        format="json",
    )
    assert response.status_code == 201
    message = Message.objects.get(pk=response.json()["id"])
    assert (message.sender_id, message.ticket_id, message.is_from_customer, message.read_by_staff) == (
        world.owner.pk,
        world.ticket.pk,
        True,
        False,
    )


def test_an_upload_body_cannot_choose_its_ticket_owner_or_type(world: World) -> None:
    response = world.client("owner").post(
        f"/api/support/tickets/{world.ticket.pk}/attachments/",
        {
            "file": SimpleUploadedFile("shot.png", files.png_bytes(), "text/html"),
            "ticket": str(world.other_ticket.pk),
            "uploaded_by": str(world.agent.pk),
            "content_type": "text/html",
        },
        format="multipart",
    )
    assert response.status_code == 201
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert (attachment.ticket_id, attachment.uploaded_by_id, attachment.content_type) == (
        world.ticket.pk,
        world.owner.pk,
        "image/png",
    )


# --- what lists, filters and exports let slip -------------------------------------------------


def test_list_filters_by_another_customer_find_what_a_made_up_id_finds(world: World) -> None:
    client = world.client("owner")
    theirs = client.get("/api/support/tickets/", {"customer": str(world.other.pk)}).json()
    nobody = client.get("/api/support/tickets/", {"customer": str(uuid.uuid4())}).json()
    assert theirs == nobody == {"count": 0, "count_exact": True, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize("words", ["Bert", "Bert's private words", "Staff-only note", "Support answers Bert"])
def test_search_never_matches_what_the_customer_may_not_see(world: World, words: str) -> None:
    results = world.client("owner").get("/api/support/tickets/", {"search": words}).json()["results"]
    assert results == []


def test_a_customer_list_and_detail_carry_no_trace_of_others_or_of_internal_notes(world: World) -> None:
    client = world.client("owner")
    listing = client.get("/api/support/tickets/").content.decode()
    detail = client.get(f"/api/support/tickets/{world.ticket.pk}/").content.decode()
    notifications = client.get("/api/notifications/").content.decode()
    for text in (listing, detail, notifications):
        for secret in (
            "Bert",
            str(world.other_ticket.pk),
            "Staff-only note",
            str(world.note.pk),
            str(world.note_file.pk),
        ):
            assert secret not in text
    assert client.get("/api/notifications/unread-count/").json()["unread"] == 1


def test_a_customer_export_holds_only_their_own_data(world: World) -> None:
    import io
    import zipfile

    response = world.client("owner").get("/api/auth/me/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8", "replace")
    assert "Anna's private words" in everything
    for secret in ("Bert", str(world.other_ticket.pk), "Staff-only note", "provider-log.pdf", "agent-draft.pdf"):
        assert secret not in everything


def test_sign_in_says_the_same_for_an_unknown_email_and_a_wrong_password(world: World) -> None:
    client = world.client("anonymous")
    wrong = client.post("/api/auth/token/", {"email": world.owner.email, "password": "wrong-password-1"}, format="json")
    unknown = client.post(
        "/api/auth/token/", {"email": "nobody@example.com", "password": "wrong-password-1"}, format="json"
    )
    inactive = client.post(
        "/api/auth/token/", {"email": world.inactive_agent.email, "password": "wrong-password-1"}, format="json"
    )
    body = assert_error(wrong, 401, "not_authenticated")
    assert unknown.json() == body == inactive.json()


def test_password_reset_says_the_same_for_any_email(world: World) -> None:
    client = world.client("anonymous")
    answers = [
        client.post("/api/auth/password/reset/", {"email": email}, format="json")
        for email in (world.owner.email, "nobody@example.com", world.inactive_agent.email)
    ]
    assert len({(a.status_code, a.content) for a in answers}) == 1
