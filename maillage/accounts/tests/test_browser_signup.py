"""A visitor opens a patient account in Chromium: form, confirmation e-mail sent by the task
worker through the outbox, confirmation link, first sign-in."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from maillage.accounts.models import PatientProfile, User
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Une-phrase-de-passe-2026"


def wait_for_mail(count: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count:
        assert time.monotonic() < deadline, "the confirmation e-mail never left"
        time.sleep(0.1)


def test_a_visitor_signs_up_confirms_their_address_and_signs_in(
    browser_session: BrowserSession,
) -> None:
    page = browser_session.page
    # when a visitor fills the sign-up form, with one mistake first
    browser_session.goto("/accounts/signup/")
    page.locator("#id_email").fill("lea.marchal@example.test")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_first_name").fill("Léa")
    page.locator("#id_last_name").fill("Marchal")
    page.locator("#id_birth_date").fill("2030-01-01")
    page.locator("#id_sex").select_option("F")
    page.locator("main form button[type=submit]").click()
    # then the error is explained in French and what was typed is kept
    expect(page.locator("main")).to_contain_text(
        "La date de naissance ne peut pas être dans le futur."
    )
    expect(page.locator("#id_first_name")).to_have_value("Léa")
    expect(page.locator("#id_email")).to_have_value("lea.marchal@example.test")
    assert not User.objects.filter(email="lea.marchal@example.test").exists()
    # when they correct it
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_birth_date").fill("1984-07-21")
    page.locator("main form button[type=submit]").click()
    # then the account exists, unconfirmed, and the task worker sent the confirmation
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    wait_for_mail(1)
    message = mail.outbox[0]
    assert message.to == ["lea.marchal@example.test"]
    profile = PatientProfile.objects.select_related("user").get(
        user__email="lea.marchal@example.test"
    )
    assert (profile.user.first_name, str(profile.birth_date)) == ("Léa", "1984-07-21")
    # when they follow the link and confirm
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", str(message.body))
    assert link is not None, message.body
    browser_session.goto(link.group(1))
    page.locator("main form button[type=submit]").click()
    # then they can sign in and land on their space, with the emergency numbers
    browser_session.goto("/accounts/login/")
    page.locator("#id_login").fill("lea.marchal@example.test")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Léa")
    expect(page.get_by_role("complementary", name="Urgence ?")).to_be_visible()
