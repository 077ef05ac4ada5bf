from __future__ import annotations

import uuid

import pytest

from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory
from desk.support import services as ticket_services
from desk.support.models import EventKind, Ticket, TicketEvent
from desk.support.tests.factories import TicketFactory
from desk.workspace.models import CannedResponse

pytestmark = pytest.mark.django_db

API = "/api/support/"


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response.json()["error"] == code
    return response.json()


# --- permissions ------------------------------------------------------------------------------


def staff_endpoints(ticket_id, canned_id):
    return [
        ("get", f"{API}agents/", None),
        ("get", f"{API}customers/", None),
        ("get", f"{API}canned-responses/", None),
        ("post", f"{API}canned-responses/", {"title": "Hi", "body": "Hello"}),
        ("get", f"{API}canned-responses/{canned_id}/", None),
        ("patch", f"{API}canned-responses/{canned_id}/", {"title": "x"}),
        ("delete", f"{API}canned-responses/{canned_id}/", None),
        ("post", f"{API}canned-responses/{canned_id}/render/", {"ticket_id": str(ticket_id)}),
        ("post", f"{API}tickets/bulk/", {"ticket_ids": [str(ticket_id)], "action": "set_priority", "value": "high"}),
        ("get", f"{API}metrics/", None),
    ]


def test_customers_get_403_and_anonymous_401_on_every_staff_endpoint(customer, make_client):
    own = TicketFactory(customer=customer)
    canned = CannedResponse.objects.create(owner=AgentFactory(), title="Hi", body="Hello", shared=True)
    for method, url, body in staff_endpoints(own.pk, canned.pk):
        error(getattr(make_client(customer), method)(url, body), 403, "permission_denied")
        error(getattr(make_client(None), method)(url, body), 401, "not_authenticated")
    own.refresh_from_db()
    assert own.priority == "medium"
    assert CannedResponse.objects.filter(pk=canned.pk, title="Hi").exists()


def test_history_is_staff_only_and_hides_other_customers_tickets(customer, other_customer, make_client):
    own = TicketFactory(customer=customer)
    theirs = TicketFactory(customer=other_customer)
    error(make_client(customer).get(f"{API}tickets/{own.pk}/history/"), 403, "permission_denied")
    error(make_client(customer).get(f"{API}tickets/{theirs.pk}/history/"), 404, "ticket_not_found")
    error(make_client(None).get(f"{API}tickets/{own.pk}/history/"), 401, "not_authenticated")


# --- agents -------------------------------------------------------------------------------------


def test_agents_list_shows_active_staff_with_their_open_load(agent_client, agent, customer):
    other = AgentFactory()
    AgentFactory(is_active=False)
    CustomerFactory()
    TicketFactory(assigned_agent=agent, status="open")
    TicketFactory(assigned_agent=agent, status="in_progress")
    TicketFactory(assigned_agent=agent, status="closed", closed_at="2026-01-01T00:00Z")
    rows = {row["id"]: row for row in agent_client.get(f"{API}agents/").json()}
    assert set(rows) == {str(agent.pk), str(other.pk)}
    assert rows[str(agent.pk)]["open_tickets"] == 2
    assert rows[str(other.pk)]["open_tickets"] == 0


def test_agents_list_query_count_is_constant(agent_client, django_assert_num_queries):
    with django_assert_num_queries(2) as first:
        agent_client.get(f"{API}agents/")
    for _ in range(10):
        TicketFactory(assigned_agent=AgentFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(agent_client.get(f"{API}agents/").json()) == 11


# --- canned responses ---------------------------------------------------------------------------


def test_canned_response_crud_and_visibility(make_client):
    alice, bob, ada = AgentFactory(), AgentFactory(), AdminFactory()
    created = make_client(alice).post(
        f"{API}canned-responses/", {"title": "Refund", "body": "Hi {{customer_first_name}}", "shared": True}
    )
    assert created.status_code == 201
    shared_id = created.json()["id"]
    personal_id = make_client(alice).post(f"{API}canned-responses/", {"title": "Mine", "body": "Only me"}).json()["id"]

    bob_list = {row["id"]: row for row in make_client(bob).get(f"{API}canned-responses/").json()}
    assert set(bob_list) == {shared_id}
    assert bob_list[shared_id]["can_edit"] is False
    error(make_client(bob).get(f"{API}canned-responses/{personal_id}/"), 404, "not_found")
    error(make_client(bob).patch(f"{API}canned-responses/{shared_id}/", {"title": "Hijack"}), 403, "permission_denied")
    error(make_client(bob).delete(f"{API}canned-responses/{personal_id}/"), 404, "not_found")
    # An admin may edit shared responses.
    assert (
        make_client(ada).patch(f"{API}canned-responses/{shared_id}/", {"title": "Refunds"}).json()["title"] == "Refunds"
    )
    assert make_client(alice).delete(f"{API}canned-responses/{personal_id}/").status_code == 204
    assert not CannedResponse.objects.filter(pk=personal_id).exists()
    search = make_client(alice).get(f"{API}canned-responses/?search=refund").json()
    assert [row["id"] for row in search] == [shared_id]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "body": "x"}, "title"),
        ({"title": "x" * 121, "body": "x"}, "title"),
        ({"title": "x", "body": "   "}, "body"),
        ({"title": "x", "body": "Hi {{password}}"}, "body"),
        ({"title": "x"}, "body"),
        ({"title": "x", "body": "y", "shared": "perhaps"}, "shared"),
    ],
)
def test_bad_canned_responses_are_refused(agent_client, body, field):
    result = error(agent_client.post(f"{API}canned-responses/", body, format="json"), 400, "validation_error")
    assert field in result["details"]
    assert CannedResponse.objects.count() == 0


def test_render_fills_placeholders_for_the_ticket(make_client):
    agent = AgentFactory(first_name="Alice", last_name="Agent")
    customer = CustomerFactory(first_name="Carol", last_name="Customer")
    ticket = TicketFactory(customer=customer, title="Broken tap")
    canned = CannedResponse.objects.create(
        owner=agent,
        title="Greeting",
        body='Hi {{ customer_first_name }}, about "{{ticket_title}}": {{agent_name}} ({{agent_first_name}}) for {{customer_name}}.',
    )
    body = (
        make_client(agent)
        .post(f"{API}canned-responses/{canned.pk}/render/", {"ticket_id": str(ticket.pk)})
        .json()["body"]
    )
    assert body == 'Hi Carol, about "Broken tap": Alice Agent (Alice) for Carol Customer.'
    error(
        make_client(agent).post(f"{API}canned-responses/{canned.pk}/render/", {"ticket_id": str(uuid.uuid4())}),
        404,
        "ticket_not_found",
    )


# --- bulk actions -------------------------------------------------------------------------------


def test_bulk_assign_changes_every_ticket_and_records_each_event(agent_client, agent):
    tickets = [TicketFactory() for _ in range(5)]
    response = agent_client.post(
        f"{API}tickets/bulk/",
        {"ticket_ids": [str(t.pk) for t in tickets], "action": "assign", "value": str(agent.pk)},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["updated"] == 5
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assigned_agent_id == agent.pk
        assert ticket.status == "in_progress"
        assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ASSIGNMENT, actor=agent).count() == 1


@pytest.mark.parametrize(
    ("action", "value", "check"),
    [
        ("set_status", "resolved", lambda t: t.status == "resolved"),
        ("set_priority", "urgent", lambda t: t.priority == "urgent"),
        ("add_tag", "VIP", lambda t: t.tags == ["old", "vip"]),
        ("remove_tag", "old", lambda t: t.tags == []),
    ],
)
def test_bulk_actions(agent_client, action, value, check):
    tickets = [TicketFactory(tags=["old"]) for _ in range(3)]
    response = agent_client.post(
        f"{API}tickets/bulk/",
        {"ticket_ids": [str(t.pk) for t in tickets], "action": action, "value": value},
        format="json",
    )
    assert response.status_code == 200, response.content
    for ticket in tickets:
        ticket.refresh_from_db()
        assert check(ticket)
        assert TicketEvent.objects.filter(ticket=ticket).count() == 1


def test_bulk_with_one_unknown_id_changes_nothing(agent_client):
    tickets = [TicketFactory() for _ in range(3)]
    ids = [str(t.pk) for t in tickets] + [str(uuid.uuid4())]
    result = error(
        agent_client.post(
            f"{API}tickets/bulk/", {"ticket_ids": ids, "action": "set_priority", "value": "urgent"}, format="json"
        ),
        400,
        "validation_error",
    )
    assert "ticket_ids" in result["details"]
    assert set(Ticket.objects.values_list("priority", flat=True)) == {"medium"}
    assert TicketEvent.objects.count() == 0


def test_bulk_failing_on_one_ticket_rolls_back_the_others(agent_client):
    full = TicketFactory(tags=[f"t{i}" for i in range(20)])  # at the tag limit
    others = [TicketFactory() for _ in range(3)]
    ids = [str(t.pk) for t in others] + [str(full.pk)]
    result = error(
        agent_client.post(
            f"{API}tickets/bulk/", {"ticket_ids": ids, "action": "add_tag", "value": "extra"}, format="json"
        ),
        400,
        "validation_error",
    )
    assert str(full.pk) in result["message"]
    assert result["details"]["failed_ticket"] == [str(full.pk)]
    for ticket in others:
        ticket.refresh_from_db()
        assert ticket.tags == []
    assert TicketEvent.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"ticket_ids": [], "action": "set_status", "value": "open"},
        {"ticket_ids": ["nope"], "action": "set_status", "value": "open"},
        {"ticket_ids": [str(uuid.uuid4())] * 2, "action": "set_status", "value": "open"},
        {"ticket_ids": [str(uuid.uuid4()) for _ in range(101)], "action": "set_status", "value": "open"},
        {"ticket_ids": [str(uuid.uuid4())], "action": "delete"},
        {"ticket_ids": [str(uuid.uuid4())], "action": "set_status", "value": "pending"},
        {"ticket_ids": [str(uuid.uuid4())], "action": "add_tag", "value": 7},
        {"ticket_ids": [str(uuid.uuid4())], "action": "assign", "value": "not-an-id"},
    ],
)
def test_bad_bulk_requests_are_400(agent_client, body):
    error(agent_client.post(f"{API}tickets/bulk/", body, format="json"), 400, "validation_error")


def test_bulk_assign_to_a_customer_is_refused(agent_client):
    ticket = TicketFactory()
    customer = CustomerFactory()
    error(
        agent_client.post(
            f"{API}tickets/bulk/",
            {"ticket_ids": [str(ticket.pk)], "action": "assign", "value": str(customer.pk)},
            format="json",
        ),
        400,
        "validation_error",
    )
    ticket.refresh_from_db()
    assert ticket.assigned_agent is None


# --- history ------------------------------------------------------------------------------------


def test_history_lists_events_newest_first_with_actor_names(make_client):
    agent = AgentFactory(first_name="Alice", last_name="Agent")
    customer = CustomerFactory()
    ticket = ticket_services.ticket_create(actor=customer, title="Tap", message_text="Drips", category="service")
    ticket_services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
    ticket_services.ticket_escalate(ticket=ticket, actor=agent, reason="VIP")
    events = make_client(agent).get(f"{API}tickets/{ticket.pk}/history/").json()
    kinds = [event["kind"] for event in events]
    assert kinds[-1] == "created"
    # One entry for the escalation, which says how the priority went (not a second one for it).
    assert sorted(kinds) == ["assigned", "created", "escalated", "status_changed"]
    times = [event["created_at"] for event in events]
    assert times == sorted(times, reverse=True)
    escalation = next(event for event in events if event["kind"] == "escalated")
    assert escalation["actor"]["name"] == "Alice Agent"
    assert escalation["note"] == "VIP"


def test_history_query_count_is_constant(make_client, django_assert_num_queries):
    agent = AgentFactory()
    ticket = TicketFactory()
    client = make_client(agent)
    ticket_services.ticket_update(ticket=ticket, actor=agent, changes={"priority": "high"})
    with django_assert_num_queries(3) as first:
        client.get(f"{API}tickets/{ticket.pk}/history/")
    for priority in ["low", "urgent", "medium", "high"] * 5:
        ticket_services.ticket_update(ticket=ticket, actor=AgentFactory(), changes={"priority": priority})
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(client.get(f"{API}tickets/{ticket.pk}/history/").json()) == 21


def test_staff_can_list_one_customers_tickets(agent_client, customer, other_customer, customer_client):
    mine = [TicketFactory(customer=customer) for _ in range(2)]
    TicketFactory(customer=other_customer)
    rows = agent_client.get(f"{API}tickets/?customer={customer.pk}").json()["results"]
    assert {row["id"] for row in rows} == {str(t.pk) for t in mine}
    # A customer asking for someone else's tickets this way gets none of them.
    assert customer_client.get(f"{API}tickets/?customer={other_customer.pk}").json()["count"] == 0
    assert agent_client.get(f"{API}tickets/?customer=nope").status_code == 400


def test_staff_find_customers_by_email_or_name(agent_client, django_assert_num_queries):
    carol = CustomerFactory(first_name="Carol", last_name="Jones", email="carol.j@example.com")
    from desk.accounts.tests.factories import ProviderFactory

    dave = ProviderFactory(first_name="Dave", last_name="Smith", email="dave@example.com")
    CustomerFactory(first_name="Gone", is_active=False)
    AgentFactory(first_name="Carol", last_name="Agent")
    TicketFactory(customer=carol)
    rows = agent_client.get(f"{API}customers/?search=carol").json()["results"]
    assert [(row["email"], row["ticket_count"]) for row in rows] == [("carol.j@example.com", 1)]
    assert [row["id"] for row in agent_client.get(f"{API}customers/?search=SMITH").json()["results"]] == [str(dave.pk)]
    assert [row["id"] for row in agent_client.get(f"{API}customers/?search=dave smi").json()["results"]] == [
        str(dave.pk)
    ]
    assert agent_client.get(f"{API}customers/?search=dave jones").json()["count"] == 0
    with django_assert_num_queries(3):
        assert agent_client.get(f"{API}customers/").json()["count"] == 2


def test_a_canned_response_title_is_kept_on_one_line(agent_client):
    created = agent_client.post(f"{API}canned-responses/", {"title": "Hi\r\nthere", "body": "Line one\nline two"})
    assert created.status_code == 201, created.content
    assert (created.json()["title"], created.json()["body"]) == ("Hi there", "Line one\nline two")
