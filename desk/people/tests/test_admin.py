"""Django admin: history, conversations and the audit trail are for looking only, and account
changes go through the same flows as the users API."""

from __future__ import annotations

import pytest
from django.test import Client

from desk.accounts.models import User
from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory
from desk.core.models import AuditEntry
from desk.support import services
from desk.support.models import Attachment, Message, Ticket, TicketEvent
from desk.support.tests.helpers import first_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user() -> User:
    return AdminFactory()


@pytest.fixture
def site(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def ticket(admin_user: User) -> Ticket:
    agent = AgentFactory()
    ticket = services.ticket_create(
        actor=CustomerFactory(), title="Leaking tap", message_text="Help", category="general"
    )
    ticket = services.ticket_assign(ticket=ticket, actor=admin_user, agent_id=agent.pk)
    services.message_post(ticket=ticket, sender=agent, message_text="A note", is_internal=True)
    return ticket


def _url(model: type, view: str, pk: object = None) -> str:
    """`list`, `add`, or a record's `change` or `delete` page."""
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    if view == "list":
        return base
    return base + ("add/" if view == "add" else f"{pk}/{view}/")


@pytest.mark.parametrize("model", [Ticket, Message, TicketEvent, Attachment, AuditEntry])
def test_records_written_by_services_can_be_looked_at_but_not_added_or_deleted(site, ticket, model):
    assert site.get(_url(model, "list")).status_code == 200
    assert site.get(_url(model, "add")).status_code == 403
    listing = site.get(_url(model, "list")).content.decode()
    assert "delete_selected" not in listing


@pytest.mark.parametrize("model", [Ticket, Message, TicketEvent])
def test_history_and_messages_cannot_be_changed_or_deleted(site, ticket, model):
    record = model.objects.filter(ticket=ticket).first() if model is not Ticket else ticket
    before = model.objects.count()
    page = site.get(_url(model, "change", record.pk))
    assert page.status_code == 200  # a view, without a save button
    assert 'name="_save"' not in page.content.decode()
    assert site.post(_url(model, "change", record.pk), {}).status_code == 403
    assert site.post(_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert site.post(
        _url(model, "list"), {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    ).status_code in (200, 302)
    assert model.objects.count() == before


def test_a_ticket_page_shows_its_messages_read_only(site, ticket):
    page = site.get(_url(Ticket, "change", ticket.pk)).content.decode()
    assert first_message(ticket).message_text in page
    assert 'name="messages-0-message_text"' not in page  # no editable field


def test_users_cannot_be_deleted_one_by_one_or_in_bulk(site):
    customer = CustomerFactory()
    assert site.post(_url(User, "delete", customer.pk), {"post": "yes"}).status_code == 403
    site.post(_url(User, "list"), {"action": "delete_selected", "_selected_action": [customer.pk], "post": "yes"})
    assert User.objects.filter(pk=customer.pk).exists()
    assert "delete_selected" not in site.get(_url(User, "list")).content.decode()


def test_deactivating_in_admin_goes_through_the_flow(site, ticket):
    agent = ticket.assigned_agent
    version = agent.token_version
    answer = site.post(_url(User, "list"), {"action": "deactivate", "_selected_action": [agent.pk]})
    assert answer.status_code == 302
    agent.refresh_from_db()
    ticket.refresh_from_db()
    assert not agent.is_active
    assert agent.token_version == version + 1  # signed out everywhere
    assert ticket.assigned_agent_id is None  # back in the queue, with history
    assert TicketEvent.objects.filter(ticket=ticket, kind="assigned").count() == 2
    assert AuditEntry.objects.filter(action="user.deactivated", target_id=str(agent.pk)).exists()


def _change_form(user: User, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != "" or key.startswith(("last_login", "first", "last"))}


def test_a_role_change_in_admin_ends_the_users_sessions_and_is_audited(site):
    agent = AgentFactory()
    version = agent.token_version
    answer = site.post(_url(User, "change", agent.pk), _change_form(agent, role="customer"))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    agent.refresh_from_db()
    assert agent.role == "customer" and not agent.is_staff
    assert agent.token_version == version + 1
    assert AuditEntry.objects.filter(action="user.updated", target_id=str(agent.pk)).exists()


def test_an_admin_cannot_demote_themselves_in_admin_either(site, admin_user):
    answer = site.post(_url(User, "change", admin_user.pk), _change_form(admin_user, role="agent"))
    assert answer.status_code == 200
    assert "You cannot change your own role" in answer.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"
