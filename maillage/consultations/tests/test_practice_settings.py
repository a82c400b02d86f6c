"""/cabinet/reglages/: the team sets hours, capacity, promised delay and closures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.consultations.models import PracticeAvailability, PracticeClosure
from maillage.directory.models import Practice

pytestmark = pytest.mark.django_db
URL = reverse("consultations:settings")


def settings_data(**overrides: str) -> dict[str, str]:
    data = {
        "accepts_online_requests": "on",
        "daily_capacity": "12",
        "answer_within_working_hours": "16",
        "hours_0": "08:30-12:00, 14:00-18:30",
        "hours_1": "08:30-12:00",
        "hours_2": "",
        "hours_3": "09:00-17:00",
        "hours_4": "09:00-17:00",
        "hours_5": "",
        "hours_6": "",
    }
    data.update(overrides)
    return data


def test_the_team_sets_hours_and_capacity(client: Client, staff: User, practice: Practice) -> None:
    client.force_login(staff)

    response = client.post(URL, settings_data())

    assert response.status_code == 302
    availability = PracticeAvailability.objects.get(practice=practice)
    assert availability.daily_capacity == 12
    assert availability.opening_hours["0"] == [["08:30", "12:00"], ["14:00", "18:30"]]
    assert "2" not in availability.opening_hours  # closed on Wednesday
    assert AuditEvent.objects.filter(
        action="consultations.availability_changed", actor=staff
    ).exists()


def test_malformed_hours_are_explained_and_what_was_typed_is_kept(
    client: Client, staff: User, practice: Practice
) -> None:
    client.force_login(staff)

    response = client.post(URL, settings_data(hours_1="14:00-12:00"))

    assert response.status_code == 422
    body = response.content.decode()
    assert "Mardi" in body
    assert 'value="14:00-12:00"' in body
    assert not PracticeAvailability.objects.exists()


def test_a_closure_is_added_and_removed(
    client: Client, treating_clinician: User, practice: Practice
) -> None:
    client.force_login(treating_clinician)
    start = timezone.localdate() + timedelta(days=7)

    client.post(
        URL,
        {
            "closure": "1",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=4)).isoformat(),
        },
    )
    closure = PracticeClosure.objects.get(practice=practice)
    client.post(URL, {"remove": str(closure.pk)})

    assert not PracticeClosure.objects.exists()


def test_a_closure_ending_before_it_starts_is_refused(client: Client, staff: User) -> None:
    client.force_login(staff)

    response = client.post(
        URL, {"closure": "1", "starts_on": "2026-12-24", "ends_on": "2026-12-20"}
    )

    assert response.status_code == 422
    assert "La date de fin doit suivre la date de début." in response.content.decode()


def test_a_patient_or_a_team_less_doctor_gets_404(client: Client, patient: User) -> None:
    client.force_login(patient)
    assert client.get(URL).status_code == 404
    client.force_login(ProfessionalFactory(role=Role.GP))
    assert client.get(URL).status_code == 404


def test_another_practice_cannot_be_configured(
    client: Client, staff: User, other_practice: Practice
) -> None:
    client.force_login(staff)

    client.post(
        f"{URL}?cabinet={other_practice.public_id}",
        {**settings_data(), "cabinet": str(other_practice.public_id)},
    )

    # the form fell back to the staff member's own practice, never the other one
    assert not PracticeAvailability.objects.filter(practice=other_practice).exists()
