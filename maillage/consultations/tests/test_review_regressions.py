"""Regressions found by review: each test failed before its fix."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.models import User
from maillage.accounts.tests.factories import OperatorFactory, PatientFactory
from maillage.consultations import services
from maillage.consultations.models import OnlineRequest, PracticeAvailability
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice
from maillage.triage import services as triage

pytestmark = pytest.mark.django_db


def submit(patient: User, practice: Practice, **extra: object) -> OnlineRequest:
    fields: dict[str, object] = {
        "route": "clinical",
        "subject": "Question",
        "message": "Une question sur mon traitement.",
        "idempotency_key": uuid.uuid4(),
    }
    fields.update(extra)
    return services.submit_request(actor=patient, patient=patient, practice=practice, **fields)  # type: ignore[arg-type]


def concluded(actor: User, patient: User, ticked: list[str]) -> object:
    assessment = triage.start_assessment(actor=actor, patient=patient, template="mal-de-gorge")
    return triage.answer_red_flags(actor=actor, assessment=assessment, ticked=ticked)


def test_one_persons_self_assessment_never_travels_with_anothers_request(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    from datetime import date

    from maillage.accounts import services as accounts

    child = PatientFactory(birth_date=date(2018, 5, 14))
    accounts.add_parent_proxy(actor=OperatorFactory.create(), child=child, parent=patient)
    own = concluded(patient, patient, ["saliva"])

    with pytest.raises(NotAllowed):
        services.submit_request(
            actor=patient,
            patient=child,
            practice=practice,
            route="clinical",
            subject="x",
            message="y",
            idempotency_key=uuid.uuid4(),
            self_assessment=own,  # type: ignore[arg-type]
        )


def test_a_forged_after_emergency_flag_changes_nothing(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    request = submit(patient, practice, after_emergency=True)

    assert request.urgency == OnlineRequest.Urgency.ROUTINE
    assert request.after_emergency_advice is False


def test_a_request_after_an_emergency_self_assessment_is_flagged(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    assessment = concluded(patient, patient, ["saliva"])

    request = submit(patient, practice, self_assessment=assessment)

    assert (request.urgency, request.after_emergency_advice) == ("emergency", True)


def test_a_reply_with_an_alarm_raises_the_urgency_and_warns_the_team_again(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    request = submit(patient, practice)
    services.escalate_late_requests(now=request.promised_by)

    services.reply_as_patient(
        actor=patient, request=request, body="Là j'ai une douleur dans la poitrine"
    )

    request.refresh_from_db()
    assert request.urgency == OnlineRequest.Urgency.EMERGENCY
    assert request.escalated_at is None


def test_requests_waiting_for_the_patient_are_not_escalated(
    patient: User, practice: Practice, availability: PracticeAvailability, treating_clinician: User
) -> None:
    request = submit(patient, practice)
    services.answer_request(
        actor=treating_clinician, request=request, body="Précisez ?", ask_for_more=True
    )

    assert services.escalate_late_requests(now=request.promised_by + timedelta(hours=1)) == 0


def test_a_practice_without_opening_hours_refuses_cleanly(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    PracticeAvailability.objects.filter(pk=availability.pk).update(opening_hours={})

    with pytest.raises(services.PracticeNotAvailable):
        submit(patient, practice)


def test_turning_requests_on_without_hours_is_refused(client: Client, staff: User) -> None:
    client.force_login(staff)
    data = {
        "accepts_online_requests": "on",
        "daily_capacity": "5",
        "answer_within_working_hours": "8",
    }

    response = client.post(reverse("consultations:settings"), data)

    assert response.status_code == 422
    assert "au moins une plage d&#x27;ouverture" in response.content.decode()


def test_an_unknown_practice_in_the_settings_url_is_404(client: Client, staff: User) -> None:
    client.force_login(staff)

    assert (
        client.get(f"{reverse('consultations:settings')}?cabinet={uuid.uuid4()}").status_code == 404
    )
