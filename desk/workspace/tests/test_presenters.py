"""The staff workspace's shapes: each presenter gives what its serializer documents, without a query."""

from __future__ import annotations

import pytest

from conftest import as_json
from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory
from desk.support import presenters as ticket_presenters
from desk.support import services as ticket_services
from desk.workspace import permissions, presenters, selectors
from desk.workspace import services as workspace_services
from desk.workspace.apis import AgentOutput, CannedOutput, CustomerOutput, EventOutput

pytestmark = pytest.mark.django_db


def test_agent_and_customer(django_assert_num_queries) -> None:
    agent, customer = AgentFactory(), CustomerFactory()
    ticket = ticket_services.ticket_create(actor=customer, title="t", message_text="m", category="general")
    ticket_services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
    [loaded] = selectors.agent_list_with_load()
    [found] = selectors.customer_search(query=customer.email)
    with django_assert_num_queries(0):
        shown = presenters.agent_data(loaded), presenters.customer_data(found)
    assert shown[0]["open_tickets"] == 1 and shown[1]["ticket_count"] == 1
    assert as_json(shown[0]) == as_json(AgentOutput(loaded).data)
    assert as_json(shown[1]) == as_json(CustomerOutput(found).data)


def test_canned_response(django_assert_num_queries) -> None:
    author, admin = AgentFactory(), AdminFactory()
    workspace_services.canned_response_create(owner=author, title="Hello", body="Hi {{customer_name}}", shared=True)
    for viewer, editable in ((author, True), (admin, True), (AgentFactory(), False)):
        [response] = selectors.canned_responses_for(user=viewer)
        can_edit = permissions.may_edit_canned(response, viewer)
        assert can_edit is editable
        with django_assert_num_queries(0):
            shown = presenters.canned_response_data(response, can_edit=can_edit)
        response.can_edit = can_edit
        assert as_json(shown) == as_json(CannedOutput(response).data)


def test_history_entry(django_assert_num_queries) -> None:
    agent, customer = AgentFactory(), CustomerFactory()
    ticket = ticket_services.ticket_create(actor=customer, title="t", message_text="m", category="general")
    ticket_services.ticket_assign(ticket=ticket, actor=agent, agent_id=agent.pk)
    ticket_services.ticket_escalate(ticket=ticket, actor=agent, reason="VIP")
    events = list(selectors.ticket_history_for(ticket=ticket))
    assert len(events) >= 4
    for event in events:
        with django_assert_num_queries(0):
            shown = ticket_presenters.ticket_event_data(event)
        assert as_json(shown) == as_json(EventOutput(event).data)
