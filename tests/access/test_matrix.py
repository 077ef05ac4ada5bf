"""The cross-endpoint access matrix: every API route and method × {anonymous, customer A (the
owner of the objects), customer B, agent, admin}, with real requests.

Each cell asserts the exact status and SPEC's error code; a refusal changes nothing (rows and
stored files). Whoever has no business with A's object (anonymous, customer B, and every 404) gets
exactly the answer a made-up id gets: same status, code, message and details, so existence is
never revealed. The table must cover every route under /api/: a new endpoint without a row
fails `test_every_api_route_is_in_the_table`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from desk.accounts.tests.factories import PASSWORD
from desk.support.tests import files
from tests.access.world import ROLES, World, assert_error, snapshot

pytestmark = pytest.mark.django_db

STRONG = "plum-orchard-quietly-47"
METHODS = ("get", "post", "put", "patch", "delete")
# What a refusal of each status must say (SPEC "Errors").
CODES = {400: "validation_error", 401: "not_authenticated", 403: "permission_denied", 405: "method_not_allowed"}


@dataclass(frozen=True)
class Row:
    """One route and method against one object: `{id}` in the url is `ref(world)`."""

    name: str
    method: str
    url: str
    expected: tuple[int, int, int, int, int]  # anonymous, owner (A), other (B), agent, admin
    ref: Callable[[World], Any] | None = None
    body: Callable[[World, str], Any] | None = None
    fmt: str = "json"
    missing_code: str = "not_found"


def E(anonymous: int, owner: int, other: int, agent: int, admin: int) -> tuple[int, int, int, int, int]:
    return (anonymous, owner, other, agent, admin)


PUBLIC = E  # read as: everyone gets this, signed in or not


def _new_email(w: World, role: str) -> dict[str, Any]:
    return {"email": f"new-{uuid.uuid4().hex[:12]}@example.com", "password": STRONG}


def _ticket_body(w: World, role: str) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "Cannot log in", "category": "account", "message_text": "Locked out."}
    if role in ("agent", "admin"):
        body["customer"] = str(w.owner.pk)
    return body


def _file(w: World, role: str) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("screenshot.png", files.png_bytes(), "image/png")}


def body(value: Any) -> Callable[[World, str], Any]:
    return lambda w, role: value(w) if callable(value) else value


TICKET = "/api/support/tickets/{id}/"
ATTACHMENT = "/api/support/attachments/{id}/"
DOWNLOAD = "/api/support/attachments/{id}/download/"
CANNED = "/api/support/canned-responses/{id}/"
USER = "/api/auth/users/{id}/"
CALENDAR = "/api/support/calendars/{id}/"
POLICY = "/api/support/sla-policies/{id}/"
WEEK = {"mon": [["09:00", "12:00"], ["13:00", "17:00"]]}


def ticket(w: World) -> Any:
    return w.ticket.pk


TABLE: list[Row] = [
    # --- accounts ---------------------------------------------------------------------------
    Row("register", "post", "/api/auth/register/", PUBLIC(201, 201, 201, 201, 201), body=_new_email),
    Row(
        "sign in",
        "post",
        "/api/auth/token/",
        PUBLIC(200, 200, 200, 200, 200),
        body=body(lambda w: {"email": w.owner.email, "password": PASSWORD}),
    ),
    Row(
        "refresh",
        "post",
        "/api/auth/token/refresh/",
        PUBLIC(200, 200, 200, 200, 200),
        body=body(lambda w: {"refresh": w.owner_refresh}),
    ),
    # Sign-out needs only the refresh token it ends (an expired access token must not block it).
    Row(
        "sign out",
        "post",
        "/api/auth/logout/",
        PUBLIC(204, 204, 204, 204, 204),
        body=body(lambda w: {"refresh": w.owner_refresh}),
    ),
    Row(
        "password reset",
        "post",
        "/api/auth/password/reset/",
        PUBLIC(202, 202, 202, 202, 202),
        body=body(lambda w: {"email": w.owner.email}),
    ),
    Row(
        "password reset link check (bad link)",
        "post",
        "/api/auth/password/reset/check/",
        PUBLIC(200, 200, 200, 200, 200),
        body=body({"uid": "bm9wZQ", "token": "nope"}),
    ),
    Row(
        "password reset confirm (bad link)",
        "post",
        "/api/auth/password/reset/confirm/",
        PUBLIC(400, 400, 400, 400, 400),
        body=body({"uid": "bm9wZQ", "token": "nope", "new_password": STRONG}),
    ),
    Row("me", "get", "/api/auth/me/", E(401, 200, 200, 200, 200)),
    Row("my data export", "get", "/api/auth/me/export/", E(401, 200, 200, 200, 200)),
    Row(
        "delete my account",
        "post",
        "/api/auth/me/delete/",
        E(401, 204, 204, 403, 403),
        body=body({"password": PASSWORD}),
    ),
    Row(
        "password change",
        "post",
        "/api/auth/password/change/",
        E(401, 200, 200, 200, 200),
        body=body({"current_password": PASSWORD, "new_password": STRONG}),
    ),
    # --- users (admins only) ---------------------------------------------------------------
    Row("users list", "get", "/api/auth/users/", E(401, 403, 403, 403, 200)),
    Row(
        "users create",
        "post",
        "/api/auth/users/",
        E(401, 403, 403, 403, 201),
        body=lambda w, role: {**_new_email(w, role), "role": "agent"},
    ),
    Row("user retrieve", "get", USER, E(401, 403, 403, 403, 200), ref=lambda w: w.agent2.pk),
    Row("customer retrieve", "get", USER, E(401, 403, 403, 403, 200), ref=lambda w: w.owner.pk),
    Row(
        "user update",
        "patch",
        USER,
        E(401, 403, 403, 403, 200),
        ref=lambda w: w.agent2.pk,
        body=body({"first_name": "Robert"}),
    ),
    Row("user deactivate", "post", USER + "deactivate/", E(401, 403, 403, 403, 200), ref=lambda w: w.agent2.pk),
    # --- tickets ----------------------------------------------------------------------------
    Row("tickets list", "get", "/api/support/tickets/", E(401, 200, 200, 200, 200)),
    Row("ticket create", "post", "/api/support/tickets/", E(401, 201, 201, 201, 201), body=_ticket_body),
    Row("ticket detail", "get", TICKET, E(401, 200, 404, 200, 200), ref=ticket, missing_code="ticket_not_found"),
    Row(
        "ticket PUT title",
        "put",
        TICKET,
        E(401, 200, 404, 200, 200),
        ref=ticket,
        body=body({"title": "Refund for Friday"}),
        missing_code="ticket_not_found",
    ),
    Row(
        "ticket PATCH close",
        "patch",
        TICKET,
        E(401, 200, 404, 200, 200),
        ref=ticket,
        body=body({"status": "closed"}),
        missing_code="ticket_not_found",
    ),
    Row(
        "ticket PATCH staff fields",
        "patch",
        TICKET,
        E(401, 403, 404, 200, 200),
        ref=ticket,
        body=body({"priority": "urgent"}),
        missing_code="ticket_not_found",
    ),
    Row(
        "message post",
        "post",
        TICKET + "messages/",
        E(401, 201, 404, 201, 201),
        ref=ticket,
        body=body({"message_text": "Any news?"}),
        missing_code="ticket_not_found",
    ),
    Row(
        "internal note post",
        "post",
        TICKET + "messages/",
        E(401, 403, 404, 201, 201),
        ref=ticket,
        body=body({"message_text": "Check the logs.", "is_internal": True}),
        missing_code="ticket_not_found",
    ),
    Row(
        "upload",
        "post",
        TICKET + "attachments/",
        E(401, 201, 404, 201, 201),
        ref=ticket,
        body=_file,
        fmt="multipart",
        missing_code="ticket_not_found",
    ),
    Row(
        "assign",
        "post",
        TICKET + "assign/",
        E(401, 403, 404, 200, 200),
        ref=ticket,
        body=body(lambda w: {"agent_id": str(w.agent.pk)}),
        missing_code="ticket_not_found",
    ),
    Row(
        "escalate",
        "post",
        TICKET + "escalate/",
        E(401, 403, 404, 200, 200),
        ref=ticket,
        body=body({"reason": "Waited a week."}),
        missing_code="ticket_not_found",
    ),
    Row(
        "ticket history",
        "get",
        TICKET + "history/",
        E(401, 403, 404, 200, 200),
        ref=ticket,
        missing_code="ticket_not_found",
    ),
    Row(
        "ticket emails",
        "get",
        TICKET + "emails/",
        E(401, 404, 404, 200, 200),
        ref=ticket,
        missing_code="ticket_not_found",
    ),
    Row(
        "inbound email original",
        "get",
        "/api/support/inbound-emails/{id}/raw/",
        E(401, 404, 404, 200, 200),
        ref=lambda w: w.mail.pk,
        missing_code="not_found",
    ),
    Row(
        "inbound email (raw MIME; off without INBOUND_EMAIL_TOKEN)",
        "post",
        "/api/inbound/email/",
        PUBLIC(404, 404, 404, 404, 404),
        body=body({"raw": "not a mail"}),
        missing_code="not_found",
    ),
    Row(
        "bulk",
        "post",
        "/api/support/tickets/bulk/",
        E(401, 403, 403, 200, 200),
        body=body(lambda w: {"ticket_ids": [str(w.ticket.pk)], "action": "set_priority", "value": "high"}),
    ),
    # --- attachments ------------------------------------------------------------------------
    Row("download a sent file", "get", DOWNLOAD, E(401, 200, 404, 200, 200), ref=lambda w: w.sent_file.pk),
    Row("download own unsent upload", "get", DOWNLOAD, E(401, 200, 404, 200, 200), ref=lambda w: w.unsent_file.pk),
    Row("download an internal note's file", "get", DOWNLOAD, E(401, 404, 404, 200, 200), ref=lambda w: w.note_file.pk),
    Row(
        "download staff's unsent upload",
        "get",
        DOWNLOAD,
        E(401, 404, 404, 200, 200),
        ref=lambda w: w.agent_unsent_file.pk,
    ),
    Row("remove own unsent upload", "delete", ATTACHMENT, E(401, 204, 404, 403, 403), ref=lambda w: w.unsent_file.pk),
    Row("remove a sent file", "delete", ATTACHMENT, E(401, 403, 404, 403, 403), ref=lambda w: w.sent_file.pk),
    Row(
        "remove staff's unsent upload",
        "delete",
        ATTACHMENT,
        E(401, 404, 404, 204, 403),
        ref=lambda w: w.agent_unsent_file.pk,
    ),
    # --- notifications ----------------------------------------------------------------------
    Row("notifications list", "get", "/api/notifications/", E(401, 200, 200, 200, 200)),
    Row("notifications unread count", "get", "/api/notifications/unread-count/", E(401, 200, 200, 200, 200)),
    Row("notifications read all", "post", "/api/notifications/read-all/", E(401, 200, 200, 200, 200)),
    Row(
        "notification read",
        "post",
        "/api/notifications/{id}/read/",
        E(401, 200, 404, 404, 404),
        ref=lambda w: w.notification.pk,
    ),
    Row("preferences", "get", "/api/notifications/preferences/", E(401, 200, 200, 200, 200)),
    Row(
        "preferences PUT",
        "put",
        "/api/notifications/preferences/",
        E(401, 200, 200, 200, 200),
        body=body({"email": {}}),
    ),
    Row(
        "preferences PATCH",
        "patch",
        "/api/notifications/preferences/",
        E(401, 200, 200, 200, 200),
        body=body({"email": {}}),
    ),
    # --- staff workspace --------------------------------------------------------------------
    Row("agents", "get", "/api/support/agents/", E(401, 403, 403, 200, 200)),
    Row("customers", "get", "/api/support/customers/", E(401, 403, 403, 200, 200)),
    Row("metrics", "get", "/api/support/metrics/", E(401, 403, 403, 200, 200)),
    # --- service levels: staff read, admins write ---------------------------------------------
    Row("calendars", "get", "/api/support/calendars/", E(401, 403, 403, 200, 200)),
    Row(
        "calendar create",
        "post",
        "/api/support/calendars/",
        E(401, 403, 403, 403, 201),
        body=body({"name": "Pokhara", "time_zone": "Asia/Kathmandu", "hours": WEEK}),
    ),
    Row("calendar", "get", CALENDAR, E(401, 403, 403, 200, 200), ref=lambda w: w.calendar.pk),
    Row(
        "calendar PUT",
        "put",
        CALENDAR,
        E(401, 403, 403, 403, 200),
        ref=lambda w: w.calendar.pk,
        body=body({"name": "Office", "time_zone": "Asia/Kathmandu", "hours": WEEK, "holidays": ["2026-10-21"]}),
    ),
    Row(
        "calendar PATCH",
        "patch",
        CALENDAR,
        E(401, 403, 403, 403, 200),
        ref=lambda w: w.calendar.pk,
        body=body({"holidays": ["2026-10-22"]}),
    ),
    Row("calendar DELETE", "delete", CALENDAR, E(401, 403, 403, 403, 204), ref=lambda w: w.spare_calendar.pk),
    Row("sla policies", "get", "/api/support/sla-policies/", E(401, 403, 403, 200, 200)),
    Row(
        "sla policy create",
        "post",
        "/api/support/sla-policies/",
        E(401, 403, 403, 403, 201),
        body=body({"name": "Urgent", "conditions": {"priority": ["urgent"]}, "targets": {"first_response": 15}}),
    ),
    Row("sla policy", "get", POLICY, E(401, 403, 403, 200, 200), ref=lambda w: w.policy.pk),
    Row(
        "sla policy PUT",
        "put",
        POLICY,
        E(401, 403, 403, 403, 200),
        ref=lambda w: w.policy.pk,
        body=body({"name": "Standard", "targets": {"resolution": 600}}),
    ),
    Row(
        "sla policy PATCH",
        "patch",
        POLICY,
        E(401, 403, 403, 403, 200),
        ref=lambda w: w.policy.pk,
        body=body({"escalate_on_breach": True}),
    ),
    Row("sla policy DELETE", "delete", POLICY, E(401, 403, 403, 403, 204), ref=lambda w: w.policy.pk),
    Row("canned list", "get", "/api/support/canned-responses/", E(401, 403, 403, 200, 200)),
    Row(
        "canned create",
        "post",
        "/api/support/canned-responses/",
        E(401, 403, 403, 201, 201),
        body=body({"title": "Thanks", "body": "Thank you!"}),
    ),
    Row("shared canned", "get", CANNED, E(401, 403, 403, 200, 200), ref=lambda w: w.shared_canned.pk),
    # Someone else's shared response: the owner or an admin may change it, not another agent.
    Row(
        "shared canned PUT",
        "put",
        CANNED,
        E(401, 403, 403, 403, 200),
        ref=lambda w: w.shared_canned.pk,
        body=body({"title": "Hello", "body": "Hello there"}),
    ),
    Row(
        "shared canned PATCH",
        "patch",
        CANNED,
        E(401, 403, 403, 403, 200),
        ref=lambda w: w.shared_canned.pk,
        body=body({"body": "Changed"}),
    ),
    Row("shared canned DELETE", "delete", CANNED, E(401, 403, 403, 403, 204), ref=lambda w: w.shared_canned.pk),
    Row(
        "shared canned render",
        "post",
        CANNED + "render/",
        E(401, 403, 403, 200, 200),
        ref=lambda w: w.shared_canned.pk,
        body=body(lambda w: {"ticket_id": str(w.ticket.pk)}),
    ),
    # Another agent's personal response is invisible to everyone else, admins included.
    Row("private canned", "get", CANNED, E(401, 403, 403, 404, 404), ref=lambda w: w.private_canned.pk),
    Row(
        "private canned PATCH",
        "patch",
        CANNED,
        E(401, 403, 403, 404, 404),
        ref=lambda w: w.private_canned.pk,
        body=body({"body": "Changed"}),
    ),
    Row("private canned DELETE", "delete", CANNED, E(401, 403, 403, 404, 404), ref=lambda w: w.private_canned.pk),
    Row(
        "private canned render",
        "post",
        CANNED + "render/",
        E(401, 403, 403, 404, 404),
        ref=lambda w: w.private_canned.pk,
        body=body(lambda w: {"ticket_id": str(w.ticket.pk)}),
    ),
    # --- public documents and unknown paths -------------------------------------------------
    Row("schema", "get", "/api/schema/", PUBLIC(200, 200, 200, 200, 200)),
    Row("docs", "get", "/api/docs/", PUBLIC(200, 200, 200, 200, 200)),
    Row("unknown API path", "get", "/api/no-such-endpoint/", PUBLIC(404, 404, 404, 404, 404)),
]

# Routes where an anonymous caller is served (everything else answers 401).
PUBLIC_ROUTES = {
    "api/auth/register/",
    "api/auth/token/",
    "api/auth/token/refresh/",
    "api/auth/logout/",
    "api/auth/password/reset/",
    "api/auth/password/reset/check/",
    "api/auth/password/reset/confirm/",
    "api/inbound/email/",  # a mail server, with its own bearer token
    "api/schema/",
    "api/docs/",
    "^api(?:/.*)?$",
}


def url_for(row: Row, target: Any) -> str:
    return row.url.replace("{id}", str(target))


def send(client: APIClient, row: Row, world: World, role: str, target: Any = None) -> Any:
    url = url_for(row, target)
    if row.method in ("get", "delete") and row.body is None:
        return getattr(client, row.method)(url)
    data = row.body(world, role) if row.body else None
    return getattr(client, row.method)(url, data, format=row.fmt)


def observable(response: Any) -> tuple[int, Any]:
    """What a caller learns from a response: its status and body."""
    try:
        payload = response.json()
    except (ValueError, TypeError):
        payload = response.content
    return response.status_code, payload


CASES = [pytest.param(row, role, id=f"{row.name}-{role}") for row in TABLE for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_access_matrix(world: World, row: Row, role: str) -> None:
    expected = row.expected[ROLES.index(role)]
    target = row.ref(world) if row.ref else None
    before = snapshot()
    response = send(world.client(role), row, world, role, target)
    assert response.status_code == expected, (row.name, role, response.status_code, response.content[:300])

    if expected >= 400:
        assert_error(response, expected, row.missing_code if expected == 404 else CODES[expected])
        assert snapshot() == before, f"{row.name}: refused for {role} but something changed"
    if target is not None and (role in ("anonymous", "other") or expected == 404):
        # Existence is not revealed: A's real object and a made-up id get the very same answer.
        missing = send(world.client(role), row, world, role, uuid.uuid4())
        assert observable(missing) == observable(response), (row.name, role)


def test_anonymous_is_refused_everywhere_but_the_public_routes(world: World) -> None:
    for row in TABLE:
        route = resolve(url_for(row, uuid.uuid4())).route
        if route in PUBLIC_ROUTES:
            assert row.expected[0] != 401, row.name
        else:
            assert row.expected[0] == 401, f"{row.name} must refuse anonymous callers"
    assert world.client("anonymous").get("/healthz").status_code == 200


# --- the table covers the whole API ---------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def api_operations() -> set[tuple[str, str]]:
    """Every (route, method) the URL configuration serves under /api/."""
    operations = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        if not (route.startswith("api/") or route.startswith("^api")):
            continue
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        methods = [m for m in METHODS if hasattr(view, m)] if view is not None else ["get"]
        operations.update((route, method) for method in methods)
    return operations


def table_operations() -> set[tuple[str, str]]:
    return {(resolve(url_for(row, uuid.uuid4())).route, row.method) for row in TABLE}


def test_every_api_route_is_in_the_table() -> None:
    missing = sorted(api_operations() - table_operations())
    assert not missing, (
        f"These API routes have no row in tests/access/test_matrix.py TABLE; add one saying who may do what: {missing}"
    )


def test_the_table_has_no_row_for_a_route_that_does_not_exist() -> None:
    stale = sorted(table_operations() - api_operations())
    assert not stale, f"Rows for routes or methods the API does not serve: {stale}"


def test_the_route_walk_sees_the_whole_api() -> None:
    """Guards the guard: the walk finds routes of every API module, and the new users API."""
    routes = {route for route, _ in api_operations()}
    for expected in (
        "api/auth/users/<str:user_id>/",
        "api/support/tickets/<str:ticket_id>/messages/",
        "api/support/canned-responses/<str:response_id>/render/",
        "api/notifications/<str:notification_id>/read/",
    ):
        assert expected in routes
    assert len(api_operations()) >= 45


# --- other verbs ----------------------------------------------------------------------------

OBJECT_ROWS = [row for row in TABLE if row.ref is not None and row.method == "get"]


@pytest.mark.parametrize("row", OBJECT_ROWS, ids=[row.name for row in OBJECT_ROWS])
def test_head_and_options_reveal_nothing_about_others_objects(world: World, row: Row) -> None:
    client = world.client("other")
    real = url_for(row, row.ref(world))
    made_up = url_for(row, uuid.uuid4())
    assert observable(client.head(real))[0] == observable(client.head(made_up))[0]
    assert observable(client.options(real)) == observable(client.options(made_up))
    anonymous = world.client("anonymous")
    assert_error(anonymous.options(real), 401, "not_authenticated")
    assert anonymous.head(real).status_code == 401


def test_a_bad_token_is_refused_like_no_token(world: World) -> None:
    client = APIClient()
    for header in ("Bearer not-a-token", "Bearer " + "a" * 20 + ".b.c", "Basic dXNlcjpwYXNz", "Bearer"):
        client.credentials(HTTP_AUTHORIZATION=header)
        assert_error(client.get(f"/api/support/tickets/{world.ticket.pk}/"), 401, "not_authenticated")
        assert_error(client.get("/api/auth/users/"), 401, "not_authenticated")
