"""Emergency numbers (REGULATION.md §7, checklist G1): on every patient-facing page, not on a
GP's dashboard."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import Role, User
from maillage.portal.tests.conftest import SignIn

pytestmark = pytest.mark.django_db

NUMBERS = ("15", "112", "114", "3114", "116 117")
LINKS = (
    'href="tel:15"',
    'href="tel:112"',
    'href="sms:114"',
    'href="tel:3114"',
    'href="tel:116117"',
)
BAR = 'class="emergency-bar"'


def _body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _assert_all_numbers(body: str) -> None:
    assert BAR in body
    for number in NUMBERS:
        assert f"<strong>{number}</strong>" in body, number
    for link in LINKS:
        assert link in body, link


@pytest.mark.parametrize(
    "url", ["/", "/urgences/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_visitors_see_every_emergency_number(client: Client, url: str) -> None:
    _assert_all_numbers(_body(client, url))


@pytest.mark.parametrize("url", ["/", "/compte/", "/notifications/", "/urgences/"])
def test_a_patient_sees_every_emergency_number(client: Client, patient: User, url: str) -> None:
    client.force_login(patient)

    _assert_all_numbers(_body(client, url))


def test_the_deaf_number_is_reached_by_text_message(client: Client) -> None:
    body = _body(client, "/")

    assert 'href="sms:114"' in body
    assert 'href="tel:114"' not in body


def test_the_emergencies_page_explains_each_number(client: Client) -> None:
    body = _body(client, reverse("portal:emergencies"))

    for label in (
        "SAMU",
        "Urgences européen",
        "Personnes sourdes, malentendantes ou ne pouvant pas parler",
        "Prévention du suicide",
        "Médecin de garde",
    ):
        assert label in body
    assert "Maillage ne traite pas les urgences." in body


def test_the_gps_home_has_no_emergency_bar(client: Client, sign_in_as: SignIn) -> None:
    sign_in_as(Role.GP)

    body = _body(client, "/")

    assert BAR not in body
    assert "<strong>3114</strong>" not in body
    assert "<strong>116 117</strong>" not in body


@pytest.mark.parametrize("role", [Role.STAFF, Role.COORDINATOR, Role.OPERATOR])
def test_other_professionals_have_no_emergency_bar(
    client: Client, sign_in_as: SignIn, role: str
) -> None:
    sign_in_as(role)

    assert BAR not in _body(client, "/")


def test_the_footer_link_to_the_emergencies_page_stays_for_professionals(
    client: Client, sign_in_as: SignIn
) -> None:
    sign_in_as(Role.GP)

    assert f'href="{reverse("portal:emergencies")}"' in _body(client, "/")
