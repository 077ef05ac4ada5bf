"""Browser test fixtures: the real ASGI app (HTTP and websockets) served by uvicorn in a thread
on a free port against the test database, the built web app, and Debian's Chromium driven by
Playwright. One browser per session; each test gets fresh, isolated browser contexts."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from conftest import need

# Playwright's sync API runs an event loop in the test thread; the test's own database calls
# (factories, assertions) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
WEB_INDEX = ROOT / "web" / "dist" / "index.html"
AXE_SCRIPT = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SERVER_START_SECONDS = 20

T = TypeVar("T")


@dataclass
class LiveAsgiServer:
    """A running server: `url` is its origin (http://127.0.0.1:PORT), `ws_url` the same for ws://."""

    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"


@pytest.fixture(scope="session")
def _asgi_server(django_db_setup: Any, django_db_blocker: Any) -> Iterator[LiveAsgiServer]:
    need(WEB_INDEX.is_file(), "The web app is not built (run `make web`); browser tests need web/dist.")
    import uvicorn
    from django.conf import settings
    from django.db import connections
    from django.test.utils import override_settings

    # Server threads must not keep database connections between requests: the test database is
    # flushed after each test and dropped at the end of the session.
    saved_max_age = {alias: connections[alias].settings_dict.get("CONN_MAX_AGE") for alias in connections}
    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = 0

    with django_db_blocker.unblock():
        from config.asgi import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    hosts = override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host])
    hosts.enable()
    config = uvicorn.Config(
        application,
        host=host,
        port=port,
        ws="websockets-sansio",
        lifespan="off",
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="asgi-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("The ASGI test server did not start.")
        time.sleep(0.05)
    try:
        yield LiveAsgiServer(host=host, port=port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        hosts.disable()
        for alias, value in saved_max_age.items():
            connections[alias].settings_dict["CONN_MAX_AGE"] = value


@pytest.fixture
def live_app(_asgi_server: LiveAsgiServer, transactional_db: Any) -> LiveAsgiServer:
    """The app served over real HTTP against the test database. Data a test writes is committed,
    so the server sees it (transactional_db); tables are emptied after the test."""
    return _asgi_server


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests. Package-scoped: Playwright's sync API keeps an event
    loop running on the test thread while it is open, so it is closed before other tests run."""
    need(CHROMIUM.is_file(), "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium).")
    from playwright.sync_api import expect, sync_playwright

    # A two-core CI machine running the server and the browser together is slow, not broken.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def new_page(browser: Any, live_app: LiveAsgiServer) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context (its own storage, so its own session) at a viewport size.
    Browser-side errors fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(viewport=viewport or DESKTOP, base_url=live_app.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                errors.append(f"console: {message.text}") if "Content Security Policy" in message.text else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], errors


def off_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run server-side code (services, factories) in a worker thread and return its result.

    Once Playwright runs, the test thread has an event loop, and code that publishes websocket
    events (`async_to_sync` in services' after-commit hooks) cannot run there. The worker closes
    its database connections so nothing holds the test database open."""
    from django.db import connections

    def call() -> T:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def check_accessibility(page: Any, label: str) -> None:
    """Run axe-core (from the web app's npm packages) in the page; fail on serious or critical
    violations, naming the rule and the elements."""
    need(AXE_SCRIPT.is_file(), "axe-core is not installed (run `npm --prefix web ci`).")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the devtools protocol: the app's Content-Security-Policy (rightly)
        # refuses injected <script> tags, and the test must not weaken it.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate("async () => await window.axe.run(document, { resultTypes: ['violations'] })")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"accessibility violations on {label}:\n" + "\n".join(serious)


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot as a test artifact (artifacts/screenshots/, not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, email: str, heading: str | None = None, *, password: str | None = None) -> None:
    """Sign in through the sign-in page; wait for the page that follows (its main heading when
    given, else any signed-in page)."""
    import re

    from playwright.sync_api import expect

    from desk.accounts.tests.factories import PASSWORD

    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    else:
        expect(page).not_to_have_url(re.compile(r"/sign-in"))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
