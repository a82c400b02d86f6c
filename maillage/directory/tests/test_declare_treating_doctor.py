"""declare_treating_doctor: who may declare the médecin traitant, and the history it keeps."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from maillage.accounts import services as accounts
from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import (
    OperatorFactory,
    PatientFactory,
    ProfessionalFactory,
    StaffFactory,
)
from maillage.accounts.tests.helpers import make_carer_proxy
from maillage.audit.models import AuditEvent
from maillage.core.exceptions import NotAllowed
from maillage.directory import services as directory
from maillage.directory.models import Practice, PracticeMembership, TreatingDoctorDeclaration
from maillage.directory.selectors import get_treating_doctor_for
from maillage.directory.services import NotADoctor

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer() -> User:
    """A patient with no médecin traitant yet."""
    return PatientFactory(first_name="Hugo", birth_date=date(1985, 11, 2))


def _active(patient: User) -> TreatingDoctorDeclaration:
    return TreatingDoctorDeclaration.objects.get(patient=patient, ended_at__isnull=True)


def test_the_patient_declares_their_doctor(newcomer: User, treating_clinician: User) -> None:
    declaration = directory.declare_treating_doctor(
        actor=newcomer, patient=newcomer, doctor=treating_clinician
    )

    assert _active(newcomer) == declaration
    assert declaration.doctor == treating_clinician
    assert declaration.declared_by == newcomer


def test_the_declaration_is_audited_with_the_patient(
    newcomer: User, treating_clinician: User
) -> None:
    declaration = directory.declare_treating_doctor(
        actor=newcomer, patient=newcomer, doctor=treating_clinician
    )

    event = AuditEvent.objects.get(action="directory.treating_doctor_declared", patient=newcomer)
    assert event.actor == newcomer
    assert event.target_type == "directory.treatingdoctordeclaration"
    assert event.target_id == str(declaration.pk)


def test_a_parent_proxy_declares_for_the_child(treating_clinician: User) -> None:
    parent = PatientFactory(first_name="Camille")
    child = PatientFactory(first_name="Emma", birth_date=date(2019, 6, 15))
    accounts.add_parent_proxy(actor=OperatorFactory.create(), child=child, parent=parent)

    declaration = directory.declare_treating_doctor(
        actor=parent, patient=child, doctor=treating_clinician
    )

    assert declaration.declared_by == parent
    assert _active(child).doctor == treating_clinician


def test_a_carer_declares_for_the_patient(newcomer: User, treating_clinician: User) -> None:
    carer = PatientFactory(first_name="Sylvie")
    make_carer_proxy(newcomer, carer)

    directory.declare_treating_doctor(actor=carer, patient=newcomer, doctor=treating_clinician)

    assert _active(newcomer).declared_by == carer


def test_the_doctor_cannot_declare_themself_for_a_patient(
    newcomer: User, treating_clinician: User
) -> None:
    # A doctor choosing their patients would let a practice take over someone else's care.
    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(
            actor=treating_clinician, patient=newcomer, doctor=treating_clinician
        )

    assert not TreatingDoctorDeclaration.objects.filter(patient=newcomer).exists()


def test_even_the_doctors_own_staff_cannot_declare_for_the_patient(
    newcomer: User, treating_clinician: User, staff: User
) -> None:
    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(actor=staff, patient=newcomer, doctor=treating_clinician)

    assert not TreatingDoctorDeclaration.objects.filter(patient=newcomer).exists()


def test_an_outsider_gps_staff_is_refused(
    patient: User, treating_clinician: User, other_clinician: User, other_practice: Practice
) -> None:
    # given: staff working with the other GP, in another practice
    outsider_staff = StaffFactory.create()
    directory.add_practice_member(actor=None, practice=other_practice, user=outsider_staff)
    events_before = AuditEvent.objects.count()

    # when
    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(
            actor=outsider_staff, patient=patient, doctor=treating_clinician
        )

    # then
    assert _active(patient).doctor == treating_clinician
    assert TreatingDoctorDeclaration.objects.filter(patient=patient).count() == 1
    assert AuditEvent.objects.count() == events_before


def test_staff_cannot_move_a_patient_to_their_own_gp(
    patient: User, other_clinician: User, staff: User
) -> None:
    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(actor=staff, patient=patient, doctor=other_clinician)

    assert _active(patient).doctor != other_clinician


def test_staff_who_left_the_practice_is_refused(
    newcomer: User, treating_clinician: User, staff: User
) -> None:
    PracticeMembership.objects.filter(user=staff).update(ended_at="2026-01-01T00:00:00Z")

    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(actor=staff, patient=newcomer, doctor=treating_clinician)


def test_staff_is_refused_once_the_doctor_left_their_practice(
    newcomer: User, treating_clinician: User, staff: User
) -> None:
    PracticeMembership.objects.filter(user=treating_clinician).update(
        ended_at="2026-01-01T00:00:00Z"
    )

    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(actor=staff, patient=newcomer, doctor=treating_clinician)


def test_another_patient_is_refused(newcomer: User, treating_clinician: User) -> None:
    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(
            actor=PatientFactory(), patient=newcomer, doctor=treating_clinician
        )

    assert not TreatingDoctorDeclaration.objects.filter(patient=newcomer).exists()


def test_a_revoked_carer_is_refused(newcomer: User, treating_clinician: User) -> None:
    carer = PatientFactory()
    proxy = make_carer_proxy(newcomer, carer)
    accounts.revoke_proxy(actor=newcomer, proxy=proxy)

    with pytest.raises(NotAllowed):
        directory.declare_treating_doctor(actor=carer, patient=newcomer, doctor=treating_clinician)


def test_a_new_declaration_ends_the_previous_one_and_keeps_it(
    patient: User, treating_clinician: User, other_clinician: User
) -> None:
    # given
    previous = _active(patient)

    # when
    current = directory.declare_treating_doctor(
        actor=patient, patient=patient, doctor=other_clinician
    )

    # then
    previous.refresh_from_db()
    assert previous.ended_at is not None
    assert previous.doctor == treating_clinician
    assert _active(patient) == current
    assert current.doctor == other_clinician
    assert TreatingDoctorDeclaration.objects.filter(patient=patient).count() == 2
    assert get_treating_doctor_for(actor=patient) == current


def test_declaring_the_same_doctor_again_changes_nothing(
    patient: User, treating_clinician: User
) -> None:
    current = _active(patient)
    events_before = AuditEvent.objects.count()

    again = directory.declare_treating_doctor(
        actor=patient, patient=patient, doctor=treating_clinician
    )

    assert again == current
    assert TreatingDoctorDeclaration.objects.filter(patient=patient).count() == 1
    assert AuditEvent.objects.count() == events_before


def test_the_database_allows_one_active_declaration_per_patient(
    patient: User, other_clinician: User
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatingDoctorDeclaration.objects.create(
            patient=patient, doctor=other_clinician, declared_by=patient
        )


def test_only_a_doctor_can_be_declared(newcomer: User, staff: User) -> None:
    with pytest.raises(NotADoctor):
        directory.declare_treating_doctor(actor=newcomer, patient=newcomer, doctor=staff)


def test_only_a_patient_can_declare_a_treating_doctor(
    treating_clinician: User, other_clinician: User
) -> None:
    with pytest.raises(NotADoctor):
        directory.declare_treating_doctor(
            actor=treating_clinician, patient=other_clinician, doctor=treating_clinician
        )


def test_a_specialist_may_be_the_treating_doctor(newcomer: User) -> None:
    cardiologist = ProfessionalFactory(role=Role.SPECIALIST)

    directory.declare_treating_doctor(actor=newcomer, patient=newcomer, doctor=cardiologist)

    assert _active(newcomer).doctor == cardiologist
