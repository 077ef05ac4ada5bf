"""The staff workspace in a real browser against the real server and database: an agent filters
the queue, takes a ticket, changes its status, writes an internal note (which the customer never
sees), replies with a canned response and opens the dashboard; bulk actions on a phone; customers
refused at staff addresses; accessibility of every page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support import services
from desk.support.models import Message, Priority, Status, Ticket
from desk.workspace import services as workspace_services
from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, off_loop, screenshot, sign_in

pytestmark = pytest.mark.browser

NOTE = "Bank confirms the refund left us on Monday; do not refund twice."
CANNED_BODY = "Hi {{customer_first_name}}, your refund for “{{ticket_title}}” is on its way. – {{agent_first_name}}"


@dataclass
class Desk:
    alice: User
    carol: User
    refund: Ticket
    login: Ticket


def make_desk() -> Desk:
    """Two agents, a customer with two tickets, and a response Bob shared with all staff."""

    def create() -> Desk:
        alice = AgentFactory(first_name="Alice", last_name="Agent")
        bob = AgentFactory(first_name="Bob", last_name="Agent")
        carol = CustomerFactory(first_name="Carol", last_name="Customer")
        refund = services.ticket_create(
            actor=carol,
            title="Refund not received",
            message_text="I cancelled my booking two weeks ago and still have no refund.",
            category="billing",
            priority="high",
        )
        login = services.ticket_create(
            actor=carol, title="Cannot log in", message_text="The app says my password is wrong.", category="account"
        )
        workspace_services.canned_response_create(owner=bob, title="Refund on its way", body=CANNED_BODY, shared=True)
        return Desk(alice=alice, carol=carol, refund=refund, login=login)

    return off_loop(create)


def test_agent_triages_a_ticket_end_to_end(new_page: Any) -> None:
    desk = make_desk()
    page = new_page(DESKTOP)
    sign_in(page, desk.alice.email, "Queue")
    expect(page).to_have_url(re.compile(r"/queue$"))
    queue = page.get_by_role("table")
    expect(queue.get_by_role("link", name="Cannot log in")).to_be_visible()

    # Filter: unassigned work, then billing only; the filters live in the URL.
    page.get_by_role("navigation", name="Quick views").get_by_role("link", name="Unassigned").click()
    page.get_by_label("Category").select_option("billing")
    expect(page).to_have_url(re.compile(r"category=billing"))
    expect(page).to_have_url(re.compile(r"assigned_agent=none"))
    expect(queue.get_by_role("link", name="Cannot log in")).to_have_count(0)
    row = queue.get_by_role("row").filter(has_text="Refund not received")
    expect(row).to_contain_text("Carol Customer")
    expect(row).to_contain_text("Unassigned")
    check_accessibility(page, "queue")
    screenshot(page, "staff-queue-desktop")

    # Take the ticket: assigned to me, and an open ticket becomes in progress.
    row.get_by_role("link", name="Refund not received").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refund not received")
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_label("Assignee")).to_have_value(str(desk.alice.pk))
    expect(page.get_by_label("Status")).to_have_value("in_progress")
    desk.refund.refresh_from_db()
    assert (desk.refund.assigned_agent_id, desk.refund.status) == (desk.alice.pk, Status.IN_PROGRESS)

    # An internal note: the composer says so, and the note looks like one.
    page.get_by_role("radio", name="Internal note").check()
    expect(page.get_by_text("Internal note: only staff will see it")).to_be_visible()
    page.get_by_label("Note for staff").fill(NOTE)
    page.get_by_role("button", name="Add note").click()
    conversation = page.get_by_role("log", name="Conversation")
    note = conversation.get_by_role("article", name="You wrote an internal note")
    expect(note).to_contain_text(NOTE)
    expect(note.locator("xpath=..")).to_have_attribute("data-message-id", re.compile(r"[0-9a-f-]{36}"))

    # A reply from a canned response, filled in for this ticket.
    page.get_by_role("radio", name="Reply to customer").check()
    page.get_by_role("button", name="Canned responses").click()
    dialog = page.get_by_role("dialog", name="Canned responses")
    dialog.get_by_label("Search responses").fill("refund")
    insert = dialog.get_by_role("button", name="Insert “Refund on its way”")
    expect(insert).to_be_visible()
    check_accessibility(page, "canned responses")
    insert.click()
    expect(dialog).to_be_hidden()
    reply_box = page.get_by_label("Your reply")
    reply_text = "Hi Carol, your refund for “Refund not received” is on its way. – Alice"
    expect(reply_box).to_have_value(reply_text)
    expect(reply_box).to_be_focused()
    reply_box.press("Control+Enter")
    reply = conversation.get_by_role("article", name="You wrote", exact=True)
    expect(reply).to_contain_text(reply_text)
    expect(conversation.locator("[data-outgoing]")).to_have_count(0)

    # Resolve it; the history tells the story in sentences.
    page.get_by_label("Status").select_option("resolved")
    expect(page.get_by_text("Status set to resolved.")).to_be_visible()
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Alice Agent changed status from in progress to resolved")
    expect(history).to_contain_text("Alice Agent assigned the ticket to themself")
    expect(history).to_contain_text("Carol Customer opened the ticket with high priority")
    customer = page.get_by_role("region", name="Customer")
    expect(customer.get_by_role("link", name="Cannot log in")).to_have_attribute("href", f"/tickets/{desk.login.pk}")
    check_accessibility(page, "staff conversation")
    screenshot(page, "staff-conversation-desktop")

    desk.refund.refresh_from_db()
    assert desk.refund.status == Status.RESOLVED
    messages = list(Message.objects.filter(ticket=desk.refund).order_by("created_at"))
    assert [(m.message_text, m.is_internal, m.sender_id) for m in messages[1:]] == [
        (NOTE, True, desk.alice.pk),
        (reply_text, False, desk.alice.pk),
    ]

    # The customer sees the reply, never the note; staff pages are refused to them.
    customer_page = new_page(DESKTOP)
    sign_in(customer_page, desk.carol.email, "Your tickets")
    customer_page.goto(f"/tickets/{desk.refund.pk}")
    customer_conversation = customer_page.get_by_role("log", name="Conversation")
    expect(customer_conversation.get_by_text(reply_text)).to_be_visible()
    expect(customer_conversation.get_by_role("article")).to_have_count(2)
    expect(customer_page.get_by_text(NOTE)).to_have_count(0)
    expect(customer_page.get_by_text("Internal note")).to_have_count(0)
    customer_page.goto("/queue")
    expect(customer_page.get_by_role("heading", level=1)).to_have_text("This page is for support staff")
    expect(customer_page.get_by_text("Refund not received")).to_have_count(0)
    check_accessibility(customer_page, "staff page refused to a customer")
    customer_page.goto("/dashboard")
    expect(customer_page.get_by_role("heading", level=1)).to_have_text("This page is for support staff")

    # The dashboard counts today's tickets and the reply.
    page.get_by_role("navigation", name="Staff workspace").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    figures = page.locator(".figure")
    expect(figures.filter(has_text="Tickets created")).to_contain_text("2")
    expect(figures.filter(has_text="Resolution rate")).to_contain_text("50%")
    expect(figures.filter(has_text="First response (median)")).to_contain_text("1 answered")
    alice_row = page.get_by_role("row", name=re.compile("Alice Agent"))
    expect(alice_row.get_by_role("cell")).to_have_text(["0", "1", re.compile(r"^\d+ s$")])
    check_accessibility(page, "dashboard")
    screenshot(page, "staff-dashboard-desktop")


def test_bulk_action_on_a_phone(new_page: Any) -> None:
    desk = make_desk()
    page = new_page(PHONE)
    sign_in(page, desk.alice.email, "Queue")
    cards = page.get_by_role("list", name="Tickets")
    expect(cards.get_by_role("listitem")).to_have_count(2)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("checkbox", name="Select all tickets on this page").check()
    bar = page.get_by_role("region", name="Bulk actions")
    expect(bar).to_contain_text("2 tickets selected")
    bar.get_by_label("Action").select_option("set_priority")
    bar.get_by_label("Priority").select_option("urgent")
    check_accessibility(page, "queue with a selection (phone)")
    screenshot(page, "staff-queue-phone")
    bar.get_by_role("button", name="Apply to 2 tickets").click()

    expect(page.get_by_text("2 tickets set to urgent priority.")).to_be_visible()
    expect(bar).to_be_hidden()
    expect(cards.get_by_text("Urgent priority")).to_have_count(2)
    assert set(Ticket.objects.values_list("priority", flat=True)) == {Priority.URGENT}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
