"""The customer web app in a real browser against the real server and database: register, open a
ticket with an image, converse, reload; privacy between customers; close and reopen; phone
width; accessibility of every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from desk.accounts.models import User
from desk.accounts.tests.factories import PASSWORD, CustomerFactory
from desk.support import services
from desk.support.models import Attachment, Message, Status, Ticket
from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, off_loop, screenshot
from tests.browser.conftest import sign_in as signed_in

pytestmark = pytest.mark.browser

UUID_PATH = re.compile(r"/tickets/[0-9a-f-]{36}$")


def make_png(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, (220, 60, 40)).save(path, format="PNG")
    return path


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    signed_in(page, email, "Your tickets", password=password)


def open_ticket_for(customer: User, title: str, *, replies: int = 0) -> Ticket:
    """A ticket with its first message and `replies` more from the customer, made the way the
    API makes them (services), off the browser's event loop."""

    def create() -> Ticket:
        ticket = services.ticket_create(
            actor=customer, title=title, message_text="The booking page shows an error.", category="technical"
        )
        for number in range(1, replies + 1):
            services.message_post(ticket=ticket, sender=customer, message_text=f"Update {number}: still waiting.")
        return ticket

    return off_loop(create)


def test_customer_registers_opens_ticket_with_image_converses_and_reloads(new_page: Any, tmp_path: Path) -> None:
    page = new_page(DESKTOP)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    check_accessibility(page, "sign-in")
    page.get_by_role("link", name="Create an account").click()
    check_accessibility(page, "register")
    page.get_by_label("First name").fill("Rita")
    page.get_by_label("Last name").fill("Register")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Password").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your tickets")
    expect(page.get_by_text("You have no tickets yet.")).to_be_visible()
    check_accessibility(page, "empty ticket list")

    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket")
    expect(dialog.get_by_label("Title")).to_be_focused()
    dialog.get_by_role("button", name="Create ticket").click()
    expect(dialog.get_by_text("Give your ticket a title.")).to_be_visible()
    dialog.get_by_label("Title").fill("Booking page shows an error")
    dialog.get_by_label("Category").select_option("technical")
    dialog.get_by_label("Priority").select_option("high")
    dialog.get_by_label("Message").fill("When I pay, the page says <b>Error 500</b>. Screenshot attached.")
    dialog.get_by_test_id("attachment-input").set_input_files(str(make_png(tmp_path / "error-screen.png")))
    expect(dialog.get_by_text("Ready to upload")).to_be_visible()
    check_accessibility(page, "new ticket dialog")
    screenshot(page, "dialog-desktop")
    dialog.get_by_role("button", name="Create ticket").click()

    expect(page).to_have_url(UUID_PATH)
    ticket_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking page shows an error")
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation.get_by_text("When I pay, the page says <b>Error 500</b>.", exact=False)).to_be_visible()
    expect(conversation.locator("b")).to_have_count(0)  # user text is shown as text, never markup
    expect(page).to_have_title(re.compile(r"^#\d+ Booking page shows an error · Support Desk$"))
    preview_button = conversation.get_by_role("button", name="Preview error-screen.png")
    expect(preview_button).to_be_enabled()
    thumbnail_width = preview_button.locator("img").evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert thumbnail_width == 64

    preview_button.click()
    preview = page.get_by_role("dialog", name="error-screen.png")
    image = preview.get_by_test_id("image-preview")
    expect(image).to_be_visible()
    check_accessibility(page, "image preview")
    assert image.evaluate("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])") == [64, 48]
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(preview_button).to_be_focused()

    reply_box = page.get_by_label("Your reply")
    reply_box.fill("It happens with every card I try.")
    reply_box.press("Control+Enter")
    sent = conversation.get_by_role("listitem").filter(has_text="It happens with every card I try.")
    expect(sent).to_have_count(1)
    expect(sent).to_have_attribute("data-message-id", re.compile(r"[0-9a-f-]{36}"))
    expect(sent.get_by_role("article")).to_have_attribute("aria-label", "You wrote")

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking page shows an error")
    items = page.get_by_role("log", name="Conversation").get_by_role("article")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Error 500")
    expect(items.nth(1)).to_contain_text("It happens with every card I try.")
    expect(items.nth(0).get_by_role("button", name="Preview error-screen.png")).to_be_enabled()
    check_accessibility(page, "conversation")
    screenshot(page, "conversation-desktop")

    ticket = Ticket.objects.get(pk=ticket_id)
    assert ticket.customer.email == "rita@example.com"
    assert (ticket.category, ticket.priority) == ("technical", "high")
    messages = list(Message.objects.filter(ticket=ticket).order_by("created_at"))
    assert [m.message_text for m in messages] == [
        "When I pay, the page says <b>Error 500</b>. Screenshot attached.",
        "It happens with every card I try.",
    ]
    attachment = Attachment.objects.get(ticket=ticket)
    assert (attachment.message_id, attachment.filename, attachment.content_type) == (
        messages[0].pk,
        "error-screen.png",
        "image/png",
    )

    page.get_by_role("link", name="All tickets").click()
    card = page.get_by_role("listitem").filter(has_text="Booking page shows an error")
    expect(card).to_contain_text("It happens with every card I try.")
    expect(card).to_contain_text("Status: Open")
    check_accessibility(page, "ticket list")
    screenshot(page, "list-desktop")


def test_a_customer_cannot_open_another_customers_ticket(new_page: Any) -> None:
    owner = CustomerFactory()
    stranger = CustomerFactory()
    ticket = open_ticket_for(owner, "Private: my home address changed")

    page = new_page(DESKTOP)
    sign_in(page, stranger.email)
    expect(page.get_by_text("You have no tickets yet.")).to_be_visible()

    page.goto(f"/tickets/{ticket.pk}")
    expect(page.get_by_text("Ticket not found")).to_be_visible()
    expect(page.get_by_text("Private: my home address changed")).to_have_count(0)
    expect(page.get_by_text("The booking page shows an error.")).to_have_count(0)
    expect(page.get_by_label("Your reply")).to_have_count(0)
    check_accessibility(page, "ticket not found")

    # The owner, in another browser session, opens the same link.
    owner_page = new_page(DESKTOP)
    sign_in(owner_page, owner.email)
    owner_page.goto(f"/tickets/{ticket.pk}")
    expect(owner_page.get_by_role("heading", level=1)).to_have_text("Private: my home address changed")


def test_closing_then_reopening_a_ticket_on_a_phone(new_page: Any) -> None:
    customer = CustomerFactory()
    ticket = open_ticket_for(customer, "Cleaner did not arrive on time", replies=12)
    page = new_page(PHONE)

    sign_in(page, customer.email)
    expect(page.get_by_role("link", name="Cleaner did not arrive on time")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "list-phone")

    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket")
    expect(dialog.get_by_label("Title")).to_be_focused()
    check_accessibility(page, "new ticket dialog (phone)")
    screenshot(page, "dialog-phone")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.get_by_role("link", name="Cleaner did not arrive on time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleaner did not arrive on time")
    # The conversation opens scrolled to the newest message.
    pane = page.get_by_role("log", name="Conversation")
    expect(pane.get_by_text("Update 12: still waiting.")).to_be_in_viewport()
    expect(pane.get_by_text("The booking page shows an error.")).not_to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "conversation-phone")

    page.get_by_role("button", name="Close ticket").click()
    confirm = page.get_by_role("alertdialog", name="Close this ticket?")
    expect(confirm.get_by_role("button", name="Keep open")).to_be_focused()
    check_accessibility(page, "close confirmation")
    confirm.get_by_role("button", name="Close ticket").click()

    expect(confirm).to_be_hidden()
    expect(page.get_by_text("Status: Closed")).to_be_visible()
    reply_box = page.get_by_label("Your reply")
    expect(reply_box).to_be_disabled()
    expect(page.get_by_text("This ticket is closed, so it cannot take new messages.")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.closed_at is not None
    check_accessibility(page, "closed conversation")

    page.get_by_role("button", name="Reopen ticket").click()
    expect(page.get_by_text("Status: Open")).to_be_visible()
    expect(reply_box).to_be_enabled()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at) == (Status.OPEN, None)

    reply_box.fill("Thanks, reopening: the cleaner came but left early.")
    page.get_by_role("button", name="Send").click()
    expect(
        page.get_by_role("log", name="Conversation").get_by_text("Thanks, reopening: the cleaner came but left early.")
    ).to_be_visible()
    expect(page.get_by_role("log").locator("[data-message-id]")).to_have_count(14)
    expect(page.get_by_role("log").locator("[data-outgoing]")).to_have_count(0)
