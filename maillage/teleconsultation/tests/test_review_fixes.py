"""Regressions found by the review of J3: masks, overlaps, consent, refusal, closing."""

from __future__ import annotations

import ssl
import uuid
from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.accounts.tests.helpers import make_carer_proxy
from maillage.billing.models import BilledAct
from maillage.consultations.models import OnlineRequest
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.directory.models import Practice
from maillage.records import selectors as record_selectors
from maillage.records import services as record_services
from maillage.records.models import RecordEntry
from maillage.teleconsultation import selectors, services
from maillage.teleconsultation.models import Appointment
from maillage.teleconsultation.tests.builders import book, close, make_offer, report_input

pytestmark = pytest.mark.django_db


def test_a_masked_report_is_hidden_from_the_treating_doctor_everywhere(
    patient: User, treating_clinician: User, other_clinician: User, other_practice: Practice
) -> None:
    offer = make_offer(other_clinician, other_practice, accepts_new_patients=True)
    appointment = book(offer, patient)
    close(other_clinician, appointment)
    assert selectors.get_report_for(
        actor=treating_clinician, appointment_id=appointment.public_id
    ).pk
    entry = RecordEntry.objects.get(kind="teleconsultation")
    record_services.mask_entry(actor=patient, entry=entry, professional=treating_clinician)
    with pytest.raises(Http404):
        selectors.get_report_for(actor=treating_clinician, appointment_id=appointment.public_id)
    # The consulting doctor and the patient still read it.
    assert selectors.get_report_for(actor=other_clinician, appointment_id=appointment.public_id).pk
    assert selectors.get_report_for(actor=patient, appointment_id=appointment.public_id).pk


def test_overlapping_visits_are_refused_and_not_offered(
    patient: User, treating_clinician: User, practice: Practice
) -> None:
    offer = make_offer(treating_clinician, practice)
    offered = selectors.free_slots(offer=offer)
    # A slot followed by two more the same half-day, whatever the time the test runs at.
    slot = next(
        s
        for s in offered
        if s + timedelta(minutes=15) in offered and s + timedelta(minutes=30) in offered
    )
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
    # The doctor proposes a visit at slot + 5 min: the slots it overlaps are no longer offered.
    services.book_from_request(
        actor=treating_clinician,
        online_request=online,
        mode="in_person",
        starts_at=slot + timedelta(minutes=5),
        duration_minutes=15,
        idempotency_key=uuid.uuid4(),
    )
    free = selectors.free_slots(offer=offer)
    assert slot not in free
    assert slot + timedelta(minutes=15) not in free
    assert slot + timedelta(minutes=30) in free
    with pytest.raises(services.SlotTaken):
        services.book_from_request(
            actor=treating_clinician,
            online_request=online,
            mode="video",
            starts_at=slot + timedelta(minutes=10),
            duration_minutes=15,
            idempotency_key=uuid.uuid4(),
        )


def test_a_carer_books_but_only_the_patient_consents(
    patient: User, treating_clinician: User, practice: Practice
) -> None:
    carer = PatientFactory()
    make_carer_proxy(patient=patient, carer=carer)
    offer = make_offer(treating_clinician, practice)
    appointment = book(offer, patient, actor=carer)
    assert appointment.consent_id is None
    with pytest.raises(NotAllowed):
        services.give_consent(actor=carer, appointment=appointment, consent_given=True)
    services.give_consent(actor=patient, appointment=appointment, consent_given=True)
    appointment.refresh_from_db()
    assert appointment.consent is not None
    assert appointment.consent.given_by_id == patient.pk


def test_no_closing_without_consent_nor_billing_without_a_connection(
    patient: User, treating_clinician: User, practice: Practice
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
    appointment = services.book_from_request(
        actor=treating_clinician,
        online_request=online,
        mode="video",
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=15,
        idempotency_key=uuid.uuid4(),
    )
    with pytest.raises(services.ConsentRequired):
        close(treating_clinician, appointment, connected=False)
    services.give_consent(actor=patient, appointment=appointment, consent_given=True)
    # Never connected: the act may be recorded, but not billed as a video teleconsultation.
    report = close(treating_clinician, appointment, connected=False)
    assert report.video is False
    assert not BilledAct.objects.exists()


def test_closing_refuses_times_far_from_the_appointment(
    patient: User, treating_clinician: User, practice: Practice
) -> None:
    appointment = book(make_offer(treating_clinician, practice), patient)
    with pytest.raises(services.ReportIncomplete):
        close(
            treating_clinician,
            appointment,
            started_at=appointment.starts_at - timedelta(days=2),
            ended_at=appointment.starts_at - timedelta(days=2) + timedelta(minutes=10),
        )


def test_written_prescriptions_and_none_at_once_is_refused(
    patient: User, treating_clinician: User, practice: Practice
) -> None:
    appointment = book(make_offer(treating_clinician, practice), patient)
    with pytest.raises(services.ReportIncomplete):
        services.close_act(
            actor=treating_clinician,
            appointment=appointment,
            data=report_input(no_prescription=True),
        )


def test_a_cancelled_booking_closes_the_access_it_opened(
    patient: User, other_clinician: User, other_practice: Practice
) -> None:
    offer = make_offer(other_clinician, other_practice, accepts_new_patients=True)
    appointment = book(offer, patient)
    pid = patient.public_id
    assert record_selectors.access_to_record(actor=other_clinician, patient_id=pid).basis == "care"
    services.cancel_appointment(actor=patient, appointment=appointment, reason="")
    with pytest.raises(Http404):
        record_selectors.access_to_record(actor=other_clinician, patient_id=pid)


def test_the_doctor_refuses_the_video_even_during_the_call_with_a_reason(
    patient: User, treating_clinician: User, practice: Practice
) -> None:
    appointment = book(make_offer(treating_clinician, practice), patient)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.IN_PROGRESS)
    with pytest.raises(DomainError):
        services.cancel_appointment(actor=treating_clinician, appointment=appointment, reason=" ")
    with pytest.raises(services.AppointmentClosed):
        services.cancel_appointment(actor=patient, appointment=appointment, reason="")
    services.cancel_appointment(
        actor=treating_clinician, appointment=appointment, reason="Examen au cabinet nécessaire"
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancel_reason == "Examen au cabinet nécessaire"


def test_a_bad_grant_id_on_the_privacy_page_is_a_message_not_a_crash(
    client: Client, patient: User
) -> None:
    client.force_login(patient)
    url = reverse("records:privacy", args=[patient.public_id])
    response = client.post(url, {"action": "revoke", "grant": "not-a-uuid"})
    assert response.status_code == 302


@override_settings(MSSANTE_CA_FILE="/etc/ssl/certs/ca-certificates.crt", MSSANTE_CLIENT_CERT="")
def test_the_mssante_smtp_connection_verifies_with_the_configured_chain() -> None:
    from maillage.notifications.mssante import _CertificateSmtpBackend

    context = _CertificateSmtpBackend(host="localhost", port=587, use_tls=True).ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.cert_store_stats()["x509_ca"] > 0
