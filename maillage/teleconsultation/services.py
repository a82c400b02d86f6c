"""Teleconsultation (J3): offer, booking, reminders, moving, cancelling, closing the act.

Booking checks consent and safety first; closing writes the legal report, its documents, the
deliveries and the bill in one transaction.

Every write is audited in its transaction; the other side is notified after commit with a
title that never says anything clinical.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, Professional, User
from maillage.accounts.selectors import can_act_for, can_consent_for
from maillage.audit.services import log_event
from maillage.billing.fees import FeeInformation, fee_information
from maillage.billing.parcours import ParcoursFacts, ParcoursVerdict, verdict
from maillage.billing.services import record_act
from maillage.billing.sick_notes import check_sick_note
from maillage.billing.tariffs import Tariff, tariff_on, teleconsultation_code
from maillage.consultations.models import OnlineRequest, RequestEvent
from maillage.consultations.selectors import is_team_member
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.directory.models import Practice
from maillage.notifications.services import notify
from maillage.records import services as records
from maillage.records.models import RecordEntry
from maillage.teleconsultation import selectors
from maillage.teleconsultation.models import (
    Appointment,
    CallEvent,
    ConsentRecord,
    ConsultationReport,
    GuestPass,
    Motive,
    ReportDelivery,
    TeleconsultationOffer,
)
from maillage.triage.detector import EMERGENCY, detect

DATA_DIR = Path(__file__).with_name("data")
SLOT_CHOICES = (10, 15, 20, 30)
DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)


# --- errors -------------------------------------------------------------------------------------


class RedFlagsStopBooking(DomainError):
    """What the patient wrote may be an emergency: no appointment, emergency advice instead."""

    def __init__(self, numbers: list[str], phrases: list[str]) -> None:
        self.numbers = numbers
        self.phrases = phrases
        super().__init__(
            _(
                "Ce que vous décrivez peut être une urgence : une téléconsultation n'est pas "
                "adaptée. Appelez le 15 (ou le 112)."
            )
        )


class SuitabilityAdvice(DomainError):
    """An HAS criterion suggests an in-person visit; the patient may still choose the video."""

    def __init__(self, advice: list[str]) -> None:
        self.advice = advice
        super().__init__(_("Une consultation au cabinet semble plus adaptée."))


class ConsentRequired(DomainError):
    default_message = _(
        "Votre accord est nécessaire pour une téléconsultation : cochez la case après avoir lu "
        "les informations, ou choisissez une consultation au cabinet."
    )


class SlotTaken(DomainError):
    default_message = _("Ce créneau vient d'être pris. Choisissez-en un autre.")


class NotBookable(DomainError):
    default_message = _("Ce rendez-vous ne peut pas être pris ainsi.")


class AppointmentClosed(DomainError):
    default_message = _("Ce rendez-vous n'est plus modifiable.")


class ReportIncomplete(DomainError):
    """R.6316-4: the act cannot be closed without every mandatory item."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(_("Le compte rendu est incomplet."))


# --- versioned texts (data, not code) -----------------------------------------------------------


@dataclass(frozen=True)
class ConsentText:
    version: str
    digest: str
    language: str
    title: str
    sections: tuple[tuple[str, str], ...]
    statement: str


@cache
def _consent_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / "consent.json").read_text(encoding="utf-8"))
    return data


def consent_text(language: str | None = None) -> ConsentText:
    """The consent text in the reader's language (French when there is no translation)."""
    data = _consent_data()
    lang = (language or translation.get_language() or "fr")[:2]
    texts = data["texts"]
    text = texts.get(lang) or texts["fr"]
    lang = lang if lang in texts else "fr"
    canonical = json.dumps(text, ensure_ascii=False, sort_keys=True).encode()
    return ConsentText(
        version=data["version"],
        digest=hashlib.sha256(canonical).hexdigest(),
        language=lang,
        title=text["title"],
        sections=tuple((section["heading"], section["body"]) for section in text["sections"]),
        statement=text["statement"],
    )


@dataclass(frozen=True)
class SuitabilityQuestion:
    key: str
    label: str
    advice: str
    blocking_answer: str | None  # "yes", "no" or None (informative only)


@cache
def _suitability_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / "suitability.json").read_text(encoding="utf-8"))
    return data


def suitability_questions(language: str | None = None) -> list[SuitabilityQuestion]:
    lang = (language or translation.get_language() or "fr")[:2]
    questions = []
    for item in _suitability_data()["questions"]:
        text = item.get(lang) or item["fr"]
        questions.append(
            SuitabilityQuestion(item["key"], text["label"], text["advice"], item["blocking_answer"])
        )
    return questions


def suitability_advice(answers: dict[str, str], language: str | None = None) -> list[str]:
    """The advice for every answer that points away from a video consultation (HAS, A2)."""
    return [
        question.advice
        for question in suitability_questions(language)
        if question.blocking_answer is not None
        and answers.get(question.key) == question.blocking_answer
    ]


# --- the doctor's offer -------------------------------------------------------------------------


def _conventional_tariff(doctor: User, day: date) -> tuple[Professional, Tariff]:
    professional = doctor.professional
    code = teleconsultation_code(
        specialty=professional.specialty,
        sector=professional.convention_sector,
        optam=professional.optam,
    )
    return professional, tariff_on(code, day)


def describe_fee(offer: TeleconsultationOffer, day: date | None = None) -> FeeInformation:
    """What the patient is told before booking: amount, base of reimbursement, sector."""
    professional, tariff = _conventional_tariff(offer.doctor, day or timezone.localdate())
    return fee_information(
        sector=professional.convention_sector,
        optam=professional.optam,
        charged_amount=offer.fee,
        tariff=tariff,
    )


def fee_of_appointment(appointment: Appointment) -> FeeInformation | None:
    """The fee information of a booked video visit, as shown before the patient agrees."""
    if not appointment.is_video or appointment.fee_amount is None or not appointment.fee_code:
        return None
    try:
        professional = appointment.doctor.professional
        return fee_information(
            sector=professional.convention_sector,
            optam=professional.optam,
            charged_amount=appointment.fee_amount,
            tariff=tariff_on(appointment.fee_code, timezone.localdate(appointment.starts_at)),
        )
    except DomainError:
        return None


@transaction.atomic
def save_offer(
    *,
    actor: User,
    practice: Practice,
    enabled: bool,
    motives: list[str],
    weekly_hours: dict[str, list[list[str]]],
    slot_minutes: int,
    accepts_new_patients: bool,
    fee: Decimal,
) -> TeleconsultationOffer:
    """Create or update the doctor's own offer. The fee is checked against their sector.

    Raises:
        NotAllowed: not a doctor, or not a member of the practice.
        FeeNotAllowed / UnknownTariff: a fee their convention does not allow.
    """
    if actor.role not in DOCTOR_ROLES or not is_team_member(actor=actor, practice=practice):
        raise NotAllowed
    if slot_minutes not in SLOT_CHOICES or not set(motives) <= set(Motive.values):
        raise DomainError(_("Choisissez une durée et des motifs dans les listes proposées."))
    professional, tariff = _conventional_tariff(actor, timezone.localdate())
    fee_information(
        sector=professional.convention_sector,
        optam=professional.optam,
        charged_amount=fee,
        tariff=tariff,
    )
    offer, created = TeleconsultationOffer.objects.select_for_update().get_or_create(
        doctor=actor,
        defaults={"practice": practice, "fee": fee},
    )
    offer.practice = practice
    offer.enabled = enabled
    offer.motives = sorted(set(motives))
    offer.weekly_hours = weekly_hours
    offer.slot_minutes = slot_minutes
    offer.accepts_new_patients = accepts_new_patients
    offer.fee = fee
    offer.save()
    log_event(
        actor=actor,
        action="teleconsultation.offer_saved",
        target=offer,
        details={"enabled": enabled, "created": created},
    )
    return offer


def default_fee_for(doctor: User) -> Decimal | None:
    """The conventional tariff, as the first value of a doctor's fee."""
    try:
        return _conventional_tariff(doctor, timezone.localdate())[1].amount
    except (DomainError, Professional.DoesNotExist):
        return None


# --- booking ------------------------------------------------------------------------------------


def parcours_facts(
    *,
    patient: User,
    doctor: User,
    practice: Practice,
    day: date,
    video: bool,
    referred: bool = False,
) -> ParcoursFacts:
    """The facts the parcours verdict needs, read from the record (REGULATION §2.2)."""
    treating = selectors.treating_doctor_id_of(patient)
    profile = getattr(patient, "patient_profile", None)
    age = profile.age_on(day) if profile is not None else 99
    return ParcoursFacts(
        patient_age=age,
        doctor_is_treating_doctor=treating == doctor.pk,
        patient_has_treating_doctor=treating is not None,
        referred_by_treating_doctor=referred,
        doctor_specialty=doctor.professional.specialty,
        emergency=False,
        treating_doctor_unavailable=False,
        through_territorial_organisation=practice.kind in (Practice.Kind.MSP, Practice.Kind.CENTRE),
        lives_in_care_facility=False,
        is_prisoner=False,
        video=video,
    )


def preview_parcours(*, patient: User, offer: TeleconsultationOffer) -> ParcoursVerdict:
    return verdict(
        parcours_facts(
            patient=patient,
            doctor=offer.doctor,
            practice=offer.practice,
            day=timezone.localdate(),
            video=True,
        )
    )


def _claim_time(
    doctor_id: int, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> None:
    """Refuse a time that overlaps one of the doctor's open appointments.

    The doctor's row is locked first, so two bookings of one doctor are checked one after the
    other (the unique constraint only catches identical start times).
    """
    User.objects.select_for_update().filter(pk=doctor_id).first()
    clash = Appointment.objects.filter(
        doctor_id=doctor_id,
        status__in=[Appointment.Status.BOOKED, Appointment.Status.IN_PROGRESS],
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise SlotTaken


def _stop_on_red_flags(*, actor: User, patient: User, text: str) -> None:
    found = detect(text)
    if found.level != EMERGENCY:
        return
    # Recorded even though nothing is booked: the refusal and the advice given are facts.
    with transaction.atomic():
        log_event(
            actor=actor,
            action="teleconsultation.booking_stopped",
            patient=patient,
            details={"numbers": ",".join(found.numbers)},
        )
    raise RedFlagsStopBooking(found.numbers, [match.text for match in found.active_matches])


def _record_consent(*, actor: User, patient: User, moment: datetime) -> ConsentRecord:
    text = consent_text()
    consent = ConsentRecord.objects.create(
        patient=patient,
        given_by=actor,
        text_version=text.version,
        text_digest=text.digest,
        language=text.language,
        given_at=moment,
    )
    log_event(
        actor=actor,
        action="teleconsultation.consent_given",
        target=consent,
        patient=patient,
        details={"version": text.version},
    )
    return consent


def book_teleconsultation(
    *,
    actor: User,
    patient: User,
    offer: TeleconsultationOffer,
    starts_at: datetime,
    motive: str,
    note: str,
    suitability: dict[str, str],
    proceed_despite_advice: bool,
    consent_given: bool,
    idempotency_key: UUID,
    now: datetime | None = None,
) -> Appointment:
    """Book a video slot for a patient (themself or someone they act for).

    Checked in order: who books, red flags in the note (which stop everything), the HAS
    suitability answers (advice the patient may override), consent, the slot.

    Raises:
        NotAllowed, NotBookable, RedFlagsStopBooking, SuitabilityAdvice, ConsentRequired,
        SlotTaken.
    """
    moment = now or timezone.now()
    if not can_act_for(actor=actor, patient=patient):
        raise NotAllowed
    if offer not in selectors.list_bookable_offers(patient=patient):
        raise NotBookable
    if motive not in offer.motives:
        raise NotBookable(_("Ce médecin ne propose pas la téléconsultation pour ce motif."))
    _stop_on_red_flags(actor=actor, patient=patient, text=note)
    advice = suitability_advice(suitability)
    if advice and not proceed_despite_advice:
        raise SuitabilityAdvice(advice)
    # A carer may book; only the patient (or a parent for a child) consents, before the call.
    may_consent = can_consent_for(actor=actor, patient=patient)
    if may_consent and not consent_given:
        raise ConsentRequired
    with transaction.atomic():
        existing = Appointment.objects.filter(
            booked_by=actor, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
        _claim_time(offer.doctor_id, starts_at, starts_at + timedelta(minutes=offer.slot_minutes))
        if starts_at not in selectors.free_slots(offer=offer, now=moment):
            raise SlotTaken
        fee = describe_fee(offer, timezone.localdate(starts_at))
        facts = parcours_facts(
            patient=patient,
            doctor=offer.doctor,
            practice=offer.practice,
            day=timezone.localdate(starts_at),
            video=True,
        )
        parcours = verdict(facts)
        try:
            with transaction.atomic():
                consent = (
                    _record_consent(actor=actor, patient=patient, moment=moment)
                    if may_consent
                    else None
                )
                appointment = Appointment.objects.create(
                    doctor=offer.doctor,
                    patient=patient,
                    booked_by=actor,
                    practice=offer.practice,
                    mode=Appointment.Mode.VIDEO,
                    motive=motive,
                    patient_note=note.strip(),
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=offer.slot_minutes),
                    consent=consent,
                    suitability={key: value for key, value in suitability.items() if value},
                    fee_amount=fee.charged_amount,
                    fee_code=_conventional_tariff(offer.doctor, timezone.localdate(starts_at))[
                        1
                    ].code,
                    parcours_status=parcours.status,
                    parcours_reason=str(parcours.reason),
                    idempotency_key=idempotency_key,
                )
        except IntegrityError:
            # A double submit that raced this one: it holds the key, and that is success.
            raced = Appointment.objects.filter(
                booked_by=actor, idempotency_key=idempotency_key
            ).first()
            if raced is not None:
                return raced
            raise SlotTaken from None
        records.note_care_relationship(
            patient=patient,
            professional=offer.doctor,
            reason="teleconsultation",
            until=appointment.ends_at,
        )
        log_event(
            actor=actor,
            action="teleconsultation.booked",
            target=appointment,
            patient=patient,
            details={"mode": "video", "parcours": parcours.status},
        )
        _tell(appointment.doctor, appointment, _("Nouvelle téléconsultation réservée"))
        _tell(patient, appointment, _("Votre téléconsultation est réservée"))
    return appointment


def book_from_request(
    *,
    actor: User,
    online_request: OnlineRequest,
    mode: str,
    starts_at: datetime,
    duration_minutes: int,
    idempotency_key: UUID,
) -> Appointment:
    """A doctor of the practice answers a request with a visit (video or at the practice).

    The patient gives their consent before a video call starts (A4), not the doctor for them.
    """
    if actor.role not in DOCTOR_ROLES or not is_team_member(
        actor=actor, practice=online_request.practice
    ):
        raise NotAllowed
    if online_request.status == OnlineRequest.Status.CLOSED:
        raise NotBookable(_("Cette demande est terminée."))
    if mode not in Appointment.Mode.values or duration_minutes not in SLOT_CHOICES:
        raise NotBookable
    if starts_at <= timezone.now():
        raise NotBookable(_("Choisissez un moment à venir."))
    with transaction.atomic():
        existing = Appointment.objects.filter(
            booked_by=actor, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
        _claim_time(actor.pk, starts_at, starts_at + timedelta(minutes=duration_minutes))
        video = mode == Appointment.Mode.VIDEO
        day = timezone.localdate(starts_at)
        facts = parcours_facts(
            patient=online_request.patient,
            doctor=actor,
            practice=online_request.practice,
            day=day,
            video=video,
        )
        parcours = verdict(facts)
        fee_code, fee_amount = "", None
        if video:
            _professional, tariff = _conventional_tariff(actor, day)
            offer = selectors.get_offer_of(doctor=actor)
            fee_code = tariff.code
            fee_amount = offer.fee if offer is not None else tariff.amount
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    doctor=actor,
                    patient=online_request.patient,
                    booked_by=actor,
                    practice=online_request.practice,
                    mode=mode,
                    motive=Motive.OTHER,
                    online_request=online_request,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=duration_minutes),
                    fee_amount=fee_amount,
                    fee_code=fee_code,
                    parcours_status=parcours.status if video else "",
                    parcours_reason=str(parcours.reason) if video else "",
                    idempotency_key=idempotency_key,
                )
        except IntegrityError:
            raise SlotTaken(_("Vous avez déjà un rendez-vous à cette heure.")) from None
        when = timezone.localtime(starts_at).strftime("%d/%m/%Y %H:%M")
        body = (
            _("Téléconsultation proposée le %(when)s")
            if video
            else _("Rendez-vous au cabinet le %(when)s")
        ) % {"when": when}
        RequestEvent.objects.create(
            request=online_request, kind=RequestEvent.Kind.MESSAGE, author=actor, body=str(body)
        )
        if online_request.assigned_to_id is None:
            online_request.assigned_to = actor
        online_request.status = OnlineRequest.Status.IN_REVIEW
        online_request.save(update_fields=["assigned_to", "status", "updated_at"])
        records.note_care_relationship(
            patient=online_request.patient,
            professional=actor,
            reason="teleconsultation",
            until=appointment.ends_at,
        )
        log_event(
            actor=actor,
            action="teleconsultation.booked_from_request",
            target=appointment,
            patient=online_request.patient,
            details={"mode": mode},
        )
        _tell(online_request.patient, appointment, _("Votre médecin vous propose un rendez-vous"))
    return appointment


@transaction.atomic
def give_consent(*, actor: User, appointment: Appointment, consent_given: bool) -> Appointment:
    """The patient (or their proxy) agrees to a video appointment the doctor booked."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not can_consent_for(actor=actor, patient=appointment.patient):
        raise NotAllowed
    if not appointment.is_open or not appointment.is_video:
        raise AppointmentClosed
    if not consent_given:
        raise ConsentRequired
    if appointment.consent_id is None:
        appointment.consent = _record_consent(
            actor=actor, patient=appointment.patient, moment=timezone.now()
        )
        appointment.save(update_fields=["consent", "updated_at"])
    return appointment


@transaction.atomic
def record_arrival(
    *, actor: User, appointment: Appointment, location: str, callback_phone: str
) -> Appointment:
    """Where the patient is and how to call them back (HAS), before joining the call."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not can_act_for(actor=actor, patient=appointment.patient):
        raise NotAllowed
    if not appointment.is_open:
        raise AppointmentClosed
    appointment.patient_location = location.strip()[:200]
    appointment.callback_phone = callback_phone.strip()[:20]
    appointment.save(update_fields=["patient_location", "callback_phone", "updated_at"])
    log_event(
        actor=actor,
        action="teleconsultation.arrival_recorded",
        target=appointment,
        patient=appointment.patient,
    )
    return appointment


def _other_side(actor: User, appointment: Appointment) -> User:
    return appointment.patient if actor.pk == appointment.doctor_id else appointment.doctor


def _require_party(actor: User, appointment: Appointment) -> None:
    if actor.pk != appointment.doctor_id and not can_act_for(
        actor=actor, patient=appointment.patient
    ):
        raise NotAllowed


@transaction.atomic
def cancel_appointment(*, actor: User, appointment: Appointment, reason: str) -> Appointment:
    """Cancel (the patient withdraws), or refuse the video (the doctor).

    The doctor may refuse even during the call when video is not suitable (R.6316-2); the
    reason is then required and kept.
    """
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _require_party(actor, appointment)
    by_doctor = actor.pk == appointment.doctor_id
    allowed = (
        (Appointment.Status.BOOKED, Appointment.Status.IN_PROGRESS)
        if by_doctor
        else (Appointment.Status.BOOKED,)
    )
    if appointment.status not in allowed:
        raise AppointmentClosed
    if by_doctor and not reason.strip():
        raise DomainError(
            _("Indiquez la raison (par exemple : un examen au cabinet est nécessaire).")
        )
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by = actor
    appointment.cancel_reason = reason.strip()[:200]
    appointment.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"]
    )
    log_event(
        actor=actor,
        action="teleconsultation.cancelled",
        target=appointment,
        patient=appointment.patient,
        details={"by": "doctor" if by_doctor else "patient"},
    )
    # The care did not happen: the access to the record it opened closes, unless another
    # visit with this doctor keeps it.
    other_visits = (
        Appointment.objects.filter(
            doctor_id=appointment.doctor_id, patient_id=appointment.patient_id
        )
        .exclude(pk=appointment.pk)
        .exclude(status=Appointment.Status.CANCELLED)
    )
    if not other_visits.exists():
        records.end_care_relationship(
            patient=appointment.patient, professional=appointment.doctor, reason="teleconsultation"
        )
    _tell(_other_side(actor, appointment), appointment, _("Un rendez-vous a été annulé"), sms=True)
    return appointment


@transaction.atomic
def move_appointment(*, actor: User, appointment: Appointment, starts_at: datetime) -> Appointment:
    """Move a video appointment to another free slot of the same doctor."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _require_party(actor, appointment)
    if appointment.status != Appointment.Status.BOOKED:
        raise AppointmentClosed
    offer = selectors.get_offer_of(doctor=appointment.doctor)
    if offer is None or not offer.enabled:
        raise NotBookable
    duration = appointment.ends_at - appointment.starts_at
    _claim_time(appointment.doctor_id, starts_at, starts_at + duration, exclude=appointment.pk)
    if starts_at not in selectors.free_slots(offer=offer):
        raise SlotTaken
    appointment.starts_at = starts_at
    appointment.ends_at = starts_at + duration
    appointment.reminded_day_before_at = None
    appointment.reminded_hour_before_at = None
    try:
        with transaction.atomic():
            appointment.save(
                update_fields=[
                    "starts_at",
                    "ends_at",
                    "reminded_day_before_at",
                    "reminded_hour_before_at",
                    "updated_at",
                ]
            )
    except IntegrityError:
        raise SlotTaken from None
    log_event(
        actor=actor,
        action="teleconsultation.moved",
        target=appointment,
        patient=appointment.patient,
    )
    _tell(_other_side(actor, appointment), appointment, _("Un rendez-vous a été déplacé"), sms=True)
    return appointment


def _tell(recipient: User, appointment: Appointment, title: Promise, *, sms: bool = False) -> None:
    url = reverse("teleconsultation:appointment", args=[appointment.public_id])
    notify(recipient=recipient, kind="teleconsultation", title=title, url=url, by_sms=sms)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind patients the day before and an hour before (e-mail and SMS). Returns how many."""
    moment = now or timezone.now()
    sent = 0
    due_day = Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        reminded_day_before_at__isnull=True,
        starts_at__gt=moment + HOUR_BEFORE,
        starts_at__lte=moment + DAY_BEFORE,
        # Booked within the last day: the confirmation was the reminder.
        created_at__lte=F("starts_at") - DAY_BEFORE,
    ).values_list("pk", flat=True)
    for pk in list(due_day):
        sent += _remind(pk, "reminded_day_before_at", _("Rappel : votre rendez-vous est demain"))
    due_hour = Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        reminded_hour_before_at__isnull=True,
        starts_at__gt=moment,
        starts_at__lte=moment + HOUR_BEFORE,
    ).values_list("pk", flat=True)
    for pk in list(due_hour):
        sent += _remind(
            pk, "reminded_hour_before_at", _("Rappel : votre rendez-vous est dans une heure")
        )
    return sent


@transaction.atomic
def _remind(pk: int, field: str, title: Promise) -> int:
    appointment = (
        Appointment.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, status=Appointment.Status.BOOKED, **{f"{field}__isnull": True})
        .select_related("patient", "booked_by")
        .first()
    )
    if appointment is None:
        return 0  # another worker took it, or it was cancelled meanwhile
    setattr(appointment, field, timezone.now())
    appointment.save(update_fields=[field, "updated_at"])
    recipients = {appointment.patient, appointment.booked_by}
    for person in recipients:
        if person.pk != appointment.doctor_id:
            _tell(person, appointment, title, sms=True)
    return 1


# --- closing the act ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    report_text: str
    acts: list[str]
    prescriptions: str
    no_prescription: bool
    started_at: datetime | None
    ended_at: datetime | None
    incidents: str
    video: bool
    sick_note_days: int
    sick_note_ongoing_days: int
    sick_note_justification: str


def prefilled_incidents(appointment: Appointment) -> str:
    """The technical incidents from the signalling log, one line each (R.6316-4, 5°)."""
    lines = []
    for event in selectors.list_incidents(appointment=appointment):
        at = timezone.localtime(event.at).strftime("%H:%M:%S")
        detail = f" ({event.detail})" if event.detail else ""
        lines.append(f"{at} — {event.get_kind_display()}{detail} [{event.role}]")
    return "\n".join(lines)


def prefilled_times(appointment: Appointment) -> tuple[datetime, datetime]:
    events = list(selectors.list_call_events(appointment=appointment))
    started = appointment.connected_at or (events[0].at if events else appointment.starts_at)
    ended = max((event.at for event in events), default=appointment.ends_at)
    return started, max(ended, started, timezone.now() if events else ended)


def professionals_of(appointment: Appointment) -> list[dict[str, str]]:
    """Every professional who took part: the doctor and any professional guest (R.6316-4, 3°)."""
    doctor = appointment.doctor
    people = [
        {"name": doctor.display_name, "rpps": doctor.professional.rpps, "role": "médecin"},
    ]
    guests = GuestPass.objects.filter(
        appointment=appointment, redeemed_at__isnull=False, kind=GuestPass.Kind.PROFESSIONAL
    )
    people += [{"name": guest.name, "rpps": guest.rpps, "role": "invité"} for guest in guests]
    return people


def _missing_items(data: ReportInput) -> list[str]:
    missing = []
    if data.prescriptions.strip() and data.no_prescription:
        missing.append(
            str(_("un choix entre les prescriptions écrites et « aucune prescription »"))
        )
    if not data.report_text.strip():
        missing.append(str(_("le compte rendu")))
    if not data.acts:
        missing.append(str(_("l'acte réalisé")))
    if not data.prescriptions.strip() and not data.no_prescription:
        missing.append(str(_("les prescriptions (ou « aucune prescription »)")))
    if data.started_at is None or data.ended_at is None:
        missing.append(str(_("l'heure de début et de fin")))
    elif data.ended_at < data.started_at:
        missing.append(str(_("une heure de fin après l'heure de début")))
    return missing


def close_act(*, actor: User, appointment: Appointment, data: ReportInput) -> ConsultationReport:
    """Close a teleconsultation: the legal report, its PDFs, deliveries and the bill, at once.

    Raises:
        NotAllowed: not the appointment's doctor.
        AppointmentClosed: cancelled or already closed.
        ReportIncomplete: a mandatory item of R.6316-4 is missing.
        SickNoteTooLong: over three days by a doctor who is not the médecin traitant.
    """
    missing = _missing_items(data)
    if missing:
        raise ReportIncomplete(missing)
    started_at, ended_at = data.started_at, data.ended_at
    if started_at is None or ended_at is None:  # _missing_items checked it: for the types
        raise ReportIncomplete(missing)
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("doctor__professional", "patient__patient_profile", "practice")
            .get(pk=appointment.pk)
        )
        if actor.pk != appointment.doctor_id:
            raise NotAllowed
        if not appointment.is_open or not appointment.is_video:
            raise AppointmentClosed
        if appointment.consent_id is None:
            raise ConsentRequired(
                _("Le patient n'a pas donné son accord : l'acte ne peut pas être clôturé.")
            )
        if started_at < appointment.starts_at - CLOSE_WINDOW or ended_at > timezone.now() + (
            CLOSE_WINDOW
        ):
            raise ReportIncomplete([str(_("des horaires qui correspondent au rendez-vous"))])
        # Billable video needs a proven connection with the doctor (A6).
        video = data.video and appointment.connected_at is not None
        treating_id = selectors.treating_doctor_id_of(appointment.patient)
        if data.sick_note_days:
            check_sick_note(
                days=data.sick_note_days,
                ongoing_days=data.sick_note_ongoing_days,
                prescriber_is_treating_doctor=treating_id == actor.pk,
                impossibility_justification=data.sick_note_justification,
            )
        report = ConsultationReport(
            appointment=appointment,
            author=actor,
            report_text=data.report_text.strip(),
            acts=list(data.acts),
            prescriptions="" if data.no_prescription else data.prescriptions.strip(),
            professionals=professionals_of(appointment),
            started_at=started_at,
            ended_at=ended_at,
            incidents=data.incidents.strip(),
            video=video,
            sick_note_days=data.sick_note_days,
            sick_note_ongoing_days=data.sick_note_ongoing_days,
            sick_note_justification=data.sick_note_justification.strip(),
        )
        report_pdf, prescription_pdf = _render_documents(report)
        report.report_pdf.save("compte-rendu.pdf", ContentFile(report_pdf), save=False)
        if prescription_pdf is not None:
            report.prescription_pdf.save(
                "ordonnance.pdf", ContentFile(prescription_pdf), save=False
            )
        report.save()
        _file_report(report, report_pdf, prescription_pdf)
        report.billed_act = _bill(actor, appointment, report, treating_id)
        report.save(update_fields=["billed_act", "updated_at"])
        appointment.status = Appointment.Status.COMPLETED
        appointment.save(update_fields=["status", "updated_at"])
        log_event(
            actor=actor,
            action="teleconsultation.act_closed",
            target=report,
            patient=appointment.patient,
            details={"billed": report.billed_act is not None, "video": video},
        )
        _deliver(report, treating_id, report_pdf)
    return report


def _file_report(
    report: ConsultationReport, report_pdf: bytes, prescription_pdf: bytes | None
) -> None:
    """The report and the prescription go into the patient's record (R.6316-4, J7)."""
    appointment = report.appointment
    when = timezone.localtime(report.started_at).strftime("%d/%m/%Y")

    def file(kind: str, title: str, body: str, document: bytes, name: str) -> None:
        records.file_entry(
            patient=appointment.patient,
            kind=kind,
            title=title,
            body=body,
            occurred_at=report.ended_at,
            author=report.author,
            source_type="teleconsultation.consultationreport",
            source_id=report.public_id,
            document=document,
            file_name=name,
            content_type="application/pdf",
            extension=".pdf",
        )

    doctor = appointment.doctor.display_name
    file(
        RecordEntry.Kind.TELECONSULTATION,
        f"Téléconsultation du {when} — {doctor}",
        report.report_text,
        report_pdf,
        "compte-rendu.pdf",
    )
    if prescription_pdf is not None:
        file(
            RecordEntry.Kind.PRESCRIPTION,
            f"Ordonnance du {when} — {doctor}",
            report.prescriptions,
            prescription_pdf,
            "ordonnance.pdf",
        )


def _bill(
    actor: User, appointment: Appointment, report: ConsultationReport, treating_id: int | None
) -> Any:
    """Record the act with its tariff and parcours verdict.

    Audio-only is not a billable teleconsultation (A6): the report keeps it, the bill does not.
    """
    if not report.video:
        return None
    facts = parcours_facts(
        patient=appointment.patient,
        doctor=actor,
        practice=appointment.practice,
        day=timezone.localdate(report.started_at),
        video=True,
    )
    parcours = verdict(facts)
    code = report.acts[0]
    return record_act(
        actor=actor,
        doctor=actor,
        patient=appointment.patient,
        code=code,
        performed_at=report.started_at,
        source_kind="teleconsultation",
        source_id=appointment.public_id,
        video=True,
        parcours=parcours,
        # Teleconsultations of the doctor's own médecin-traitant patients are not capped.
        counts_toward_cap=treating_id != actor.pk,
    )


def act_choices(appointment: Appointment) -> list[tuple[str, str]]:
    """The teleconsultation code of the doctor's convention, with its amount on the day."""
    try:
        _professional, tariff = _conventional_tariff(
            appointment.doctor, timezone.localdate(appointment.starts_at)
        )
    except DomainError:
        return []
    return [(tariff.code, f"{tariff.code} — {tariff.label} ({tariff.amount} €)")]


CLOSE_WINDOW = timedelta(minutes=30)
ALTERNANCE_PERIOD = timedelta(days=365)
ALTERNANCE_MIN_VIDEO = 3


def alternance_warning(appointment: Appointment) -> str:
    """B3: warn when a patient has had only teleconsultations with this doctor for a year."""
    video, in_person = selectors.count_visits(
        doctor=appointment.doctor,
        patient=appointment.patient,
        since=appointment.starts_at - ALTERNANCE_PERIOD,
    )
    if video >= ALTERNANCE_MIN_VIDEO and in_person == 0:
        return str(
            _(
                "Ce patient n'a eu que des téléconsultations avec vous depuis un an "
                "(%(count)s) : la convention demande d'alterner avec des consultations au cabinet."
            )
            % {"count": video}
        )
    return ""


def record_appointment_viewed(*, actor: User, appointment: Appointment) -> None:
    with transaction.atomic():
        log_event(
            actor=actor,
            action="teleconsultation.appointment_viewed",
            target=appointment,
            patient=appointment.patient,
        )


def record_report_viewed(*, actor: User, report: ConsultationReport, document: str = "") -> None:
    with transaction.atomic():
        log_event(
            actor=actor,
            action="teleconsultation.report_viewed",
            target=report,
            patient=report.appointment.patient,
            details={"document": document},
        )


def _render_documents(report: ConsultationReport) -> tuple[bytes, bytes | None]:
    from weasyprint import HTML  # loaded when needed: importing it costs a few hundred ms

    appointment = report.appointment
    with translation.override("fr"):  # legal documents are French, whoever reads the interface
        context = {
            "report": report,
            "appointment": appointment,
            "doctor": appointment.doctor,
            "practice": appointment.practice,
            "patient": appointment.patient,
            "issued_on": timezone.localdate(),
            "reference": str(appointment.public_id)[:8],
        }
        report_html = render_to_string("teleconsultation/documents/report.html", context)
        prescription_html = None
        if report.prescriptions:
            prescription_html = render_to_string(
                "consultations/documents/document.html",
                {
                    **context,
                    "title": "Ordonnance",
                    "lines": [
                        line.strip() for line in report.prescriptions.splitlines() if line.strip()
                    ],
                    "origin_note": "Ordonnance établie lors d'une téléconsultation (Maillage, réf. "
                    f"{str(appointment.public_id)[:8]}).",
                },
            )
    report_pdf = HTML(string=report_html).write_pdf()
    prescription_pdf = HTML(string=prescription_html).write_pdf() if prescription_html else None
    return report_pdf, prescription_pdf


def _deliver(report: ConsultationReport, treating_id: int | None, report_pdf: bytes) -> None:
    """To the patient's space at once; to the médecin traitant by MSSanté after commit (A8)."""
    from maillage.teleconsultation.tasks import send_report_to_treating_doctor

    appointment = report.appointment
    now = timezone.now()
    ReportDelivery.objects.create(
        report=report,
        recipient=ReportDelivery.Recipient.PATIENT,
        recipient_user=appointment.patient,
        channel="platform",
        status=ReportDelivery.Status.DELIVERED,
        at=now,
    )
    _tell(
        appointment.patient,
        appointment,
        _("Le compte rendu de votre téléconsultation est disponible"),
    )
    if treating_id is None:
        ReportDelivery.objects.create(
            report=report,
            recipient=ReportDelivery.Recipient.TREATING_DOCTOR,
            channel="mssante",
            status=ReportDelivery.Status.NOT_SENT,
            reason=str(_("pas de médecin traitant déclaré")),
            at=now,
        )
        return
    if treating_id == appointment.doctor_id:
        ReportDelivery.objects.create(
            report=report,
            recipient=ReportDelivery.Recipient.TREATING_DOCTOR,
            recipient_user=appointment.doctor,
            channel="platform",
            status=ReportDelivery.Status.DELIVERED,
            reason=str(_("le médecin traitant a fait la consultation")),
            at=now,
        )
        return
    treating = User.objects.select_related("professional").get(pk=treating_id)
    address = getattr(getattr(treating, "professional", None), "mssante_address", "")
    delivery = ReportDelivery.objects.create(
        report=report,
        recipient=ReportDelivery.Recipient.TREATING_DOCTOR,
        recipient_user=treating,
        channel="mssante",
        status=ReportDelivery.Status.QUEUED if address else ReportDelivery.Status.NOT_SENT,
        reason="" if address else str(_("pas d'adresse MSSanté connue")),
        at=now,
    )
    notify(
        recipient=treating,
        kind="teleconsultation",
        title=_("Un compte rendu de téléconsultation concerne un de vos patients"),
        url=reverse("teleconsultation:report", args=[appointment.public_id]),
        by_email=False,
    )
    if address:
        delivery_id = delivery.pk
        transaction.on_commit(
            lambda: send_report_to_treating_doctor.enqueue(delivery_id=delivery_id)
        )


def closing_defaults(appointment: Appointment) -> dict[str, Any]:
    """What the closing form starts with: times and incidents from the signalling log."""
    started, ended = prefilled_times(appointment)
    # Video only when a connection was made and the picture never dropped (audio-only, by
    # choice or on a poor link, or no camera): the doctor may tick it if that is wrong.
    audio_only = CallEvent.objects.filter(
        appointment=appointment,
        kind__in=[CallEvent.Kind.AUDIO_ONLY, CallEvent.Kind.MEDIA_ERROR],
    ).exists()
    video_seen = appointment.connected_at is not None
    return {
        "started_at": timezone.localtime(started).strftime("%Y-%m-%dT%H:%M"),
        "ended_at": timezone.localtime(ended).strftime("%Y-%m-%dT%H:%M"),
        "incidents": prefilled_incidents(appointment),
        "acts": appointment.fee_code or "",
        "video": video_seen and not audio_only,
    }
