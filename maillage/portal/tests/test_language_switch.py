"""POST /i18n/langue/ switches the interface language and remembers it on the account."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

SWITCH = "/i18n/langue/"


def test_the_switch_url_is_the_named_one() -> None:
    assert reverse("set_language") == SWITCH


def test_the_site_speaks_french_by_default(client: Client) -> None:
    body = client.get("/").content.decode()

    assert '<html lang="fr">' in body
    assert "Votre médecin, plus près de chez vous." in body


def test_a_visitor_switches_the_page_to_english(client: Client) -> None:
    response = client.post(SWITCH, {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Your doctor, closer to home." in body
    assert "Emergency?" in body
    assert "Votre médecin, plus près de chez vous." not in body


def test_allauth_pages_follow_the_switch(client: Client) -> None:
    client.post(SWITCH, {"language": "en", "next": "/"})

    body = client.get(reverse("account_login")).content.decode()

    assert '<html lang="en">' in body
    assert "Sign In" in body


def test_a_patient_switch_is_stored_on_the_account(client: Client) -> None:
    patient = PatientFactory()
    client.force_login(patient)

    client.post(SWITCH, {"language": "en", "next": reverse("accounts:account")})

    patient.refresh_from_db()
    assert patient.language == "en"
    assert '<html lang="en">' in client.get(reverse("accounts:account")).content.decode()


def test_switching_back_to_french(client: Client) -> None:
    patient = PatientFactory()
    client.force_login(patient)
    client.post(SWITCH, {"language": "en", "next": "/"})

    client.post(SWITCH, {"language": "fr", "next": "/"})

    patient.refresh_from_db()
    assert patient.language == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_an_unknown_language_changes_nothing(client: Client) -> None:
    patient: User = PatientFactory()
    client.force_login(patient)

    client.post(SWITCH, {"language": "de", "next": "/"})

    patient.refresh_from_db()
    assert patient.language == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_the_switch_does_not_redirect_off_site(client: Client) -> None:
    response = client.post(SWITCH, {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_the_switch_refuses_get(client: Client) -> None:
    response = client.get(SWITCH, {"language": "en"})

    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_a_signed_in_switch_needs_the_csrf_token() -> None:
    # It writes the account: the token is required, whatever the Origin says.
    patient = PatientFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(patient)

    response = strict.post(
        SWITCH, {"language": "en", "next": "/"}, headers={"Origin": "http://testserver"}
    )

    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.language != "en"


def test_a_visitor_switch_from_another_site_is_refused() -> None:
    # Pages served from the public cache carry no token: the Origin stands in for it.
    strict = Client(enforce_csrf_checks=True)

    from_elsewhere = strict.post(
        SWITCH, {"language": "en", "next": "/"}, headers={"Origin": "https://evil.example"}
    )
    cross_site = strict.post(
        SWITCH, {"language": "en", "next": "/"}, headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert from_elsewhere.status_code == 403
    assert cross_site.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in strict.cookies


def test_a_visitor_switches_from_a_cached_page_without_a_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    page = strict.get("/sante/").content.decode()
    assert "csrfmiddlewaretoken" not in page

    response = strict.post(
        SWITCH,
        {"language": "en", "next": "/sante/"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )

    assert response.status_code == 302
    assert strict.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in strict.get("/sante/").content.decode()


def test_the_language_saved_on_the_account_follows_the_user_to_a_new_browser() -> None:
    # given a patient who chose English on one browser
    patient = PatientFactory()
    first_browser = Client()
    first_browser.force_login(patient)
    first_browser.post(SWITCH, {"language": "en", "next": "/"})
    # when they sign in from another browser, which has no language cookie
    second_browser = Client()
    second_browser.force_login(patient)
    body = second_browser.get("/").content.decode()
    # then the site speaks English to them
    assert '<html lang="en">' in body


def test_a_language_chosen_in_this_browser_wins_over_the_account() -> None:
    patient = PatientFactory()
    User.objects.filter(pk=patient.pk).update(language="en")
    browser = Client()
    browser.force_login(patient)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert '<html lang="fr">' in browser.get("/").content.decode()
