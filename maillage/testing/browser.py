"""Browser tests: the embedded server (uvicorn + workers) in a thread, Debian's Chromium driven
by Playwright. Run in their own pytest process (`-m browser`): Playwright's sync API keeps an
event loop in the test thread, which pytest-asyncio's tests cannot share."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

    from maillage.core.server import EmbeddedServer

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def embedded_server(django_db_setup: None, django_db_blocker: Any) -> Iterator[EmbeddedServer]:
    """Serve the test database with the embedded server, as `make run` does."""
    from maillage.core.server import EmbeddedServer

    server = EmbeddedServer(
        port=_free_port(), with_scheduler=False, worker_interval=0.1, log_level="warning"
    )
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve()), name="embedded-server", daemon=True
    )
    with django_db_blocker.unblock():
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the embedded test server did not start")
            time.sleep(0.05)
        yield server
        server.stop()
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def live_url(embedded_server: EmbeddedServer) -> str:
    return f"http://127.0.0.1:{embedded_server.port}"


@pytest.fixture
def settled_server(embedded_server: EmbeddedServer, transactional_db: None) -> Iterator[None]:
    """Close the browser contexts that depend on this before the test database is emptied.

    The server then finishes what they started (a socket's last write, a task) before it is.
    """
    yield
    if not embedded_server.wait_idle():
        raise AssertionError("the embedded server was still busy 15 s after the test")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.skip(f"needs Chromium at {executable}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


AXE_SOURCE = Path(__file__).with_name("vendor").joinpath("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class BrowserSession:
    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def login_as(self, user: Any) -> None:
        """Open a session for `user` without the login form (tests of other pages)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.base_url}]
        )

    def accessibility_violations(self) -> list[str]:
        """Run axe-core (WCAG 2.1 A and AA rules) on the current page; describe each violation.

        axe is evaluated through the DevTools protocol, not injected as an inline script, so
        the page's Content-Security-Policy stays in force during the check.
        """
        self.page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
        violations: list[dict[str, Any]] = self.page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
            WCAG_TAGS,
        )
        return [
            f"{item['id']} ({item['impact']}): {[node['target'] for node in item['nodes']][:5]}"
            for item in violations
        ]

    def horizontal_overflow(self) -> int:
        """Return how many CSS pixels the page is wider than the viewport (0 when it fits)."""
        overflow: int = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        return overflow


def _open_session(chromium: Browser, live_url: str, width: int = 390) -> BrowserSession:
    context = chromium.new_context(locale="fr-FR", viewport={"width": width, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    session = BrowserSession(page=page, base_url=live_url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            session.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: session.console_errors.append(str(error)))

    def on_request(request: Any) -> None:
        # No page may call a third-party host (privacy, CSP): only our server, data: and blob:.
        url: str = request.url
        ours = (live_url, live_url.replace("127.0.0.1", "localhost"))  # passkeys need a name
        if not url.startswith((*ours, "data:", "blob:", "tel:", "sms:")):
            session.foreign_requests.append(url)

    page.on("request", on_request)
    return session


def _close_session(session: BrowserSession) -> None:
    session.page.context.close()
    assert session.console_errors == [], f"console errors: {session.console_errors}"
    assert session.foreign_requests == [], f"requests to other hosts: {session.foreign_requests}"


@pytest.fixture
def browser_session(
    chromium: Browser, live_url: str, settled_server: None
) -> Iterator[BrowserSession]:
    """A fresh browser context; every console error or failed request fails the test."""
    session = _open_session(chromium, live_url)
    yield session
    _close_session(session)


@pytest.fixture
def second_browser_session(
    chromium: Browser, live_url: str, settled_server: None
) -> Iterator[BrowserSession]:
    """Another person's browser, wide (a desk), with the same guards as `browser_session`."""
    session = _open_session(chromium, live_url, width=1024)
    yield session
    _close_session(session)
