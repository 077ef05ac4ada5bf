"""The clocks as tickets live: chosen at creation, stopped while pending, resumed on reopening,
re-chosen when the priority changes, met by public replies (web or email) and never by notes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desk.sla import selectors, services
from desk.sla.models import SlaOutcome, TicketSla
from desk.sla.tests.conftest import fresh
from desk.support import services as support_services
from desk.support.models import EventKind, Status, TicketEvent

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, day: int = 7) -> str:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC).isoformat().replace("+00:00", "Z")


def history(ticket, kind):
    return list(
        TicketEvent.objects.filter(ticket=ticket, kind=kind).order_by("created_at").values_list("new_value", flat=True)
    )


def test_the_first_matching_policy_by_position_applies(clock, make_policy, open_ticket):
    make_policy(name="Urgent", conditions={"priority": ["urgent"]}, targets={"first_response": 15})
    make_policy(name="Billing", conditions={"category": ["billing"]}, targets={"first_response": 120})
    make_policy(name="Everyone", targets={"first_response": 240})
    assert selectors.sla_block_for(open_ticket(priority="urgent", category="billing"))["policy"]["name"] == "Urgent"
    assert selectors.sla_block_for(open_ticket(category="billing"))["policy"]["name"] == "Billing"
    assert selectors.sla_block_for(open_ticket())["policy"]["name"] == "Everyone"


def test_no_matching_policy_means_no_sla(clock, make_policy, open_ticket):
    make_policy(conditions={"source": ["phone"]})
    ticket = open_ticket()
    assert selectors.sla_block_for(ticket) is None
    assert fresh(ticket).sla_tracked is False
    assert not TicketSla.objects.filter(ticket=ticket).exists()


def test_conditions_on_customer_role_and_source(clock, make_policy, open_ticket, agent, customer):
    make_policy(name="Providers", conditions={"customer_role": ["provider"]})
    make_policy(name="Phone", conditions={"source": ["phone"]})
    provider = type(customer).objects.create_user(email="p@example.com", password="x" * 12, role="provider")
    assert selectors.sla_block_for(open_ticket(actor=provider))["policy"]["name"] == "Providers"
    phoned = open_ticket(actor=agent, customer=customer, source="phone")
    assert selectors.sla_block_for(phoned)["policy"]["name"] == "Phone"


def test_due_times_count_business_hours_only(clock, make_policy, open_ticket, office_hours):
    clock.advance(hours=7, minutes=30)  # Monday 16:30: half an hour of business time left today
    make_policy(calendar=office_hours, targets={"first_response": 60, "resolution": 480})
    sla = selectors.sla_block_for(open_ticket())
    assert sla["first_response_due_at"] == at(9, 30, day=8)  # 30 min today, 30 min Tuesday morning
    assert sla["resolution_due_at"] == at(16, 30, day=8)
    assert sla["next_breach_at"] == sla["first_response_due_at"]
    assert sla["at_risk_at"] == at(9, 15, day=8)  # 45 of the 60 minutes


def test_a_public_staff_reply_meets_the_first_response_and_history_says_so(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 60, "resolution": 480})
    ticket = open_ticket()
    clock.advance(minutes=20)
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Looking now.")
    sla = selectors.sla_block_for(ticket)
    first = next(target for target in sla["targets"] if target["name"] == "first_response")
    assert (first["state"], first["met_at"], sla["first_response_due_at"]) == ("met", at(9, 20), None)
    assert history(ticket, EventKind.SLA_MET) == [
        {"target": "first_response", "due_at": "2026-12-07T10:00:00+00:00", "met_at": "2026-12-07T09:20:00+00:00"}
    ]
    assert SlaOutcome.objects.get(ticket=ticket, target="first_response").met is True


def test_internal_notes_never_meet_a_target(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 60})
    ticket = open_ticket()
    clock.advance(minutes=20)
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Call her back", is_internal=True)
    sla = selectors.sla_block_for(ticket)
    assert sla["first_response_due_at"] == at(10)
    assert sla["targets"][0]["state"] == "running"
    assert history(ticket, EventKind.SLA_MET) == []


def test_an_emailed_staff_reply_meets_the_target_like_a_web_reply(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 60})
    ticket = open_ticket()
    clock.advance(minutes=30)
    content = support_services.MailContent(text="Replying from my phone.", email_from="", email_message_id="<a@b>")
    support_services.message_post_from_mail(ticket=fresh(ticket), sender=agent, content=content)
    first = selectors.sla_block_for(ticket)["targets"][0]
    assert (first["state"], first["met_at"]) == ("met", at(9, 30))


def test_next_response_counts_from_the_customers_message(clock, make_policy, open_ticket, agent, customer):
    make_policy(targets={"first_response": 60, "next_response": 30})
    ticket = open_ticket()
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Hello")
    sla = selectors.sla_block_for(ticket)
    assert sla["next_response_due_at"] is None and sla["targets"][1]["state"] == "idle"
    clock.advance(hours=1)
    support_services.message_post(ticket=fresh(ticket), sender=customer, message_text="Still nothing")
    clock.advance(minutes=5)
    support_services.message_post(ticket=fresh(ticket), sender=customer, message_text="Hello?")  # still the same wait
    assert selectors.sla_block_for(ticket)["next_response_due_at"] == at(10, 30)
    clock.advance(minutes=10)
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Sorry, on it")
    sla = selectors.sla_block_for(ticket)
    assert sla["next_response_due_at"] is None and sla["targets"][1]["met_at"] == at(10, 15)
    assert [value["target"] for value in history(ticket, EventKind.SLA_MET)] == ["first_response", "next_response"]


def test_pending_stops_the_clocks_and_the_customers_reply_starts_them_again(
    clock, make_policy, open_ticket, agent, customer
):
    make_policy(targets={"first_response": 60, "resolution": 120})
    ticket = open_ticket()
    support_services.ticket_assign(ticket=fresh(ticket), actor=agent, agent_id=agent.pk)
    clock.advance(minutes=30)
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "pending"})
    sla = selectors.sla_block_for(ticket)
    assert sla["paused"] is True and sla["next_breach_at"] is None
    assert sla["resolution_due_at"] is None and sla["targets"][-1] == {
        "name": "resolution",
        "minutes": 120,
        "state": "paused",
        "due_at": None,
        "at_risk_at": None,
        "met_at": None,
        "remaining_minutes": 90.0,
    }
    assert fresh(ticket).sla_next_breach_at is None
    clock.advance(hours=5)  # waiting on the customer for five hours costs nothing
    support_services.message_post(ticket=fresh(ticket), sender=customer, message_text="Here is the receipt")
    ticket = fresh(ticket)
    assert ticket.status == Status.IN_PROGRESS  # assigned: back in progress
    sla = selectors.sla_block_for(ticket)
    assert sla["paused"] is False
    assert sla["first_response_due_at"] == at(15, 0)  # 30 minutes left, from 14:30
    assert sla["resolution_due_at"] == at(16, 0)  # 90 minutes left


def test_an_unassigned_pending_ticket_goes_back_to_open_on_an_emailed_reply(
    clock, make_policy, open_ticket, agent, customer
):
    make_policy(targets={"resolution": 60})
    ticket = open_ticket()
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "pending"})
    clock.advance(hours=2)
    content = support_services.MailContent(text="Sent it", email_from=customer.email, email_message_id="<c@d>")
    support_services.message_post_from_mail(ticket=fresh(ticket), sender=customer, content=content)
    assert fresh(ticket).status == Status.OPEN
    assert selectors.sla_block_for(ticket)["resolution_due_at"] == at(12, 0)


def test_reopening_a_resolved_ticket_resumes_the_same_resolution_clock(
    clock, make_policy, open_ticket, agent, customer
):
    make_policy(targets={"resolution": 120})
    ticket = open_ticket()
    clock.advance(minutes=40)
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "resolved"})
    sla = selectors.sla_block_for(ticket)
    assert sla["targets"][0]["state"] == "met" and sla["paused"] is True
    assert SlaOutcome.objects.get(ticket=ticket, target="resolution").met is True
    clock.advance(days=1)
    support_services.message_post(ticket=fresh(ticket), sender=customer, message_text="It broke again")
    sla = selectors.sla_block_for(ticket)
    assert sla["resolution_due_at"] == at(11, 0, day=8)  # 80 minutes left, from Tuesday 09:40
    assert sla["targets"][0]["state"] == "running"
    clock.advance(hours=3)  # resolved again, late this time
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "resolved"})
    outcome = SlaOutcome.objects.get(ticket=ticket, target="resolution")
    assert outcome.met is False
    assert selectors.sla_block_for(ticket)["breached"] == ["resolution"]


def test_a_priority_change_chooses_the_policy_again_and_history_says_so(clock, make_policy, open_ticket, agent):
    make_policy(name="Urgent", conditions={"priority": ["urgent"]}, targets={"first_response": 30})
    make_policy(name="Standard", targets={"first_response": 240})
    ticket = open_ticket()
    assert selectors.sla_block_for(ticket)["first_response_due_at"] == at(13, 0)
    clock.advance(minutes=10)
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"priority": "urgent"})
    sla = selectors.sla_block_for(ticket)
    assert sla["policy"]["name"] == "Urgent"
    assert sla["first_response_due_at"] == at(9, 30)  # the new target, from the same start
    policy_events = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_POLICY).order_by("created_at")
    assert [(e.old_value and e.old_value["name"], e.new_value["name"], e.note) for e in policy_events] == [
        (None, "Standard", "Ticket created"),
        ("Standard", "Urgent", "Priority changed"),
    ]


def test_an_escalation_raises_the_priority_and_chooses_the_policy_again(clock, make_policy, open_ticket, agent):
    make_policy(name="High", conditions={"priority": ["high", "urgent"]}, targets={"first_response": 30})
    make_policy(name="Standard", targets={"first_response": 240})
    ticket = open_ticket()
    support_services.ticket_escalate(ticket=fresh(ticket), actor=agent, reason="VIP")
    assert selectors.sla_block_for(ticket)["policy"]["name"] == "High"


def test_editing_a_policy_re_evaluates_open_tickets_but_not_breached_due_times(
    clock, make_policy, open_ticket, admin_user, django_capture_on_commit_callbacks
):
    policy = make_policy(targets={"first_response": 60})
    late, on_time = open_ticket(), None
    clock.advance(minutes=61)
    services.sla_check()  # `late` is missed at 10:00
    on_time = open_ticket()
    with django_capture_on_commit_callbacks(execute=True):  # re-evaluated in the background
        services.policy_update(actor=admin_user, policy=policy, values={"targets": {"first_response": 120}})
    assert selectors.sla_block_for(late)["first_response_due_at"] == at(10, 0)  # breached: stays
    assert selectors.sla_block_for(on_time)["first_response_due_at"] == at(12, 1)  # from 10:01, two hours


def test_a_policy_that_stops_matching_leaves_the_ticket_without_sla(
    clock, make_policy, open_ticket, admin_user, django_capture_on_commit_callbacks
):
    policy = make_policy(targets={"first_response": 60})
    ticket = open_ticket()
    clock.advance(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_update(actor=admin_user, policy=policy, values={"conditions": {"priority": ["urgent"]}})
    assert selectors.sla_block_for(ticket) is None
    assert fresh(ticket).sla_tracked is False
    change = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_POLICY).latest("created_at")
    assert (change.new_value, change.note) == (None, "Policies changed")


def test_a_new_policy_applies_to_open_tickets_from_their_history(
    clock, make_policy, open_ticket, agent, django_capture_on_commit_callbacks
):
    ticket = open_ticket()
    clock.advance(minutes=10)
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Hi")
    clock.advance(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        make_policy(targets={"first_response": 60, "resolution": 60})
    sla = selectors.sla_block_for(ticket)
    assert sla["targets"][0]["met_at"] == at(9, 10)
    assert sla["resolution_due_at"] == at(10, 0)  # counted from creation


def test_a_missed_target_met_late_is_recorded_once_as_missed(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 30})
    ticket = open_ticket()
    clock.advance(minutes=45)  # the alert job has not run: the reply finds the miss itself
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Sorry for the wait")
    assert history(ticket, EventKind.SLA_MISSED) == [
        {"target": "first_response", "due_at": "2026-12-07T09:30:00+00:00"}
    ]
    assert history(ticket, EventKind.SLA_MET)[0]["late"] is True
    assert selectors.sla_block_for(ticket)["breached"] == ["first_response"]
    assert services.sla_check() == 0  # nothing left to alert about an answered ticket
