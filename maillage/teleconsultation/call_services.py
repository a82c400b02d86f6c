"""Writes made during a call: the signalling log, chat, shared files, guests.

Called from the websocket consumer (through database_sync_to_async) and from the call page's
views. Each is audited in its transaction; the log keeps technical facts only.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.audit.services import log_event
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.uploads import CleanUpload
from maillage.records import services as records
from maillage.records.models import RecordEntry
from maillage.teleconsultation.models import Appointment, CallEvent, CallMessage, GuestPass
from maillage.teleconsultation.selectors import GUEST_SESSION_KEY, CallAccess

MAX_CHAT_LENGTH = 2000
GUEST_PASS_LIFETIME_AFTER_END = timedelta(hours=2)
MAX_GUESTS = 3


class CallClosed(DomainError):
    default_message = _("Cette téléconsultation est terminée ou annulée.")


def _require_open(appointment: Appointment) -> None:
    if not Appointment.objects.filter(
        pk=appointment.pk,
        status__in=[Appointment.Status.BOOKED, Appointment.Status.IN_PROGRESS],
    ).exists():
        raise CallClosed


class GuestPassInvalid(DomainError):
    default_message = _(
        "Ce lien d'invitation n'est plus valable. Demandez-en un nouveau au médecin."
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def record_call_event(
    *, access: CallAccess, kind: str, detail: str = "", at: datetime | None = None
) -> CallEvent:
    """Log a fact of the call; the first connection starts the act, a join marks arrival."""
    if kind not in CallEvent.Kind.values:
        raise ValueError(f"unknown call event {kind!r}")
    moment = at or timezone.now()
    appointment = Appointment.objects.select_for_update().get(pk=access.appointment.pk)
    # Departures are always logged; anything else only while the act is open.
    if not appointment.is_open and kind not in (CallEvent.Kind.LEFT, CallEvent.Kind.DROPPED):
        raise CallClosed
    event = CallEvent.objects.create(
        appointment=appointment,
        kind=kind,
        role=access.role,
        actor=access.user,
        detail=detail[:120],
        at=moment,
    )
    changed: list[str] = []
    if kind in (CallEvent.Kind.JOINED, CallEvent.Kind.REJOINED):
        if access.role == "doctor" and appointment.doctor_joined_at is None:
            appointment.doctor_joined_at = moment
            changed.append("doctor_joined_at")
        if access.role == "patient" and appointment.patient_waiting_since is None:
            appointment.patient_waiting_since = moment
            changed.append("patient_waiting_since")
    if kind == CallEvent.Kind.CONNECTED and appointment.connected_at is None:
        appointment.connected_at = moment
        appointment.status = Appointment.Status.IN_PROGRESS
        changed += ["connected_at", "status"]
    if changed:
        appointment.save(update_fields=[*changed, "updated_at"])
    log_event(
        actor=access.user,
        action=f"teleconsultation.call_{kind}",
        target=appointment,
        patient=appointment.patient,
        details={"role": access.role},
    )
    return event


@transaction.atomic
def record_outsider_refused(*, user: Any, appointment_id: str) -> None:
    """An outsider's socket was closed: audit it, against the appointment when it exists."""
    actor = user if isinstance(user, User) and user.is_authenticated else None
    appointment = Appointment.objects.filter(public_id=appointment_id).first()
    log_event(
        actor=actor,
        action="teleconsultation.call_refused",
        target=appointment,
        patient=appointment.patient if appointment else None,
        details={"authenticated": actor is not None},
    )


@transaction.atomic
def record_call_page_viewed(*, access: CallAccess) -> None:
    """The call page shows the chat and the files: reading it is traced."""
    log_event(
        actor=access.user,
        action="teleconsultation.call_viewed",
        target=access.appointment,
        patient=access.appointment.patient,
        details={"role": access.role},
    )


@transaction.atomic
def record_call_file_opened(*, user: Any, message: CallMessage, role: str) -> None:
    """Opening a file shared in a call is an access to health data: traced."""
    log_event(
        actor=user if isinstance(user, User) and user.is_authenticated else None,
        action="teleconsultation.file_opened",
        target=message,
        patient=message.appointment.patient,
        details={"role": role},
    )


@transaction.atomic
def announce_delay(*, access: CallAccess, minutes: int) -> Appointment:
    if access.role != "doctor":
        raise NotAllowed
    if not 0 <= minutes <= 180:
        raise DomainError(_("Indiquez un retard entre 0 et 180 minutes."))
    _require_open(access.appointment)
    appointment = Appointment.objects.select_for_update().get(pk=access.appointment.pk)
    appointment.announced_delay_minutes = minutes
    appointment.save(update_fields=["announced_delay_minutes", "updated_at"])
    log_event(
        actor=access.user,
        action="teleconsultation.delay_announced",
        target=appointment,
        patient=appointment.patient,
        details={"minutes": minutes},
    )
    return appointment


@transaction.atomic
def post_chat_message(*, access: CallAccess, body: str) -> CallMessage:
    text = body.strip()
    if not text:
        raise DomainError(_("Le message est vide."))
    _require_open(access.appointment)
    if len(text) > MAX_CHAT_LENGTH:
        raise DomainError(_("Un message fait au plus 2 000 caractères."))
    message = CallMessage.objects.create(
        appointment=access.appointment, author=access.user, guest=access.guest, body=text
    )
    log_event(
        actor=access.user,
        action="teleconsultation.chat_posted",
        target=message,
        patient=access.appointment.patient,
        details={"role": access.role},
    )
    return message


@transaction.atomic
def share_file(*, access: CallAccess, upload: CleanUpload) -> CallMessage:
    """A file shared in the call: cleaned already (type from bytes, images re-encoded)."""
    _require_open(access.appointment)
    message = CallMessage(
        appointment=access.appointment,
        author=access.user,
        guest=access.guest,
        content_type=upload.content_type,
        extension=upload.extension,
        size=len(upload.content),
        original_name=upload.original_name[:120],
    )
    message.file.save("file", ContentFile(upload.content), save=False)
    message.save()
    # A file shared during the call lands in the patient's record (J7).
    records.file_entry(
        patient=access.appointment.patient,
        kind=RecordEntry.Kind.SHARED_FILE,
        title=message.original_name or "document",
        occurred_at=message.created_at,
        author=access.user,
        source_type="teleconsultation.callmessage",
        source_id=message.public_id,
        document=upload.content,
        file_name=message.original_name,
        content_type=upload.content_type,
        extension=upload.extension,
    )
    log_event(
        actor=access.user,
        action="teleconsultation.file_shared",
        target=message,
        patient=access.appointment.patient,
        details={"role": access.role, "content_type": upload.content_type},
    )
    return message


@transaction.atomic
def invite_guest(
    *, actor: User, appointment: Appointment, kind: str, name: str, rpps: str = ""
) -> tuple[GuestPass, str]:
    """Create a one-time link for a third participant.

    Returns the pass and the secret token, which is shown once to the doctor and never stored.
    """
    if actor.pk != appointment.doctor_id:
        raise NotAllowed
    if not appointment.is_open or not appointment.is_video:
        raise DomainError(_("Cette téléconsultation n'est plus en cours."))
    open_passes = GuestPass.objects.filter(
        appointment=appointment, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    if open_passes >= MAX_GUESTS:
        raise DomainError(_("Trois invités au plus : révoquez un lien avant d'en créer un autre."))
    token = secrets.token_urlsafe(32)
    guest = GuestPass.objects.create(
        appointment=appointment,
        kind=kind,
        name=name.strip()[:80],
        rpps=rpps.strip(),
        token_digest=_digest(token),
        created_by=actor,
        expires_at=appointment.ends_at + GUEST_PASS_LIFETIME_AFTER_END,
    )
    CallEvent.objects.create(
        appointment=appointment,
        kind=CallEvent.Kind.GUEST_INVITED,
        role="doctor",
        actor=actor,
        detail=kind,
        at=timezone.now(),
    )
    log_event(
        actor=actor,
        action="teleconsultation.guest_invited",
        target=guest,
        patient=appointment.patient,
        details={"kind": kind},
    )
    return guest, token


@transaction.atomic
def revoke_guest(*, actor: User, guest: GuestPass) -> None:
    if actor.pk != guest.appointment.doctor_id:
        raise NotAllowed
    if guest.revoked_at is None:
        guest.revoked_at = timezone.now()
        guest.save(update_fields=["revoked_at", "updated_at"])
        log_event(
            actor=actor,
            action="teleconsultation.guest_revoked",
            target=guest,
            patient=guest.appointment.patient,
        )


@transaction.atomic
def redeem_guest_pass(*, token: str, session: MutableMapping[str, Any]) -> GuestPass:
    """Open the call to this browser session. A link works once: a second browser is refused.

    Raises:
        GuestPassInvalid: unknown, already used, revoked or expired.
    """
    guest = (
        GuestPass.objects.select_for_update()
        .select_related("appointment__patient")
        .filter(token_digest=_digest(token))
        .first()
    )
    now = timezone.now()
    already_mine = guest is not None and str(guest.public_id) in (
        session.get(GUEST_SESSION_KEY) or []
    )
    if (
        guest is None
        or guest.revoked_at is not None
        or guest.expires_at <= now
        or (guest.redeemed_at is not None and not already_mine)
        or not guest.appointment.is_open
    ):
        raise GuestPassInvalid
    if guest.redeemed_at is None:
        guest.redeemed_at = now
        guest.save(update_fields=["redeemed_at", "updated_at"])
        CallEvent.objects.create(
            appointment=guest.appointment,
            kind=CallEvent.Kind.GUEST_JOINED,
            role="guest",
            detail=guest.kind,
            at=now,
        )
        log_event(
            actor=None,
            action="teleconsultation.guest_redeemed",
            target=guest,
            patient=guest.appointment.patient,
            details={"kind": guest.kind},
        )
    passes = [value for value in (session.get(GUEST_SESSION_KEY) or []) if value]
    session[GUEST_SESSION_KEY] = [*passes, str(guest.public_id)][-10:]
    return guest
