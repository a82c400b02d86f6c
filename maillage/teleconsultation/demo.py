"""Demo teleconsultations for `make run`.

GPs who offer video slots, a call about to start, past acts closed with their report, documents
and bill, and a cancelled one.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from maillage.accounts.models import ConventionSector, User
from maillage.directory.models import Practice, TreatingDoctorDeclaration
from maillage.teleconsultation import selectors, services
from maillage.teleconsultation.models import Appointment, CallEvent, ConsentRecord, Motive

EVERY_DAY_HOURS = {str(day): [["08:00", "20:00"]] for day in range(7)}
# The demo's call can be joined at once whatever the hour the demo is built (the every-page
# sweep opens it): the GP opens that one slot, as a doctor adds a slot by hand. Ten-minute
# slots up to 23:50, so that the call is at most 20 minutes away, within the 30 minutes
# before a call when it may be joined (15-minute ones would leave 23:45 out).
ROUND_THE_CLOCK = {str(day): [["00:00", "23:59"]] for day in range(7)}
WEEKDAY_EVENINGS = {str(day): [["17:00", "19:30"]] for day in range(5)}


def seed_teleconsultations(
    *, doctors: dict[str, User], practices: dict[str, Practice], patients: list[User]
) -> None:
    gp = doctors["Thiébaut"]
    outsider = doctors["Lallemand"]
    for doctor in doctors.values():
        professional = getattr(doctor, "professional", None)
        if professional is not None:
            local = doctor.email.split("@", 1)[0]
            professional.mssante_address = f"{local}@medecin.mssante.fr"
            professional.save(update_fields=["mssante_address"])
    # The psychiatrist charges within "tact et mesure" in sector 2 (fee information shown).
    benali = doctors["Benali"].professional
    benali.convention_sector = ConventionSector.SECTOR_2
    benali.save(update_fields=["convention_sector"])

    def gp_offer(weekly_hours: dict[str, list[list[str]]], slot_minutes: int) -> None:
        services.save_offer(
            actor=gp,
            practice=practices["lamarche"],
            enabled=True,
            motives=list(Motive.values),
            weekly_hours=weekly_hours,
            slot_minutes=slot_minutes,
            accepts_new_patients=False,
            fee=Decimal("25.00"),
        )

    gp_offer(ROUND_THE_CLOCK, 10)
    _upcoming_call(gp, patients[0])
    gp_offer(EVERY_DAY_HOURS, 15)
    services.save_offer(
        actor=outsider,
        practice=practices["commercy"],
        enabled=True,
        motives=[Motive.MINOR_ILLNESS, Motive.RENEWAL, Motive.RESULTS],
        weekly_hours=WEEKDAY_EVENINGS,
        slot_minutes=15,
        accepts_new_patients=True,
        fee=Decimal("25.00"),
    )
    services.save_offer(
        actor=doctors["Benali"],
        practice=practices["commercy"],
        enabled=True,
        motives=[Motive.MENTAL_HEALTH, Motive.FOLLOW_UP],
        weekly_hours=WEEKDAY_EVENINGS,
        slot_minutes=30,
        accepts_new_patients=True,
        fee=Decimal("55.00"),
    )
    declared = set(
        TreatingDoctorDeclaration.objects.filter(doctor=gp, ended_at__isnull=True).values_list(
            "patient_id", flat=True
        )
    )
    followed_by_gp = [patient for patient in patients if patient.pk in declared][:5]
    # Someone followed by a third GP, so that the Commercy GP is outside their parcours.
    elsewhere = (
        TreatingDoctorDeclaration.objects.filter(ended_at__isnull=True, patient__in=patients)
        .exclude(doctor__in=[gp, outsider])
        .select_related("patient")
        .order_by("patient_id")
        .first()
    )
    assert elsewhere is not None  # noqa: S101  # the demo declares several GPs
    now = timezone.now()
    for index, patient in enumerate(followed_by_gp):
        _past_act(
            doctor=gp,
            patient=patient,
            practice=practices["lamarche"],
            starts_at=now - timedelta(days=7 + 11 * index, hours=index),
            dropped=index == 1,
        )
    # Someone else's patient seen by the Commercy GP in the evening: outside the parcours,
    # the report goes to the médecin traitant by MSSanté.
    _past_act(
        doctor=outsider,
        patient=elsewhere.patient,
        practice=practices["commercy"],
        starts_at=now - timedelta(days=3, hours=2),
        dropped=False,
    )
    cancelled = _appointment(
        gp, patients[7], practices["lamarche"], now + timedelta(days=2, hours=3)
    )
    services.cancel_appointment(actor=patients[7], appointment=cancelled, reason="Empêchement")


def _upcoming_call(doctor: User, patient: User) -> Appointment:
    """A video appointment on the next free slot, 10 minutes away or more: joined at once."""
    offer = selectors.get_offer_of(doctor=doctor)
    assert offer is not None  # noqa: S101  # created just above
    soon = timezone.now() + timedelta(minutes=10)
    slots = selectors.free_slots(offer=offer, now=soon - timedelta(hours=2), days=2)
    start = next(slot for slot in slots if slot >= soon)
    return services.book_teleconsultation(
        actor=patient,
        patient=patient,
        offer=offer,
        starts_at=start,
        motive=Motive.FOLLOW_UP,
        note="Point sur ma tension et renouvellement du traitement.",
        suitability={"exam_needed": "no", "can_use_tools": "yes", "bad_news": "no"},
        proceed_despite_advice=False,
        consent_given=True,
        idempotency_key=uuid.uuid4(),
        now=start - timedelta(hours=2),
    )


def _appointment(
    doctor: User, patient: User, practice: Practice, starts_at: datetime
) -> Appointment:
    text = services.consent_text("fr")
    consent = ConsentRecord.objects.create(
        patient=patient,
        given_by=patient,
        text_version=text.version,
        text_digest=text.digest,
        language="fr",
        given_at=starts_at - timedelta(days=2),
    )
    return Appointment.objects.create(
        doctor=doctor,
        patient=patient,
        booked_by=patient,
        practice=practice,
        motive=Motive.FOLLOW_UP,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=15),
        consent=consent,
        suitability={"exam_needed": "no", "can_use_tools": "yes"},
        fee_amount=Decimal("25.00"),
        fee_code="TCG",
        patient_location="Domicile",
        callback_phone="06 00 00 00 00",
    )


def _past_act(
    *, doctor: User, patient: User, practice: Practice, starts_at: datetime, dropped: bool
) -> None:
    appointment = _appointment(doctor, patient, practice, starts_at)
    events = [
        (CallEvent.Kind.JOINED, "patient", starts_at - timedelta(minutes=3)),
        (CallEvent.Kind.JOINED, "doctor", starts_at + timedelta(minutes=1)),
        (CallEvent.Kind.CONNECTED, "doctor", starts_at + timedelta(minutes=1, seconds=4)),
    ]
    if dropped:
        events += [
            (CallEvent.Kind.DROPPED, "patient", starts_at + timedelta(minutes=6)),
            (CallEvent.Kind.REJOINED, "patient", starts_at + timedelta(minutes=6, seconds=40)),
            (CallEvent.Kind.AUDIO_ONLY, "patient", starts_at + timedelta(minutes=7)),
        ]
    events.append((CallEvent.Kind.LEFT, "doctor", starts_at + timedelta(minutes=14)))
    CallEvent.objects.bulk_create(
        CallEvent(appointment=appointment, kind=kind, role=role, at=at, detail="")
        for kind, role, at in events
    )
    appointment.connected_at = starts_at + timedelta(minutes=1, seconds=4)
    appointment.save(update_fields=["connected_at"])
    services.close_act(
        actor=doctor,
        appointment=appointment,
        data=services.ReportInput(
            report_text=(
                "Suivi d'hypertension artérielle. Automesure tensionnelle sur 3 jours : "
                "moyenne 132/81 mmHg. Pas de plainte. Traitement poursuivi, contrôle au cabinet "
                "dans 3 mois avec bilan biologique."
            ),
            acts=["TCG"],
            prescriptions="Amlodipine 5 mg : 1 comprimé le matin, 3 mois\nBilan : ionogramme, créatininémie",
            no_prescription=False,
            started_at=starts_at + timedelta(minutes=1),
            ended_at=starts_at + timedelta(minutes=14),
            incidents=services.prefilled_incidents(appointment),
            video=True,
            sick_note_days=0,
            sick_note_ongoing_days=0,
            sick_note_justification="",
        ),
    )
