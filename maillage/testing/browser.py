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


# What a keyboard user is on: its accessible name (roughly: aria-label, <label>, text, value),
# the option a <select> or radio shows, and whether a focus indicator is drawn around it.
FOCUSED_ELEMENT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const labels = el.labels ? Array.from(el.labels).map((label) => label.innerText).join(" ") : "";
  const clean = (text) => (text || "").replace(/\\s+/g, " ").trim();
  const labelledby = (el.getAttribute("aria-labelledby") || "").split(" ")
    .map((id) => document.getElementById(id)).filter(Boolean).map((node) => node.innerText).join(" ");
  // Only links, buttons and summaries take their name from their content (a region does not).
  const content = ["A", "BUTTON", "SUMMARY"].includes(el.tagName) ? el.innerText : "";
  const name = clean(
    el.getAttribute("aria-label") || labelledby || labels || content || el.value || el.title
  );
  const choice = el.tagName === "SELECT"
    ? clean(el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : "")
    : name;
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && !style.outlineColor.endsWith(", 0)") && style.outlineColor !== "transparent";
  const shadow = style.boxShadow !== "none";
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", id: el.id, name, choice,
    checked: !!el.checked, in_main: !!el.closest("main"), indicator: outline || shadow,
  };
}"""


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

    def accessibility_violations(self, impacts: tuple[str, ...] | None = None) -> list[str]:
        """Run axe-core (WCAG 2.1 A and AA rules) on the current page; describe each violation.

        With `impacts` (e.g. ("serious", "critical")), only violations of those impacts count.
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
            if impacts is None or item["impact"] in impacts
        ]

    def focused(self) -> dict[str, Any] | None:
        """Describe the focused element: tag, type, name, checked, inside <main>, indicator."""
        element: dict[str, Any] | None = self.page.evaluate(FOCUSED_ELEMENT)
        return element

    def tab_to(
        self, name: str, *, kind: str = "", backwards: bool = False, limit: int = 120
    ) -> dict[str, Any]:
        """Press Tab (Shift+Tab) until the focused element's name contains `name`.

        With `kind` ("radio", "select"…), the element must also be of that type or tag. An
        element that already has the focus and matches is kept.

        Every element focused on the way must show a focus indicator (an outline or a box
        shadow): a keyboard user has to see where they are.
        """
        key = "Shift+Tab" if backwards else "Tab"
        for press in range(limit + 1):
            if press:
                self.page.keyboard.press(key)
            element = self.focused()
            if element is None:
                continue
            assert element["indicator"], f"no visible focus indicator on {element}"
            if name in element["name"] and kind in ("", element["type"], element["tag"]):
                return element
        raise AssertionError(f"{name!r} not reached with {key} in {limit} presses")

    def choose(self, option: str, limit: int = 30) -> None:
        """Pick `option` in the focused <select> or radio group with the arrow keys.

        Arrows are how a keyboard moves inside these controls (Tab leaves them); Space checks
        the focused radio button when the first one is the answer.
        """
        for _ in range(limit):
            element = self.focused()
            assert element is not None
            assert element["tag"] in ("select", "input"), element
            if option in element["choice"]:
                if element["type"] == "radio" and not element["checked"]:
                    self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{option!r} not found with the arrow keys")

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
