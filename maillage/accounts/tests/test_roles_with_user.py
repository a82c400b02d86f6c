"""Each signed-in request reads the user and their roles in one query, afresh every time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts import backends
from maillage.accounts.backends import user_with_roles
from maillage.accounts.models import Role, RoleAssignment, User
from maillage.accounts.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _get_account(client: Client) -> tuple[Any, int]:
    """The account page, and how many queries read roles on their own."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:account"))
    alone = [q for q in queries.captured_queries if 'FROM "accounts_roleassignment"' in q["sql"]]
    return response, len(alone)


def test_the_roles_come_with_the_user(client: Client) -> None:
    # given: a patient who also moderates (a professional role: a second factor is required)
    patient = PatientFactory()
    RoleAssignment.objects.create(user=patient, role=Role.MODERATOR)
    client.force_login(patient)

    # when
    response, separate_role_queries = _get_account(client)

    # then: the extra role was known without a query of its own
    assert separate_role_queries == 0
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_a_withdrawn_role_is_gone_on_the_next_request(client: Client) -> None:
    patient = PatientFactory()
    assignment = RoleAssignment.objects.create(user=patient, role=Role.MODERATOR)
    client.force_login(patient)
    assert _get_account(client)[0].status_code == 302

    assignment.delete()

    assert _get_account(client)[0].status_code == 200


def test_a_user_without_extra_roles_has_their_primary_role_only() -> None:
    patient: User = PatientFactory()

    loaded = user_with_roles(patient.pk)

    assert loaded is not None
    assert loaded == patient
    assert loaded.roles == frozenset({Role.PATIENT})


def test_two_extra_roles_give_one_user() -> None:
    patient: User = PatientFactory()
    RoleAssignment.objects.create(user=patient, role=Role.MODERATOR)
    RoleAssignment.objects.create(user=patient, role=Role.EDITOR)

    loaded = user_with_roles(patient.pk)

    assert loaded is not None
    assert loaded.roles == frozenset({Role.PATIENT, Role.MODERATOR, Role.EDITOR})
    assert user_with_roles(-1) is None


def test_a_deactivated_account_is_signed_out_on_its_next_request(client: Client) -> None:
    patient = PatientFactory()
    client.force_login(patient)
    User.objects.filter(pk=patient.pk).update(is_active=False)

    response = client.get(reverse("accounts:account"))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))


def test_the_query_is_built_once_per_database(monkeypatch: pytest.MonkeyPatch) -> None:
    # Building the query through the ORM cost more CPU than running it, on every request.
    patient: User = PatientFactory()
    backends._SQL_BY_DATABASE.clear()
    assert user_with_roles(patient.pk) == patient

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the query was built again")

    monkeypatch.setattr(User._default_manager, "filter", not_again)

    assert user_with_roles(patient.pk) == patient
    assert user_with_roles(-1) is None


def test_the_user_read_from_the_cursor_is_the_orm_s_field_by_field() -> None:
    # Read without a queryset: each field must still come back as the ORM gives it (SQLite
    # returns booleans, dates and UUIDs as numbers and strings until converted).
    patient: User = PatientFactory()
    User.objects.filter(pk=patient.pk).update(last_login=patient.date_joined)
    expected = User.objects.get(pk=patient.pk)

    loaded = user_with_roles(patient.pk)

    assert loaded is not None
    for field in User._meta.concrete_fields:
        value = getattr(loaded, field.attname)
        assert value == getattr(expected, field.attname), field.name
        assert type(value) is type(getattr(expected, field.attname)), field.name
    assert loaded._state.adding is False
    assert loaded._state.db == expected._state.db
