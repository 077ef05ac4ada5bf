"""Drafts in a real browser against the real server: what a customer or an agent has written
survives closing the dialog (Escape, the backdrop, Cancel) and reloading the page, until it is
sent, discarded after a confirmation, or the user signs out; an agent's reply and internal note
are drafted apart."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support import services
from desk.support.models import Message, Ticket
from tests.browser.conftest import DESKTOP, check_accessibility, off_loop, screenshot, sign_in

pytestmark = pytest.mark.browser

TITLE = "Refund for a cancelled booking"
FIRST_MESSAGE = "I cancelled on Monday and was still charged."
REPLY = "Here is the bank statement you asked for."
NOTE = "Customer sent the statement; finance to check the refund batch."
DRAFT_KEYS = "() => Object.keys(localStorage).filter((key) => key.startsWith('desk.draft:'))"


def click_backdrop(page: Any) -> None:
    # The backdrop covers the window; the dialog sits in the middle, clear of this corner.
    page.mouse.click(5, 5)


def test_customer_drafts_survive_closing_and_reloading_until_sent_or_discarded(new_page: Any) -> None:
    def create() -> tuple[Any, Ticket]:
        carol = CustomerFactory(first_name="Carol", last_name="Customer")
        ticket = services.ticket_create(
            actor=carol, title="Charged twice", message_text="Two charges for one booking.", category="billing"
        )
        return carol, ticket

    carol, ticket = off_loop(create)
    page = new_page(DESKTOP)
    sign_in(page, carol.email, "Your tickets")
    new_ticket = page.get_by_role("button", name="New ticket")

    # A new ticket half written, closed with Escape: no question, and the draft is kept.
    new_ticket.click()
    dialog = page.get_by_role("dialog", name="New ticket")
    dialog.get_by_label("Title").fill(TITLE)
    dialog.get_by_label("Category").select_option("billing")
    dialog.get_by_label("Message").fill(FIRST_MESSAGE)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("alertdialog")).to_have_count(0)

    # After a reload it is all there; closing by the backdrop keeps it too.
    page.reload()
    new_ticket.click()
    expect(dialog.get_by_label("Title")).to_have_value(TITLE)
    expect(dialog.get_by_label("Category")).to_have_value("billing")
    expect(dialog.get_by_label("Message")).to_have_value(FIRST_MESSAGE)
    click_backdrop(page)
    expect(dialog).to_be_hidden()
    new_ticket.click()
    expect(dialog.get_by_label("Title")).to_have_value(TITLE)

    # Discarding asks first; "Keep editing" goes back to the form as it was.
    dialog.get_by_role("button", name="Discard draft").click()
    confirm = page.get_by_role("alertdialog", name="Discard this draft?")
    expect(confirm.get_by_role("button", name="Keep editing")).to_be_focused()
    check_accessibility(page, "discard draft confirmation")
    screenshot(page, "discard-draft-confirmation")
    confirm.get_by_role("button", name="Keep editing").click()
    expect(confirm).to_be_hidden()
    expect(dialog.get_by_label("Title")).to_have_value(TITLE)
    dialog.get_by_role("button", name="Discard draft").click()
    confirm.get_by_role("button", name="Discard").click()
    expect(dialog).to_be_hidden()
    expect(new_ticket).to_be_focused()  # the page is usable again, focus back where it was
    new_ticket.click()
    expect(dialog.get_by_label("Title")).to_have_value("")
    dialog.get_by_role("button", name="Cancel").click()
    assert page.evaluate(DRAFT_KEYS) == []

    # A reply draft survives a reload and is gone once sent.
    page.get_by_role("link", name="Charged twice").click()
    reply_box = page.get_by_label("Your reply")
    reply_box.fill(REPLY)
    page.reload()
    expect(reply_box).to_have_value(REPLY)
    page.get_by_role("button", name="Send").click()
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation.get_by_role("article", name="You wrote").filter(has_text=REPLY)).to_be_visible()
    expect(conversation.locator("[data-outgoing]")).to_have_count(0)
    # The live event can show the message before the send's own answer arrives; the draft goes
    # with that answer (a failed send keeps it), so wait for it rather than race it.
    page.wait_for_function(f"() => ({DRAFT_KEYS})().length === 0")
    page.reload()
    expect(page.get_by_role("log", name="Conversation")).to_contain_text(REPLY)
    expect(reply_box).to_have_value("")
    assert Message.objects.filter(ticket=ticket, message_text=REPLY).count() == 1

    # Signing out forgets every draft kept in this browser.
    reply_box.fill("Something I never sent")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))
    assert page.evaluate(DRAFT_KEYS) == []
    sign_in(page, carol.email, "Your tickets")
    page.get_by_role("link", name="Charged twice").click()
    expect(reply_box).to_have_value("")


def test_agent_drafts_a_ticket_for_a_customer_and_keeps_reply_and_note_apart(new_page: Any) -> None:
    def create() -> tuple[Any, Ticket]:
        alice = AgentFactory(first_name="Alice", last_name="Agent")
        carol = CustomerFactory(first_name="Carol", last_name="Customer", email="carol@example.com")
        ticket = services.ticket_create(
            actor=carol, title="Charged twice", message_text="Two charges for one booking.", category="billing"
        )
        return alice, ticket

    alice, ticket = off_loop(create)
    page = new_page(DESKTOP)
    sign_in(page, alice.email, "Queue")

    # A phone ticket half filed, closed by the backdrop, and back after a reload.
    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket for a customer")
    search = dialog.get_by_role("combobox", name="Customer")
    search.press_sequentially("carol")
    expect(dialog.get_by_role("listbox", name="Matching customers").get_by_role("option")).to_have_count(1)
    search.press("ArrowDown")
    search.press("Enter")
    expect(dialog.get_by_role("group", name="Customer")).to_contain_text("Carol Customer")
    dialog.get_by_label("Title").fill(TITLE)
    dialog.get_by_label("Tags").fill("refund")
    dialog.get_by_label("First message").fill(FIRST_MESSAGE)
    click_backdrop(page)
    expect(dialog).to_be_hidden()
    page.reload()
    page.get_by_role("button", name="New ticket").click()
    expect(dialog.get_by_role("group", name="Customer")).to_contain_text("carol@example.com")
    expect(dialog.get_by_label("Title")).to_be_focused()
    expect(dialog.get_by_label("Title")).to_have_value(TITLE)
    expect(dialog.get_by_label("Tags")).to_have_value("refund")
    expect(dialog.get_by_label("First message")).to_have_value(FIRST_MESSAGE)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    # On a ticket: a reply and a note, each its own draft; a reload comes back in reply mode.
    page.goto(f"/tickets/{ticket.pk}")
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("radio", name="Internal note").check()
    expect(page.get_by_label("Note for staff")).to_have_value("")
    page.get_by_label("Note for staff").fill(NOTE)
    page.reload()
    expect(page.get_by_label("Your reply")).to_have_value(REPLY)
    page.get_by_role("radio", name="Internal note").check()
    expect(page.get_by_label("Note for staff")).to_have_value(NOTE)
    page.get_by_role("button", name="Add note").click()
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation.get_by_role("article", name="You wrote an internal note")).to_contain_text(NOTE)
    expect(conversation.locator("[data-outgoing]")).to_have_count(0)

    page.reload()
    expect(page.get_by_label("Your reply")).to_have_value(REPLY)
    page.get_by_role("radio", name="Internal note").check()
    expect(page.get_by_label("Note for staff")).to_have_value("")
    assert list(Message.objects.filter(ticket=ticket).values_list("message_text", "is_internal")[1:]) == [(NOTE, True)]
    assert Ticket.objects.count() == 1  # the drafted ticket was never created
