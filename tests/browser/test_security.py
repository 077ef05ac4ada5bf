"""Security in the real browser (issue 8): markup in titles, messages and filenames is shown as text
and never runs, on the customer's and the agent's pages and in notifications; the app page carries
a strict Content-Security-Policy and runs under it without violations; it cannot be framed; sign-out
and password changes end sessions; password reset links work once; a customer can take their data
and delete their account."""

from __future__ import annotations

import io
import json
import re
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from desk.accounts.models import User
from desk.accounts.tests.factories import PASSWORD, AgentFactory, CustomerFactory
from desk.notifications.models import DeliveryStatus, EmailDelivery
from desk.support.models import Attachment, Message, Ticket
from tests.browser.conftest import DESKTOP, PHONE, check_accessibility, screenshot
from tests.browser.conftest import sign_in as signed_in

pytestmark = pytest.mark.browser

UUID_PATH = re.compile(r"/tickets/([0-9a-f-]{36})$")

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
SVG = '"><svg onload=alert(1)>'
# Would set a flag if it ever ran: catches execution even where a dialog might be missed.
FLAG = "<img src=y onerror=\"window.__xss='img'\">"

TITLE = f"{IMG} refund {SVG}"
MESSAGE = f"Hello {SCRIPT} and {FLAG} and {SVG} end"
REPLY = f"Support here {SCRIPT}{IMG}"
# A file name may carry markup too; the server then stores a sanitized name ("<>" become "_").
FILENAME = f"{IMG}.png"
STORED_FILENAME = "_img src=x onerror=alert(1)_.png"

# Records every CSP violation the page reports, from the first script on (init scripts run via
# the devtools protocol, so the page's own policy does not block this one).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def guard(page: Any) -> list[str]:
    """Record dialogs (alert/confirm/prompt) and CSP violations on a page; returns the dialog list."""
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(CSP_RECORDER)
    return dialogs


def assert_nothing_injected(page: Any, dialogs: list[str], where: str) -> None:
    found = page.evaluate(
        """() => ({
            imgX: document.querySelectorAll('img[src="x"], img[src="y"]').length,
            handlers: document.querySelectorAll('[onerror], [onload]').length,
            svg: document.querySelectorAll('svg[onload]').length,
            scripts: [...document.scripts].filter((s) => s.textContent.includes('alert(1)')).length,
            flag: window.__xss ?? null,
            csp: window.__cspViolations ?? [],
        })"""
    )
    assert found == {"imgX": 0, "handlers": 0, "svg": 0, "scripts": 0, "flag": None, "csp": []}, (where, found)
    assert dialogs == [], (where, dialogs)


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    signed_in(page, email, password=password)


def api(page: Any, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """Call the API from a page as its signed-in user, over real HTTP."""
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


def make_png(path: Path) -> Path:
    Image.new("RGB", (40, 30), (30, 120, 200)).save(path, format="PNG")
    return path


def test_markup_in_titles_messages_and_filenames_is_text_and_never_runs(new_page: Any, tmp_path: Path) -> None:
    customer = CustomerFactory()
    agent = AgentFactory()
    page = new_page(DESKTOP)
    dialogs = guard(page)
    sign_in(page, customer.email)

    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket")
    dialog.get_by_label("Title").fill(TITLE)
    dialog.get_by_label("Category").select_option("billing")
    dialog.get_by_label("Message").fill(MESSAGE)
    dialog.get_by_test_id("attachment-input").set_input_files(str(make_png(tmp_path / FILENAME)))
    # The picked file's own name, before any server sanitizing, is text too.
    expect(dialog.locator(".upload-name")).to_have_text(FILENAME)
    assert_nothing_injected(page, dialogs, "new ticket dialog")
    dialog.get_by_role("button", name="Create ticket").click()

    expect(page).to_have_url(UUID_PATH)
    ticket_id = UUID_PATH.search(page.url).group(1)  # type: ignore[union-attr]
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page).to_have_title(re.compile(rf"^#\d+ {re.escape(TITLE)} · Support Desk$"))
    conversation = page.get_by_role("log", name="Conversation")
    expect(conversation.get_by_text(MESSAGE, exact=True)).to_be_visible()
    preview = conversation.get_by_role("button", name=f"Preview {STORED_FILENAME}")
    expect(preview).to_be_enabled()
    preview.click()
    expect(page.get_by_role("dialog", name=STORED_FILENAME)).to_be_visible()
    assert_nothing_injected(page, dialogs, "image preview")
    page.keyboard.press("Escape")

    # The agent answers with markup too; it arrives live and as text, with a notification whose
    # text carries the title.
    agent_page = new_page(DESKTOP)
    agent_dialogs = guard(agent_page)
    sign_in(agent_page, agent.email)
    status, body = api(agent_page, "POST", f"/api/support/tickets/{ticket_id}/messages/", {"message_text": REPLY})
    assert status == 201, body
    expect(conversation.get_by_text(REPLY, exact=True)).to_be_visible()
    bell = page.get_by_role("button", name="Notifications, 1 unread")
    bell.click()
    panel = page.get_by_role("region", name="Notifications", exact=True)
    expect(panel.get_by_text(f"Support replied on: {TITLE}", exact=True)).to_be_visible()
    assert_nothing_injected(page, dialogs, "customer's conversation and notifications")
    screenshot(page, "security-markup-as-text")

    # The list shows the title and the newest message as text.
    page.keyboard.press("Escape")
    page.get_by_role("link", name="All tickets").click()
    card = page.get_by_role("listitem").filter(has_text="refund")
    expect(card.get_by_role("link", name=TITLE)).to_be_visible()
    expect(card).to_contain_text(REPLY)
    assert_nothing_injected(page, dialogs, "ticket list")

    # The agent's side: the ticket, its messages and file, and the agent's notifications.
    agent_page.goto(f"/tickets/{ticket_id}")
    expect(agent_page.get_by_text(MESSAGE, exact=True)).to_be_visible()
    expect(agent_page.get_by_text(REPLY, exact=True)).to_be_visible()
    expect(agent_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(agent_page.get_by_role("button", name=f"Preview {STORED_FILENAME}")).to_be_visible()
    agent_page.get_by_role("button", name=re.compile(r"^Notifications")).click()
    expect(agent_page.get_by_role("region", name="Notifications", exact=True).get_by_text(TITLE).first).to_be_visible()
    assert_nothing_injected(agent_page, agent_dialogs, "agent's ticket page")

    ticket = Ticket.objects.get(pk=ticket_id)
    assert ticket.title == TITLE
    assert list(
        Message.objects.filter(ticket=ticket).order_by("created_at").values_list("message_text", flat=True)
    ) == [
        MESSAGE,
        REPLY,
    ]
    assert Attachment.objects.get(ticket=ticket).filename == STORED_FILENAME


def test_the_app_page_has_a_strict_policy_runs_under_it_and_cannot_be_framed(
    new_page: Any, browser: Any, live_app: Any
) -> None:
    page = new_page(DESKTOP)
    guard(page)
    response = page.goto("/sign-in")
    assert response is not None and response.ok
    headers = response.headers
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in headers["content-security-policy"].split(";"))
        if directive
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert f"ws://{urlsplit(live_app.url).netloc}" in policy["connect-src"]
    assert headers["referrer-policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert headers["x-content-type-options"] == "nosniff"

    # The whole app works under it: sign-in, lists, a conversation over the websocket, settings.
    customer = CustomerFactory()
    sign_in(page, customer.email)
    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket")
    dialog.get_by_label("Title").fill("Checking the policy")
    dialog.get_by_label("Category").select_option("billing")
    dialog.get_by_label("Message").fill("Does everything load?")
    dialog.get_by_role("button", name="Create ticket").click()
    expect(page).to_have_url(UUID_PATH)
    expect(page.locator(".live-status")).to_have_text("Live")
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("switch", name="Replies from support")).to_be_visible()
    assert page.evaluate("() => window.__cspViolations") == []

    # Another site cannot frame the app (clickjacking): the frame stays empty.
    context = browser.new_context()
    try:
        framing = context.new_page()
        framing.set_content(f'<iframe id="app" src="{live_app.url}/sign-in" width="600" height="400"></iframe>')
        framing.wait_for_timeout(1500)
        frame = framing.frame_locator("#app")
        expect(frame.get_by_role("heading", name="Sign in")).to_have_count(0)
    finally:
        context.close()


def test_signing_out_revokes_the_refresh_token(new_page: Any, live_app: Any) -> None:
    customer = CustomerFactory()
    page = new_page(DESKTOP)
    sign_in(page, customer.email)
    expect(page.locator(".live-status")).to_have_text("Live")
    refresh = page.evaluate("() => localStorage.getItem('desk.refresh')")
    assert refresh

    # Signing out does not wait for the server; wait for its answer before probing the token.
    with page.expect_response(lambda response: "/api/auth/logout/" in response.url) as logout:
        page.get_by_role("button", name="Sign out").click()
    assert logout.value.status == 204
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator(".live-status")).to_have_count(0)
    assert page.evaluate("() => localStorage.getItem('desk.refresh')") is None

    # The server no longer honours the token this browser had (even if someone copied it).
    answer = page.request.post(f"{live_app.url}/api/auth/token/refresh/", data={"refresh": refresh})
    assert answer.status == 401, answer.text()


def test_a_password_change_ends_the_other_sessions(new_page: Any) -> None:
    customer = CustomerFactory()
    laptop = new_page(DESKTOP)
    phone = new_page(PHONE)
    sign_in(laptop, customer.email)
    sign_in(phone, customer.email)

    laptop.get_by_role("link", name="Settings").click()
    form = laptop.get_by_role("form", name="Change password")
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_label(re.compile(r"^New password")).fill("a-brand-new-passphrase-42")
    form.get_by_label("Repeat the new password").fill("a-brand-new-passphrase-42")
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_text("Your password is changed.")).to_be_visible()
    check_accessibility(laptop, "settings after a password change")

    # This browser carries on with its new tokens...
    laptop.reload()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Settings")
    # ...the other one is signed out at its next request.
    phone.reload()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(phone, customer.email, "a-brand-new-passphrase-42")


def reset_path_from(smtp_server: Any, address: str, timeout: float = 15.0) -> str:
    """The path of the reset link emailed to `address` (sending runs after the request returns)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in smtp_server.messages:
            if address not in message["To"]:
                continue
            parts = [message] if not message.is_multipart() else list(message.walk())
            for part in parts:
                if part.get_content_type() == "text/plain":
                    text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                    link = re.search(r"https?://\S+/reset-password\?\S+", text)
                    assert link, text
                    url = urlsplit(link.group(0))
                    return f"{url.path}?{url.query}"
        time.sleep(0.1)
    raise AssertionError(f"no reset email reached {address}")


def test_a_password_reset_link_sets_a_new_password_once(new_page: Any, smtp_server: Any) -> None:
    email = f"reset-{uuid.uuid4().hex[:10]}@example.com"
    customer = CustomerFactory(email=email)
    page = new_page(DESKTOP)

    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check_accessibility(page, "forgot password")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # The email goes out through a real SMTP server; the link in it is the only copy.
    path = reset_path_from(smtp_server, email)

    assert EmailDelivery.objects.get(recipient=customer, kind="password_reset").status == DeliveryStatus.SENT
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    check_accessibility(page, "reset password")
    page.get_by_label(re.compile(r"^New password")).fill("password")
    page.get_by_label("Repeat the new password").fill("password")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_label(re.compile(r"^New password"))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("This password is too common.")).to_be_visible()

    page.get_by_label(re.compile(r"^New password")).fill("reset-to-a-long-passphrase")
    page.get_by_label("Repeat the new password").fill("reset-to-a-long-passphrase")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    page.get_by_role("link", name="Sign in").click()
    sign_in(page, email, "reset-to-a-long-passphrase")
    # Signing out does not wait for the server; wait for its answer before probing the token.
    with page.expect_response(lambda response: "/api/auth/logout/" in response.url) as logout:
        page.get_by_role("button", name="Sign out").click()
    assert logout.value.status == 204
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # The same link again: it says at once that it no longer works (no form that cannot
    # succeed), with the way to a new one.
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(page.get_by_label(re.compile(r"^New password"))).to_have_count(0)
    expect(page.get_by_role("link", name="Ask for a new link")).to_have_attribute("href", "/forgot-password")
    customer.refresh_from_db()
    assert customer.check_password("reset-to-a-long-passphrase")


def test_a_customer_downloads_their_data_then_deletes_their_account(new_page: Any) -> None:
    customer = CustomerFactory()
    page = new_page(DESKTOP)
    sign_in(page, customer.email)
    page.get_by_role("button", name="New ticket").click()
    dialog = page.get_by_role("dialog", name="New ticket")
    dialog.get_by_label("Title").fill("Keep a copy of this")
    dialog.get_by_label("Category").select_option("billing")
    dialog.get_by_label("Message").fill("My data, please.")
    dialog.get_by_role("button", name="Create ticket").click()
    expect(page).to_have_url(UUID_PATH)

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    check_accessibility(page, "settings")
    screenshot(page, "settings-desktop")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert re.fullmatch(r"support-desk-data-\d{8}\.zip", download.suggested_filename)
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    assert {"profile.json", "tickets.json", "notifications.json"} <= set(archive.namelist())
    assert "Keep a copy of this" in archive.read("tickets.json").decode()
    expect(page.get_by_text("Your download has started.")).to_be_visible()

    page.get_by_role("button", name="Delete my account…").click()
    confirm = page.get_by_role("alertdialog", name="Delete your account?")
    expect(confirm.get_by_label("Your password")).to_be_focused()
    check_accessibility(page, "delete account confirmation")
    confirm.get_by_label("Your password").fill("not-my-password")
    confirm.get_by_role("button", name="Delete my account").click()
    expect(confirm.get_by_text("The password is not correct.")).to_be_visible()
    assert User.objects.filter(pk=customer.pk).exists()

    confirm.get_by_label("Your password").fill(PASSWORD)
    confirm.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Your account and all its data have been deleted.")).to_be_visible()
    assert not User.objects.filter(pk=customer.pk).exists()
    assert not Ticket.objects.filter(title="Keep a copy of this").exists()

    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_settings_on_a_phone(new_page: Any) -> None:
    customer = CustomerFactory()
    page = new_page(PHONE)
    sign_in(page, customer.email)
    page.goto("/settings/notifications")
    expect(page.get_by_role("heading", name="Email notifications")).to_be_focused()
    switch = page.get_by_role("switch", name="Replies from support")
    expect(switch).to_be_checked()
    switch.click()
    expect(page.get_by_text("Saved: Replies from support emails are off.")).to_be_visible()
    expect(switch).not_to_be_checked()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(page, "settings (phone)")
    screenshot(page, "settings-phone")
    page.get_by_role("button", name=re.compile(r"^Notifications")).click()
    panel = page.get_by_role("region", name="Notifications", exact=True)
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "bell-phone")
    page.reload()
    expect(page.get_by_role("switch", name="Replies from support")).not_to_be_checked()
