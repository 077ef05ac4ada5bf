"""The email channel in a real browser: an agent sees a mailed ticket's number, that its message
came by email and from whom, downloads the original mail, and watches the customer's emailed
reply arrive live; the customer sees "via email" but none of the mail records."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from desk.accounts.tests.factories import PASSWORD, AgentFactory
from desk.mail import services
from desk.mail.models import Channel
from desk.mail.tests.builders import mail
from desk.notifications import threading
from tests.browser.conftest import DESKTOP, off_loop, sign_in

pytestmark = pytest.mark.browser


def _receive(raw: bytes) -> Any:
    """A mail server hands over a mail; it is processed once stored (in-process here)."""

    def run() -> Any:
        inbound = services.inbound_receive(raw=raw, channel=Channel.HTTP)
        inbound.refresh_from_db()
        return inbound

    return off_loop(run)


def test_staff_follow_a_ticket_that_came_by_email(new_page: Any) -> None:
    alice = off_loop(lambda: AgentFactory(first_name="Alice", last_name="Agent"))
    first = _receive(mail(sender="Hari Thapa <hari@example.org>", subject="Geyser not heating", body="It is cold."))
    ticket = first.ticket
    assert first.status == "processed"

    page = new_page(DESKTOP)
    sign_in(page, alice.email, "Queue")
    page.goto(f"/tickets/{ticket.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geyser not heating")
    expect(page.get_by_text(f"#{ticket.number}").first).to_be_visible()
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation).to_contain_text("via email from hari@example.org")

    with page.expect_download() as download_info:
        conversation.get_by_role("button", name="Original mail").click()
    download = download_info.value
    assert re.fullmatch(rf"ticket-{ticket.number}-[0-9a-f]{{8}}\.eml", download.suggested_filename)
    assert b"It is cold." in Path(download.path()).read_bytes()

    # The customer answers by email while the agent has the ticket open: it arrives live.
    reply = mail(sender="hari@example.org", to=threading.reply_address(ticket.number), body="Still cold today.")
    assert _receive(reply).ticket == ticket
    expect(conversation).to_contain_text("Still cold today.")


def test_the_customer_sees_via_email_but_no_mail_records(new_page: Any) -> None:
    inbound = _receive(mail(sender="Sita Rai <sita@example.org>", subject="Refund please", body="Booking 12."))
    customer = inbound.ticket.customer

    def give_password() -> None:
        customer.set_password(PASSWORD)
        customer.save()

    off_loop(give_password)
    page = new_page(DESKTOP)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, customer.email, "Your tickets")
    row = page.get_by_role("listitem").filter(has_text="Refund please")
    expect(row).to_contain_text(f"#{inbound.ticket.number}")
    row.get_by_role("link", name="Refund please").click()
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation).to_contain_text("Booking 12.")
    expect(conversation).to_contain_text("via email")
    expect(conversation).not_to_contain_text("sita@example.org")
    assert not [url for url in requests if "/emails/" in url or "/inbound-emails/" in url]
