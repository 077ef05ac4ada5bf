"""The admins' users API (/api/auth/users/): who may use it, creating staff accounts, the list with
its filters and query count, role and name changes, deactivation, and what each of them ends,
unassigns and audits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import client_for
from desk.accounts.models import Role, User
from desk.accounts.tests.factories import PASSWORD, AdminFactory, AgentFactory, CustomerFactory, ProviderFactory
from desk.core.models import AuditEntry
from desk.notifications.models import Notification
from desk.support import services as ticket_services
from desk.support.models import EventKind, Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

USERS = "/api/auth/users/"
STRONG = "plum-orchard-quietly-47"


def user_url(user: User | Any, action: str = "") -> str:
    pk = user.pk if isinstance(user, User) else user
    return f"{USERS}{pk}/{action + '/' if action else ''}"


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:400])
    body = response.json()
    assert set(body) == {"error", "message", "details"}, body
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body


def sign_in(user: User) -> dict[str, str]:
    response = APIClient().post("/api/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def accounts_snapshot() -> tuple[Any, ...]:
    return (
        list(User.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
        list(Ticket.objects.order_by("pk").values("pk", "assigned_agent_id")),
    )


@pytest.fixture
def admin_client(admin_user: User) -> APIClient:
    return client_for(admin_user)


# --- who may use it -------------------------------------------------------------------------

CALLS: dict[str, Callable[[APIClient, User], Any]] = {
    "list": lambda c, target: c.get(USERS),
    "create": lambda c, target: c.post(
        USERS, {"email": "new.agent@example.com", "password": STRONG, "role": "agent"}, format="json"
    ),
    "retrieve": lambda c, target: c.get(user_url(target)),
    "update": lambda c, target: c.patch(user_url(target), {"role": "admin"}, format="json"),
    "deactivate": lambda c, target: c.post(user_url(target, "deactivate")),
}
ADMIN_STATUS = {"list": 200, "create": 201, "retrieve": 200, "update": 200, "deactivate": 200}


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("role", ["anonymous", "customer", "provider", "agent", "admin"])
def test_only_admins_may_use_the_users_api(call: str, role: str) -> None:
    target = AgentFactory()
    caller = {
        "anonymous": lambda: None,
        "customer": CustomerFactory,
        "provider": ProviderFactory,
        "agent": AgentFactory,
        "admin": AdminFactory,
    }[role]()
    before = accounts_snapshot()
    response = CALLS[call](client_for(caller), target)
    if role == "anonymous":
        assert_error(response, 401, "not_authenticated")
    elif role != "admin":
        assert_error(response, 403, "permission_denied")
    else:
        assert response.status_code == ADMIN_STATUS[call], response.content
        return
    assert accounts_snapshot() == before
    for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert header in response


def test_an_agent_is_refused_before_the_body_is_read(agent_client: APIClient) -> None:
    """A refused caller learns nothing from validation: a bad body is still 403, not 400."""
    assert_error(agent_client.post(USERS, {"role": "nope"}, format="json"), 403, "permission_denied")
    assert_error(agent_client.patch(user_url(uuid.uuid4()), {"role": "nope"}, format="json"), 403, "permission_denied")


def test_staff_accounts_are_never_deleted_through_the_api(admin_client: APIClient, agent: User) -> None:
    assert_error(admin_client.delete(user_url(agent)), 405, "method_not_allowed")
    assert_error(admin_client.put(user_url(agent), {"first_name": "X"}, format="json"), 405, "method_not_allowed")
    assert User.objects.filter(pk=agent.pk, is_active=True).exists()


# --- create ---------------------------------------------------------------------------------


def test_admin_opens_an_agent_account_that_can_sign_in(admin_client: APIClient, admin_user: User) -> None:
    response = admin_client.post(
        USERS,
        {
            "email": " New.Agent@Example.com ",
            "password": STRONG,
            "role": "agent",
            "first_name": "Nia",
            "last_name": "Ng",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.agent@example.com"
    assert (body["role"], body["is_staff"], body["is_active"], body["name"]) == ("agent", True, True, "Nia Ng")
    assert "password" not in body
    user = User.objects.get(pk=body["id"])
    assert not user.is_superuser
    tokens = APIClient().post("/api/auth/token/", {"email": "new.agent@example.com", "password": STRONG})
    assert tokens.status_code == 200
    me = bearer(tokens.json()["access"]).get("/api/auth/me/").json()
    assert me["role"] == "agent"
    entry = AuditEntry.objects.get(action="user.created")
    assert entry.actor == admin_user
    assert entry.target_id == str(user.pk)
    assert entry.details == {"email": "new.agent@example.com", "role": "agent"}


@pytest.mark.parametrize("role", ["customer", "provider", "agent", "admin"])
def test_admin_may_open_an_account_with_any_role(admin_client: APIClient, role: str) -> None:
    body = admin_client.post(
        USERS, {"email": f"{role}@example.com", "password": STRONG, "role": role}, format="json"
    ).json()
    user = User.objects.get(pk=body["id"])
    assert user.role == role
    assert user.is_staff == (role in ("agent", "admin"))
    assert user.is_superuser == (role == "admin")  # an admin may also use Django admin


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "x@example.com", "password": "short", "role": "agent"}, "password"),
        ({"email": "x@example.com", "password": "password123", "role": "agent"}, "password"),
        ({"email": "x@example.com", "password": "12345678901", "role": "agent"}, "password"),
        ({"email": "xavier.example@example.com", "password": "xavier.example", "role": "agent"}, "password"),
        ({"email": "TAKEN@example.com", "password": STRONG, "role": "agent"}, "email"),
        ({"email": "not-an-email", "password": STRONG, "role": "agent"}, "email"),
        ({"email": "x@example.com", "password": STRONG, "role": "superuser"}, "role"),
        ({"email": "x@example.com", "password": STRONG}, "role"),
        ({"email": "x@example.com", "password": STRONG, "role": "agent", "first_name": "n" * 151}, "first_name"),
        ({"email": "x@example.com", "password": STRONG, "role": "agent", "last_name": ["list"]}, "last_name"),
        ({"password": STRONG, "role": "agent"}, "email"),
    ],
)
def test_create_refuses_bad_input_and_changes_nothing(
    admin_client: APIClient, body: dict[str, Any], field: str
) -> None:
    CustomerFactory(email="taken@example.com")
    before = accounts_snapshot()
    error = assert_error(admin_client.post(USERS, body, format="json"), 400, "validation_error")
    assert field in error["details"], error
    assert accounts_snapshot() == before


def test_create_ignores_fields_it_does_not_take(admin_client: APIClient) -> None:
    body = admin_client.post(
        USERS,
        {"email": "plain@example.com", "password": STRONG, "role": "customer", "is_staff": True, "is_superuser": True},
        format="json",
    ).json()
    user = User.objects.get(pk=body["id"])
    assert (user.role, user.is_staff, user.is_superuser) == ("customer", False, False)


# --- list and retrieve ----------------------------------------------------------------------


def _emails(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["email"] for row in response.json()["results"]]


def test_list_pages_filters_and_searches(admin_client: APIClient, admin_user: User) -> None:
    AgentFactory(email="bo.agent@example.com", first_name="Bo", last_name="Lind")
    AgentFactory(email="cy.agent@example.com", first_name="Cy", last_name="Moss", is_active=False)
    CustomerFactory(email="dee@example.com", first_name="Dee", last_name="Lind")
    ProviderFactory(email="eve@example.com", first_name="Eve", last_name="Park")

    everyone = admin_client.get(USERS).json()
    assert set(everyone) == {"count", "next", "previous", "results"}
    assert everyone["count"] == 5
    assert [row["email"] for row in everyone["results"]] == sorted(row["email"] for row in everyone["results"])
    assert set(everyone["results"][0]) == {
        "id",
        "email",
        "first_name",
        "last_name",
        "name",
        "role",
        "is_staff",
        "is_active",
        "triage",
        "date_joined",
    }

    assert _emails(admin_client.get(USERS, {"role": "agent"})) == ["bo.agent@example.com", "cy.agent@example.com"]
    assert set(_emails(admin_client.get(USERS, {"role": "customer,provider"}))) == {
        "dee@example.com",
        "eve@example.com",
    }
    assert _emails(admin_client.get(USERS, {"role": "agent", "is_active": "true"})) == ["bo.agent@example.com"]
    assert _emails(admin_client.get(USERS, {"is_active": "false"})) == ["cy.agent@example.com"]
    assert _emails(admin_client.get(USERS, {"search": "lind"})) == ["bo.agent@example.com", "dee@example.com"]
    assert _emails(admin_client.get(USERS, {"search": "  bo   LIND "})) == ["bo.agent@example.com"]
    assert _emails(admin_client.get(USERS, {"search": "eve@EXAMPLE"})) == ["eve@example.com"]
    assert _emails(admin_client.get(USERS, {"search": "nobody-like-this"})) == []
    assert _emails(admin_client.get(USERS, {"ordering": "-email"}))[0] == "eve@example.com"

    first = admin_client.get(USERS, {"page_size": 2}).json()
    assert (first["count"], len(first["results"])) == (5, 2)
    assert first["next"] and first["previous"] is None
    last = admin_client.get(USERS, {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"role": "root"}, "role"),
        ({"role": "agent,root"}, "role"),
        ({"is_active": "maybe"}, "is_active"),
        ({"search": "x" * 201}, "search"),
        ({"search": "nul\x00byte"}, "search"),
        ({"ordering": "password"}, "ordering"),
        ({"page": "0"}, "page"),
        ({"page_size": "-3"}, "page_size"),
    ],
)
def test_bad_list_parameters_are_validation_errors(admin_client: APIClient, params: dict[str, str], field: str) -> None:
    body = assert_error(admin_client.get(USERS, params), 400, "validation_error")
    assert field in body["details"], body


def test_a_page_past_the_end_is_not_found(admin_client: APIClient) -> None:
    assert_error(admin_client.get(USERS, {"page": "99"}), 404, "not_found")


@pytest.mark.parametrize("count", [1, 60])
def test_list_runs_a_constant_number_of_queries(
    admin_client: APIClient, django_assert_max_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        AgentFactory()
    # The requester, the count, the page.
    with django_assert_max_num_queries(3):
        response = admin_client.get(USERS, {"page_size": 100})
    assert response.json()["count"] == count + 1


def test_retrieve_one_user(admin_client: APIClient, customer: User) -> None:
    body = admin_client.get(user_url(customer)).json()
    assert (body["id"], body["email"], body["role"]) == (str(customer.pk), customer.email, "customer")


@pytest.mark.parametrize("bad_id", ["5f0c8a9e-7d1b-4c2a-9e3f-000000000001", "not-a-uuid", "123"])  # the first: nobody
def test_unknown_or_malformed_user_ids_are_not_found(admin_client: APIClient, bad_id: str) -> None:
    for response in (
        admin_client.get(user_url(bad_id)),
        admin_client.patch(user_url(bad_id), {"first_name": "X"}, format="json"),
        admin_client.post(user_url(bad_id, "deactivate")),
    ):
        assert_error(response, 404, "not_found")


# --- update: names and roles ----------------------------------------------------------------


def test_renaming_keeps_the_sessions(admin_client: APIClient, admin_user: User, agent: User) -> None:
    tokens = sign_in(agent)
    response = admin_client.patch(user_url(agent), {"first_name": "  Alicia ", "last_name": "Agent"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Alicia Agent"
    assert bearer(tokens["access"]).get("/api/auth/me/").status_code == 200
    entry = AuditEntry.objects.get(action="user.updated")
    assert entry.actor == admin_user
    assert entry.details == {"changes": {"first_name": ["Alice", "Alicia"]}}


def test_an_update_that_changes_nothing_writes_nothing(admin_client: APIClient, agent: User) -> None:
    before = accounts_snapshot()
    response = admin_client.patch(user_url(agent), {"first_name": "Alice", "role": "agent"}, format="json")
    assert response.status_code == 200
    assert accounts_snapshot() == before


def test_fields_outside_the_update_are_ignored(admin_client: APIClient, customer: User) -> None:
    response = admin_client.patch(
        user_url(customer),
        {"email": "hijack@example.com", "is_staff": True, "is_superuser": True, "password": "x", "token_version": 9},
        format="json",
    )
    assert response.status_code == 200
    fresh = User.objects.get(pk=customer.pk)
    assert (fresh.email, fresh.is_staff, fresh.is_superuser, fresh.token_version) == (customer.email, False, False, 0)
    assert fresh.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "owner"}, "role"),
        ({"role": None}, "role"),
        ({"is_active": "maybe"}, "is_active"),
        ({"first_name": "n" * 151}, "first_name"),
        ({"last_name": {"nested": "object"}}, "last_name"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(
    admin_client: APIClient, agent: User, body: dict[str, Any], field: str
) -> None:
    before = accounts_snapshot()
    error = assert_error(admin_client.patch(user_url(agent), body, format="json"), 400, "validation_error")
    assert field in error["details"], error
    assert accounts_snapshot() == before


def test_a_new_role_ends_every_session(admin_client: APIClient, admin_user: User, agent: User) -> None:
    tokens = sign_in(agent)
    response = admin_client.patch(user_url(agent), {"role": "admin"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["role"], response.json()["is_staff"]) == ("admin", True)
    assert_error(bearer(tokens["access"]).get("/api/auth/me/"), 401, "not_authenticated")
    refresh = APIClient().post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert_error(refresh, 401, "not_authenticated")
    # Signing in again gives the new role.
    me = bearer(sign_in(agent)["access"]).get("/api/auth/me/").json()
    assert me["role"] == "admin"
    assert User.objects.get(pk=agent.pk).is_superuser
    entry = AuditEntry.objects.get(action="user.updated")
    assert entry.details == {"changes": {"role": ["agent", "admin"]}}


def test_a_demoted_admin_keeps_no_superuser_power(admin_client: APIClient) -> None:
    other_admin = AdminFactory()
    assert other_admin.is_superuser
    response = admin_client.patch(user_url(other_admin), {"role": "agent"}, format="json")
    assert response.status_code == 200
    fresh = User.objects.get(pk=other_admin.pk)
    assert (fresh.role, fresh.is_staff, fresh.is_superuser) == ("agent", True, False)
    # The demoted admin can no longer manage users.
    assert_error(
        bearer(sign_in(fresh)["access"]).get(USERS),
        403,
        "permission_denied",
    )


def test_a_customer_promoted_to_agent_sees_the_queue(admin_client: APIClient, customer: User) -> None:
    other = CustomerFactory()
    theirs = ticket_services.ticket_create(actor=other, title="Other's", message_text="Hi", category="general")
    assert admin_client.patch(user_url(customer), {"role": "agent"}, format="json").status_code == 200
    promoted = bearer(sign_in(customer)["access"])
    assert promoted.get(f"/api/support/tickets/{theirs.pk}/").status_code == 200


@pytest.mark.parametrize(("body", "field"), [({"role": "agent"}, "role"), ({"role": "customer"}, "role")])
def test_an_admin_cannot_change_their_own_role(
    admin_client: APIClient, admin_user: User, body: dict[str, Any], field: str
) -> None:
    before = accounts_snapshot()
    error = assert_error(admin_client.patch(user_url(admin_user), body, format="json"), 400, "validation_error")
    assert field in error["details"]
    assert accounts_snapshot() == before
    assert admin_client.get("/api/auth/me/").status_code == 200  # still signed in


def test_an_admin_cannot_deactivate_themselves(admin_client: APIClient, admin_user: User) -> None:
    before = accounts_snapshot()
    for response in (
        admin_client.patch(user_url(admin_user), {"is_active": False}, format="json"),
        admin_client.post(user_url(admin_user, "deactivate")),
    ):
        error = assert_error(response, 400, "validation_error")
        assert "is_active" in error["details"]
    assert accounts_snapshot() == before


def test_an_admin_may_rename_themselves(admin_client: APIClient, admin_user: User) -> None:
    response = admin_client.patch(user_url(admin_user), {"first_name": "Adah", "role": "admin"}, format="json")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Adah"


# --- deactivation and demotion --------------------------------------------------------------


def _ticket(customer: User, agent: User, status: str = Status.OPEN) -> Ticket:
    ticket = ticket_services.ticket_create(actor=customer, title=f"{status} one", message_text="Hi", category="general")
    ticket_services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
    if status != Status.IN_PROGRESS:
        ticket_services.ticket_update(ticket=ticket, actor=agent, changes={"status": status})
    return Ticket.objects.get(pk=ticket.pk)


def test_deactivation_ends_sign_in_and_sessions_and_returns_open_tickets_to_the_queue(
    admin_client: APIClient, admin_user: User, agent: User, customer: User
) -> None:
    tokens = sign_in(agent)
    working = _ticket(customer, agent, Status.IN_PROGRESS)
    resolved = _ticket(customer, agent, Status.RESOLVED)
    closed = _ticket(customer, agent, Status.CLOSED)
    messages_before = list(agent.messages.values_list("pk", flat=True))

    response = admin_client.post(user_url(agent, "deactivate"))
    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False

    assert_error(bearer(tokens["access"]).get("/api/auth/me/"), 401, "not_authenticated")
    assert_error(
        APIClient().post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json"),
        401,
        "not_authenticated",
    )
    assert_error(
        APIClient().post("/api/auth/token/", {"email": agent.email, "password": PASSWORD}, format="json"),
        401,
        "not_authenticated",
    )
    # Nothing is deleted: the account, its messages and the tickets stay; the open work is unassigned
    # with a history entry by the admin, the closed ticket keeps its assignee for the metrics.
    assert User.objects.filter(pk=agent.pk).exists()
    assert list(agent.messages.values_list("pk", flat=True)) == messages_before
    for ticket in (working, resolved):
        assert Ticket.objects.get(pk=ticket.pk).assigned_agent_id is None
        event = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ASSIGNMENT).order_by("-created_at").first()
        assert event.actor == admin_user and event.new_value is None
    assert Ticket.objects.get(pk=closed.pk).assigned_agent_id == agent.pk
    entry = AuditEntry.objects.get(action="user.deactivated")
    assert entry.actor == admin_user
    assert entry.details == {"changes": {"is_active": ["True", "False"]}, "tickets_unassigned": 2}
    # The agent is out of the assignable list.
    assert str(agent.pk) not in {row["id"] for row in admin_client.get("/api/support/agents/").json()}


def test_deactivating_twice_is_harmless(admin_client: APIClient, customer: User) -> None:
    assert admin_client.post(user_url(customer, "deactivate")).status_code == 200
    before = accounts_snapshot()
    assert admin_client.post(user_url(customer, "deactivate")).status_code == 200
    assert accounts_snapshot() == before


def test_reactivation_allows_a_new_sign_in_but_not_the_old_sessions(admin_client: APIClient, agent: User) -> None:
    old = sign_in(agent)
    admin_client.post(user_url(agent, "deactivate"))
    response = admin_client.patch(user_url(agent), {"is_active": True}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is True
    assert_error(bearer(old["access"]).get("/api/auth/me/"), 401, "not_authenticated")
    assert bearer(sign_in(agent)["access"]).get("/api/auth/me/").status_code == 200
    assert AuditEntry.objects.filter(action="user.reactivated").count() == 1


def test_an_agent_made_customer_is_off_every_ticket_and_keeps_no_staff_notification(
    admin_client: APIClient, admin_user: User, customer: User
) -> None:
    # Dana was a customer with a ticket of her own, worked as an agent for a while, and goes back.
    dana = CustomerFactory()
    own = ticket_services.ticket_create(actor=dana, title="Mine", message_text="x", category="general")
    ticket_services.message_post(ticket=own, sender=admin_user, message_text="Here you go.")
    assert admin_client.patch(user_url(dana), {"role": "agent"}, format="json").status_code == 200
    dana.refresh_from_db()
    open_ticket = _ticket(customer, dana, Status.IN_PROGRESS)
    closed = _ticket(customer, dana, Status.CLOSED)
    ticket_services.message_post(ticket=open_ticket, sender=customer, message_text="Any news?")
    assert Notification.objects.filter(recipient=dana).exclude(ticket=own).exists()

    response = admin_client.patch(user_url(dana), {"role": "customer"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["role"], response.json()["is_staff"]) == ("customer", False)

    assert not Ticket.objects.filter(assigned_agent=dana).exists()
    assert {closed.pk, open_ticket.pk} <= set(
        TicketEvent.objects.filter(kind=EventKind.ASSIGNMENT, actor=admin_user).values_list("ticket_id", flat=True)
    )
    # Only the notification about her own ticket is left.
    assert list(Notification.objects.filter(recipient=dana).values_list("ticket_id", flat=True)) == [own.pk]
    # A later reply on her old ticket no longer reaches her, and the ticket is out of her sight.
    ticket_services.message_post(ticket=open_ticket, sender=customer, message_text="Hello again?")
    assert list(Notification.objects.filter(recipient=dana).values_list("ticket_id", flat=True)) == [own.pk]
    demoted = bearer(sign_in(dana)["access"])
    assert_error(demoted.get(f"/api/support/tickets/{open_ticket.pk}/"), 404, "ticket_not_found")
    assert [row["id"] for row in demoted.get("/api/support/tickets/").json()["results"]] == [str(own.pk)]
    assert demoted.get("/api/notifications/").json()["count"] == 1


def test_only_the_admin_role_can_hold_superuser_power() -> None:
    """However an account is changed (Django admin, shell, this API), only admins are superusers."""
    user = AdminFactory()
    user.role = Role.AGENT
    user.save(update_fields=["role"])
    assert not User.objects.get(pk=user.pk).is_superuser
    sneaky = AgentFactory(is_superuser=True)
    assert not User.objects.get(pk=sneaky.pk).is_superuser


def test_every_users_api_response_matches_the_schema(admin_client: APIClient, admin_user: User, agent: User) -> None:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from desk.support.tests.test_schema import SchemaChecker

    schema = SchemaGenerator().get_schema(request=None, public=True)
    api = SchemaChecker(json.loads(OpenApiJsonRenderer().render(schema, renderer_context={})))
    operations = {item[m]["operationId"] for item in api.openapi["paths"].values() for m in item}
    assert {"users_list", "users_create", "users_retrieve", "users_partial_update", "users_deactivate"} <= operations

    created = api.check(
        "post", USERS, admin_client.post(USERS, {"email": "s@example.com", "password": STRONG, "role": "agent"})
    )
    new = created.json()["id"]
    for method, url, client, data in [
        ("get", USERS + "?role=agent&search=s&page_size=1", admin_client, None),
        ("get", USERS + "?role=nope", admin_client, None),
        ("get", USERS + "?page=99", admin_client, None),
        ("get", USERS, client_for(agent), None),
        ("get", USERS, APIClient(), None),
        ("post", USERS, admin_client, {"email": "s@example.com", "password": STRONG, "role": "agent"}),
        ("get", user_url(new), admin_client, None),
        ("get", user_url(uuid.uuid4()), admin_client, None),
        ("patch", user_url(new), admin_client, {"last_name": "Smith"}),
        ("patch", user_url(admin_user), admin_client, {"role": "agent"}),
        ("patch", user_url(new), client_for(agent), {"last_name": "Smith"}),
        ("post", user_url(new, "deactivate"), admin_client, None),
        ("post", user_url(admin_user, "deactivate"), admin_client, None),
        ("post", user_url(uuid.uuid4(), "deactivate"), APIClient(), None),
    ]:
        response = getattr(client, method)(url, data, format="json") if data else getattr(client, method)(url)
        api.check(method, url, response)


def test_admins_put_staff_in_the_triage_group_and_only_staff(admin_client, agent):
    from desk.core.models import AuditEntry

    response = admin_client.patch(user_url(agent), {"triage": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["triage"] is True
    agent.refresh_from_db()
    assert agent.triage
    assert AuditEntry.objects.filter(action="user.updated", target_id=str(agent.pk)).exists()
    customer = CustomerFactory()
    refused = admin_client.patch(user_url(customer), {"triage": True}, format="json")
    assert refused.status_code == 400
    assert "triage" in refused.json()["details"]
    customer.refresh_from_db()
    assert not customer.triage
    # Someone who leaves the staff leaves triage too.
    admin_client.patch(user_url(agent), {"role": "customer"}, format="json")
    agent.refresh_from_db()
    assert (agent.role, agent.triage) == ("customer", False)
