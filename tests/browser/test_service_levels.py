"""Service levels in a real browser against the real server and database: an admin writes a
policy in the web app and puts it first; an agent sees the countdown in the queue, the tickets at
risk in their view, each target on the ticket, and the clocks stop when the ticket is pending; the
customer sees "Waiting for your reply" and nothing of the SLA."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from desk.accounts.tests.factories import AdminFactory, AgentFactory, CustomerFactory
from desk.sla import services as sla_services
from desk.sla.models import SlaPolicy, TicketSla
from desk.support import services
from desk.support.models import Status, Ticket
from tests.browser.conftest import DESKTOP, check_accessibility, off_loop, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_an_admin_sets_a_policy_and_an_agent_works_by_it(new_page: Any) -> None:
    def create() -> tuple[Any, Any, Any, Ticket]:
        admin = AdminFactory(first_name="Ada", last_name="Admin")
        agent = AgentFactory(first_name="Alice", last_name="Agent")
        carol = CustomerFactory(first_name="Carol", last_name="Customer")
        sla_services.policy_create(actor=admin, values={"name": "Everyone", "targets": {"resolution": 2400}})
        late = services.ticket_create(
            actor=carol, title="Refund still missing", message_text="Two weeks now.", category="billing"
        )
        services.ticket_create(actor=carol, title="Change my email", message_text="Please.", category="account")
        return admin, agent, carol, late

    admin, agent, carol, late = off_loop(create)

    # The admin writes a billing policy with a 30-minute first response and moves it to the top.
    page = new_page(DESKTOP)
    sign_in(page, admin.email)
    page.get_by_role("link", name="Service levels").click()
    expect(page).to_have_url(re.compile(r"/settings/sla$"))
    page.get_by_role("button", name="New policy").click()
    form = page.get_by_role("form", name="New policy")
    form.get_by_label("Name").fill("Billing first")
    form.get_by_role("group", name="Category").get_by_label("Billing").check()
    form.get_by_label("First response (minutes)").fill("30")
    form.get_by_label("Escalate on breach").check()
    form.get_by_role("button", name="Create policy").click()
    policies = page.get_by_role("list", name="Policies, in the order they are tried")
    expect(policies.get_by_role("listitem")).to_have_count(2)
    page.get_by_role("button", name="Move Billing first up").click()
    expect(policies.get_by_role("listitem").first).to_contain_text("Billing first")
    check_accessibility(page, "service levels")

    def stored() -> list[str]:
        return list(SlaPolicy.objects.order_by("position").values_list("name", flat=True))

    assert off_loop(stored) == ["Billing first", "Everyone"]

    # The open billing ticket is re-evaluated under the new policy; make its first response due
    # in five minutes, as if it had been waiting 25.
    def age_the_billing_ticket() -> None:
        Ticket.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(minutes=25))
        with transaction.atomic():
            ticket = Ticket.objects.select_related("customer", "assigned_agent", "follows").get(pk=late.pk)
            sla_services.ticket_sla_evaluate(ticket=ticket, choose=True, why="Policies changed")

    off_loop(age_the_billing_ticket)
    assert off_loop(lambda: TicketSla.objects.get(ticket=late).policy.name) == "Billing first"

    # The agent's queue: the countdown, sorted soonest first, and the At risk view.
    staff = new_page(DESKTOP)
    sign_in(staff, agent.email, "Queue")
    queue = staff.get_by_role("table")
    late_row = queue.get_by_role("row").filter(has_text="Refund still missing")
    expect(late_row).to_contain_text(re.compile(r"[45]m left"))
    expect(late_row.locator(".sla-chip, [class*='sla']").first).to_be_visible()
    staff.get_by_role("button", name=re.compile("^SLA")).click()
    expect(staff).to_have_url(re.compile(r"ordering=sla"))
    expect(queue.get_by_role("row").nth(1)).to_contain_text("Refund still missing")
    staff.get_by_role("navigation", name="Quick views").get_by_role("link", name="At risk").click()
    expect(staff).to_have_url(re.compile(r"sla=at_risk"))
    expect(queue.get_by_role("link", name="Refund still missing")).to_be_visible()
    expect(queue.get_by_role("link", name="Change my email")).to_have_count(0)
    screenshot(staff, "staff-queue-sla")

    # The dashboard lists it among the tickets at risk now.
    staff.get_by_role("navigation", name="Staff workspace").get_by_role("link", name="Dashboard").click()
    attainment = staff.get_by_role("region", name="SLA attainment")
    expect(attainment.get_by_role("link", name="Refund still missing")).to_be_visible()
    check_accessibility(staff, "dashboard with SLA attainment")
    staff.go_back()

    # The ticket: each target with its due time; pending stops the clocks.
    queue.get_by_role("link", name="Refund still missing").click()
    panel = staff.get_by_role("region", name="SLA")
    expect(panel).to_contain_text("Billing first")
    expect(panel.get_by_role("list", name="SLA targets")).to_contain_text("First response")
    staff.get_by_label("Status").select_option("pending")
    expect(panel).to_contain_text("Paused while pending")
    check_accessibility(staff, "ticket with SLA")
    assert off_loop(lambda: Ticket.objects.get(pk=late.pk).status) == Status.PENDING

    # The customer: waiting for their reply, and no trace of service levels.
    customer = new_page(DESKTOP)
    sign_in(customer, carol.email)
    customer.goto(f"/tickets/{late.pk}")
    expect(customer.get_by_text("Waiting for your reply").first).to_be_visible()
    content = customer.content()
    assert "Billing first" not in content and "SLA" not in content
