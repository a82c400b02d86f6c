"""The home page at / shows each role its own dashboard."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import PatientFactory
from maillage.directory.models import Practice
from maillage.directory.tests.factories import CommuneFactory, PracticeFactory
from maillage.notifications.services import notify
from maillage.portal.tests.conftest import SignIn

pytestmark = pytest.mark.django_db


def _home(client: Client) -> str:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_sees_the_landing_page(client: Client) -> None:
    body = _home(client)

    assert "Votre médecin, plus près de chez vous." in body
    assert reverse("account_login") in body
    assert reverse("account_signup") in body


def test_patient_home_shows_their_treating_doctor_and_practice(
    client: Client, sign_in_as: SignIn, treating_clinician: User, practice: Practice
) -> None:
    patient = sign_in_as(Role.PATIENT)

    body = _home(client)

    assert f"Bonjour {patient.first_name}" in body
    assert "Mon médecin traitant" in body
    assert f"Dr {treating_clinician.get_full_name()}" in body
    assert practice.name in body
    assert "Médecine générale" in body


def test_patient_home_shows_their_latest_notifications(client: Client, sign_in_as: SignIn) -> None:
    patient = sign_in_as(Role.PATIENT)
    notify(recipient=patient, kind="test.info", title="Votre médecin a répondu", by_email=False)

    assert "Votre médecin a répondu" in _home(client)


def test_a_patient_without_treating_doctor_is_told_so(client: Client) -> None:
    client.force_login(PatientFactory())

    assert "Vous n'avez pas encore déclaré de médecin traitant" in _home(client)


def test_gp_home_counts_declared_patients_and_lists_the_team(
    client: Client, sign_in_as: SignIn, staff: User, practice: Practice
) -> None:
    gp = sign_in_as(Role.GP)

    body = _home(client)

    assert f"Bonjour Dr {gp.get_full_name()}" in body
    assert "<strong>1</strong> patient vous a déclaré comme médecin traitant" in body
    assert practice.name in body
    assert staff.get_full_name() in body
    assert "La double authentification est active." in body


def test_specialist_home_is_the_doctors_dashboard(
    client: Client, sign_in_as: SignIn, treating_clinician: User
) -> None:
    specialist = sign_in_as(Role.SPECIALIST)

    body = _home(client)

    assert f"Bonjour Dr {specialist.get_full_name()}" in body
    assert "<strong>0</strong> patient" in body
    assert f"Dr {treating_clinician.get_full_name()}" in body


def test_staff_home_lists_the_doctors_of_the_practice(
    client: Client, sign_in_as: SignIn, treating_clinician: User, practice: Practice
) -> None:
    sign_in_as(Role.STAFF)

    body = _home(client)

    assert "Les médecins et l'équipe" in body
    assert f"Dr {treating_clinician.get_full_name()}" in body
    assert practice.name in body


@pytest.mark.parametrize(
    ("role", "label"), [(Role.MODERATOR, "Modérateur"), (Role.EDITOR, "Éditeur")]
)
def test_moderator_and_editor_see_the_team_home(
    client: Client, sign_in_as: SignIn, role: str, label: str
) -> None:
    member = sign_in_as(role)

    body = _home(client)

    assert f"Bonjour {member.get_full_name()}" in body
    assert f"Vous êtes connecté en tant que : {label}." in body


def test_coordinator_home_shows_the_territory_figures(client: Client, sign_in_as: SignIn) -> None:
    PracticeFactory.create(commune=CommuneFactory.create(insee_code="88262", name="Lamarche"))
    sign_in_as(Role.COORDINATOR)

    body = _home(client)

    assert "Votre territoire" in body
    assert '<th scope="row">Lamarche</th>' in body
    assert "Chiffres agrégés par commune" in body


def test_operator_home_shows_the_task_queue_and_tools(client: Client, sign_in_as: SignIn) -> None:
    sign_in_as(Role.OPERATOR)

    body = _home(client)

    assert "Exploitation de la plateforme" in body
    assert 'id="tasks-ready"' in body
    assert reverse("operations:audit") in body


@pytest.mark.parametrize("role", [Role.PATIENT, Role.GP, Role.STAFF, Role.COORDINATOR])
def test_only_the_operator_sees_the_operator_menu(
    client: Client, sign_in_as: SignIn, role: str
) -> None:
    sign_in_as(role)

    assert reverse("operations:status") not in _home(client)
