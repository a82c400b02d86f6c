"""Professionals with a TOTP are logged in only after the second step."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import PROFESSIONAL_ROLES, Role, User
from maillage.accounts.tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    PatientFactory,
    ProfessionalFactory,
    UserFactory,
    with_totp,
)
from maillage.accounts.tests.helpers import current_totp_code, logged_in_user_id, post_password
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    """The 30-second TOTP window must not turn while a test runs."""
    with time_machine.travel("2026-03-10 09:00:05 +01:00", tick=False):
        yield


def _professional(role: str) -> User:
    if role in (Role.GP, Role.SPECIALIST):
        return ProfessionalFactory(role=role)
    return with_totp(UserFactory.create(role=role))


def test_the_test_totp_secret_is_valid_base32() -> None:
    import base64

    assert base64.b32decode(TOTP_SECRET)
    assert current_totp_code().isdigit()


def test_password_alone_does_not_log_a_gp_in(client: Client) -> None:
    doctor = ProfessionalFactory(role=Role.GP)

    response = client.post(reverse("account_login"), {"login": doctor.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None
    assert not AuditEvent.objects.filter(action="accounts.logged_in").exists()
    # The account page still asks for a login.
    assert client.get(reverse("accounts:account")).status_code == 302


@pytest.mark.parametrize("role", sorted(PROFESSIONAL_ROLES))
def test_professional_is_logged_in_after_a_valid_totp_code(client: Client, role: str) -> None:
    # given
    professional = _professional(role)
    post_password(client, professional.email)
    assert logged_in_user_id(client) is None

    # when
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})

    # then
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("portal:home")
    assert logged_in_user_id(client) == str(professional.pk)
    assert AuditEvent.objects.filter(action="accounts.logged_in", actor=professional).exists()


def test_a_wrong_totp_code_keeps_the_professional_out(client: Client) -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    post_password(client, doctor.email)
    good = current_totp_code()
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_a_totp_code_cannot_be_used_twice(client: Client) -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    code = current_totp_code()
    post_password(client, doctor.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert logged_in_user_id(client) == str(doctor.pk)
    client.post(reverse("account_logout"))

    post_password(client, doctor.email)
    client.post(reverse("mfa_authenticate"), {"code": code})

    assert logged_in_user_id(client) is None


def test_the_totp_step_cannot_be_skipped_by_going_elsewhere(client: Client) -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    post_password(client, doctor.email)

    client.get(reverse("portal:home"))
    client.get(reverse("accounts:account"))

    assert logged_in_user_id(client) is None


def test_a_patient_without_totp_is_logged_in_by_the_password(client: Client) -> None:
    patient = PatientFactory()

    post_password(client, patient.email)

    assert logged_in_user_id(client) == str(patient.pk)


def test_a_patient_who_chose_a_totp_also_goes_through_the_second_step(client: Client) -> None:
    patient = with_totp(PatientFactory())

    post_password(client, patient.email)
    assert logged_in_user_id(client) is None
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})

    assert logged_in_user_id(client) == str(patient.pk)
