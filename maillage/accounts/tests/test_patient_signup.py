"""A patient opens their own account at /accounts/signup/ (allauth + AccountAdapter)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts.models import PatientProfile, Role, User
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def signup_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "lea.marchal@example.test",
        "password1": "Une-phrase-de-passe-2026",
        "password2": "Une-phrase-de-passe-2026",
        "first_name": "Léa",
        "last_name": "Marchal",
        "birth_date": "1988-07-14",
        "sex": "F",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(f"{TODAY.isoformat()} 10:00 +01:00", tick=False):
        yield


def test_signup_creates_a_patient_with_profile_and_audit_event(client: Client) -> None:
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="lea.marchal@example.test")
    assert user.role == Role.PATIENT
    assert (user.first_name, user.last_name) == ("Léa", "Marchal")
    profile = PatientProfile.objects.get(user=user)
    assert profile.birth_date == date(1988, 7, 14)
    assert profile.sex == PatientProfile.Sex.FEMALE
    event = AuditEvent.objects.get(action="accounts.patient_registered")
    assert event.patient == user
    assert event.target_id == str(user.public_id)


def test_signup_sends_the_verification_email_and_does_not_log_in(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the outbox task
        response = client.post(reverse("account_signup"), signup_data())

    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea.marchal@example.test"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    address = EmailAddress.objects.get(email="lea.marchal@example.test")
    assert not address.verified


def test_signup_rolls_back_the_account_when_the_profile_cannot_be_stored(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the audit trail refuses to write (the last step of the transaction)
    def broken_log_event(**kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("maillage.accounts.services.log_event", broken_log_event)

    # when
    with pytest.raises(RuntimeError):
        client.post(reverse("account_signup"), signup_data())

    # then: neither the user nor the profile survived
    assert not User.objects.exists()
    assert not PatientProfile.objects.exists()


def test_birth_date_in_the_future_is_refused_in_french_and_keeps_the_typed_values(
    client: Client,
) -> None:
    response = client.post(reverse("account_signup"), signup_data(birth_date="2026-03-11"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "La date de naissance ne peut pas être dans le futur." in body
    assert 'value="lea.marchal@example.test"' in body
    assert 'value="Léa"' in body
    assert 'value="Marchal"' in body
    assert 'value="2026-03-11"' in body
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_a_fourteen_year_old_is_asked_to_let_a_parent_open_the_account(client: Client) -> None:
    # 15th birthday tomorrow
    response = client.post(reverse("account_signup"), signup_data(birth_date="2011-03-11"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Avant 15 ans, le compte est ouvert par un parent" in body
    assert 'value="2011-03-11"' in body
    assert not User.objects.exists()
    assert not PatientProfile.objects.exists()


def test_a_patient_may_sign_up_on_their_fifteenth_birthday(client: Client) -> None:
    response = client.post(reverse("account_signup"), signup_data(birth_date="2011-03-10"))

    assert response.status_code == 302
    assert PatientProfile.objects.get().birth_date == date(2011, 3, 10)


def test_submitting_the_signup_form_twice_creates_one_account(client: Client) -> None:
    first = client.post(reverse("account_signup"), signup_data())
    second = client.post(reverse("account_signup"), signup_data())

    assert first.status_code == 302
    assert second.status_code in (200, 302)
    assert User.objects.filter(email__iexact="lea.marchal@example.test").count() == 1
    assert PatientProfile.objects.count() == 1
    assert AuditEvent.objects.filter(action="accounts.patient_registered").count() == 1


def test_signup_with_another_case_of_an_existing_email_creates_nothing(client: Client) -> None:
    client.post(reverse("account_signup"), signup_data())

    client.post(reverse("account_signup"), signup_data(email="LEA.Marchal@Example.test"))

    assert User.objects.count() == 1
