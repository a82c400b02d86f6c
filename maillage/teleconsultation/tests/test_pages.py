from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.billing.models import BilledAct
from maillage.consultations.models import OnlineRequest
from maillage.directory.models import Practice
from maillage.teleconsultation.models import Appointment, TeleconsultationOffer
from maillage.teleconsultation.selectors import free_slots, list_doctor_day
from maillage.teleconsultation.tests.builders import book, connect, make_offer, next_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(treating_clinician: User, practice: Practice) -> TeleconsultationOffer:
    return make_offer(treating_clinician, practice)


def _booking_post(offer: TeleconsultationOffer, patient: User, **overrides: str) -> dict[str, str]:
    data = {
        "patient": str(patient.pk),
        "starts_at": next_slot(offer).isoformat(),
        "motive": "suivi",
        "note": "Renouvellement et point sur la tension",
        "q_exam_needed": "no",
        "q_can_use_tools": "yes",
        "q_hearing_or_sight": "no",
        "q_companion": "no",
        "q_bad_news": "no",
        "consent": "on",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_patient_books_through_the_form(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    client.force_login(patient)
    page = client.get(reverse("teleconsultation:book", args=[offer.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Seuls peuvent vous être facturés" in body  # the mandatory fee sentence
    assert "25,00 €" in body or "25.00 €" in body
    response = client.post(
        reverse("teleconsultation:book", args=[offer.public_id]), _booking_post(offer, patient)
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "teleconsultation:appointment", args=[appointment.public_id]
    )


def test_a_form_error_keeps_what_was_typed(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    client.force_login(patient)
    data = _booking_post(offer, patient, consent="")
    del data["consent"]
    response = client.post(reverse("teleconsultation:book", args=[offer.public_id]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Renouvellement et point sur la tension" in body
    assert "Votre accord est nécessaire" in body
    assert not Appointment.objects.exists()


def test_red_flags_show_emergency_advice_and_book_nothing(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    client.force_login(patient)
    data = _booking_post(offer, patient, note="Il a perdu connaissance et ne respire plus bien")
    response = client.post(reverse("teleconsultation:book", args=[offer.public_id]), data)
    body = response.content.decode()
    assert 'href="tel:15"' in body
    assert 'href="tel:112"' in body
    assert not Appointment.objects.exists()


def test_suitability_advice_then_proceed(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    client.force_login(patient)
    url = reverse("teleconsultation:book", args=[offer.public_id])
    data = _booking_post(offer, patient, q_exam_needed="yes")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "examen physique" in response.content.decode()
    assert not Appointment.objects.exists()
    data["proceed_despite_advice"] = "on"
    assert client.post(url, data).status_code == 302
    assert Appointment.objects.count() == 1


def test_an_outsider_gets_404_on_the_appointment(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    appointment = book(offer, patient)
    client.force_login(PatientFactory())
    url = reverse("teleconsultation:appointment", args=[appointment.public_id])
    assert client.get(url).status_code == 404
    client.force_login(patient)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="teleconsultation.appointment_viewed", patient=patient
    ).exists()


def test_arrival_details_lead_to_the_call(
    client: Client, offer: TeleconsultationOffer, patient: User
) -> None:
    appointment = book(offer, patient)
    client.force_login(patient)
    url = reverse("teleconsultation:appointment", args=[appointment.public_id])
    bad = client.post(url, {"action": "arrival", "location": "Gérardmer", "callback_phone": "12"})
    assert bad.status_code == 400
    assert "Gérardmer" in bad.content.decode()
    good = client.post(
        url, {"action": "arrival", "location": "Gérardmer", "callback_phone": "06 12 34 56 78"}
    )
    assert good["Location"] == reverse("teleconsultation:call", args=[appointment.public_id])
    appointment.refresh_from_db()
    assert appointment.patient_location == "Gérardmer"


def test_doctor_day_lists_who_is_waiting_in_few_queries(
    client: Client,
    offer: TeleconsultationOffer,
    treating_clinician: User,
    django_assert_max_num_queries: object,
) -> None:
    patients = [PatientFactory() for _ in range(5)]
    offer.accepts_new_patients = True
    offer.save()
    slots = free_slots(offer=offer)
    day = timezone.localtime(slots[0]).date()
    same_day = [slot for slot in slots if timezone.localtime(slot).date() == day][:5]
    for person, slot in zip(patients, same_day, strict=False):
        book(offer, person, starts_at=slot)
    Appointment.objects.update(patient_waiting_since=timezone.now())
    client.force_login(treating_clinician)
    url = reverse("teleconsultation:day") + f"?jour={day.isoformat()}"
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("attend depuis") == len(same_day)


def test_patients_cannot_open_the_doctor_pages(client: Client, patient: User) -> None:
    client.force_login(patient)
    assert client.get(reverse("teleconsultation:day")).status_code == 404
    assert client.get(reverse("teleconsultation:offer")).status_code == 404


def test_doctor_opts_in_through_the_settings(
    client: Client, treating_clinician: User, practice: Practice
) -> None:
    client.force_login(treating_clinician)
    url = reverse("teleconsultation:offer")
    assert client.get(url).status_code == 200
    data = {
        "enabled": "on",
        "practice": str(practice.pk),
        "motives": ["suivi", "resultats"],
        "slot_minutes": "20",
        "fee": "25.00",
        "hours_0": "17:00-19:00",
        "hours_3": "12:00-13:00, 18:00-19:00",
    }
    bad = client.post(url, {**data, "hours_0": "25:00-26:00"})
    assert bad.status_code == 400
    assert "25:00-26:00" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    offer = TeleconsultationOffer.objects.get(doctor=treating_clinician)
    assert offer.enabled
    assert offer.slot_minutes == 20
    assert offer.weekly_hours == {
        "0": [["17:00", "19:00"]],
        "3": [["12:00", "13:00"], ["18:00", "19:00"]],
    }
    too_much = client.post(url, {**data, "fee": "60.00"})  # sector 1: no overrun
    assert too_much.status_code == 400


def test_doctor_closes_the_act_through_the_form(
    client: Client, offer: TeleconsultationOffer, patient: User, treating_clinician: User
) -> None:
    appointment = connect(book(offer, patient))
    traveller = time_machine.travel(appointment.ends_at, tick=False)
    traveller.start()
    client.force_login(treating_clinician)
    url = reverse("teleconsultation:close", args=[appointment.public_id])
    page = client.get(url)
    assert page.status_code == 200
    start = timezone.localtime(appointment.starts_at)
    data = {
        "report_text": "Examen à distance rassurant.",
        "acts": "TCG",
        "video": "on",
        "no_prescription": "on",
        "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + timedelta(minutes=12)).strftime("%Y-%m-%dT%H:%M"),
        "sick_note_days": "0",
        "sick_note_ongoing_days": "0",
    }
    missing = client.post(url, {**data, "report_text": ""})
    assert missing.status_code == 400
    response = client.post(url, data)
    assert response.status_code == 302
    assert BilledAct.objects.get().code == "TCG"
    report_url = reverse("teleconsultation:report", args=[appointment.public_id])
    assert response["Location"] == report_url
    client.force_login(patient)
    assert client.get(report_url).status_code == 200
    pdf = client.get(
        reverse("teleconsultation:document", args=[appointment.public_id, "compte-rendu"])
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Security-Policy"] == "sandbox"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    client.force_login(PatientFactory())
    assert client.get(report_url).status_code == 404
    traveller.stop()


def test_doctor_proposes_a_visit_from_a_request(
    client: Client, patient: User, treating_clinician: User, practice: Practice
) -> None:
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
    client.force_login(treating_clinician)
    url = reverse("teleconsultation:from_request", args=[online.public_id])
    assert client.get(url).status_code == 200
    when = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=10, minute=0)
    data = {
        "mode": "in_person",
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration": "15",
        "idempotency_key": str(uuid.uuid4()),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # double submit: one appointment
    appointment = Appointment.objects.get()
    assert appointment.mode == "in_person"
    assert appointment.online_request_id == online.pk
    with time_machine.travel(when, tick=False):
        client.force_login(patient)
        page = client.get(reverse("teleconsultation:appointment", args=[appointment.public_id]))
    assert practice.name in page.content.decode()


def test_today_also_lists_a_call_open_to_join_after_midnight(
    offer: TeleconsultationOffer, patient: User
) -> None:
    # At 23:50 a patient waiting for a call at 00:05 must be seen on the doctor's day.
    paris = ZoneInfo("Europe/Paris")
    appointment = book(offer, patient)
    after_midnight = datetime(2026, 12, 9, 0, 5, tzinfo=paris)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=after_midnight, ends_at=after_midnight + timedelta(minutes=15)
    )
    late, earlier = (
        datetime(2026, 12, 8, 23, 50, tzinfo=paris),
        datetime(2026, 12, 8, 23, 0, tzinfo=paris),
    )

    assert list(list_doctor_day(actor=offer.doctor, day=late.date(), now=late)) == [appointment]
    assert list(list_doctor_day(actor=offer.doctor, day=late.date(), now=earlier)) == []
    tomorrow = after_midnight.date()
    assert list(list_doctor_day(actor=offer.doctor, day=tomorrow, now=late)) == [appointment]
