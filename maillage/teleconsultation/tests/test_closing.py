from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.audit.models import AuditEvent
from maillage.billing.models import BilledAct
from maillage.billing.sick_notes import SickNoteTooLong
from maillage.core.exceptions import NotAllowed
from maillage.directory.models import Practice, TreatingDoctorDeclaration
from maillage.notifications.mssante import LocalMSSanteBackend
from maillage.teleconsultation import selectors, services
from maillage.teleconsultation.call_services import record_call_event
from maillage.teleconsultation.models import (
    Appointment,
    CallEvent,
    ConsultationReport,
    ReportDelivery,
    TeleconsultationOffer,
)
from maillage.teleconsultation.tests.builders import book, close, make_offer, report_input

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_mssante_outbox() -> None:
    LocalMSSanteBackend.outbox.clear()


@pytest.fixture
def appointment(treating_clinician: User, practice: Practice, patient: User) -> Appointment:
    offer = make_offer(treating_clinician, practice)
    return book(offer, patient)


def test_closing_needs_every_item_of_r6316_4(
    appointment: Appointment, treating_clinician: User
) -> None:
    incomplete = report_input(report_text=" ", acts=[], prescriptions="", started_at=None)
    with pytest.raises(services.ReportIncomplete) as error:
        services.close_act(actor=treating_clinician, appointment=appointment, data=incomplete)
    assert len(error.value.missing) == 4
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert not BilledAct.objects.exists()


def test_end_before_start_is_refused(appointment: Appointment, treating_clinician: User) -> None:
    now = timezone.now()
    data = report_input(started_at=now, ended_at=now - timedelta(minutes=5))
    with pytest.raises(services.ReportIncomplete):
        services.close_act(actor=treating_clinician, appointment=appointment, data=data)


def test_closing_files_pdfs_bills_and_delivers_to_the_patient(
    appointment: Appointment,
    treating_clinician: User,
    patient: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = close(treating_clinician, appointment)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.COMPLETED
    assert report.report_pdf.read().startswith(b"%PDF")
    assert report.prescription_pdf.read().startswith(b"%PDF")
    assert report.professionals == [
        {
            "name": treating_clinician.display_name,
            "rpps": treating_clinician.professional.rpps,
            "role": "médecin",
        }
    ]
    act = BilledAct.objects.get()
    assert (act.code, act.amount, act.video) == ("TCG", Decimal("25.00"), True)
    # The médecin traitant's own patient: not counted toward the 20 % cap.
    assert act.counts_toward_cap is False
    assert act.parcours_status == "reimbursable"
    deliveries = {item.recipient: item for item in report.deliveries.all()}
    assert deliveries["patient"].status == ReportDelivery.Status.DELIVERED
    assert deliveries["treating_doctor"].status == ReportDelivery.Status.DELIVERED
    assert AuditEvent.objects.filter(action="teleconsultation.act_closed").exists()
    # Closed once: a second close is refused.
    with pytest.raises(services.AppointmentClosed):
        close(treating_clinician, appointment)


def test_another_doctor_sends_the_report_to_the_treating_doctor_by_mssante(
    patient: User,
    treating_clinician: User,
    other_clinician: User,
    other_practice: Practice,
    django_capture_on_commit_callbacks: object,
) -> None:
    treating_clinician.professional.mssante_address = "dr.traitant@medecin.mssante.fr"
    treating_clinician.professional.save()
    offer = make_offer(other_clinician, other_practice, accepts_new_patients=True)
    appointment = book(offer, patient)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = close(other_clinician, appointment)
    delivery = report.deliveries.get(recipient="treating_doctor")
    assert delivery.status == ReportDelivery.Status.SENT
    (message,) = LocalMSSanteBackend.outbox
    assert message.to == "dr.traitant@medecin.mssante.fr"
    assert message.attachments[0].content.startswith(b"%PDF")
    act = BilledAct.objects.get()
    assert act.counts_toward_cap is True  # not their médecin-traitant patient
    assert act.parcours_status == "outside"
    # The treating doctor may read it; a stranger may not.
    seen = selectors.get_report_for(actor=treating_clinician, appointment_id=appointment.public_id)
    assert seen.appointment_id == appointment.pk
    with pytest.raises(Http404):
        selectors.get_report_for(actor=PatientFactory(), appointment_id=appointment.public_id)


def test_a_report_without_treating_doctor_says_why_it_was_not_sent(
    treating_clinician: User, practice: Practice
) -> None:
    stranger = PatientFactory()
    offer = make_offer(treating_clinician, practice, accepts_new_patients=True)
    appointment = book(offer, stranger)
    report = close(treating_clinician, appointment)
    delivery = report.deliveries.get(recipient="treating_doctor")
    assert delivery.status == ReportDelivery.Status.NOT_SENT
    assert delivery.reason


def test_a_failing_mssante_operator_marks_the_delivery_failed(
    patient: User,
    treating_clinician: User,
    other_clinician: User,
    other_practice: Practice,
    django_capture_on_commit_callbacks: object,
) -> None:
    treating_clinician.professional.mssante_address = "not-an-address"
    treating_clinician.professional.save()
    offer = make_offer(other_clinician, other_practice, accepts_new_patients=True)
    appointment = book(offer, patient)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = close(other_clinician, appointment)
    delivery = report.deliveries.get(recipient="treating_doctor")
    assert delivery.status == ReportDelivery.Status.FAILED
    assert delivery.reason.startswith("MSSanté")


def test_audio_only_is_reported_but_not_billed(
    appointment: Appointment, treating_clinician: User
) -> None:
    report = close(treating_clinician, appointment, video=False)
    assert report.billed_act is None
    assert not BilledAct.objects.exists()


def test_sick_note_over_three_days_by_another_doctor_is_refused(
    patient: User, other_clinician: User, other_practice: Practice
) -> None:
    offer = make_offer(other_clinician, other_practice, accepts_new_patients=True)
    appointment = book(offer, patient)
    with pytest.raises(SickNoteTooLong):
        close(other_clinician, appointment, sick_note_days=4)
    appointment.refresh_from_db()
    assert appointment.status != Appointment.Status.COMPLETED
    assert not ConsultationReport.objects.exists()
    # A justification does not cover a new stoppage of four days…
    with pytest.raises(SickNoteTooLong):
        close(
            other_clinician,
            appointment,
            sick_note_days=4,
            sick_note_justification="Patient alité, sans véhicule",
        )
    # …but it does cover the prolongation of one in progress.
    report = close(
        other_clinician,
        appointment,
        sick_note_days=2,
        sick_note_ongoing_days=3,
        sick_note_justification="Patient alité, sans véhicule",
    )
    assert report.sick_note_days == 2


def test_the_treating_doctor_may_prescribe_a_longer_sick_note(
    appointment: Appointment, treating_clinician: User
) -> None:
    report = close(treating_clinician, appointment, sick_note_days=7)
    assert report.sick_note_days == 7


def test_only_the_appointment_doctor_closes_it(
    appointment: Appointment, other_clinician: User
) -> None:
    with pytest.raises(NotAllowed):
        close(other_clinician, appointment)


def test_incidents_and_times_are_prefilled_from_the_signalling_log(
    appointment: Appointment, treating_clinician: User, patient: User
) -> None:
    with time_machine.travel(appointment.starts_at, tick=False):
        access = selectors.call_access(
            user=patient, session={}, appointment_id=appointment.public_id
        )
        assert access is not None
        record_call_event(access=access, kind=CallEvent.Kind.JOINED)
        record_call_event(access=access, kind=CallEvent.Kind.CONNECTED)
        record_call_event(access=access, kind=CallEvent.Kind.DROPPED)
        record_call_event(access=access, kind=CallEvent.Kind.AUDIO_ONLY, detail="poor-link")
    defaults = services.closing_defaults(appointment)
    lines = defaults["incidents"].splitlines()
    assert len(lines) == 2
    assert "coupure" in lines[0]
    assert "patient" in lines[0]
    assert "poor-link" in lines[1]
    appointment.refresh_from_db()
    assert defaults["started_at"] == timezone.localtime(appointment.connected_at).strftime(
        "%Y-%m-%dT%H:%M"
    )


def test_alternance_warning_after_only_teleconsultations(
    treating_clinician: User, practice: Practice, patient: User
) -> None:
    offer: TeleconsultationOffer = make_offer(treating_clinician, practice)
    slots = selectors.free_slots(offer=offer)
    booked = [book(offer, patient, starts_at=slot) for slot in slots[:3]]
    assert services.alternance_warning(booked[-1])
    Appointment.objects.create(
        doctor=treating_clinician,
        patient=patient,
        booked_by=treating_clinician,
        practice=practice,
        mode=Appointment.Mode.IN_PERSON,
        motive="suivi",
        starts_at=slots[5],
        ends_at=slots[5] + timedelta(minutes=15),
    )
    assert services.alternance_warning(booked[-1]) == ""


def test_the_treating_doctor_sees_reports_only_of_current_patients(
    patient: User,
    treating_clinician: User,
    other_clinician: User,
    other_practice: Practice,
) -> None:
    offer = make_offer(other_clinician, other_practice, accepts_new_patients=True)
    appointment = book(offer, patient)
    close(other_clinician, appointment)
    TreatingDoctorDeclaration.objects.filter(patient=patient).update(ended_at=timezone.now())
    with pytest.raises(Http404):
        selectors.get_report_for(actor=treating_clinician, appointment_id=appointment.public_id)
