"""A patient writes to their practice: one request per submit, capacity, red flags first."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from maillage.accounts import services as accounts
from maillage.accounts.models import User
from maillage.accounts.tests.factories import OperatorFactory, PatientFactory
from maillage.audit.models import AuditEvent
from maillage.consultations import services
from maillage.consultations.models import OnlineRequest, PracticeAvailability, RequestEvent
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice
from maillage.notifications.models import Notification

pytestmark = pytest.mark.django_db


def submit(actor: User, patient: User, practice: Practice, **overrides: object) -> OnlineRequest:
    fields: dict[str, object] = {
        "route": OnlineRequest.Route.RENEWAL,
        "subject": "Renouvellement",
        "message": "Je voudrais renouveler mon traitement pour la tension.",
        "idempotency_key": uuid.uuid4(),
    }
    fields.update(overrides)
    return services.submit_request(actor=actor, patient=patient, practice=practice, **fields)  # type: ignore[arg-type]


def test_a_request_is_created_with_its_promise_timeline_and_audit(
    patient: User, practice: Practice, availability: PracticeAvailability, staff: User
) -> None:
    request = submit(patient, patient, practice)

    assert request.status == OnlineRequest.Status.SUBMITTED
    assert request.urgency == OnlineRequest.Urgency.ROUTINE
    assert request.promised_by > request.submitted_at
    assert [event.kind for event in request.events.all()] == [RequestEvent.Kind.SUBMITTED]
    event = AuditEvent.objects.get(action="consultations.request_submitted")
    assert (event.actor, event.patient) == (patient, patient)
    # the team is told that a request arrived, never what it says
    notification = Notification.objects.get(recipient=staff)
    assert "tension" not in notification.title


def test_a_double_submit_creates_one_request(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    key = uuid.uuid4()

    first = submit(patient, patient, practice, idempotency_key=key)
    second = submit(patient, patient, practice, idempotency_key=key)

    assert first == second
    assert OnlineRequest.objects.count() == 1


def test_when_the_day_is_full_the_patient_learns_when_it_reopens(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    for _ in range(availability.daily_capacity):
        submit(patient, patient, practice)

    with pytest.raises(services.CapacityReached) as full:
        submit(patient, patient, practice)

    assert full.value.reopens_at is not None
    assert OnlineRequest.objects.count() == availability.daily_capacity


def test_an_urgent_request_is_received_even_when_the_day_is_full(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    for _ in range(availability.daily_capacity):
        submit(patient, patient, practice)

    urgent = submit(patient, patient, practice, message="Fièvre depuis 4 jours qui ne baisse pas")

    assert urgent.urgency == OnlineRequest.Urgency.URGENT


def test_an_emergency_text_is_stopped_with_the_numbers_first(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    with pytest.raises(services.RedFlagsInRequest) as alarm:
        submit(
            patient, patient, practice, message="Depuis ce matin j'ai une douleur dans la poitrine"
        )

    assert "15" in alarm.value.numbers
    assert not OnlineRequest.objects.exists()


def test_after_the_advice_the_patient_may_still_write_and_it_is_flagged(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    request = submit(
        patient,
        patient,
        practice,
        message="Douleur dans la poitrine ce matin",
        after_emergency=True,
    )

    assert request.urgency == OnlineRequest.Urgency.EMERGENCY
    assert request.after_emergency_advice is True


def test_a_parent_writes_for_their_child(
    practice: Practice, availability: PracticeAvailability, treating_clinician: User
) -> None:
    from maillage.directory.services import declare_treating_doctor

    parent = PatientFactory()
    child = PatientFactory(birth_date=date(2018, 5, 14))
    accounts.add_parent_proxy(actor=OperatorFactory.create(), child=child, parent=parent)
    declare_treating_doctor(actor=parent, patient=child, doctor=treating_clinician)

    request = submit(parent, child, practice)

    assert (request.patient, request.submitted_by) == (child, parent)


def test_nobody_writes_for_a_stranger(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    with pytest.raises(NotAllowed):
        submit(PatientFactory(), patient, practice)


def test_a_practice_that_is_not_the_patients_refuses(
    patient: User, other_practice: Practice, availability: PracticeAvailability
) -> None:
    PracticeAvailability.objects.create(practice=other_practice)

    with pytest.raises(services.PracticeNotAvailable):
        submit(patient, patient, other_practice)


def test_a_weekend_does_not_add_a_second_days_quota(
    patient: User, practice: Practice, availability: PracticeAvailability
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    paris = ZoneInfo("Europe/Paris")
    # given a practice open Monday to Friday, 3 requests a working day
    week = {str(day): [["08:30", "12:00"], ["14:00", "18:30"]] for day in range(5)}
    PracticeAvailability.objects.filter(pk=availability.pk).update(opening_hours=week)
    # when two requests come on Saturday and one on Sunday (all read on Monday 23 Nov 2026)
    for moment in [
        datetime(2026, 11, 21, 10, tzinfo=paris),
        datetime(2026, 11, 21, 15, tzinfo=paris),
        datetime(2026, 11, 22, 11, tzinfo=paris),
    ]:
        with time_machine.travel(moment, tick=False):
            submit(patient, patient, practice)
    # then on Monday morning Monday's quota is already used, and it reopens when Monday closes
    with (
        time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=paris), tick=False),
        pytest.raises(services.CapacityReached) as full,
    ):
        submit(patient, patient, practice)
    assert full.value.reopens_at == datetime(2026, 11, 23, 18, 30, tzinfo=paris)
    # and on Tuesday the window has moved on
    with time_machine.travel(datetime(2026, 11, 24, 9, tzinfo=paris), tick=False):
        assert submit(patient, patient, practice).pk
