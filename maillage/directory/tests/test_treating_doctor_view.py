"""/annuaire/medecin-traitant/: a patient (or a parent) chooses the médecin traitant."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from maillage.accounts import services as accounts
from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import OperatorFactory, PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.directory import services as directory
from maillage.directory.models import Practice, TreatingDoctorDeclaration
from maillage.directory.tests.factories import CommuneFactory, PracticeFactory

pytestmark = pytest.mark.django_db
URL = reverse("directory:treating_doctor")


@pytest.fixture
def newcomer(client: Client) -> User:
    person = PatientFactory(first_name="Odile")
    client.force_login(person)
    return person


def test_the_page_lists_the_doctors_working_in_a_practice(
    client: Client, newcomer: User, treating_clinician: User, practice: Practice
) -> None:
    cardiologist = ProfessionalFactory(role=Role.SPECIALIST, last_name="Cardio")
    directory.add_practice_member(actor=None, practice=practice, user=cardiologist)
    ProfessionalFactory(role=Role.GP, last_name="Retraite")  # a doctor with no practice

    body = client.get(URL).content.decode()

    assert treating_clinician.last_name in body
    assert practice.name in body
    assert "Cardio" not in body  # a cardiologist is not a médecin traitant here
    assert "Retraite" not in body  # no practice: not taking patients through Maillage
    assert "pas de médecin traitant déclaré" in body


def test_choosing_a_doctor_declares_them_and_audits_it(
    client: Client, newcomer: User, treating_clinician: User
) -> None:
    response = client.post(
        URL, {"patient": newcomer.pk, "doctor": treating_clinician.pk}, follow=True
    )

    assert response.redirect_chain == [(URL, 302)]
    declaration = TreatingDoctorDeclaration.objects.get(patient=newcomer, ended_at__isnull=True)
    assert declaration.doctor == treating_clinician
    assert AuditEvent.objects.filter(
        action="directory.treating_doctor_declared", patient=newcomer, actor=newcomer
    ).exists()
    assert "est désormais le médecin traitant" in response.content.decode()


def test_a_parent_chooses_for_their_child(client: Client, treating_clinician: User) -> None:
    parent = PatientFactory(first_name="Camille")
    child = PatientFactory(first_name="Emma", birth_date=date(2018, 5, 14))
    accounts.add_parent_proxy(actor=OperatorFactory.create(), child=child, parent=parent)
    client.force_login(parent)

    client.post(URL, {"patient": child.pk, "doctor": treating_clinician.pk})

    assert TreatingDoctorDeclaration.objects.get(patient=child).declared_by == parent


def test_choosing_for_someone_one_does_not_represent_is_refused_and_keeps_the_form(
    client: Client, newcomer: User, treating_clinician: User
) -> None:
    stranger = PatientFactory()

    response = client.post(URL, {"patient": stranger.pk, "doctor": treating_clinician.pk})

    assert response.status_code == 422
    assert not TreatingDoctorDeclaration.objects.filter(patient=stranger).exists()
    body = response.content.decode()
    assert f'<option value="{treating_clinician.pk}" selected>' in body


def test_a_doctor_outside_the_list_is_refused(client: Client, newcomer: User) -> None:
    cardiologist = ProfessionalFactory(role=Role.SPECIALIST)

    response = client.post(URL, {"patient": newcomer.pk, "doctor": cardiologist.pk})

    assert response.status_code == 422
    assert "Choisissez un médecin de la liste." in response.content.decode()
    assert not TreatingDoctorDeclaration.objects.exists()


def test_the_list_keeps_to_the_patients_department(client: Client, practice: Practice) -> None:
    # given a GP in the Vosges and one in the Meuse, and a patient living in the Meuse
    vosges_gp = ProfessionalFactory(role=Role.GP, last_name="Vosgien")
    directory.add_practice_member(actor=None, practice=practice, user=vosges_gp)
    meuse = CommuneFactory.create(insee_code="55122", department="55", name="Commercy")
    meuse_gp = ProfessionalFactory(role=Role.GP, last_name="Meusien")
    directory.add_practice_member(
        actor=None, practice=PracticeFactory.create(commune=meuse), user=meuse_gp
    )
    client.force_login(PatientFactory(commune=meuse))
    # when
    body = client.get(URL).content.decode()
    # then
    assert "Meusien" in body
    assert "Vosgien" not in body


def test_a_professional_who_represents_nobody_gets_404(
    client: Client, treating_clinician: User
) -> None:
    client.force_login(treating_clinician)

    assert client.get(URL).status_code == 404


def test_the_page_costs_the_same_queries_with_many_doctors(
    client: Client,
    newcomer: User,
    practice: Practice,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for index in range(15):
        doctor = ProfessionalFactory(role=Role.GP, last_name=f"Docteur{index}")
        directory.add_practice_member(actor=None, practice=practice, user=doctor)

    # sign-in, roles, lists of people and doctors (one prefetch), counter, session: no N+1
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200
