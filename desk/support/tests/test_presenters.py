"""Each support resource: the presenter gives exactly what its serializer documents (the
OpenAPI schema), from what the selectors load, without a query."""

from __future__ import annotations

import io

import pytest

from conftest import as_json
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.core.pagination import PageRequest
from desk.support import presenters, selectors, services
from desk.support.apis import (
    AttachmentOutput,
    MessageOutput,
    TicketDetailOutput,
    TicketListOutput,
    TicketOutput,
)
from desk.support.models import Ticket
from desk.support.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation():
    customer, agent = CustomerFactory(first_name="Carol"), AgentFactory(first_name="Alice")
    ticket = services.ticket_create(actor=customer, title="Broken tap", message_text="It drips", category="service")
    data = files.png_bytes()
    upload = services.attachment_upload(
        ticket=ticket, uploader=agent, upload=io.BytesIO(data), filename="photo.png", size=len(data)
    )
    services.message_post(ticket=ticket, sender=agent, message_text="On it", attachment_ids=[upload.pk])
    services.message_post(ticket=ticket, sender=agent, message_text="Note", is_internal=True)
    services.ticket_update(ticket=ticket, actor=agent, changes={"tags": ["plumbing"], "status": "resolved"})
    return selectors.ticket_get_for(user=agent, ticket_id=ticket.pk), agent, customer


def test_ticket(conversation, django_assert_num_queries) -> None:
    ticket, _, _ = conversation
    with django_assert_num_queries(0):
        shown = presenters.ticket_data(ticket)
    assert as_json(shown) == as_json(TicketOutput(ticket).data)


def test_ticket_detail_and_its_messages_and_files(conversation, django_assert_num_queries) -> None:
    ticket, agent, customer = conversation
    for viewer in (agent, customer):
        messages = list(selectors.ticket_messages_for(user=viewer, ticket=ticket))
        with django_assert_num_queries(0):
            shown = presenters.ticket_detail_data(ticket, messages)
        ticket.visible_messages = messages
        assert as_json(shown) == as_json(_without_sla(TicketDetailOutput(ticket).data))
        for message in messages:
            assert as_json(presenters.message_data(message)) == as_json(MessageOutput(message).data)
            for attachment in message.attachments.all():
                assert as_json(presenters.attachment_data(attachment)) == as_json(AttachmentOutput(attachment).data)
    assert sum(len(m.attachments.all()) for m in messages) == 1  # the file was compared


def test_ticket_list_row(conversation) -> None:
    ticket, agent, customer = conversation
    for viewer in (agent, customer):
        page = selectors.ticket_page_for(user=viewer, filters={}, page=PageRequest(number=1, size=10))
        [row] = page.items
        annotated = (
            selectors.with_list_annotations(Ticket.objects.filter(pk=ticket.pk), user=viewer)
            .select_related("customer", "assigned_agent")
            .get()
        )
        assert as_json(presenters.ticket_list_item(row)) == as_json(_without_sla(TicketListOutput(annotated).data))


def _without_sla(data: dict) -> dict:
    """The `sla` block is added for staff by the views (desk.sla.presenters, its own pair test)."""
    return {key: value for key, value in data.items() if key != "sla"}
