"""Every journey files what it produces into the patient's record, in its own transaction."""

from __future__ import annotations

import pytest

from maillage.accounts.models import User
from maillage.consultations import services as consultations
from maillage.consultations.models import PracticeAvailability
from maillage.consultations.tests.test_submit_request import submit
from maillage.directory.models import Practice
from maillage.records import selectors
from maillage.records.models import RecordEntry
from maillage.teleconsultation.tests.builders import book, close, make_offer
from maillage.triage import services as triage

pytestmark = pytest.mark.django_db


def _kinds(patient: User) -> list[str]:
    return list(
        RecordEntry.objects.filter(patient=patient).order_by("id").values_list("kind", flat=True)
    )


def test_an_online_request_and_its_answers_are_filed(
    patient: User, treating_clinician: User, practice: Practice
) -> None:
    every_day = [["00:00", "23:59"]]
    PracticeAvailability.objects.create(
        practice=practice, opening_hours={str(day): every_day for day in range(7)}
    )
    online = submit(patient, patient, practice)
    consultations.answer_request(actor=treating_clinician, request=online, body="Reposez-vous.")
    consultations.reply_as_patient(actor=patient, request=online, body="Merci, ça va mieux.")
    consultations.issue_document(
        actor=treating_clinician, request=online, kind="certificate", text="Apte au sport."
    )
    consultations.close_request(actor=treating_clinician, request=online, body="Bonne journée.")
    assert _kinds(patient) == ["online_request", "message", "message", "certificate", "message"]
    certificate = RecordEntry.objects.get(kind="certificate")
    assert certificate.file.read().startswith(b"%PDF")
    assert certificate.author_id == treating_clinician.pk


def test_a_teleconsultation_report_and_prescription_are_filed(
    patient: User, other_clinician: User, other_practice: Practice
) -> None:
    offer = make_offer(other_clinician, other_practice, accepts_new_patients=True)
    appointment = book(offer, patient)
    # Booking opened a care relationship: the consulting doctor may read the record.
    access = selectors.access_to_record(actor=other_clinician, patient_id=patient.public_id)
    assert access.basis == "care"
    close(other_clinician, appointment)
    assert _kinds(patient) == ["teleconsultation", "prescription"]
    report = RecordEntry.objects.get(kind="teleconsultation")
    assert report.file.read().startswith(b"%PDF")
    assert "Tension contrôlée" in report.body


def test_a_completed_self_assessment_is_filed(patient: User) -> None:
    assessment = triage.start_assessment(actor=patient, patient=patient, template="mal-de-gorge")
    triage.answer_red_flags(actor=patient, assessment=assessment, ticked=[])
    for question, answer in [
        ("age", "38"),
        ("fever", "non"),
        ("days", "lt3"),
        ("cough", "oui"),
        ("one_side", "non"),
        ("details", ""),
    ]:
        assessment = triage.answer_question(
            actor=patient, assessment=assessment, question_id=question, raw=answer
        )
    entry = RecordEntry.objects.get(patient=patient)
    assert entry.kind == "questionnaire"
    assert "Signes d'alerte cochés : aucun" in entry.body
