"""The home page of every role runs a bounded number of queries, whatever the volume of data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from maillage.accounts import services as accounts
from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import (
    OperatorFactory,
    PatientFactory,
    ProfessionalFactory,
    StaffFactory,
)
from maillage.audit.services import log_event
from maillage.directory import services as directory
from maillage.directory.models import Practice
from maillage.directory.tests.factories import CommuneFactory, PracticeFactory
from maillage.notifications.services import notify
from maillage.portal.tests.conftest import SignIn

pytestmark = pytest.mark.django_db

EXTRA = 20
# 4 to 13 today, by role (the operator's system health is 11 of them); the session, the roles
# and the unread count no longer cost one each (5 with the session's transaction).
MAX_HOME_QUERIES = 13


def _count_home_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return len(queries)


def _notifications(user: User) -> None:
    for n in range(EXTRA):
        notify(recipient=user, kind="test.info", title=f"Message {n}", by_email=False)


def _more_for_patient(user: User, practice: Practice) -> None:
    _notifications(user)
    for n in range(EXTRA):
        child = PatientFactory(first_name=f"Enfant{n}", birth_date=date(2015, 1, 1))
        accounts.add_parent_proxy(actor=OperatorFactory.create(), child=child, parent=user)


def _more_for_doctor(user: User, practice: Practice) -> None:
    _notifications(user)
    for n in range(EXTRA):
        person = PatientFactory(last_name=f"Patient{n}")
        directory.declare_treating_doctor(actor=person, patient=person, doctor=user)
        colleague = ProfessionalFactory(role=Role.SPECIALIST) if n % 2 else StaffFactory.create()
        directory.add_practice_member(actor=None, practice=practice, user=colleague)
        directory.add_practice_member(actor=None, practice=PracticeFactory.create(), user=user)


def _more_for_staff(user: User, practice: Practice) -> None:
    _more_for_doctor(ProfessionalFactory(role=Role.GP), practice)
    _notifications(user)
    for _ in range(EXTRA):
        directory.add_practice_member(actor=None, practice=practice, user=StaffFactory.create())


def _more_for_team(user: User, practice: Practice) -> None:
    _notifications(user)


def _more_for_coordinator(user: User, practice: Practice) -> None:
    _notifications(user)
    for n in range(EXTRA):
        commune = CommuneFactory.create(
            insee_code=f"55{n:03d}", name=f"Village {n}", department="55"
        )
        place = PracticeFactory.create(commune=commune)
        directory.add_practice_member(actor=None, practice=place, user=ProfessionalFactory())
        PatientFactory(commune=commune)


def _more_for_operator(user: User, practice: Practice) -> None:
    _notifications(user)
    for n in range(EXTRA):
        person = PatientFactory(last_name=f"Patient{n}")
        with transaction.atomic():
            log_event(actor=user, action="tests.volume", target=person, patient=person)


MORE: dict[str, Callable[[User, Practice], None]] = {
    Role.PATIENT: _more_for_patient,
    Role.GP: _more_for_doctor,
    Role.SPECIALIST: _more_for_doctor,
    Role.STAFF: _more_for_staff,
    Role.MODERATOR: _more_for_team,
    Role.EDITOR: _more_for_team,
    Role.COORDINATOR: _more_for_coordinator,
    Role.OPERATOR: _more_for_operator,
}


# What proves the extra rows reached the page.
SHOWN: dict[str, str] = {
    Role.PATIENT: "Enfant19",
    Role.GP: "<strong>21</strong>",
    Role.SPECIALIST: "<strong>20</strong>",
    Role.COORDINATOR: "Village 19",
    Role.OPERATOR: "Exploitation de la plateforme",
}


@pytest.mark.parametrize("role", list(MORE))
def test_home_queries_do_not_grow_with_the_data(
    client: Client,
    sign_in_as: SignIn,
    practice: Practice,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    role: str,
) -> None:
    # given: a first visit (the session learns the second factor) and a measure
    user = sign_in_as(role)
    client.get(reverse("portal:home"))
    before = _count_home_queries(client)

    # when: 20 more rows of what this home page shows
    MORE[role](user, practice)

    # then
    with django_assert_max_num_queries(MAX_HOME_QUERIES):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert SHOWN.get(role, "Message 19") in response.content.decode()
    assert _count_home_queries(client) == before
