"""Personas shared by every app's tests (STYLE §4): a patient, their GP, an outsider GP, staff."""

from __future__ import annotations

from datetime import date

import pytest

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
