"""territory_overview_for: aggregate figures per commune, for coordinators only."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillage.accounts.models import Role, RoleAssignment, User
from maillage.accounts.tests.factories import (
    OperatorFactory,
    PatientFactory,
    ProfessionalFactory,
    StaffFactory,
    UserFactory,
)
from maillage.core.models import Commune
from maillage.directory import services as directory
from maillage.directory.models import Practice, PracticeMembership, TreatingDoctorDeclaration
from maillage.directory.selectors import CommuneFigures, territory_overview_for
from maillage.directory.tests.factories import CommuneFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator() -> User:
    return UserFactory.create(role=Role.COORDINATOR)


@pytest.fixture
def lamarche() -> Commune:
    return CommuneFactory.create(insee_code="88262", name="Lamarche", department="88")


@pytest.fixture
def commercy() -> Commune:
    return CommuneFactory.create(insee_code="55122", name="Commercy", department="55")


def _doctor_at(practice: Practice, role: str = Role.GP) -> User:
    doctor = ProfessionalFactory(role=role)
    directory.add_practice_member(actor=None, practice=practice, user=doctor)
    return doctor


def _patient_in(commune: Commune, doctor: User | None = None) -> User:
    person = PatientFactory(commune=commune, birth_date=date(1960, 1, 1))
    if doctor is not None:
        directory.declare_treating_doctor(actor=person, patient=person, doctor=doctor)
    return person


def _row(rows: list[CommuneFigures], name: str) -> CommuneFigures:
    return next(row for row in rows if row.commune == name)


def test_counts_practices_doctors_and_patients_per_commune(
    coordinator: User, lamarche: Commune
) -> None:
    # given: two practices in Lamarche, two GPs and a staff member
    msp = PracticeFactory.create(commune=lamarche)
    cabinet = PracticeFactory.create(commune=lamarche, kind=Practice.Kind.CABINET)
    gp = _doctor_at(msp)
    _doctor_at(cabinet)
    directory.add_practice_member(actor=None, practice=msp, user=StaffFactory.create())
    _patient_in(lamarche, gp)
    _patient_in(lamarche, gp)
    _patient_in(lamarche)

    # when
    rows = territory_overview_for(actor=coordinator)

    # then
    assert rows == [
        CommuneFigures(
            commune="Lamarche",
            department="88",
            practices=2,
            doctors=2,
            patients=3,
            patients_without_treating_doctor=1,
        )
    ]


def test_a_patient_whose_declaration_ended_counts_as_without_treating_doctor(
    coordinator: User, lamarche: Commune
) -> None:
    gp = _doctor_at(PracticeFactory.create(commune=lamarche))
    retired_doctors_patient = _patient_in(lamarche, gp)
    TreatingDoctorDeclaration.objects.filter(patient=retired_doctors_patient).update(
        ended_at=timezone.now()
    )

    row = _row(territory_overview_for(actor=coordinator), "Lamarche")

    assert row.patients == 1
    assert row.patients_without_treating_doctor == 1


def test_a_patient_who_changed_doctor_still_has_one(coordinator: User, lamarche: Commune) -> None:
    practice = PracticeFactory.create(commune=lamarche)
    first, second = _doctor_at(practice), _doctor_at(practice)
    person = _patient_in(lamarche, first)
    directory.declare_treating_doctor(actor=person, patient=person, doctor=second)

    row = _row(territory_overview_for(actor=coordinator), "Lamarche")

    assert row.patients == 1
    assert row.patients_without_treating_doctor == 0


def test_a_doctor_working_in_two_practices_of_a_commune_is_counted_once(
    coordinator: User, lamarche: Commune
) -> None:
    gp = _doctor_at(PracticeFactory.create(commune=lamarche))
    directory.add_practice_member(
        actor=None, practice=PracticeFactory.create(commune=lamarche), user=gp
    )

    row = _row(territory_overview_for(actor=coordinator), "Lamarche")

    assert row.practices == 2
    assert row.doctors == 1


def test_doctors_who_left_and_staff_are_not_counted(coordinator: User, lamarche: Commune) -> None:
    practice = PracticeFactory.create(commune=lamarche)
    _doctor_at(practice)
    gone = _doctor_at(practice, Role.SPECIALIST)
    PracticeMembership.objects.filter(user=gone).update(ended_at=timezone.now())
    directory.add_practice_member(actor=None, practice=practice, user=StaffFactory.create())

    assert _row(territory_overview_for(actor=coordinator), "Lamarche").doctors == 1


def test_a_commune_with_patients_and_no_practice_is_listed(
    coordinator: User, lamarche: Commune, commercy: Commune
) -> None:
    gp = _doctor_at(PracticeFactory.create(commune=lamarche))
    _patient_in(commercy, gp)
    _patient_in(commercy)

    row = _row(territory_overview_for(actor=coordinator), "Commercy")

    assert row == CommuneFigures("Commercy", "55", 0, 0, 2, 1)


def test_communes_with_neither_practice_nor_patient_are_left_out(
    coordinator: User, lamarche: Commune, commercy: Commune
) -> None:
    PracticeFactory.create(commune=lamarche)

    assert [row.commune for row in territory_overview_for(actor=coordinator)] == ["Lamarche"]


def test_patients_without_commune_are_left_out(coordinator: User, lamarche: Commune) -> None:
    PracticeFactory.create(commune=lamarche)
    PatientFactory()

    assert _row(territory_overview_for(actor=coordinator), "Lamarche").patients == 0


def test_rows_are_sorted_by_department_then_commune(coordinator: User) -> None:
    for insee, name, department in [
        ("88321", "Neufchâteau", "88"),
        ("55122", "Commercy", "55"),
        ("88262", "Lamarche", "88"),
    ]:
        PracticeFactory.create(
            commune=CommuneFactory.create(insee_code=insee, name=name, department=department)
        )

    rows = territory_overview_for(actor=coordinator)

    assert [(row.department, row.commune) for row in rows] == [
        ("55", "Commercy"),
        ("88", "Lamarche"),
        ("88", "Neufchâteau"),
    ]


def test_an_operator_sees_the_figures(lamarche: Commune) -> None:
    PracticeFactory.create(commune=lamarche)

    assert len(territory_overview_for(actor=OperatorFactory.create())) == 1


def test_an_additional_coordinator_role_is_enough(lamarche: Commune) -> None:
    PracticeFactory.create(commune=lamarche)
    gp = ProfessionalFactory(role=Role.GP)
    RoleAssignment.objects.create(user=gp, role=Role.COORDINATOR)

    assert len(territory_overview_for(actor=gp)) == 1


@pytest.mark.parametrize(
    "role", [Role.PATIENT, Role.GP, Role.SPECIALIST, Role.STAFF, Role.MODERATOR, Role.EDITOR]
)
def test_anyone_else_gets_404(role: str) -> None:
    with pytest.raises(Http404):
        territory_overview_for(actor=UserFactory.create(role=role))


@pytest.mark.postgres
def test_postgresql_counts_patients_without_a_doctor_with_an_anti_join(
    coordinator: User, lamarche: Commune
) -> None:
    # given: a patient with a médecin traitant and one without
    gp = _doctor_at(PracticeFactory.create(commune=lamarche))
    _patient_in(lamarche, gp)
    _patient_in(lamarche)
    with CaptureQueriesContext(connection) as queries:
        territory_overview_for(actor=coordinator)
    sql = next(
        q["sql"]
        for q in queries.captured_queries
        if "directory_treatingdoctordeclaration" in q["sql"]
    )

    # when: the planner cannot hash the declarations (as at 1,000,000 patients)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64kB'")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # then: NOT IN would rescan the declarations for every patient ("SubPlan"), for minutes
    assert "Anti Join" in plan, plan
    assert "SubPlan" not in plan, plan
