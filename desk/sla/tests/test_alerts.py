"""The alert job: a warning at 75% of a target, an alert at breach (and an escalation where the
policy says), each once per target per ticket, whatever runs it how often, and after a crash."""

from __future__ import annotations

import pytest

from desk.accounts.tests.factories import AgentFactory
from desk.notifications.models import EmailDelivery, EmailPreference, Kind, Notification
from desk.sla import selectors, services
from desk.sla.models import SlaOutcome, TicketSla
from desk.sla.tests.conftest import fresh
from desk.support import services as support_services
from desk.support.models import EventKind, TicketEvent

pytestmark = pytest.mark.django_db


def alerts(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", "ticket__title"))


def test_nothing_is_sent_before_75_percent(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 60})
    open_ticket()
    clock.advance(minutes=44)
    assert services.sla_check() == 0
    assert alerts(Kind.SLA_WARNING) == []


def test_at_75_percent_the_assigned_agent_is_warned_once(clock, make_policy, open_ticket, agent, admin_user):
    make_policy(targets={"first_response": 60})
    ticket = open_ticket()
    support_services.ticket_assign(ticket=fresh(ticket), actor=admin_user, agent_id=agent.pk)
    clock.advance(minutes=45)
    assert services.sla_check() == 1
    assert alerts(Kind.SLA_WARNING) == [(agent.email, ticket.title)]
    notification = Notification.objects.get(kind=Kind.SLA_WARNING)
    assert "first response" in notification.text and "due 2026-12-07 10:00 UTC" in notification.text
    assert EmailDelivery.objects.filter(kind=Kind.SLA_WARNING, recipient=agent).count() == 1
    clock.advance(minutes=5)
    assert services.sla_check() == 0  # the second run sends nothing again
    assert Notification.objects.filter(kind=Kind.SLA_WARNING).count() == 1


def test_an_unassigned_ticket_warns_all_staff(clock, make_policy, open_ticket, agent, admin_user):
    other = AgentFactory()
    make_policy(targets={"first_response": 60})
    ticket = open_ticket()
    clock.advance(minutes=46)
    services.sla_check()
    assert alerts(Kind.SLA_WARNING) == sorted(
        [(agent.email, ticket.title), (admin_user.email, ticket.title), (other.email, ticket.title)]
    )


def test_at_breach_the_agent_and_the_admins_are_alerted(clock, make_policy, open_ticket, agent, admin_user):
    bystander = AgentFactory()
    make_policy(targets={"first_response": 60})
    ticket = open_ticket()
    support_services.ticket_assign(ticket=fresh(ticket), actor=admin_user, agent_id=agent.pk)
    clock.advance(minutes=50)
    services.sla_check()
    clock.advance(minutes=11)
    assert services.sla_check() == 1
    assert alerts(Kind.SLA_BREACHED) == sorted([(agent.email, ticket.title), (admin_user.email, ticket.title)])
    assert bystander.email not in {email for email, _ in alerts(Kind.SLA_BREACHED)}
    missed = TicketEvent.objects.get(ticket=ticket, kind=EventKind.SLA_MISSED)
    assert missed.new_value == {"target": "first_response", "due_at": "2026-12-07T10:00:00+00:00"}
    assert SlaOutcome.objects.get(ticket=ticket).met is False
    ticket = fresh(ticket)
    assert ticket.sla_breached is True
    assert selectors.sla_block_for(ticket)["breached"] == ["first_response"]
    assert not ticket.escalated  # the policy does not escalate
    assert services.sla_check() == 0


def test_a_breach_alert_email_follows_the_recipients_preference(clock, make_policy, open_ticket, agent, admin_user):
    EmailPreference.objects.create(user=admin_user, kind=Kind.SLA_BREACHED, enabled=False)
    make_policy(targets={"first_response": 10})
    ticket = open_ticket()
    support_services.ticket_assign(ticket=fresh(ticket), actor=admin_user, agent_id=agent.pk)
    clock.advance(minutes=11)
    services.sla_check()
    assert set(EmailDelivery.objects.filter(kind=Kind.SLA_BREACHED).values_list("recipient__email", flat=True)) == {
        agent.email
    }
    assert Notification.objects.filter(kind=Kind.SLA_BREACHED, recipient=admin_user).exists()  # in the app still


def test_a_job_that_was_down_sends_the_breach_without_a_stale_warning(clock, make_policy, open_ticket):
    make_policy(targets={"first_response": 60})
    open_ticket()
    clock.advance(hours=2)
    services.sla_check()
    assert alerts(Kind.SLA_WARNING) == []
    assert len(alerts(Kind.SLA_BREACHED)) > 0


def test_escalate_on_breach_escalates_through_the_escalation_service(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 30}, escalate_on_breach=True)
    ticket = open_ticket()
    clock.advance(minutes=31)
    services.sla_check()
    ticket = fresh(ticket)
    assert ticket.escalated is True and ticket.priority == "high"
    escalation = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ESCALATION)
    assert (escalation.actor, escalation.note) == (None, "SLA breach: first response")
    assert Notification.objects.filter(kind=Kind.TICKET_ESCALATED).exists()
    assert services.sla_check() == 0  # escalated once


def test_a_paused_ticket_gets_no_alerts(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 60})
    ticket = open_ticket()
    clock.advance(minutes=30)
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "pending"})
    clock.advance(hours=3)
    assert services.sla_check() == 0
    assert TicketSla.objects.get(ticket=ticket).next_alert_at is None


def test_next_response_alerts_again_for_each_new_wait(clock, make_policy, open_ticket, agent, customer):
    make_policy(targets={"first_response": 60, "next_response": 20})
    ticket = open_ticket()
    support_services.ticket_assign(ticket=fresh(ticket), actor=agent, agent_id=agent.pk)
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Hi")
    warned = []
    for _ in range(2):
        clock.advance(minutes=1)
        support_services.message_post(ticket=fresh(ticket), sender=customer, message_text="Any news?")
        clock.advance(minutes=16)
        services.sla_check()
        services.sla_check()
        warned.append(Notification.objects.filter(kind=Kind.SLA_WARNING, recipient=agent).count())
        support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Working on it")
    assert warned == [1, 2]  # one warning per wait, however often the job runs


class Crash(BaseException):
    """The process dies mid-run (not an error the job could catch)."""


def test_a_crash_mid_run_loses_nothing_and_repeats_nothing(clock, make_policy, open_ticket, monkeypatch):
    make_policy(targets={"first_response": 10})
    first = open_ticket(title="First")  # due first, so the job takes them in this order
    clock.advance(minutes=1)
    second = open_ticket(title="Second")
    clock.advance(minutes=1)
    third = open_ticket(title="Third")
    clock.advance(minutes=11)
    notify = services.publish
    seen: list[str] = []

    def crash_on_the_second(event):
        if getattr(event, "level", None) == "breach":
            seen.append(event.ticket.title)
            if event.ticket.title == "Second" and seen.count("Second") == 1:
                raise Crash()
        notify(event)

    monkeypatch.setattr(services, "publish", crash_on_the_second)
    with pytest.raises(Crash):
        services.sla_check()
    monkeypatch.setattr(services, "publish", notify)
    titles = lambda: sorted(title for _, title in alerts(Kind.SLA_BREACHED))  # noqa: E731
    assert set(titles()) == {"First"}  # the second's transaction rolled back; the third never started
    assert not TicketEvent.objects.filter(ticket=second, kind=EventKind.SLA_MISSED).exists()
    services.sla_check()
    per_ticket = {title: titles().count(title) for title in ("First", "Second", "Third")}
    recipients = len({email for email, _ in alerts(Kind.SLA_BREACHED)})
    assert per_ticket == {"First": recipients, "Second": recipients, "Third": recipients}
    for ticket in (first, second, third):
        assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_MISSED).count() == 1


def test_a_ticket_whose_policy_was_deleted_leaves_the_job(clock, make_policy, open_ticket, agent, admin_user):
    policy = make_policy(targets={"first_response": 10, "resolution": 600})
    ticket = open_ticket()
    clock.advance(minutes=11)  # the first response is missed before the job runs; then resolved
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "resolved"})
    assert TicketSla.objects.get(ticket=ticket).next_alert_at is not None
    services.policy_delete(actor=admin_user, policy=policy)  # a resolved ticket is not re-evaluated
    assert services.sla_check() == 0
    assert TicketSla.objects.get(ticket=ticket).next_alert_at is None  # not picked up again every minute


def test_a_target_missed_before_resolving_is_recorded_but_alerts_nobody(clock, make_policy, open_ticket, agent):
    make_policy(targets={"first_response": 10}, escalate_on_breach=True)
    ticket = open_ticket()
    clock.advance(minutes=11)
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "resolved"})
    services.sla_check()
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA_MISSED).count() == 1
    assert SlaOutcome.objects.get(ticket=ticket).met is False
    assert not Notification.objects.filter(kind__in=[Kind.SLA_WARNING, Kind.SLA_BREACHED]).exists()
    assert fresh(ticket).escalated is False
    assert TicketSla.objects.get(ticket=ticket).next_alert_at is None
