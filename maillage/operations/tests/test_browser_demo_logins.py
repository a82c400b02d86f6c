"""The logins printed by `make run` work: the demo patient, and the demo GP with TOTP."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from maillage.operations.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, build_demo_territory
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_code() -> str:
    period = mfa_settings.TOTP_PERIOD
    if period - int(time.time()) % period < 3:  # a code is accepted once: avoid the last seconds
        time.sleep(3)
    code: str = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // period))
    return code


def sign_in(session: BrowserSession, email: str) -> None:
    session.goto("/accounts/login/")
    session.page.locator("#id_login").fill(email)
    session.page.locator("#id_password").fill(DEMO_PASSWORD)
    session.page.get_by_role("button", name="Connexion", exact=True).click()


def test_the_printed_demo_logins_open_the_patient_and_the_gp_homes(
    browser_session: BrowserSession,
) -> None:
    logins = {login.role: login.email for login in build_demo_territory()}
    page = browser_session.page
    # the demo patient, mother of Emma, sees her GP and the child she represents
    sign_in(browser_session, logins["Patient"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Camille")
    expect(page.locator("main")).to_contain_text("Emma Martin")
    page.get_by_role("button", name="Se déconnecter").click()
    # the demo GP needs the TOTP code of the printed secret
    sign_in(browser_session, logins["Médecin généraliste"])
    page.get_by_label("Code").fill(demo_code())
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dr Claire Thiébaut")
    expect(page.locator("main")).to_contain_text("Maison de santé du Pays de Lamarche")
