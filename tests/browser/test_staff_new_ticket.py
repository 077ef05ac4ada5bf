"""Staff open a ticket on a customer's behalf in a real browser against the real server and
database: an agent takes a phone call, finds the customer with the keyboard, files the ticket
with a tag and the call notes attached, lands on it, and the customer finds it in their list
with what they said shown as their own words, marked as entered by the agent. A caller without an
account gets one from a name and an email. The dialog passes axe, list open and filled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory, ProviderFactory
from desk.support import services
from desk.support.models import Attachment, Message, Ticket
from tests.browser.conftest import DESKTOP, check_accessibility, off_loop, screenshot, sign_in

pytestmark = pytest.mark.browser

UUID_PATH = re.compile(r"/tickets/[0-9a-f-]{36}$")
TITLE = "Payout for last week is missing"
CALL_NOTES = "Dave called: the payout for last week's three jobs has not arrived. Bank details unchanged."


@dataclass
class People:
    alice: User
    dave: User


def make_people() -> People:
    """An agent, the demo's provider Dave, and two more customers his name or email resembles."""

    def create() -> People:
        alice = AgentFactory(first_name="Alice", last_name="Agent", email="alice.agent@example.com")
        dave = ProviderFactory(first_name="Dave", last_name="Provider", email="dave@example.com")
        CustomerFactory(first_name="Davina", last_name="Customer", email="davina@example.com")
        carol = CustomerFactory(first_name="Carol", last_name="Customer", email="carol@example.com")
        services.ticket_create(
            actor=carol, title="Charged twice", message_text="Two charges for one booking.", category="billing"
        )
        return People(alice=alice, dave=dave)

    return off_loop(create)


def test_agent_opens_a_phone_ticket_for_a_customer(new_page: Any, tmp_path: Path) -> None:
    people = make_people()
    notes = tmp_path / "call-notes.txt"
    notes.write_text("Jobs: 14, 15 and 17 May. Amount expected: 240.00\n", encoding="utf-8")

    page = new_page(DESKTOP)
    sign_in(page, people.alice.email, "Queue")
    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket for a customer")
    search = dialog.get_by_role("combobox", name="Customer")
    expect(search).to_be_focused()

    # Nothing chosen yet: the dialog refuses to send and says why.
    dialog.get_by_role("button", name="Create ticket").click()
    expect(search).to_have_accessible_description(re.compile("Choose the customer this ticket is for."))
    expect(search).to_be_focused()

    # Find Dave with the keyboard: two matches for "dav", Down twice, back up, Enter.
    search.press_sequentially("dav")
    options = dialog.get_by_role("listbox", name="Matching customers").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("Dave Provider")
    expect(options.nth(0)).to_contain_text("dave@example.com")
    expect(options.nth(1)).to_contain_text("Davina Customer")
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("ArrowDown")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    search.press("ArrowUp")
    expect(search).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id") or "missing")
    check_accessibility(page, "customer picker with its list open")
    screenshot(page, "staff-new-ticket-picker")
    search.press("Enter")
    chosen = dialog.get_by_role("group", name="Customer")
    expect(chosen).to_contain_text("Dave Provider")
    expect(chosen.get_by_role("button", name="Change customer")).to_be_focused()

    dialog.get_by_label("Title").fill(TITLE)
    dialog.get_by_label("Category").select_option("billing")
    dialog.get_by_label("Priority").select_option("high")
    expect(dialog.get_by_label("Source")).to_have_value("phone")
    dialog.get_by_label("Tags").fill("Payout, phone follow-up")
    dialog.get_by_label("First message").fill(CALL_NOTES)
    dialog.get_by_test_id("attachment-input").set_input_files(str(notes))
    expect(dialog.get_by_text("Ready to upload")).to_be_visible()
    check_accessibility(page, "new ticket for a customer, filled in")
    screenshot(page, "staff-new-ticket-dialog")
    dialog.get_by_role("button", name="Create ticket").click()

    # Lands on the new ticket in the staff workspace.
    expect(page).to_have_url(UUID_PATH)
    ticket_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Dave Provider via phone")).to_be_visible()
    conversation = page.get_by_role("log", name="Conversation")
    first = conversation.get_by_role("article", name="Dave Provider wrote, entered by you", exact=True)
    expect(first).to_contain_text(CALL_NOTES)
    expect(first.get_by_text("Entered by you")).to_be_visible()
    expect(first.get_by_role("button", name=re.compile("call-notes.txt"))).to_be_visible()
    properties = page.get_by_role("region", name="Ticket", exact=True)
    expect(properties.get_by_role("list", name="Tags")).to_have_text(re.compile(r"payout.*phone follow-up"))

    ticket = Ticket.objects.get(pk=ticket_id)
    assert (ticket.customer_id, ticket.source, ticket.tags, ticket.priority, ticket.category) == (
        people.dave.pk,
        "phone",
        ["payout", "phone follow-up"],
        "high",
        "billing",
    )
    message = Message.objects.get(ticket=ticket)
    assert (message.sender_id, message.entered_by_id, message.is_from_customer, message.message_text) == (
        people.dave.pk,
        people.alice.pk,
        True,
        CALL_NOTES,
    )
    attachment = Attachment.objects.get(ticket=ticket)
    assert (attachment.message_id, attachment.filename) == (message.pk, "call-notes.txt")

    # The customer panel offers another ticket for Dave: the dialog opens with him chosen.
    customer_panel = page.get_by_role("region", name="Customer")
    opener = customer_panel.get_by_role("button", name="New ticket for this customer")
    opener.click()
    again = page.get_by_role("dialog", name="New ticket for a customer")
    expect(again.get_by_role("group", name="Customer")).to_contain_text("dave@example.com")
    expect(again.get_by_label("Title")).to_be_focused()
    page.keyboard.press("Escape")
    expect(again).to_be_hidden()
    expect(opener).to_be_focused()

    # Dave sees the ticket in his list, and his words as his, taken down by Alice.
    customer_page = new_page(DESKTOP)
    sign_in(customer_page, people.dave.email, "Your tickets")
    card = customer_page.get_by_role("listitem").filter(has_text=TITLE)
    expect(card).to_be_visible()
    card.get_by_role("link", name=TITLE).click()
    expect(customer_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    his_words = customer_page.get_by_role("log", name="Conversation").get_by_role(
        "article", name="You wrote, entered by Alice Agent"
    )
    expect(his_words).to_contain_text(CALL_NOTES)
    check_accessibility(customer_page, "customer's view of a ticket staff opened")


def test_agent_opens_a_ticket_for_a_caller_without_an_account_with_a_note(new_page: Any) -> None:
    people = make_people()
    page = new_page(DESKTOP)
    sign_in(page, people.alice.email, "Queue")
    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket for a customer")
    dialog.get_by_role("button", name="New caller without an account").click()
    caller = dialog.get_by_role("group", name="New caller")
    caller.get_by_label("Name").fill("Ram Thapa")
    caller.get_by_label("Email").fill("ram.thapa@example.com")
    dialog.get_by_label("Title").fill("Plumber did not turn up")
    dialog.get_by_label("Category").select_option("service")
    dialog.get_by_role("radio", name="An internal note").check()
    dialog.get_by_label("First message").fill("Caller was upset; booking SB-1042, promised a call back today.")
    check_accessibility(page, "new ticket for a caller, with a note")
    dialog.get_by_role("button", name="Create ticket").click()

    expect(page).to_have_url(UUID_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Plumber did not turn up")
    note = page.get_by_role("log", name="Conversation").get_by_role("article", name="You wrote an internal note")
    expect(note).to_contain_text("promised a call back")

    def stored() -> tuple[Any, ...]:
        ticket = Ticket.objects.select_related("customer").get(title="Plumber did not turn up")
        message = Message.objects.get(ticket=ticket)
        caller = ticket.customer
        return (caller.email, caller.name, caller.has_usable_password(), ticket.source, message.is_internal)

    assert off_loop(stored) == ("ram.thapa@example.com", "Ram Thapa", False, "phone", True)
