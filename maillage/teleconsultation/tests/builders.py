"""Builders shared by the teleconsultation tests (plain functions: no fixture name clashes)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import time_machine
from django.utils import timezone

from maillage.accounts.models import User
from maillage.directory.models import Practice
from maillage.teleconsultation import services
from maillage.teleconsultation.models import (
    Appointment,
    ConsultationReport,
    Motive,
    TeleconsultationOffer,
)

EVERY_DAY = {str(day): [["08:00", "20:00"]] for day in range(7)}


def make_offer(doctor: User, practice: Practice, **overrides: Any) -> TeleconsultationOffer:
    values: dict[str, Any] = {
        "practice": practice,
        "enabled": True,
        "motives": list(Motive.values),
        "weekly_hours": EVERY_DAY,
        "slot_minutes": 15,
        "accepts_new_patients": False,
        "fee": Decimal("25.00"),
        "minimum_notice_minutes": 60,
        "horizon_days": 14,
    }
    values.update(overrides)
    return TeleconsultationOffer.objects.create(doctor=doctor, **values)


def slot_for_a_walk(
    offer: TeleconsultationOffer, margin: timedelta = timedelta(minutes=4)
) -> tuple[int, int]:
    """(Index of its day among the days shown, index among that day's slots) of the first
    free slot starting at least `margin` from now.

    A browser walk takes a minute or more on a loaded machine: the nearest slot may start
    before the walk confirms it, and a slot that has started is no longer free (CI's J3
    keyboard walk met a 400 so, on a slot starting within seconds of the page).
    """
    from maillage.teleconsultation.selectors import free_slots

    slots = free_slots(offer=offer)
    chosen = next(slot for slot in slots if slot >= timezone.now() + margin)
    days = sorted({timezone.localdate(slot) for slot in slots})
    day = timezone.localdate(chosen)
    same_day = [slot for slot in slots if timezone.localdate(slot) == day]
    return days.index(day), same_day.index(chosen)


def next_slot(offer: TeleconsultationOffer, now: datetime | None = None) -> datetime:
    from maillage.teleconsultation.selectors import free_slots

    return free_slots(offer=offer, now=now)[0]


def book(
    offer: TeleconsultationOffer, patient: User, *, actor: User | None = None, **overrides: Any
) -> Appointment:
    values: dict[str, Any] = {
        "starts_at": next_slot(offer),
        "motive": Motive.FOLLOW_UP,
        "note": "Suivi de ma tension",
        "suitability": {"exam_needed": "no", "can_use_tools": "yes", "bad_news": "no"},
        "proceed_despite_advice": False,
        "consent_given": True,
        "idempotency_key": uuid.uuid4(),
    }
    values.update(overrides)
    return services.book_teleconsultation(
        actor=actor or patient, patient=patient, offer=offer, **values
    )


def connect(appointment: Appointment) -> Appointment:
    """As if the doctor and the patient had connected at the appointment's start."""
    appointment.connected_at = appointment.starts_at
    appointment.status = Appointment.Status.IN_PROGRESS
    appointment.save(update_fields=["connected_at", "status"])
    return appointment


def close(
    doctor: User, appointment: Appointment, *, connected: bool = True, **overrides: Any
) -> ConsultationReport:
    """Close the act at the end of the slot, with the slot's times, as the doctor would."""
    if connected and appointment.connected_at is None and appointment.status == "booked":
        connect(appointment)
    values: dict[str, Any] = {
        "started_at": appointment.starts_at,
        "ended_at": appointment.ends_at,
    }
    values.update(overrides)
    with time_machine.travel(appointment.ends_at + timedelta(minutes=1), tick=False):
        return services.close_act(
            actor=doctor, appointment=appointment, data=report_input(**values)
        )


def report_input(**overrides: Any) -> services.ReportInput:
    now = timezone.now()
    values: dict[str, Any] = {
        "report_text": "Tension contrôlée, traitement poursuivi.",
        "acts": ["TCG"],
        "prescriptions": "Amlodipine 5 mg : 1 comprimé par jour, 3 mois",
        "no_prescription": False,
        "started_at": now - timedelta(minutes=12),
        "ended_at": now,
        "incidents": "",
        "video": True,
        "sick_note_days": 0,
        "sick_note_ongoing_days": 0,
        "sick_note_justification": "",
    }
    values.update(overrides)
    return services.ReportInput(**values)
