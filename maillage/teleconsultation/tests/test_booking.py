from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.consultations.models import PracticeAvailability, PracticeClosure
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice
from maillage.directory.services import add_practice_member
from maillage.notifications.models import Notification
from maillage.notifications.sms import LocmemSmsBackend
from maillage.teleconsultation import selectors, services
from maillage.teleconsultation.models import Appointment, ConsentRecord, TeleconsultationOffer
from maillage.teleconsultation.tests.builders import book, make_offer, next_slot

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(treating_clinician: User, practice: Practice) -> TeleconsultationOffer:
    return make_offer(treating_clinician, practice)


def test_booking_records_consent_fee_and_parcours_and_tells_both_sides(
    offer: TeleconsultationOffer,
    patient: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        appointment = book(offer, patient)
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=15)
    assert appointment.consent_id is not None
    consent = ConsentRecord.objects.get(pk=appointment.consent_id)
    text = services.consent_text("fr")
    assert (consent.text_version, consent.text_digest) == (text.version, text.digest)
    assert appointment.fee_code == "TCG"
    assert appointment.fee_amount == offer.fee
    # The treating doctor: inside the parcours, whatever the past visits.
    assert appointment.parcours_status == "reimbursable"
    assert AuditEvent.objects.filter(action="teleconsultation.booked", patient=patient).exists()
    assert AuditEvent.objects.filter(action="teleconsultation.consent_given").count() == 1
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {patient.pk, offer.doctor_id}


def test_emergency_in_the_note_stops_the_booking_and_is_recorded(
    offer: TeleconsultationOffer, patient: User
) -> None:
    with pytest.raises(services.RedFlagsStopBooking) as stop:
        book(offer, patient, note="J'ai une douleur dans la poitrine qui serre depuis une heure")
    assert "15" in stop.value.numbers
    assert not Appointment.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert AuditEvent.objects.filter(
        action="teleconsultation.booking_stopped", patient=patient
    ).exists()


def test_suicidal_note_gives_3114_and_books_nothing(
    offer: TeleconsultationOffer, patient: User
) -> None:
    with pytest.raises(services.RedFlagsStopBooking) as stop:
        book(offer, patient, note="I want to kill myself tonight")
    assert "3114" in stop.value.numbers
    assert not Appointment.objects.exists()


def test_negated_red_flag_books_normally(offer: TeleconsultationOffer, patient: User) -> None:
    appointment = book(offer, patient, note="Pas de douleur thoracique, juste de la fatigue")
    assert appointment.pk is not None


@pytest.mark.parametrize(
    ("key", "answer", "advised"),
    [
        ("exam_needed", "yes", True),
        ("exam_needed", "no", False),
        ("can_use_tools", "no", True),
        ("can_use_tools", "yes", False),
        ("hearing_or_sight", "yes", True),
        ("bad_news", "yes", True),
        ("companion", "yes", False),  # informative: a companion is welcome, not a reason to stop
    ],
)
def test_each_has_criterion_leads_to_its_advice(
    offer: TeleconsultationOffer, patient: User, key: str, answer: str, advised: bool
) -> None:
    answers = {"exam_needed": "no", "can_use_tools": "yes", "bad_news": "no", key: answer}
    if advised:
        with pytest.raises(services.SuitabilityAdvice) as advice:
            book(offer, patient, suitability=answers)
        assert len(advice.value.advice) == 1
        assert not Appointment.objects.exists()
        # The patient may still choose the video once advised (the doctor judges, R.6316-2).
        assert book(offer, patient, suitability=answers, proceed_despite_advice=True).pk
    else:
        assert book(offer, patient, suitability=answers).suitability[key] == answer


def test_no_booking_without_consent(offer: TeleconsultationOffer, patient: User) -> None:
    with pytest.raises(services.ConsentRequired):
        book(offer, patient, consent_given=False)
    assert not Appointment.objects.exists()


def test_double_submit_creates_one_appointment(offer: TeleconsultationOffer, patient: User) -> None:
    key = uuid.uuid4()
    slot = next_slot(offer)
    first = book(offer, patient, idempotency_key=key, starts_at=slot)
    second = book(offer, patient, idempotency_key=key, starts_at=slot)
    assert first.pk == second.pk
    assert Appointment.objects.count() == 1


def test_a_slot_is_given_once(
    offer: TeleconsultationOffer, patient: User, practice: Practice
) -> None:
    other = PatientFactory()
    offer.accepts_new_patients = True
    offer.save()
    slot = next_slot(offer)
    book(offer, patient, starts_at=slot)
    assert slot not in selectors.free_slots(offer=offer)
    with pytest.raises(services.SlotTaken):
        book(offer, other, starts_at=slot)


def test_other_doctors_are_bookable_only_when_they_accept_new_patients(
    patient: User, other_clinician: User, other_practice: Practice
) -> None:
    offer = make_offer(other_clinician, other_practice)
    assert selectors.list_bookable_offers(patient=patient) == []
    with pytest.raises(services.NotBookable):
        book(offer, patient)
    offer.accepts_new_patients = True
    offer.save()
    appointment = book(offer, patient)
    # Not the treating doctor, no referral, in a plain cabinet: outside the parcours, still
    # bookable, and the patient was told so.
    assert appointment.parcours_status == "outside"
    assert appointment.parcours_reason


def test_treating_doctor_is_listed_first(
    patient: User,
    offer: TeleconsultationOffer,
    other_clinician: User,
    other_practice: Practice,
) -> None:
    other_clinician.last_name = "Aaron"  # sorts first by name
    other_clinician.save()
    make_offer(other_clinician, other_practice, accepts_new_patients=True)
    offers = selectors.list_bookable_offers(patient=patient)
    assert [item.doctor_id for item in offers] == [offer.doctor_id, other_clinician.pk]


def test_a_disabled_offer_is_not_bookable(offer: TeleconsultationOffer, patient: User) -> None:
    offer.enabled = False
    offer.save()
    assert selectors.list_bookable_offers(patient=patient) == []


def test_nobody_books_for_a_stranger(offer: TeleconsultationOffer, patient: User) -> None:
    stranger = PatientFactory()
    with pytest.raises(NotAllowed):
        book(offer, patient, actor=stranger)


def test_free_slots_skip_holidays_closures_notice_and_taken_slots(
    treating_clinician: User, practice: Practice
) -> None:
    PracticeAvailability.objects.create(practice=practice)
    offer = make_offer(
        treating_clinician,
        practice,
        weekly_hours={"0": [["17:00", "18:00"]], "1": [["17:00", "18:00"]]},
        slot_minutes=30,
    )
    # Monday 2026-12-21, 16:30 Paris: Christmas Friday is a holiday, and the practice closes
    # on Tuesday 22.
    PracticeClosure.objects.create(
        practice=practice, starts_on=date(2026, 12, 22), ends_on=date(2026, 12, 22)
    )
    now = datetime(2026, 12, 21, 16, 30, tzinfo=PARIS)
    slots = [
        timezone.localtime(slot) for slot in selectors.free_slots(offer=offer, now=now, days=8)
    ]
    labels = [slot.strftime("%m-%d %H:%M") for slot in slots]
    # 17:00 on the 21st is within the hour of notice; 17:30 is not.
    assert labels[:1] == ["12-21 17:30"]
    assert "12-22 17:00" not in labels
    assert labels[1:] == ["12-28 17:00", "12-28 17:30", "12-29 17:00", "12-29 17:30"]


def test_free_slots_across_the_autumn_clock_change(
    treating_clinician: User, practice: Practice
) -> None:
    offer = make_offer(treating_clinician, practice, weekly_hours={"6": [["09:00", "10:00"]]})
    now = datetime(2026, 10, 24, 12, 0, tzinfo=PARIS)  # Saturday; clocks go back on Sunday 25
    slots = selectors.free_slots(offer=offer, now=now, days=1)
    assert [timezone.localtime(slot).strftime("%H:%M") for slot in slots] == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
    ]
    assert slots[0].utcoffset() is not None
    assert slots[0] == datetime(2026, 10, 25, 8, 0, tzinfo=ZoneInfo("UTC"))


def test_cancel_frees_the_slot_and_tells_the_other_side_by_sms(
    offer: TeleconsultationOffer,
    patient: User,
    treating_clinician: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    treating_clinician.phone = "0612345678"
    treating_clinician.save()
    appointment = book(offer, patient)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.cancel_appointment(actor=patient, appointment=appointment, reason="Empêchement")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.starts_at in selectors.free_slots(offer=offer)
    notice = Notification.objects.filter(recipient=treating_clinician).latest("created_at")
    assert notice.by_sms
    assert LocmemSmsBackend.outbox  # the doctor got the SMS
    with pytest.raises(services.AppointmentClosed):
        services.cancel_appointment(actor=patient, appointment=appointment, reason="")


def test_move_to_another_free_slot(
    offer: TeleconsultationOffer, patient: User, treating_clinician: User
) -> None:
    appointment = book(offer, patient)
    later = selectors.free_slots(offer=offer)[3]
    services.move_appointment(actor=treating_clinician, appointment=appointment, starts_at=later)
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    assert appointment.ends_at == later + timedelta(minutes=15)
    assert Notification.objects.filter(recipient=patient, title__contains="déplacé").exists()
    with pytest.raises(services.SlotTaken):
        services.move_appointment(
            actor=patient, appointment=appointment, starts_at=later + timedelta(minutes=7)
        )


def test_outsiders_cannot_cancel(offer: TeleconsultationOffer, patient: User) -> None:
    appointment = book(offer, patient)
    with pytest.raises(NotAllowed):
        services.cancel_appointment(actor=PatientFactory(), appointment=appointment, reason="")


def test_reminders_the_day_before_and_the_hour_before_once_each(
    offer: TeleconsultationOffer,
    patient: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    patient.phone = "0611223344"
    patient.save()
    start = datetime(2026, 12, 3, 17, 0, tzinfo=PARIS)
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=PARIS), tick=False):
        appointment = book(offer, patient, starts_at=start)
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=PARIS), tick=False):
        assert services.send_due_reminders() == 0  # 29 h before: too early
    with time_machine.travel(datetime(2026, 12, 2, 17, 5, tzinfo=PARIS), tick=False):
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            assert services.send_due_reminders() == 1
        assert services.send_due_reminders() == 0  # once
    assert any("demain" in message.subject for message in mail.outbox)
    assert LocmemSmsBackend.outbox
    with time_machine.travel(datetime(2026, 12, 3, 16, 10, tzinfo=PARIS), tick=False):
        assert services.send_due_reminders() == 1
        assert services.send_due_reminders() == 0
    appointment.refresh_from_db()
    assert appointment.reminded_day_before_at
    assert appointment.reminded_hour_before_at


def test_no_reminder_for_a_cancelled_appointment(
    offer: TeleconsultationOffer, patient: User
) -> None:
    start = datetime(2026, 12, 3, 17, 0, tzinfo=PARIS)
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=PARIS), tick=False):
        appointment = book(offer, patient, starts_at=start)
        services.cancel_appointment(actor=patient, appointment=appointment, reason="")
    with time_machine.travel(datetime(2026, 12, 3, 16, 10, tzinfo=PARIS), tick=False):
        assert services.send_due_reminders() == 0


def test_a_doctor_books_a_visit_from_an_online_request(
    patient: User, treating_clinician: User, practice: Practice
) -> None:
    from maillage.consultations.models import OnlineRequest, RequestEvent

    online = OnlineRequest.objects.create(
        practice=practice,
        patient=patient,
        submitted_by=patient,
        route="clinical",
        subject="Toux",
        message="Je tousse depuis dix jours",
        submitted_at=timezone.now(),
        promised_by=timezone.now() + timedelta(hours=8),
    )
    starts = timezone.now() + timedelta(days=1)
    appointment = services.book_from_request(
        actor=treating_clinician,
        online_request=online,
        mode="video",
        starts_at=starts,
        duration_minutes=15,
        idempotency_key=uuid.uuid4(),
    )
    assert appointment.online_request_id == online.pk
    assert appointment.consent_id is None  # the patient consents themself before the call
    assert RequestEvent.objects.filter(request=online, body__contains="Téléconsultation").exists()
    # No call before consent (A4).
    with time_machine.travel(starts, tick=False):
        assert (
            selectors.call_access(user=patient, session={}, appointment_id=appointment.public_id)
            is None
        )
        services.give_consent(actor=patient, appointment=appointment, consent_given=True)
        access = selectors.call_access(
            user=patient, session={}, appointment_id=appointment.public_id
        )
        assert access is not None
        assert access.role == "patient"


def test_staff_cannot_book_a_visit_for_the_doctor(
    patient: User, staff: User, practice: Practice
) -> None:
    from maillage.consultations.models import OnlineRequest

    online = OnlineRequest.objects.create(
        practice=practice,
        patient=patient,
        submitted_by=patient,
        route="clinical",
        subject="Toux",
        message="Je tousse",
        submitted_at=timezone.now(),
        promised_by=timezone.now() + timedelta(hours=8),
    )
    with pytest.raises(NotAllowed):
        services.book_from_request(
            actor=staff,
            online_request=online,
            mode="in_person",
            starts_at=timezone.now() + timedelta(days=1),
            duration_minutes=15,
            idempotency_key=uuid.uuid4(),
        )


def test_offer_fee_follows_the_doctor_sector(practice: Practice) -> None:
    from maillage.billing.fees import FeeNotAllowed

    doctor = ProfessionalFactory()
    add_practice_member(actor=None, practice=practice, user=doctor)
    common: dict[str, Any] = {
        "practice": practice,
        "enabled": True,
        "motives": ["suivi"],
        "weekly_hours": {"0": [["17:00", "18:00"]]},
        "slot_minutes": 15,
        "accepts_new_patients": True,
    }
    with pytest.raises(FeeNotAllowed):
        services.save_offer(actor=doctor, fee=Decimal("40.00"), **common)
    doctor.professional.convention_sector = "2"
    doctor.professional.save()
    offer = services.save_offer(actor=doctor, fee=Decimal("40.00"), **common)
    assert offer.enabled
    assert offer.fee == Decimal("40.00")
    fee = services.describe_fee(offer)
    assert fee.overrun > 0
