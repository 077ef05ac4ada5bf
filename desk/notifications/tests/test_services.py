"""Who is told what, for each event in SPEC's "Notifications"."""

from __future__ import annotations

import pytest
from django.core import mail

from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory
from desk.notifications.models import EmailDelivery, EmailPreference, Kind, Notification
from desk.support import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "customer": CustomerFactory(first_name="Carol", last_name="Customer"),
        "other": CustomerFactory(first_name="Oscar", last_name="Other"),
        "alice": AgentFactory(first_name="Alice", last_name="Agent"),
        "bob": AgentFactory(first_name="Bob", last_name="Agent"),
        "ada": AdminFactory(first_name="Ada", last_name="Admin"),
        "gone": AgentFactory(first_name="Gone", last_name="Agent", is_active=False),
    }


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def emails(user) -> list[str]:
    return list(EmailDelivery.objects.filter(recipient=user).values_list("kind", flat=True))


def open_ticket(people, capture):
    with capture(execute=True):
        return services.ticket_create(
            actor=people["customer"], title="Broken tap", message_text="It drips.", category="service"
        )


def reset():
    Notification.objects.all().delete()
    EmailDelivery.objects.all().delete()
    mail.outbox.clear()


def test_ticket_created_confirms_to_customer_by_email_and_tells_staff_in_app(
    people, django_capture_on_commit_callbacks
):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    assert inbox(people["customer"]) == []
    assert emails(people["customer"]) == [Kind.TICKET_CREATED]
    for name in ("alice", "bob", "ada"):
        assert inbox(people[name]) == [Kind.TICKET_CREATED]
        assert emails(people[name]) == []
    assert inbox(people["gone"]) == [] and inbox(people["other"]) == []
    assert [m.to for m in mail.outbox] == [[people["customer"].email]]
    assert ticket.title in mail.outbox[0].subject


def test_staff_reply_emails_and_notifies_the_customer_only(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["alice"], message_text="We are on it.")
    assert inbox(people["customer"]) == [Kind.STAFF_REPLY]
    assert emails(people["customer"]) == [Kind.STAFF_REPLY]
    assert Notification.objects.exclude(recipient=people["customer"]).count() == 0
    assert EmailDelivery.objects.exclude(recipient=people["customer"]).count() == 0
    message = mail.outbox[0]
    assert "We are on it." in message.body
    html = message.alternatives[0][0]
    assert "We are on it." in html and f"/tickets/{ticket.pk}" in html
    assert f"/tickets/{ticket.pk}" in message.body


def test_internal_note_reaches_no_customer_and_tells_the_assigned_agent(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    services.ticket_assign(ticket=ticket, actor=people["alice"], agent_id=people["bob"].pk)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(
            ticket=ticket, sender=people["alice"], message_text="SECRET refund code 991", is_internal=True
        )
    assert inbox(people["customer"]) == [] and emails(people["customer"]) == []
    assert inbox(people["bob"]) == [Kind.INTERNAL_NOTE]
    assert emails(people["bob"]) == []
    assert mail.outbox == []


def test_emails_never_include_internal_notes(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(
            ticket=ticket, sender=people["alice"], message_text="SECRET refund code 991", is_internal=True
        )
        services.message_post(ticket=ticket, sender=people["alice"], message_text="Refund started.")
    for delivery in EmailDelivery.objects.all():
        assert "SECRET" not in delivery.body_text and "SECRET" not in delivery.body_html
    assert all("SECRET" not in m.body for m in mail.outbox)


def test_customer_reply_goes_to_the_assigned_agent(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    services.ticket_assign(ticket=ticket, actor=people["ada"], agent_id=people["alice"].pk)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["customer"], message_text="Any news?")
    assert inbox(people["alice"]) == [Kind.CUSTOMER_REPLY]
    assert emails(people["alice"]) == [Kind.CUSTOMER_REPLY]
    assert inbox(people["bob"]) == [] and inbox(people["ada"]) == []
    assert inbox(people["customer"]) == []


def test_customer_reply_on_unassigned_ticket_goes_to_all_active_staff_while_nobody_is_in_triage(
    people, django_capture_on_commit_callbacks
):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["customer"], message_text="Hello?")
    for name in ("alice", "bob", "ada"):
        assert inbox(people[name]) == [Kind.CUSTOMER_REPLY]
        assert emails(people[name]) == [Kind.CUSTOMER_REPLY]
    assert inbox(people["gone"]) == []


def test_email_preference_off_keeps_the_in_app_notification(people, django_capture_on_commit_callbacks):
    EmailPreference.objects.create(user=people["bob"], kind=Kind.CUSTOMER_REPLY, enabled=False)
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["customer"], message_text="Hello?")
    assert inbox(people["bob"]) == [Kind.CUSTOMER_REPLY]
    assert emails(people["bob"]) == []
    assert emails(people["alice"]) == [Kind.CUSTOMER_REPLY]


def test_assignment_notifies_the_agent_but_not_a_self_assignment(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_assign(ticket=ticket, actor=people["ada"], agent_id=people["bob"].pk)
    assert inbox(people["bob"]) == [Kind.TICKET_ASSIGNED]
    assert emails(people["bob"]) == [Kind.TICKET_ASSIGNED]
    assert inbox(people["customer"]) == []
    reset()
    services.ticket_assign(ticket=ticket, actor=people["alice"], agent_id=people["alice"].pk)
    assert inbox(people["alice"]) == []


def test_assignment_through_update_notifies_too(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    services.ticket_update(ticket=ticket, actor=people["ada"], changes={"assigned_agent": people["alice"].pk})
    assert inbox(people["alice"]) == [Kind.TICKET_ASSIGNED]


def test_escalation_notifies_the_agent_and_admins(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    services.ticket_assign(ticket=ticket, actor=people["ada"], agent_id=people["bob"].pk)
    second_admin = AdminFactory()
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_escalate(ticket=ticket, actor=people["alice"], reason="VIP customer")
    assert inbox(people["bob"]) == [Kind.TICKET_ESCALATED]
    assert inbox(people["ada"]) == [Kind.TICKET_ESCALATED]
    assert inbox(second_admin) == [Kind.TICKET_ESCALATED]
    assert inbox(people["alice"]) == []  # the escalating agent
    assert inbox(people["customer"]) == []
    assert sorted(emails(people["ada"]) + emails(people["bob"])) == [Kind.TICKET_ESCALATED] * 2
    assert any("VIP customer" in m.body for m in mail.outbox)


def test_other_customers_hear_nothing(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["alice"], message_text="Reply")
        services.ticket_escalate(ticket=ticket, actor=people["alice"], reason="why")
    assert inbox(people["other"]) == [] and emails(people["other"]) == []


def test_rolled_back_change_leaves_no_notification_or_email(people, django_capture_on_commit_callbacks):
    from django.db import transaction

    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    with (
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        services.message_post(ticket=ticket, sender=people["alice"], message_text="Never sent")
        raise RuntimeError("boom")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert EmailDelivery.objects.count() == 0
    assert mail.outbox == []


# --- the people responsible, greeted by name; repeated notices grouped ----------------------------


def test_with_a_triage_group_only_its_members_hear_of_new_tickets_and_unassigned_replies(
    people, django_capture_on_commit_callbacks
):
    people["bob"].triage = True
    people["bob"].save(update_fields=["triage"])
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    assert inbox(people["bob"]) == [Kind.TICKET_CREATED]
    assert inbox(people["alice"]) == [] and inbox(people["ada"]) == []
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["customer"], message_text="Hello?")
    assert emails(people["bob"]) == [Kind.CUSTOMER_REPLY]
    assert emails(people["alice"]) == [] and emails(people["ada"]) == []
    # Once someone is assigned, they hear of replies, and the triage group no longer does.
    services.ticket_assign(ticket=ticket, actor=people["ada"], agent_id=people["alice"].pk)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["customer"], message_text="Still there?")
    assert emails(people["alice"]) == [Kind.CUSTOMER_REPLY] and emails(people["bob"]) == []


def test_every_email_greets_its_recipient_by_name(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(ticket=ticket, sender=people["customer"], message_text="Hello?")
    sent = {message.to[0]: message.body for message in mail.outbox}
    assert len(sent) == 3
    for name in ("alice", "bob", "ada"):
        assert sent[people[name].email].startswith(f"Hello {people[name].first_name},")
    assert all("Hello ," not in body for body in sent.values())


def test_repeated_replies_on_a_ticket_are_one_unread_notification(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    customer = people["customer"]
    for text in ("one", "two", "three"):
        services.message_post(ticket=ticket, sender=people["alice"], message_text=text)
    [grouped] = Notification.objects.filter(recipient=customer, kind=Kind.STAFF_REPLY)
    assert (grouped.count, grouped.text) == (3, "3 new replies on: Broken tap")
    assert grouped.message.message_text == "three"  # it opens the latest
    # Once read, the next reply is a new notification.
    grouped.read_at = grouped.created_at
    grouped.save(update_fields=["read_at"])
    services.message_post(ticket=ticket, sender=people["alice"], message_text="four")
    assert Notification.objects.filter(recipient=customer, kind=Kind.STAFF_REPLY, read_at__isnull=True).count() == 1
    # Another ticket's replies are not mixed in.
    other = services.ticket_create(actor=customer, title="Leaky roof", message_text="Drips", category="service")
    services.message_post(ticket=other, sender=people["alice"], message_text="On it")
    assert Notification.objects.filter(recipient=customer, kind=Kind.STAFF_REPLY).count() == 3


def test_grouped_customer_replies_say_who_and_how_many(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    services.ticket_assign(ticket=ticket, actor=people["ada"], agent_id=people["alice"].pk)
    for text in ("one", "two"):
        services.message_post(ticket=ticket, sender=people["customer"], message_text=text)
    [grouped] = Notification.objects.filter(recipient=people["alice"], kind=Kind.CUSTOMER_REPLY)
    assert grouped.text == "2 new replies from Carol Customer on: Broken tap"


def test_a_resolved_ticket_tells_its_customer_with_the_way_to_reopen(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_update(ticket=ticket, actor=people["alice"], changes={"status": "resolved"})
    assert inbox(people["customer"]) == [Kind.TICKET_RESOLVED]
    assert emails(people["customer"]) == [Kind.TICKET_RESOLVED]
    [email] = mail.outbox
    assert email.subject == f"[#{ticket.number}] Resolved: Broken tap"
    assert "choose Reopen" in email.body and f"/tickets/{ticket.pk}" in email.body
    assert all(inbox(people[name]) == [] for name in ("alice", "bob", "ada"))


def test_a_staff_reply_on_a_resolved_ticket_does_not_say_resolved_again(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    services.ticket_update(ticket=ticket, actor=people["alice"], changes={"status": "resolved"})
    reset()
    services.message_post(ticket=ticket, sender=people["alice"], message_text="One more tip for next time.")
    assert inbox(people["customer"]) == [Kind.STAFF_REPLY]
    assert emails(people["customer"]) == [Kind.STAFF_REPLY]


def test_the_resolved_email_follows_the_customers_preference(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    EmailPreference.objects.create(user=people["customer"], kind=Kind.TICKET_RESOLVED, enabled=False)
    reset()
    services.ticket_update(ticket=ticket, actor=people["alice"], changes={"status": "resolved"})
    assert inbox(people["customer"]) == [Kind.TICKET_RESOLVED]
    assert emails(people["customer"]) == []


def test_other_status_changes_do_not_say_resolved(people, django_capture_on_commit_callbacks):
    ticket = open_ticket(people, django_capture_on_commit_callbacks)
    reset()
    services.ticket_update(ticket=ticket, actor=people["alice"], changes={"status": "in_progress"})
    services.ticket_update(ticket=ticket, actor=people["customer"], changes={"status": "closed"})
    assert Kind.TICKET_RESOLVED not in inbox(people["customer"])
