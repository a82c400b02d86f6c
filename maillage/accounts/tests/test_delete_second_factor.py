"""A professional may replace a second factor but never remove the last one (MfaAdapter)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from maillage.accounts.adapters import MfaAdapter
from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import (
    PASSWORD,
    PatientFactory,
    ProfessionalFactory,
    StaffFactory,
    with_totp,
)
from maillage.accounts.tests.helpers import current_totp_code, logged_in_user_id, post_password
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _totp_of(user: User) -> Authenticator:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


def _add_passkey(user: User) -> Authenticator:
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Clé USB"}
    )


def test_a_doctor_cannot_delete_their_only_totp() -> None:
    doctor = ProfessionalFactory(role=Role.GP)

    assert MfaAdapter().can_delete_authenticator(_totp_of(doctor)) is False


def test_staff_cannot_delete_their_only_totp() -> None:
    member = StaffFactory.create()

    assert MfaAdapter().can_delete_authenticator(_totp_of(member)) is False


def test_a_doctor_with_a_passkey_may_delete_the_totp() -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    _add_passkey(doctor)

    assert MfaAdapter().can_delete_authenticator(_totp_of(doctor)) is True


def test_a_doctor_cannot_delete_their_only_passkey() -> None:
    doctor = ProfessionalFactory(role=Role.GP, mfa=False)
    passkey = _add_passkey(doctor)

    assert MfaAdapter().can_delete_authenticator(passkey) is False


def test_recovery_codes_do_not_replace_the_totp() -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    codes = Authenticator.objects.create(
        user=doctor, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
    )

    assert MfaAdapter().can_delete_authenticator(_totp_of(doctor)) is False
    assert MfaAdapter().can_delete_authenticator(codes) is True


def test_a_patient_may_delete_their_totp() -> None:
    patient = with_totp(PatientFactory())

    assert MfaAdapter().can_delete_authenticator(_totp_of(patient)) is True


@pytest.fixture
def _frozen_clock() -> Iterator[None]:
    with time_machine.travel("2026-03-10 09:00:05 +01:00", tick=False):
        yield


def _log_in_with_totp_and_reauthenticate(client: Client, user: User) -> None:
    post_password(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert logged_in_user_id(client) == str(user.pk)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


@pytest.mark.usefixtures("_frozen_clock")
def test_the_deactivation_page_keeps_a_doctors_last_totp(client: Client) -> None:
    doctor = ProfessionalFactory(role=Role.GP)
    _log_in_with_totp_and_reauthenticate(client, doctor)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert Authenticator.objects.filter(user=doctor, type=Authenticator.Type.TOTP).exists()


@pytest.mark.usefixtures("_frozen_clock")
def test_the_deactivation_page_removes_a_patients_totp(client: Client) -> None:
    patient = with_totp(PatientFactory())
    _log_in_with_totp_and_reauthenticate(client, patient)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=patient, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(action="accounts.mfa_removed", actor=patient).exists()
