"""Build a video appointment ready for its call, and open its sockets in tests."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.utils import timezone

from maillage.accounts.models import User
from maillage.directory.models import PracticeMembership
from maillage.directory.tests.factories import PracticeFactory
from maillage.notifications.tests.websocket import WebsocketCommunicator
from maillage.teleconsultation.consumers import CallConsumer
from maillage.teleconsultation.models import Appointment, ConsentRecord


def make_video_appointment(
    *, doctor: User, patient: User, consent: bool = True, starts_in_minutes: int = 5
) -> Appointment:
    """An open video appointment within its join window, with the patient's consent."""
    membership = PracticeMembership.objects.filter(user=doctor).select_related("practice").first()
    practice = membership.practice if membership is not None else PracticeFactory.create()
    now = timezone.now()
    record = None
    if consent:
        record = ConsentRecord.objects.create(
            patient=patient,
            given_by=patient,
            text_version="2026-1",
            text_digest="0" * 64,
            language="fr",
            given_at=now,
        )
    starts_at = now + timedelta(minutes=starts_in_minutes)
    return Appointment.objects.create(
        doctor=doctor,
        patient=patient,
        booked_by=patient,
        practice=practice,
        mode=Appointment.Mode.VIDEO,
        motive="suivi",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=15),
        consent=record,
    )


def session_of(user: Any, *, second_factor_used: bool = True) -> dict[str, Any]:
    """What the session middleware puts in the scope after a sign-in."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    records = (
        [{"method": "mfa", "type": "totp", "at": time.time()}]
        if second_factor_used
        else [{"method": "password", "at": time.time()}]
    )
    return {
        "account_authentication_methods": records,
        "account_authentication_methods_user": str(user.pk),
    }


def call_socket(
    appointment: Appointment, *, user: Any, session: dict[str, Any] | None = None, query: str = ""
) -> WebsocketCommunicator:
    path = f"/ws/teleconsultation/{appointment.public_id}/{query}"
    communicator = WebsocketCommunicator(CallConsumer.as_asgi(), path)
    communicator.scope["user"] = user
    communicator.scope["session"] = session if session is not None else session_of(user)
    communicator.scope["url_route"] = {"kwargs": {"appointment_id": appointment.public_id}}
    return communicator
