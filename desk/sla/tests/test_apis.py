"""The calendar and policy endpoints (validation on the fields, the built-in calendar, positions),
the queue's `ordering=sla` and `sla=` filters, and the queries each costs."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import client_for
from desk.sla.models import BusinessCalendar, SlaPolicy
from desk.sla.tests.conftest import fresh
from desk.support import services as support_services

pytestmark = pytest.mark.django_db

CALENDARS = "/api/support/calendars/"
POLICIES = "/api/support/sla-policies/"
SPLIT_DAY = {"mon": [["09:00", "12:30"], ["13:30", "18:00"]], "fri": [["09:00", "24:00"]]}


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return client_for(admin_user)


def test_the_builtin_calendar_is_always_there_and_read_only(admin_api, agent_client):
    listing = agent_client.get(CALENDARS).json()
    builtin = listing["results"][0]
    assert (builtin["name"], builtin["builtin"], builtin["time_zone"]) == ("24/7", True, "UTC")
    assert builtin["hours"]["sun"] == [["00:00", "24:00"]]
    url = f"{CALENDARS}{builtin['id']}/"
    assert admin_api.patch(url, {"name": "Mine"}, format="json").status_code == 403
    assert admin_api.delete(url).status_code == 403
    assert BusinessCalendar.objects.filter(builtin=True, name="24/7").exists()


def test_an_admin_creates_a_calendar_in_canonical_form(admin_api):
    response = admin_api.post(
        CALENDARS,
        {"name": "Kathmandu", "time_zone": "Asia/Kathmandu", "hours": SPLIT_DAY, "holidays": ["2026-10-21"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hours"] == {
        "mon": [["09:00", "12:30"], ["13:30", "18:00"]],
        "tue": [],
        "wed": [],
        "thu": [],
        "fri": [["09:00", "24:00"]],
        "sat": [],
        "sun": [],
    }
    assert body["holidays"] == ["2026-10-21"] and body["builtin"] is False and body["policy_count"] == 0


def test_public_holidays_come_from_the_holidays_package(admin_api):
    response = admin_api.post(
        CALENDARS,
        {
            "name": "Nepal",
            "time_zone": "Asia/Kathmandu",
            "hours": SPLIT_DAY,
            "holiday_country": "NP",
            "holiday_years": [2026],
        },
        format="json",
    )
    holidays = response.json()["holidays"]
    assert len(holidays) > 10 and all(day.startswith("2026-") for day in holidays)
    assert holidays == sorted(holidays)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"time_zone": "Mars/Olympus"}, {"time_zone"}),
        ({"hours": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}, {"hours.mon"}),
        ({"hours": {"tue": [["17:00", "09:00"]]}}, {"hours.tue"}),
        ({"hours": {}}, {"hours"}),
        ({"hours": {"someday": [["09:00", "10:00"]]}}, {"hours"}),
        ({"holidays": ["2026-13-01"]}, {"holidays"}),
        ({"holiday_country": "XX"}, {"holiday_country"}),
        ({"name": ""}, {"name"}),
        ({"time_zone": "", "hours": {"wed": [["25:00", "26:00"]]}}, {"time_zone", "hours.wed"}),
    ],
)
def test_calendar_validation_names_each_field_and_saves_nothing(admin_api, values, errors):
    body = {"name": "Office", "time_zone": "UTC", "hours": SPLIT_DAY, **values}
    before = BusinessCalendar.objects.count()
    response = admin_api.post(CALENDARS, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "validation_error"
    assert set(response.json()["details"]) == errors
    assert BusinessCalendar.objects.count() == before


def test_a_calendar_in_use_cannot_be_deleted(admin_api):
    calendar = admin_api.post(CALENDARS, {"name": "Office", "time_zone": "UTC", "hours": SPLIT_DAY}, format="json")
    calendar_id = calendar.json()["id"]
    admin_api.post(POLICIES, {"name": "P", "calendar": calendar_id, "targets": {"resolution": 60}}, format="json")
    response = admin_api.delete(f"{CALENDARS}{calendar_id}/")
    assert (response.status_code, response.json()["error"]) == (409, "conflict")
    assert admin_api.get(f"{CALENDARS}{calendar_id}/").json()["policy_count"] == 1


def test_policies_keep_positions_one_to_n(admin_api):
    def create(name: str, **extra):
        return admin_api.post(POLICIES, {"name": name, "targets": {"first_response": 30}, **extra}, format="json")

    a, b = create("A").json(), create("B").json()
    c = create("C", position=1).json()  # placed first, the others shift
    names = lambda: [(p["name"], p["position"]) for p in admin_api.get(POLICIES).json()["results"]]  # noqa: E731
    assert names() == [("C", 1), ("A", 2), ("B", 3)]
    admin_api.patch(f"{POLICIES}{c['id']}/", {"position": 3}, format="json")
    assert names() == [("A", 1), ("B", 2), ("C", 3)]
    admin_api.patch(f"{POLICIES}{b['id']}/", {"position": 99}, format="json")
    assert names() == [("A", 1), ("C", 2), ("B", 3)]
    admin_api.delete(f"{POLICIES}{a['id']}/")
    assert names() == [("C", 1), ("B", 2)]


def test_a_policy_defaults_to_the_builtin_calendar(admin_api):
    body = admin_api.post(POLICIES, {"name": "All", "targets": {"resolution": 480}}, format="json").json()
    assert body["calendar"] == str(BusinessCalendar.objects.get(builtin=True).pk)
    assert body["targets"] == {"first_response": None, "next_response": None, "resolution": 480}
    assert body["conditions"] == {} and body["escalate_on_breach"] is False


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"targets": {}}, {"targets"}),
        ({"targets": {"first_response": 0}}, {"targets.first_response"}),
        ({"targets": {"resolution": "soon"}}, {"targets.resolution"}),
        ({"targets": {"lunch": 5}}, {"targets"}),
        ({"conditions": {"priority": ["sky-high"]}}, {"conditions.priority"}),
        ({"conditions": {"weather": ["rain"]}}, {"conditions"}),
        ({"calendar": "00000000-0000-0000-0000-000000000000"}, {"calendar"}),
        ({"calendar": "not-an-id"}, {"calendar"}),
        ({"name": "  "}, {"name"}),
        ({"escalate_on_breach": "yes"}, {"escalate_on_breach"}),
    ],
)
def test_policy_validation_names_each_field_and_saves_nothing(admin_api, values, errors):
    body = {"name": "P", "targets": {"first_response": 30}, **values}
    response = admin_api.post(POLICIES, body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()["details"]) == errors
    assert not SlaPolicy.objects.exists()


def test_a_body_that_is_not_an_object_is_refused(admin_api):
    response = admin_api.post(POLICIES, ["name"], format="json")
    assert response.status_code == 400


def test_agents_read_policies_but_do_not_write_them(agent_client, admin_api):
    admin_api.post(POLICIES, {"name": "P", "targets": {"first_response": 30}}, format="json")
    assert agent_client.get(POLICIES).json()["count"] == 1
    response = agent_client.post(POLICIES, {"name": "Q", "targets": {"first_response": 30}}, format="json")
    assert (response.status_code, response.json()["error"]) == (403, "permission_denied")


def test_unknown_ids_are_404(agent_client):
    for url in (f"{CALENDARS}nope/", f"{POLICIES}00000000-0000-0000-0000-000000000000/"):
        response = agent_client.get(url)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")


# --- the queue ------------------------------------------------------------------------------


@pytest.fixture
def queue(clock, make_policy, open_ticket, agent):
    """Four tickets: one breached, one at risk, one fine, one without a policy."""
    make_policy(name="Urgent", conditions={"priority": ["urgent"]}, targets={"first_response": 20})
    make_policy(name="High", conditions={"priority": ["high"]}, targets={"first_response": 120})
    make_policy(name="Medium", conditions={"priority": ["medium"]}, targets={"first_response": 600})
    tickets = {
        "breached": open_ticket(title="breached", priority="urgent"),
        "at_risk": open_ticket(title="at_risk", priority="high"),
        "ok": open_ticket(title="ok", priority="medium"),
        "none": open_ticket(title="none", priority="low"),
    }
    clock.advance(minutes=95)  # urgent overdue; high at 79% of its time; medium at 16%
    return tickets


def titles(client, **query):
    response = client.get("/api/support/tickets/", query)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_ordering_by_sla_puts_the_soonest_breach_first_and_none_last(queue, agent_client):
    assert titles(agent_client, ordering="sla") == ["breached", "at_risk", "ok", "none"]


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ("breached", ["breached"]),
        ("at_risk", ["at_risk"]),
        ("ok", ["ok"]),
        ("none", ["none"]),
        ("breached,at_risk", ["breached", "at_risk"]),
    ],
)
def test_the_sla_filter(queue, agent_client, states, expected):
    assert titles(agent_client, sla=states, ordering="sla") == expected


def test_a_paused_ticket_sorts_with_those_without_a_due_time(queue, agent_client, agent):
    support_services.ticket_update(ticket=fresh(queue["breached"]), actor=agent, changes={"status": "pending"})
    assert titles(agent_client, ordering="sla")[-2:] in (["breached", "none"], ["none", "breached"])
    assert "breached" in titles(agent_client, sla="breached")  # a missed target stays missed


def test_an_unknown_sla_state_is_refused(agent_client):
    response = agent_client.get("/api/support/tickets/", {"sla": "late"})
    assert response.status_code == 400 and "sla" in response.json()["details"]


def test_list_rows_carry_the_block_in_one_more_query(queue, agent_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        rows = agent_client.get("/api/support/tickets/", {"ordering": "sla"}).json()["results"]
    blocks = {row["title"]: row["sla"] for row in rows}
    assert blocks["none"] is None
    assert blocks["breached"]["breached"] == ["first_response"]
    assert blocks["at_risk"]["policy"]["name"] == "High"


def test_a_staff_detail_carries_the_block(queue, agent_client):
    body = agent_client.get(f"/api/support/tickets/{queue['ok'].pk}/").json()
    assert body["sla"]["policy"]["name"] == "Medium"
    assert body["sla"]["first_response_due_at"] == "2026-12-07T19:00:00Z"


def test_the_dashboard_shows_attainment(queue, agent_client, agent, clock):
    from desk.sla import services

    services.sla_check()  # the urgent one is missed
    support_services.message_post(ticket=fresh(queue["ok"]), sender=agent, message_text="Answer")
    support_services.ticket_assign(ticket=fresh(queue["at_risk"]), actor=agent, agent_id=agent.pk)
    sla = agent_client.get("/api/support/metrics/", {"from": "2026-12-01", "to": "2026-12-07"}).json()["sla"]
    assert sla["targets"]["first_response"] == {"met": 1, "breached": 1, "percentage": 50.0}
    assert sla["targets"]["resolution"] == {"met": 0, "breached": 0, "percentage": None}
    assert sla["by_priority"]["urgent"] == {"met": 0, "breached": 1, "percentage": 0.0}
    assert sla["by_priority"]["medium"] == {"met": 1, "breached": 0, "percentage": 100.0}
    assert (sla["at_risk_count"], sla["breached_open_count"]) == (1, 1)
    assert [row["title"] for row in sla["at_risk"]] == ["breached", "at_risk"]
    assert sla["at_risk"][1]["assigned_agent"]["id"] == str(agent.pk)
