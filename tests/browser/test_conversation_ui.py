"""Reading and finding in a real browser: links in messages open safely in a new tab while
markup and other schemes stay text; right-to-left titles and messages read right to left; the
queue's filters are readable at a common laptop width; the phone dashboard's agents table
scrolls from the keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from desk.accounts.models import User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory
from desk.support import services
from desk.support.models import Ticket
from tests.browser.conftest import DESKTOP, LiveAsgiServer, check_accessibility, off_loop, screenshot, sign_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE_390 = {"width": 390, "height": 844}
ARABIC_TITLE = "لم أستلم المبلغ المسترد"
ARABIC_MESSAGE = "مرحبا، دفعت مرتين للحجز نفسه ولم يصلني أي رد."
SCRIPT_TEXT = "javascript:alert(document.cookie)"
HTML_TEXT = '<a href="https://evil.example/">Click here</a>'


@dataclass
class Conversation:
    carol: User
    alice: User
    ticket: Ticket
    help_url: str


def make_conversation(live_app: LiveAsgiServer) -> Conversation:
    """Carol's ticket with an Arabic title; an agent answers with a link (to this server, so the
    new tab has somewhere to go), and Carol's messages hold a script URL, pasted HTML and Arabic."""
    help_url = f"{live_app.url}/sign-in?from=message"

    def create() -> Conversation:
        carol = CustomerFactory(first_name="Carol", last_name="Customer")
        alice = AgentFactory(first_name="Alice", last_name="Agent")
        ticket = services.ticket_create(
            actor=carol, title=ARABIC_TITLE, message_text=ARABIC_MESSAGE, category="billing"
        )
        services.message_post(
            ticket=ticket, sender=alice, message_text=f"Our refund guide: {help_url}. Or see www.example.com/refunds."
        )
        services.message_post(ticket=ticket, sender=carol, message_text=SCRIPT_TEXT)
        services.message_post(ticket=ticket, sender=carol, message_text=HTML_TEXT)
        return Conversation(carol=carol, alice=alice, ticket=ticket, help_url=help_url)

    return off_loop(create)


def direction(locator: Any) -> str:
    return locator.evaluate("element => getComputedStyle(element).direction")


def test_messages_link_web_addresses_safely_and_read_in_their_own_direction(
    new_page: Any, live_app: LiveAsgiServer
) -> None:
    data = make_conversation(live_app)
    page = new_page(DESKTOP)
    sign_in(page, data.carol.email, "Your tickets")

    # In the list, the Arabic title reads right to left inside the left-to-right page.
    title_link = page.get_by_role("link", name=ARABIC_TITLE)
    assert direction(title_link) == "rtl"
    assert direction(page.locator("body")) == "ltr"
    title_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ARABIC_TITLE)
    assert direction(page.get_by_role("heading", level=1)) == "rtl"

    conversation = page.get_by_role("log", name="Conversation")
    texts = conversation.locator(".message-text")
    expect(texts).to_have_count(4)
    assert [direction(texts.nth(index)) for index in range(4)] == ["rtl", "ltr", "ltr", "ltr"]

    # Only the two web addresses are links, each opening a new tab that cannot reach this one.
    links = conversation.get_by_role("link")
    expect(links).to_have_count(2)
    guide = conversation.get_by_role("link", name=data.help_url)
    expect(guide).to_have_attribute("href", data.help_url)
    expect(conversation.get_by_role("link", name="www.example.com/refunds")).to_have_attribute(
        "href", "https://www.example.com/refunds"
    )
    for index in range(2):
        expect(links.nth(index)).to_have_attribute("target", "_blank")
        expect(links.nth(index)).to_have_attribute("rel", "noopener noreferrer nofollow")
    with page.context.expect_page() as opened:
        guide.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == data.help_url
    assert tab.evaluate("() => window.opener") is None
    tab.close()

    # A script URL and pasted HTML stay exactly the text that was written.
    expect(texts.nth(2)).to_have_text(SCRIPT_TEXT)
    expect(texts.nth(3)).to_have_text(HTML_TEXT)
    assert page.locator("a[href^='javascript' i], a[href*='evil.example']").count() == 0
    check_accessibility(page, "conversation with links and right-to-left text")
    screenshot(page, "conversation-links-rtl")

    # Staff see the same: the header title and the queue's title read right to left.
    staff = new_page(DESKTOP)
    sign_in(staff, data.alice.email, "Queue")
    assert direction(staff.get_by_role("table").get_by_role("link", name=ARABIC_TITLE)) == "rtl"
    staff.goto(f"/tickets/{data.ticket.pk}")
    expect(staff.get_by_role("heading", level=1)).to_have_text(ARABIC_TITLE)
    assert direction(staff.get_by_role("heading", level=1)) == "rtl"
    expect(staff.get_by_role("log", name="Conversation").get_by_role("link")).to_have_count(2)


# What each filter shows: its label, and for a list the chosen option's text, wider than the
# text box minus room for the arrow means cut off.
CLIPPED_FILTERS = """() => {
  const measure = document.createElement("canvas").getContext("2d");
  const ARROW = 16;
  return [...document.querySelectorAll(".queue-filters .filter")].flatMap((filter) => {
    const problems = [];
    const label = filter.querySelector("label");
    if (label && label.scrollWidth > label.clientWidth) problems.push(`label ${label.textContent}`);
    const select = filter.querySelector("select");
    if (select) {
      const style = getComputedStyle(select);
      measure.font = style.font;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - ARROW;
      const shown = select.selectedOptions[0].text;
      if (measure.measureText(shown).width > room) problems.push(`${label.textContent}: ${shown}`);
    }
    return problems;
  });
}"""


def test_queue_filters_are_readable_at_1366_px(new_page: Any) -> None:
    alice = off_loop(lambda: AgentFactory(first_name="Alice", last_name="Agent"))
    page = new_page(LAPTOP)
    sign_in(page, alice.email, "Queue")
    expect(page.get_by_label("Escalation")).to_have_value("")
    assert page.evaluate(CLIPPED_FILTERS) == []

    # The longest choices, as quick views and shared links set them.
    page.goto("/queue?status=open,in_progress&priority=high,urgent&escalated=false&assigned_agent=none")
    expect(page.get_by_label("Status")).to_have_value("open,in_progress")
    assert page.evaluate(CLIPPED_FILTERS) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"]
    screenshot(page, "staff-queue-filters-1366")


def test_phone_dashboard_agents_table_scrolls_from_the_keyboard(new_page: Any) -> None:
    def create() -> User:
        AgentFactory(first_name="Bartholomew", last_name="Featherstonehaugh")
        return AgentFactory(first_name="Alice", last_name="Agent")

    alice = off_loop(create)
    page = new_page(PHONE_390)
    sign_in(page, alice.email, "Queue")
    page.goto("/dashboard")
    region = page.get_by_role("region", name="Agents’ open tickets, tickets resolved and first response times")
    expect(region.get_by_role("row", name="Alice Agent")).to_be_visible()
    assert region.evaluate("element => element.scrollWidth > element.clientWidth"), "the table should scroll here"

    # The whole page passes axe, and the rule about scrollable regions did apply to it.
    check_accessibility(page, "dashboard on a phone")
    rule = page.evaluate("async () => await window.axe.run(document, { runOnly: ['scrollable-region-focusable'] })")
    assert rule["violations"] == []
    assert [result["id"] for result in rule["passes"]] == ["scrollable-region-focusable"]

    # Tab reaches the table (past the date range, its only controls before it); arrows scroll it.
    page.get_by_label("To").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if region.evaluate("element => element === document.activeElement"):
            break
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    screenshot(page, "staff-dashboard-phone-agents")
