"""One shape per resource: the `sla` block, calendars and policies as presented are exactly what
their serializers document (the OpenAPI schema)."""

from __future__ import annotations

import pytest

from conftest import as_json
from desk.sla import presenters, selectors
from desk.sla.apis import CalendarOutput, PolicyOutput
from desk.sla.schema import SlaOutput
from desk.sla.tests.conftest import fresh
from desk.support import services as support_services

pytestmark = pytest.mark.django_db


def test_the_sla_block_in_every_state_matches_its_schema(clock, make_policy, open_ticket, agent, customer):
    make_policy(targets={"first_response": 30, "next_response": 30, "resolution": 120})
    ticket = open_ticket()
    blocks = [selectors.sla_block_for(ticket)]  # running
    support_services.message_post(ticket=fresh(ticket), sender=agent, message_text="Hello")
    blocks.append(selectors.sla_block_for(ticket))  # met, idle
    clock.advance(hours=3)
    support_services.message_post(ticket=fresh(ticket), sender=customer, message_text="Hi")
    blocks.append(selectors.sla_block_for(ticket))  # breached
    support_services.ticket_update(ticket=fresh(ticket), actor=agent, changes={"status": "pending"})
    blocks.append(selectors.sla_block_for(ticket))  # paused
    states = {target["state"] for block in blocks for target in block["targets"]}
    assert states == {"running", "met", "idle", "breached", "paused"}
    for block in blocks:
        assert as_json(block) == as_json(SlaOutput(block).data)


def test_calendars_and_policies_match_their_schema(make_policy, office_hours):
    policy = make_policy(calendar=office_hours, conditions={"priority": ["urgent"]}, escalate_on_breach=True)
    calendar = selectors.calendar_get(calendar_id=office_hours.pk)
    shown = presenters.calendar_data(calendar, policy_count=calendar.policy_count)
    assert as_json(shown) == as_json(CalendarOutput(shown).data)
    assert shown["policy_count"] == 1
    shown = presenters.policy_data(policy)
    assert as_json(shown) == as_json(PolicyOutput(shown).data)
