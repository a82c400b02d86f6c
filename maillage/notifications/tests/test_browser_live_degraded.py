"""Real Chromium: while the notification socket cannot connect (Redis down, the socket server
gone), the page says that live updates are off; once it connects, the notice goes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import WebSocketRoute, expect

from maillage.accounts.models import User
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_says_live_updates_are_off_until_the_socket_connects(
    browser_session: BrowserSession, patient: User
) -> None:
    # given: the notification socket fails as it does when the channel layer is unreachable
    refusing = True

    def socket(route: WebSocketRoute) -> None:
        if refusing:
            route.close(code=1011, reason="channel layer unreachable")
        else:
            route.connect_to_server()

    browser_session.page.route_web_socket(re.compile(r".*/ws/notifications/$"), socket)
    browser_session.login_as(patient)

    # when (a generous first load: the server may still be importing on a busy machine)
    browser_session.page.goto(f"{browser_session.base_url}/notifications/", timeout=90_000)

    # then: the page works and says live updates are off
    banner = browser_session.page.locator("#live-degraded")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Mode dégradé")
    expect(browser_session.page.get_by_role("heading", level=1)).to_be_visible()

    # when the socket can connect again (the script retries on its own), the notice goes
    refusing = False
    expect(banner).to_be_hidden(timeout=20_000)
    expect(browser_session.page.locator("body")).to_have_attribute("data-notifications-live", "1")
