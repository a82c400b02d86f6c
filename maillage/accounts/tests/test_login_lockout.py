"""django-axes locks an account out after AXES_FAILURE_LIMIT wrong passwords."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PASSWORD, PatientFactory
from maillage.accounts.tests.helpers import logged_in_user_id, post_password
from maillage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOCKOUT_TITLE = "Trop de tentatives de connexion"


def _fail(client: Client, user: User, times: int) -> list[int]:
    return [post_password(client, user.email, f"wrong-password-{n}") for n in range(times)]


def test_the_failure_limit_is_five() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5


def test_wrong_passwords_below_the_limit_leave_the_door_open(client: Client) -> None:
    patient = PatientFactory()
    assert _fail(client, patient, settings.AXES_FAILURE_LIMIT - 1) == [200] * 4

    post_password(client, patient.email, PASSWORD)

    assert logged_in_user_id(client) == str(patient.pk)


def test_the_last_allowed_failure_answers_with_the_lockout_page(client: Client) -> None:
    patient = PatientFactory()

    statuses = _fail(client, patient, settings.AXES_FAILURE_LIMIT)

    assert statuses[-1] == 429


def test_after_the_limit_the_right_password_is_refused_with_429(client: Client) -> None:
    # given
    patient = PatientFactory()
    _fail(client, patient, settings.AXES_FAILURE_LIMIT)

    # when
    response = client.post(reverse("account_login"), {"login": patient.email, "password": PASSWORD})

    # then
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKOUT_TITLE in body
    assert '<html lang="fr">' in body
    assert reverse("account_reset_password") in body
    assert logged_in_user_id(client) is None


def test_the_lockout_is_per_account(client: Client) -> None:
    patient = PatientFactory()
    neighbour = PatientFactory()
    _fail(client, patient, settings.AXES_FAILURE_LIMIT)

    post_password(client, neighbour.email, PASSWORD)

    assert logged_in_user_id(client) == str(neighbour.pk)


def test_the_lockout_ignores_the_case_of_the_email(client: Client) -> None:
    patient = PatientFactory(email="marie.claude@example.test")
    _fail(client, patient, settings.AXES_FAILURE_LIMIT)

    status = post_password(client, "MARIE.Claude@example.test", PASSWORD)

    assert status == 429
    assert logged_in_user_id(client) is None


def test_each_failure_is_audited_without_the_typed_email(client: Client) -> None:
    patient = PatientFactory(email="cible@example.test")

    _fail(client, patient, 3)

    events = AuditEvent.objects.filter(action="accounts.login_failed")
    assert events.count() == 3
    for event in events:
        assert event.actor is None
        assert event.patient is None
        assert "cible" not in f"{event.details} {event.target_id} {event.reason}"
