"""Real Chromium against the embedded server: patients and GPs log in, switch language, and the
pages produce no console error (the fixture fails the test on any)."""

from __future__ import annotations

import re
import time

import pytest
from django.db import transaction
from playwright.sync_api import expect

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PASSWORD
from maillage.accounts.tests.helpers import current_totp_code
from maillage.notifications.services import notify
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_totp() -> str:
    # A code is accepted once: wait for a fresh 30-s window if this one is nearly over.
    if 30 - int(time.time()) % 30 < 3:
        time.sleep(3)
    return current_totp_code()


def log_in(session: BrowserSession, email: str) -> None:
    session.goto("/accounts/login/")
    session.page.get_by_label("Courriel").fill(email)
    session.page.locator("#id_password").fill(PASSWORD)
    session.page.get_by_role("button", name="Connexion").click()


def test_patient_logs_in_and_sees_their_doctor_and_the_emergency_numbers(
    browser_session: BrowserSession, patient: User, treating_clinician: User
) -> None:
    # when
    log_in(browser_session, patient.email)
    page = browser_session.page
    # then
    expect(page.get_by_role("heading", level=1)).to_contain_text(patient.first_name)
    expect(page.get_by_role("complementary", name="Urgence ?")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^3114"))).to_have_attribute(
        "href", "tel:3114"
    )
    expect(page.locator("main")).to_contain_text(treating_clinician.last_name)


def test_notification_reaches_an_open_page_live(
    browser_session: BrowserSession, patient: User
) -> None:
    # given a patient on their home page with the live socket open
    log_in(browser_session, patient.email)
    page = browser_session.page
    expect(page.locator("body")).to_have_attribute("data-notifications-live", "1")
    expect(page.locator("#notif-count")).to_be_hidden()
    # when something happens for them on the server
    with transaction.atomic():
        notify(recipient=patient, kind="test.live", title="Votre médecin a répondu")
    # then the counter updates without reloading
    expect(page.locator("#notif-count")).to_have_text("1")
    expect(page.locator("#notif-count")).to_be_visible()


def test_gp_logs_in_with_a_totp_code(
    browser_session: BrowserSession, treating_clinician: User
) -> None:
    # given a GP with a TOTP authenticator
    page = browser_session.page
    # when they give their password
    log_in(browser_session, treating_clinician.email)
    # then a second factor is asked before anything else
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    # when they give the code of their app
    page.get_by_label("Code").fill(current_totp())
    page.get_by_role("button", name="Connexion", exact=True).click()
    # then they reach their dashboard, with no emergency bar (it is for patients)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Dr {treating_clinician.first_name}"
    )
    expect(page.get_by_role("complementary", name="Urgence ?")).to_have_count(0)


def test_language_switch_turns_the_site_to_english_and_back(
    browser_session: BrowserSession, patient: User
) -> None:
    log_in(browser_session, patient.email)
    page = browser_session.page
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    expect(page.get_by_role("complementary", name="Emergency?")).to_be_visible()
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_attached()


def test_skip_link_is_the_first_stop_of_the_keyboard(browser_session: BrowserSession) -> None:
    browser_session.goto("/")
    page = browser_session.page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_the_notification_list_refreshes_itself_when_one_arrives(
    browser_session: BrowserSession, patient: User
) -> None:
    # given a patient reading their notifications
    browser_session.login_as(patient)
    browser_session.goto("/notifications/")
    page = browser_session.page
    expect(page.locator("body")).to_have_attribute("data-notifications-live", "1")
    expect(page.locator("#notification-items")).to_contain_text("Aucune notification")
    # when one arrives
    with transaction.atomic():
        notify(recipient=patient, kind="test.live", title="Un document a été déposé")
    # then it shows up in the list without a reload, and opening it marks it read
    item = page.get_by_role("button", name="Un document a été déposé")
    expect(item).to_be_visible()
    item.click()
    expect(page.locator("#notif-count")).to_be_hidden()
