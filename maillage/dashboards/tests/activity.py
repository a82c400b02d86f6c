"""Synthetic activity for the dashboards: acts through the billing service, requests and
tele-expertise rows dated where a test needs them (their services stamp "now")."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from maillage.accounts.models import User
from maillage.billing.models import BilledAct
from maillage.billing.tests.factories import record_teleconsultation
from maillage.consultations.models import OnlineRequest, RequestEvent
from maillage.directory.models import Practice
from maillage.expertise.models import ExpertiseRequest

PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def teleconsultation(
    doctor: User, patient: User, at: datetime, *, capped: bool = True, **extra: Any
) -> BilledAct:
    return record_teleconsultation(
        doctor=doctor, patient=patient, performed_at=at, counts_toward_cap=capped, **extra
    )


def teleexpertise(specialist: User, requester: User, patient: User, at: datetime) -> None:
    """The two acts of one tele-expertise: TE2 for the specialist, RQD for the requester."""
    source = uuid.uuid4()
    for doctor, code, kind in [
        (specialist, "TE2", BilledAct.SourceKind.TELEEXPERTISE_ANSWER),
        (requester, "RQD", BilledAct.SourceKind.TELEEXPERTISE_REQUEST),
    ]:
        record_teleconsultation(
            doctor=doctor,
            patient=patient,
            performed_at=at,
            code=code,
            source_kind=kind,
            source_id=source,
            video=False,
            counts_toward_cap=False,
        )


def online_request(
    practice: Practice,
    patient: User,
    submitted_at: datetime,
    *,
    closed_after: timedelta | None = None,
    closed_by: User | None = None,
    promised_after: timedelta = timedelta(hours=48),
    status: str = OnlineRequest.Status.SUBMITTED,
) -> OnlineRequest:
    closed_at = submitted_at + closed_after if closed_after is not None else None
    request = OnlineRequest.objects.create(
        practice=practice,
        patient=patient,
        submitted_by=patient,
        route=OnlineRequest.Route.CLINICAL,
        subject="Demande",
        message="Message",
        status=OnlineRequest.Status.CLOSED if closed_at else status,
        submitted_at=submitted_at,
        promised_by=submitted_at + promised_after,
        closed_at=closed_at,
    )
    if closed_at is not None and closed_by is not None:
        event = RequestEvent.objects.create(
            request=request, kind=RequestEvent.Kind.CLOSED, author=closed_by
        )
        # created_at is auto_now_add: date the closing where the test put it.
        RequestEvent.objects.filter(pk=event.pk).update(created_at=closed_at)
    return request


def expertise_request(
    requester: User,
    patient: User,
    specialty: str,
    submitted_at: datetime,
    *,
    answered_after: timedelta | None = None,
    specialist: User | None = None,
) -> ExpertiseRequest:
    answered_at = submitted_at + answered_after if answered_after is not None else None
    return ExpertiseRequest.objects.create(
        requester=requester,
        patient=patient,
        specialty=specialty,
        assigned_to=specialist,
        question="Question",
        status=ExpertiseRequest.Status.ANSWERED
        if answered_at
        else ExpertiseRequest.Status.SUBMITTED,
        consent=ExpertiseRequest.Consent.GIVEN,
        consent_recorded_at=submitted_at,
        submitted_at=submitted_at,
        due_at=submitted_at + timedelta(days=7),
        answered_at=answered_at,
    )
