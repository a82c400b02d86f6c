"""Personas shared by every app's tests (STYLE §4): a patient, their GP, an outsider GP, staff."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.test import Client

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import (
    OperatorFactory,
    PatientFactory,
    ProfessionalFactory,
    StaffFactory,
)
from maillage.directory import services as directory
from maillage.directory.models import Practice
from maillage.directory.tests.factories import PracticeFactory


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`force_login` stands for a complete sign-in: a professional's session has used TOTP.

    Tests of the sign-in itself go through the real forms and are not affected.
    """
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        if getattr(user, "requires_mfa", False):
            session = self.session
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "mfa", "type": "totp", "at": time.time()}
            ]
            session["account_authentication_methods_user"] = str(user.pk)
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def practice(db: None) -> Practice:
    return PracticeFactory.create()


@pytest.fixture
def other_practice(db: None) -> Practice:
    return PracticeFactory.create(name="Cabinet de l'autre vallée")


@pytest.fixture
def treating_clinician(practice: Practice) -> User:
    doctor = ProfessionalFactory(role=Role.GP)
    directory.add_practice_member(actor=None, practice=practice, user=doctor)
    return doctor


@pytest.fixture
def other_clinician(other_practice: Practice) -> User:
    """A GP with no care relationship with `patient`: the outsider."""
    doctor = ProfessionalFactory(role=Role.GP)
    directory.add_practice_member(actor=None, practice=other_practice, user=doctor)
    return doctor


@pytest.fixture
def patient(treating_clinician: User) -> User:
    person = PatientFactory(birth_date=date(1961, 4, 2))
    directory.declare_treating_doctor(actor=person, patient=person, doctor=treating_clinician)
    return person


@pytest.fixture
def staff(practice: Practice) -> User:
    member = StaffFactory.create()
    directory.add_practice_member(actor=None, practice=practice, user=member)
    return member


@pytest.fixture
def operator(db: None) -> User:
    return OperatorFactory.create()
