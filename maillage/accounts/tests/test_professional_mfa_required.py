"""A professional without a second factor is sent to the TOTP activation page from everywhere."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import PROFESSIONAL_ROLES, Role, RoleAssignment, User
from maillage.accounts.tests.factories import (
    PASSWORD,
    PatientFactory,
    ProfessionalFactory,
    UserFactory,
    with_totp,
)
from maillage.accounts.tests.helpers import logged_in_user_id, post_password

pytestmark = pytest.mark.django_db

ACTIVATE_TOTP = "/accounts/2fa/totp/activate/"


@pytest.fixture
def gp_without_mfa(client: Client) -> User:
    doctor = ProfessionalFactory(role=Role.GP, mfa=False)
    post_password(client, doctor.email)
    assert logged_in_user_id(client) == str(doctor.pk)
    return doctor


def test_activation_url_is_the_one_the_middleware_uses() -> None:
    assert reverse("mfa_activate_totp") == ACTIVATE_TOTP


@pytest.mark.parametrize(
    "url", ["/", "/compte/", "/notifications/", "/urgences/", "/exploitation/audit/"]
)
def test_gp_without_totp_is_sent_to_totp_activation(
    client: Client, gp_without_mfa: User, url: str
) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"] == ACTIVATE_TOTP


@pytest.mark.parametrize("role", sorted(PROFESSIONAL_ROLES - {Role.GP, Role.SPECIALIST}))
def test_every_professional_role_is_forced(client: Client, role: str) -> None:
    member = UserFactory.create(role=role)
    client.force_login(member)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 302
    assert response.headers["Location"] == ACTIVATE_TOTP


def test_a_patient_with_an_additional_professional_role_is_forced(client: Client) -> None:
    person = PatientFactory()
    RoleAssignment.objects.create(user=person, role=Role.EDITOR)
    client.force_login(person)

    response = client.get(reverse("portal:home"))

    assert response.headers["Location"] == ACTIVATE_TOTP


def test_the_activation_page_is_reachable_through_reauthentication(
    client: Client, gp_without_mfa: User
) -> None:
    # given: allauth asks for the password again before a second factor is added
    first = client.get(ACTIVATE_TOTP)
    assert first.headers["Location"].startswith("/accounts/reauthenticate/")
    assert client.get(first.headers["Location"]).status_code == 200

    # when
    confirmed = client.post(
        first.headers["Location"], {"password": PASSWORD, "next": ACTIVATE_TOTP}
    )

    # then
    assert confirmed.headers["Location"] == ACTIVATE_TOTP
    page = client.get(ACTIVATE_TOTP)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/accounts/2fa/"),
        ("get", "/healthz"),
        ("post", "/i18n/langue/"),
        ("post", "/accounts/logout/"),
    ],
)
def test_allowed_prefixes_are_not_redirected(
    client: Client, gp_without_mfa: User, method: str, url: str
) -> None:
    response = getattr(client, method)(url, {"language": "fr"} if "langue" in url else {})

    assert response.headers.get("Location") != ACTIVATE_TOTP


def test_logout_works_without_a_second_factor(client: Client, gp_without_mfa: User) -> None:
    client.post(reverse("account_logout"))

    assert logged_in_user_id(client) is None


def test_recovery_codes_alone_do_not_count_as_a_second_factor(client: Client) -> None:
    doctor = ProfessionalFactory(role=Role.GP, mfa=False)
    Authenticator.objects.create(
        user=doctor, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
    )
    client.force_login(doctor)

    response = client.get(reverse("portal:home"))

    assert response.headers["Location"] == ACTIVATE_TOTP


def test_a_totp_added_outside_this_session_still_requires_signing_in_with_it(
    client: Client, gp_without_mfa: User
) -> None:
    # given a GP signed in with a password only, sent to set up a second factor
    assert client.get(reverse("portal:home")).status_code == 302
    # when a TOTP appears on the account by another way than this session's enrolment
    with_totp(gp_without_mfa)
    response = client.get(reverse("portal:home"))
    # then this password-only session ends and they must sign in with the code
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
    assert logged_in_user_id(client) is None


def test_a_patient_without_second_factor_is_not_forced(client: Client) -> None:
    patient = PatientFactory()
    post_password(client, patient.email)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert Authenticator.objects.filter(user=patient).count() == 0
