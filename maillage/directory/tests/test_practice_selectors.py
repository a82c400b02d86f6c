"""Practices and colleagues as seen by the person who asks."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory, StaffFactory
from maillage.directory import services as directory
from maillage.directory.models import Practice, PracticeMembership
from maillage.directory.selectors import (
    count_declared_patients_for,
    get_treating_doctor_for,
    list_practice_colleagues_for,
    list_practices_for,
)
from maillage.directory.tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def _leave(user: User, practice: Practice) -> None:
    PracticeMembership.objects.filter(user=user, practice=practice).update(ended_at=timezone.now())


# --- list_practices_for ------------------------------------------------------------------------


def test_lists_the_practices_where_the_actor_works(
    treating_clinician: User, practice: Practice
) -> None:
    assert list(list_practices_for(actor=treating_clinician)) == [practice]


def test_practices_are_sorted_by_name_and_not_repeated(
    treating_clinician: User, practice: Practice
) -> None:
    zola = PracticeFactory.create(name="Zola")
    abbaye = PracticeFactory.create(name="Abbaye")
    for place in (zola, abbaye):
        directory.add_practice_member(actor=None, practice=place, user=treating_clinician)
        directory.add_practice_member(actor=None, practice=place, user=StaffFactory.create())

    places = list(list_practices_for(actor=treating_clinician))

    assert places == [abbaye, practice, zola]


def test_a_practice_the_actor_left_is_not_listed(
    treating_clinician: User, practice: Practice
) -> None:
    _leave(treating_clinician, practice)

    assert list(list_practices_for(actor=treating_clinician)) == []


def test_the_outsider_does_not_see_the_other_practice(
    other_clinician: User, other_practice: Practice, practice: Practice
) -> None:
    assert list(list_practices_for(actor=other_clinician)) == [other_practice]


def test_a_patient_works_nowhere(patient: User) -> None:
    assert list(list_practices_for(actor=patient)) == []


# --- list_practice_colleagues_for -------------------------------------------------------------


def test_colleagues_are_the_others_of_the_same_practices(
    treating_clinician: User, staff: User, other_clinician: User
) -> None:
    assert list(list_practice_colleagues_for(actor=treating_clinician)) == [staff]
    assert list(list_practice_colleagues_for(actor=staff)) == [treating_clinician]
    assert list(list_practice_colleagues_for(actor=other_clinician)) == []


def test_a_colleague_sharing_two_practices_appears_once(
    treating_clinician: User, staff: User
) -> None:
    second = PracticeFactory.create()
    directory.add_practice_member(actor=None, practice=second, user=treating_clinician)
    directory.add_practice_member(actor=None, practice=second, user=staff)

    assert list(list_practice_colleagues_for(actor=treating_clinician)) == [staff]


def test_colleagues_who_left_are_not_listed(
    treating_clinician: User, staff: User, practice: Practice
) -> None:
    _leave(staff, practice)

    assert list(list_practice_colleagues_for(actor=treating_clinician)) == []


def test_after_leaving_a_practice_its_team_is_no_longer_listed(
    treating_clinician: User, staff: User, practice: Practice
) -> None:
    _leave(treating_clinician, practice)

    assert list(list_practice_colleagues_for(actor=treating_clinician)) == []


def test_colleagues_are_sorted_by_last_name(treating_clinician: User, practice: Practice) -> None:
    for name in ("Vautrin", "Aubert"):
        colleague = ProfessionalFactory(role=Role.SPECIALIST, last_name=name)
        directory.add_practice_member(actor=None, practice=practice, user=colleague)

    names = [c.last_name for c in list_practice_colleagues_for(actor=treating_clinician)]

    assert names == ["Aubert", "Vautrin"]


# --- The médecin traitant, seen from both sides -----------------------------------------------


def test_the_patient_sees_their_treating_doctor(patient: User, treating_clinician: User) -> None:
    declaration = get_treating_doctor_for(actor=patient)

    assert declaration is not None
    assert declaration.doctor == treating_clinician


def test_someone_else_does_not_see_the_patients_declaration(other_clinician: User) -> None:
    assert get_treating_doctor_for(actor=other_clinician) is None


def test_the_doctor_counts_the_patients_who_declared_them(
    patient: User, treating_clinician: User, other_clinician: User
) -> None:
    second = PatientFactory()
    directory.declare_treating_doctor(actor=second, patient=second, doctor=treating_clinician)
    third = PatientFactory()
    directory.declare_treating_doctor(actor=third, patient=third, doctor=treating_clinician)
    directory.declare_treating_doctor(actor=third, patient=third, doctor=other_clinician)

    assert count_declared_patients_for(actor=treating_clinician) == 2
    assert count_declared_patients_for(actor=other_clinician) == 1
