"""Links on the request pages lead somewhere the reader may go (found by the every-page sweep)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.consultations import services
from maillage.consultations.models import PracticeAvailability
from maillage.directory.models import Practice

pytestmark = pytest.mark.django_db


def test_only_someone_who_writes_for_a_patient_gets_the_new_request_button(
    client: Client, patient: User, treating_clinician: User
) -> None:
    new = reverse("consultations:new")
    client.force_login(patient)
    assert new in client.get(reverse("consultations:requests")).content.decode()
    client.force_login(treating_clinician)
    assert new not in client.get(reverse("consultations:requests")).content.decode()


def test_the_record_link_shows_only_for_a_doctor_who_may_open_the_record(
    client: Client, patient: User, treating_clinician: User, practice: Practice
) -> None:
    # given a patient of the practice whose treating doctor is not the one reading
    PracticeAvailability.objects.create(
        practice=practice,
        opening_hours={str(day): [["00:00", "23:59"]] for day in range(7)},
        accepts_other_patients=True,
    )
    colleague_patient = PatientFactory()
    requests = {}
    for person in (patient, colleague_patient):
        requests[person.pk] = services.submit_request(
            actor=person,
            patient=person,
            practice=practice,
            route="renewal",
            subject="Renouvellement",
            message="Ma pilule se termine la semaine prochaine.",
            idempotency_key=uuid.uuid4(),
        )
    client.force_login(treating_clinician)
    # then the treating doctor's request links to the record, the other one does not
    own = client.get(reverse("consultations:team_request", args=[requests[patient.pk].public_id]))
    record = reverse("records:timeline", args=[patient.public_id])
    assert record in own.content.decode()
    other = requests[colleague_patient.pk]
    page = client.get(reverse("consultations:team_request", args=[other.public_id]))
    assert page.status_code == 200
    assert reverse("records:timeline", args=[colleague_patient.public_id]) not in (
        page.content.decode()
    )
    response = client.get(reverse("records:timeline", args=[colleague_patient.public_id]))
    assert response.status_code == 404
