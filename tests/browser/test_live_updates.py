"""Live updates in a real browser against the real ASGI server: a customer's and an agent's pages
open side by side (two browser contexts, two sessions, two websockets). What one does shows on the
other's page without a reload; internal notes never reach the customer; when the websocket is down
the page polls, and it goes live again when the socket is back."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from desk.accounts.models import User
from desk.accounts.tests.factories import PASSWORD, AgentFactory, CustomerFactory
from desk.support import services
from desk.support.models import Message, Status, Ticket
from tests.browser.conftest import DESKTOP, check_accessibility, off_loop, screenshot
from tests.browser.conftest import sign_in as signed_in

pytestmark = pytest.mark.browser

# SPEC: new messages appear live. Measured from the moment the server has accepted the write.
LIVE_SECONDS = 2.0
# The fallback poll runs every 15 s while the socket is down; allow for one full period and the fetch.
POLL_SECONDS = 20.0


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    signed_in(page, email, password=password)


def open_ticket_for(customer: User, title: str) -> Ticket:
    def create() -> Ticket:
        return services.ticket_create(
            actor=customer, title=title, message_text="My booking shows the wrong date.", category="service"
        )

    return off_loop(create)


def api(page: Any, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """Call the API from a page, as its signed-in user (the token the app keeps), over real HTTP."""
    result = page.evaluate(
        """async ([method, path, body]) => {
            const token = localStorage.getItem("desk.access");
            const response = await fetch(path, {
                method,
                headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
                body: body === null ? undefined : JSON.stringify(body),
            });
            return { status: response.status, text: await response.text() };
        }""",
        [method, path, body],
    )
    return result["status"], json.loads(result["text"]) if result["text"] else None


def wait_live(page: Any) -> None:
    """The page's websocket is connected and the server has said hello."""
    expect(page.locator(".live-status[data-status='open']")).to_be_visible()
    expect(page.locator(".live-status")).to_have_text("Live")


def unread_in(page: Any) -> int:
    label = page.get_by_role("button", name=re.compile(r"^Notifications")).get_attribute("aria-label") or ""
    match = re.search(r"(\d+) unread", label)
    return int(match.group(1)) if match else 0


def mark_document(page: Any) -> None:
    """A flag that a reload would wipe: proves later changes came without one."""
    page.evaluate("() => { window.__sameDocument = true; }")


def assert_same_document(page: Any) -> None:
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"


def side_by_side(new_page: Any, title: str) -> tuple[User, User, Ticket, Any, Any]:
    customer = CustomerFactory(first_name="Cara", last_name="Customer")
    agent = AgentFactory(first_name="Alice", last_name="Agent")
    ticket = open_ticket_for(customer, title)

    customer_page = new_page(DESKTOP)
    sign_in(customer_page, customer.email)
    customer_page.goto(f"/tickets/{ticket.pk}")
    expect(customer_page.get_by_role("heading", level=1)).to_have_text(title)

    agent_page = new_page(DESKTOP)
    sign_in(agent_page, agent.email)
    agent_page.goto(f"/tickets/{ticket.pk}")
    expect(agent_page.get_by_text("My booking shows the wrong date.").first).to_be_visible()

    wait_live(customer_page)
    wait_live(agent_page)
    mark_document(customer_page)
    mark_document(agent_page)
    return customer, agent, ticket, customer_page, agent_page


def test_agent_reply_appears_live_on_the_customers_page_and_the_bell_counts_up(new_page: Any) -> None:
    _, _, ticket, customer_page, agent_page = side_by_side(new_page, "Wrong date on my booking")
    conversation = customer_page.get_by_role("log", name="Conversation")
    unread_before = unread_in(customer_page)

    status, body = api(
        agent_page,
        "POST",
        f"/api/support/tickets/{ticket.pk}/messages/",
        {"message_text": "Fixed: your booking is now on the 14th."},
    )
    accepted = time.monotonic()
    assert status == 201, body

    reply = conversation.get_by_role("listitem").filter(has_text="Fixed: your booking is now on the 14th.")
    expect(reply).to_be_visible(timeout=LIVE_SECONDS * 1000)
    shown_after = time.monotonic() - accepted
    expect(reply.get_by_role("article")).to_have_attribute("aria-label", "Support wrote")
    expect(reply).to_have_count(1)
    bell = customer_page.get_by_role("button", name=f"Notifications, {unread_before + 1} unread")
    expect(bell).to_be_visible(timeout=LIVE_SECONDS * 1000)
    # The reply moved the ticket into progress; the header followed.
    expect(customer_page.get_by_text("Status: In progress")).to_be_visible(timeout=LIVE_SECONDS * 1000)
    assert_same_document(customer_page)
    print(f"agent reply shown on the customer's page {shown_after:.2f} s after the server accepted it")

    # The new notification is in the bell's list, and opening it lands on the ticket.
    bell.click()
    panel = customer_page.get_by_role("region", name="Notifications", exact=True)
    item = panel.get_by_role("button", name=re.compile(r"Support replied on: Wrong date on my booking"))
    expect(item).to_be_visible()
    expect(item).to_contain_text("Unread")
    check_accessibility(customer_page, "notification panel")
    screenshot(customer_page, "live-customer-bell-open")
    item.click()
    expect(panel).to_be_hidden()
    expect(customer_page.get_by_role("button", name=re.compile(r"^Notifications"))).to_have_attribute(
        "aria-label", "Notifications" if unread_before == 0 else f"Notifications, {unread_before} unread"
    )

    # The other way round: the customer's reply, typed in the page, shows live on the agent's page.
    agent_unread_before = unread_in(agent_page)
    reply_box = customer_page.get_by_label("Your reply")
    reply_box.fill("Thank you, that is right now.")
    reply_box.press("Control+Enter")
    expect(conversation.locator("[data-message-id]").filter(has_text="Thank you, that is right now.")).to_have_count(1)
    expect(agent_page.get_by_text("Thank you, that is right now.")).to_be_visible(timeout=LIVE_SECONDS * 1000)
    expect(agent_page.get_by_role("button", name=f"Notifications, {agent_unread_before + 1} unread")).to_be_visible(
        timeout=LIVE_SECONDS * 1000
    )
    assert_same_document(agent_page)
    # Sent once, shown once: the optimistic copy and the live event did not both stay.
    expect(conversation.get_by_text("Thank you, that is right now.")).to_have_count(1)
    expect(conversation.locator("[data-outgoing]")).to_have_count(0)
    screenshot(customer_page, "live-customer")
    screenshot(agent_page, "live-agent")
    assert Message.objects.filter(ticket=ticket).count() == 3


def test_an_internal_note_never_reaches_the_customers_page(new_page: Any) -> None:
    _, _, ticket, customer_page, agent_page = side_by_side(new_page, "Cleaner broke a vase")
    conversation = customer_page.get_by_role("log", name="Conversation")
    unread_before = unread_in(customer_page)
    note = "Internal: customer has claimed twice this year, check with the team lead."

    status, body = api(
        agent_page, "POST", f"/api/support/tickets/{ticket.pk}/messages/", {"message_text": note, "is_internal": True}
    )
    assert status == 201, body
    # Staff hear of it live, as an internal note.
    expect(agent_page.get_by_text(note)).to_be_visible(timeout=LIVE_SECONDS * 1000)

    # Events reach a page in order: once this later reply is shown, the note would have been too.
    status, body = api(
        agent_page, "POST", f"/api/support/tickets/{ticket.pk}/messages/", {"message_text": "We are looking into it."}
    )
    assert status == 201, body
    expect(conversation.get_by_text("We are looking into it.")).to_be_visible(timeout=LIVE_SECONDS * 1000)
    expect(customer_page.get_by_text(note)).to_have_count(0)
    expect(customer_page.get_by_text("Internal note")).to_have_count(0)
    # Only the reply was counted for the customer.
    expect(customer_page.get_by_role("button", name=f"Notifications, {unread_before + 1} unread")).to_be_visible()
    customer_page.get_by_role("button", name=re.compile(r"^Notifications")).click()
    panel = customer_page.get_by_role("region", name="Notifications", exact=True)
    expect(panel.get_by_role("listitem").first).to_be_visible()
    expect(panel.get_by_text("note", exact=False)).to_have_count(0)
    assert_same_document(customer_page)

    # Not after a reload either: the server never sends it to the customer.
    customer_page.reload()
    expect(customer_page.get_by_role("log", name="Conversation").locator("[data-message-id]")).to_have_count(2)
    expect(customer_page.get_by_text(note)).to_have_count(0)
    assert Message.objects.filter(ticket=ticket, is_internal=True).count() == 1


def test_a_status_change_by_the_agent_shows_on_the_customers_page_without_reload(new_page: Any) -> None:
    _, _, ticket, customer_page, agent_page = side_by_side(new_page, "Invoice address is wrong")
    header = customer_page.locator(".ticket-header")
    expect(header).to_contain_text("Status: Open")
    expect(customer_page.get_by_role("button", name="Reopen ticket")).to_have_count(0)

    status, body = api(agent_page, "PATCH", f"/api/support/tickets/{ticket.pk}/", {"status": "resolved"})
    assert status == 200, body

    expect(header).to_contain_text("Status: Resolved", timeout=LIVE_SECONDS * 1000)
    expect(customer_page.get_by_role("button", name="Reopen ticket")).to_be_visible()
    assert_same_document(customer_page)

    status, body = api(agent_page, "PATCH", f"/api/support/tickets/{ticket.pk}/", {"status": "closed"})
    assert status == 200, body
    expect(header).to_contain_text("Status: Closed", timeout=LIVE_SECONDS * 1000)
    expect(customer_page.get_by_label("Your reply")).to_be_disabled()

    # The list follows too, when the customer goes back to it.
    customer_page.get_by_role("link", name="All tickets").click()
    card = customer_page.get_by_role("listitem").filter(has_text="Invoice address is wrong")
    expect(card).to_contain_text("Status: Closed")
    assert_same_document(customer_page)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_while_the_socket_is_down_the_page_polls_and_goes_live_again(new_page: Any) -> None:
    _, _, ticket, customer_page, agent_page = side_by_side(new_page, "Payment failed twice")
    # From now on, the customer's websockets go through a switch that can cut them.
    network = {"down": False}
    sockets: list[Any] = []

    def route(ws: Any) -> None:
        if network["down"]:
            ws.close(code=1011, reason="Server unavailable")
            return
        ws.connect_to_server()
        sockets.append(ws)

    customer_page.route_web_socket(re.compile(r"/ws/"), route)
    customer_page.reload()
    mark_document(customer_page)
    wait_live(customer_page)

    network["down"] = True
    for ws in sockets:
        ws.close(code=1006)
    expect(customer_page.locator(".live-status")).to_have_text("Reconnecting…")

    status, body = api(
        agent_page, "POST", f"/api/support/tickets/{ticket.pk}/messages/", {"message_text": "Please try once more."}
    )
    assert status == 201, body
    conversation = customer_page.get_by_role("log", name="Conversation")
    expect(conversation.get_by_text("Please try once more.")).to_be_visible(timeout=POLL_SECONDS * 1000)
    expect(customer_page.locator(".live-status")).to_have_text("Reconnecting…")
    assert_same_document(customer_page)

    network["down"] = False
    # The backoff between attempts is capped at 30 s.
    expect(customer_page.locator(".live-status")).to_have_text("Live", timeout=35_000)
    status, body = api(
        agent_page, "POST", f"/api/support/tickets/{ticket.pk}/messages/", {"message_text": "It went through."}
    )
    assert status == 201, body
    expect(conversation.get_by_text("It went through.")).to_be_visible(timeout=LIVE_SECONDS * 1000)
    assert_same_document(customer_page)
