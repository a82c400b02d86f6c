"""Reads of teleconsultations, scoped to the actor.

The patient and their proxies and the doctor see an appointment; a guest sees only the call
their one-time pass opened; everyone else gets 404 (or a closed socket, 4403).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.selectors import can_act_for, list_represented_patients_for
from maillage.consultations import availability as hours
from maillage.directory.models import TreatingDoctorDeclaration
from maillage.records.models import EntryMask
from maillage.teleconsultation.models import (
    Appointment,
    CallEvent,
    CallMessage,
    ConsultationReport,
    GuestPass,
    TeleconsultationOffer,
)

# A call can be joined from a little before its start until well after (late doctors).
JOIN_OPENS_BEFORE = timedelta(minutes=30)
JOIN_CLOSES_AFTER = timedelta(hours=3)
GUEST_SESSION_KEY = "teleconsultation_guest_passes"


def _visible_to(actor: User) -> QuerySet[Appointment]:
    represented = list_represented_patients_for(actor=actor).values("pk")
    return Appointment.objects.filter(
        Q(patient=actor) | Q(patient__in=represented) | Q(doctor=actor)
    )


def get_appointment_for(*, actor: User, appointment_id: UUID) -> Appointment:
    """Return an appointment of the actor as patient, proxy or doctor; 404 otherwise."""
    return get_object_or_404(
        _visible_to(actor).select_related(
            "doctor__professional", "patient__patient_profile", "practice", "consent"
        ),
        public_id=appointment_id,
    )


def get_report_for(*, actor: User, appointment_id: UUID) -> ConsultationReport:
    """The report of a closed teleconsultation, for those it concerns.

    The patient side, the doctor, or the patient's current médecin traitant (to whom it is sent,
    R.6316-4 and HAS).
    """
    treated = TreatingDoctorDeclaration.objects.filter(doctor=actor, ended_at__isnull=True).values(
        "patient_id"
    )
    represented = list_represented_patients_for(actor=actor).values("pk")
    visible = Appointment.objects.filter(
        Q(patient=actor) | Q(patient__in=represented) | Q(doctor=actor) | Q(patient__in=treated)
    )
    report = get_object_or_404(
        ConsultationReport.objects.select_related(
            "appointment__doctor__professional",
            "appointment__patient__patient_profile",
            "appointment__practice",
            "billed_act",
        ),
        appointment__in=visible.values("pk"),
        appointment__public_id=appointment_id,
    )
    appointment = report.appointment
    reads_as_treating_doctor = appointment.doctor_id != actor.pk and not can_act_for(
        actor=actor, patient=appointment.patient
    )
    # The patient may hide the report from their médecin traitant, as in the record.
    if (
        reads_as_treating_doctor
        and EntryMask.objects.filter(
            professional=actor,
            entry__source_type="teleconsultation.consultationreport",
            entry__source_id=report.public_id,
        ).exists()
    ):
        raise Http404
    return report


def list_appointments_for_patient(*, actor: User) -> QuerySet[Appointment]:
    """Appointments of the actor and of the people they represent, newest first."""
    represented = list_represented_patients_for(actor=actor).values("pk")
    return (
        Appointment.objects.filter(Q(patient=actor) | Q(patient__in=represented))
        .select_related("doctor", "patient", "practice")
        .order_by("-starts_at")
    )


def list_doctor_day(
    *, actor: User, day: date, now: datetime | None = None
) -> QuerySet[Appointment]:
    """The doctor's appointments of a local day, in order, with who is waiting.

    Today's also holds the calls already open to join after midnight (at 23:50, a patient
    waiting for a call at 00:05 is shown).
    """
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    end = start + timedelta(days=1)
    moment = now or timezone.now()
    if start <= moment < end:
        end = max(end, moment + JOIN_OPENS_BEFORE)
    return (
        Appointment.objects.filter(doctor=actor, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("patient__patient_profile")
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class CallAccess:
    """Who is joining a call, as the signalling relay needs it."""

    appointment: Appointment
    role: str  # doctor, patient, guest
    name: str
    user: User | None
    guest: GuestPass | None


def call_access(
    *, user: Any, session: Mapping[str, Any], appointment_id: UUID, now: datetime | None = None
) -> CallAccess | None:
    """Return the actor's place in the call, or None when they may not join it now.

    The doctor and the patient (or a proxy) join an open video appointment within its window,
    and the patient only once consent is recorded (A4: no act without consent); a guest joins
    with a pass redeemed in this very session, neither revoked nor expired.
    """
    moment = now or timezone.now()
    appointment = (
        Appointment.objects.select_related("doctor", "patient")
        .filter(public_id=appointment_id, mode=Appointment.Mode.VIDEO)
        .filter(status__in=[Appointment.Status.BOOKED, Appointment.Status.IN_PROGRESS])
        .first()
    )
    if appointment is None:
        return None
    if (
        not appointment.starts_at - JOIN_OPENS_BEFORE
        <= moment
        <= (appointment.ends_at + JOIN_CLOSES_AFTER)
    ):
        return None
    if isinstance(user, User) and user.is_authenticated:
        if user.pk == appointment.doctor_id:
            return CallAccess(appointment, "doctor", user.display_name, user, None)
        is_patient_side = user.pk == appointment.patient_id or (
            list_represented_patients_for(actor=user).filter(pk=appointment.patient_id).exists()
        )
        if is_patient_side:
            if appointment.consent_id is None:
                return None
            return CallAccess(appointment, "patient", user.get_full_name(), user, None)
    pass_ids = session.get(GUEST_SESSION_KEY) or []
    guest = (
        GuestPass.objects.filter(
            appointment=appointment,
            public_id__in=[str(value) for value in pass_ids][:10],
            redeemed_at__isnull=False,
            revoked_at__isnull=True,
            expires_at__gt=moment,
        )
        .order_by("-redeemed_at")
        .first()
    )
    if guest is not None:
        return CallAccess(appointment, "guest", guest.name, None, guest)
    return None


MAX_TOKEN_LENGTH = 100


def get_guest_pass_by_token(*, token: str) -> GuestPass | None:
    """Read a pass from its link without using it (mail previewers open links too)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        GuestPass.objects.select_related("appointment__doctor").filter(token_digest=digest).first()
    )


def list_call_messages(*, appointment: Appointment) -> QuerySet[CallMessage]:
    """Chat lines and files of a call (the caller already holds access to it)."""
    return CallMessage.objects.filter(appointment=appointment).select_related("author", "guest")


def list_incidents(*, appointment: Appointment) -> QuerySet[CallEvent]:
    """Technical incidents for the report; audio-only chosen by hand is a choice, not one."""
    return CallEvent.objects.filter(appointment=appointment, kind__in=CallEvent.INCIDENTS).exclude(
        kind=CallEvent.Kind.AUDIO_ONLY, detail="manual"
    )


def list_call_events(*, appointment: Appointment) -> QuerySet[CallEvent]:
    return CallEvent.objects.filter(appointment=appointment)


def count_visits(*, doctor: User, patient: User, since: datetime) -> tuple[int, int]:
    """(video, in person) completed or booked visits of a patient with a doctor since a date."""
    rows = Appointment.objects.filter(doctor=doctor, patient=patient, starts_at__gte=since).exclude(
        status=Appointment.Status.CANCELLED
    )
    video = rows.filter(mode=Appointment.Mode.VIDEO).count()
    return video, rows.count() - video


def list_guest_passes(*, appointment: Appointment) -> QuerySet[GuestPass]:
    return GuestPass.objects.filter(appointment=appointment).order_by("-created_at")


# --- booking -----------------------------------------------------------------------------------


def get_offer_of(*, doctor: User) -> TeleconsultationOffer | None:
    return TeleconsultationOffer.objects.filter(doctor=doctor).select_related("practice").first()


def treating_doctor_id_of(patient: User) -> int | None:
    doctor_id: int | None = (
        TreatingDoctorDeclaration.objects.filter(patient=patient, ended_at__isnull=True)
        .values_list("doctor_id", flat=True)
        .first()
    )
    return doctor_id


def _bookable_offers(patient: User) -> tuple[QuerySet[TeleconsultationOffer], int | None]:
    treating = treating_doctor_id_of(patient)
    offers = (
        TeleconsultationOffer.objects.filter(enabled=True, doctor__is_active=True)
        .filter(Q(doctor_id=treating) | Q(accepts_new_patients=True))
        .exclude(doctor=patient)
        .select_related("doctor__professional", "practice__commune", "practice__availability")
    )
    return offers, treating


def list_bookable_offers(*, patient: User) -> list[TeleconsultationOffer]:
    """Doctors the patient may book by video: their médecin traitant first.

    Then the doctors who accept patients they do not follow (parcours rules decide
    reimbursement, not access).
    """
    offers, treating = _bookable_offers(patient)
    ordered = offers.order_by("doctor__last_name", "doctor__first_name")
    return sorted(ordered, key=lambda offer: offer.doctor_id != treating)


def get_bookable_offer(*, patient: User, offer_id: UUID) -> TeleconsultationOffer:
    offers, _treating = _bookable_offers(patient)
    return get_object_or_404(offers, public_id=offer_id)


def free_slots(
    *, offer: TeleconsultationOffer, now: datetime | None = None, days: int | None = None
) -> list[datetime]:
    """Start times the doctor offers by video from now on, minus booked ones and closed days."""
    moment = now or timezone.now()
    horizon = days if days is not None else offer.horizon_days
    first_day = timezone.localdate(moment)
    availability = getattr(offer.practice, "availability", None)
    weekly = hours.parse_opening_hours(offer.weekly_hours)
    closed: frozenset[date] = frozenset()
    if availability is not None:
        closed = hours.schedule_for(availability, start=first_day, days=horizon).closed_days
    schedule = hours.Schedule(
        opening_hours=weekly, closed_days=closed, horizon=first_day + timedelta(days=horizon)
    )
    earliest = moment + timedelta(minutes=offer.minimum_notice_minutes)
    # Every open appointment ending after now: a slot overlapping one is not offered, whatever
    # its length (a visit booked from a request, a slot length changed since).
    taken = list(
        Appointment.objects.filter(
            doctor_id=offer.doctor_id,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.IN_PROGRESS],
            ends_at__gt=moment,
        ).values_list("starts_at", "ends_at")
    )
    step = timedelta(minutes=offer.slot_minutes)
    slots: list[datetime] = []
    for offset in range(horizon + 1):
        day = first_day + timedelta(days=offset)
        for opens, closes in hours.day_periods(schedule, day):
            start = opens
            while start + step <= closes:
                end = start + step
                free = all(end <= begins or start >= ends for begins, ends in taken)
                if start >= earliest and free:
                    slots.append(start)
                start += step
    return slots
