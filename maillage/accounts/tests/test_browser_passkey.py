"""A GP adds a passkey, then signs in with it alone, in Chromium with a virtual authenticator
(WebAuthn needs a host name: the page is opened on localhost)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PASSWORD
from maillage.accounts.tests.helpers import current_totp_code
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gp_adds_a_passkey_and_signs_in_with_it_alone(
    browser_session: BrowserSession, treating_clinician: User
) -> None:
    page = browser_session.page
    base = browser_session.base_url.replace("127.0.0.1", "localhost")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]
    # given a GP signed in with password and TOTP
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(treating_clinician.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion", exact=True).click()
    page.get_by_label("Code").fill(current_totp_code())
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dr")
    # when they add a passkey (allauth asks for the password again first)
    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    if "reauthenticate" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
    page.locator("#id_name").fill("Ordinateur du cabinet")
    page.locator("#id_passwordless").check()
    page.locator("#mfa_webauthn_add").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    assert credentials["credentials"][0]["isResidentCredential"] is True
    # then, signed out, the passkey alone signs them in, and counts as the second factor
    # Leave the page first: its notification socket would otherwise reconnect without a
    # session and log a refused handshake (a flaky console error, seen in CI).
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.locator("#passkey_login").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Dr {treating_clinician.first_name}"
    )
    expect(page).to_have_url(f"{base}/")
