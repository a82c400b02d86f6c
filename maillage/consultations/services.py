"""Online requests (J2): submit, triage, answer, close.

Audited in their transaction; the other side is notified after commit, without clinical content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID, uuid5

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.selectors import can_act_for
from maillage.audit.services import log_event
from maillage.consultations import availability as hours
from maillage.consultations.models import (
    OnlineRequest,
    PracticeAvailability,
    PracticeClosure,
    RequestAttachment,
    RequestDraft,
    RequestEvent,
)
from maillage.consultations.selectors import is_team_member, list_practices_for_request
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.uploads import CleanUpload
from maillage.directory.models import Practice
from maillage.notifications.services import notify
from maillage.records import services as records
from maillage.records.models import RecordEntry
from maillage.triage.detector import EMERGENCY, URGENT, detect
from maillage.triage.models import SelfAssessment

MAX_ATTACHMENTS = 5

OPEN_STATUSES = (
    OnlineRequest.Status.SUBMITTED,
    OnlineRequest.Status.IN_REVIEW,
    OnlineRequest.Status.AWAITING_PATIENT,
)


class PracticeNotAvailable(DomainError):
    default_message = _("Ce cabinet ne reçoit pas de demandes en ligne de votre part.")


class CapacityReached(DomainError):
    """The practice has received all the requests it can answer today."""

    def __init__(self, reopens_at: datetime | None) -> None:
        self.reopens_at = reopens_at
        super().__init__(
            _("Le cabinet a atteint le nombre de demandes qu'il peut traiter aujourd'hui.")
        )


class RedFlagsInRequest(DomainError):
    """The text describes an emergency: the patient sees the advice first, then may send it."""

    def __init__(self, numbers: list[str], phrases: list[str]) -> None:
        self.numbers = numbers
        self.phrases = phrases
        super().__init__(_("Ce que vous décrivez peut être une urgence."))


class RequestClosed(DomainError):
    default_message = _("Cette demande est terminée.")


def _file_exchange(request: OnlineRequest, event: RequestEvent) -> None:
    """File a message of the exchange in the patient's record (J7), in this transaction."""
    records.file_entry(
        patient=request.patient,
        kind=RecordEntry.Kind.MESSAGE,
        title=f"{request.subject} — {event.get_kind_display()}",
        body=event.body,
        occurred_at=event.created_at,
        author=event.author,
        # One entry per event: an id derived from the request's and the event's.
        source_type="consultations.requestevent",
        source_id=uuid5(request.public_id, str(event.pk)),
    )


def _file_attachment(
    attachment: RequestAttachment, content: bytes, kind: str, *, title: str = "", body: str = ""
) -> None:
    records.file_entry(
        patient=attachment.request.patient,
        kind=kind,
        title=title or attachment.original_name,
        body=body,
        occurred_at=timezone.now(),
        author=attachment.uploaded_by,
        source_type="consultations.requestattachment",
        source_id=attachment.public_id,
        document=content,
        file_name=attachment.original_name,
        content_type=attachment.content_type,
        extension=attachment.extension,
    )


@dataclass(frozen=True)
class Capacity:
    left: int
    reopens_at: datetime | None


def capacity_of(*, availability: PracticeAvailability, now: datetime | None = None) -> Capacity:
    """Return how many requests the practice may still receive for the working day ahead.

    Counted per working day, not per calendar day: a weekend adds no second quota on Monday.
    """
    moment = now or timezone.now()
    schedule = hours.schedule_for(
        availability, start=timezone.localdate(moment) - timedelta(days=14)
    )
    since = hours.capacity_window_start(schedule, moment)
    received = OnlineRequest.objects.filter(
        practice_id=availability.practice_id, submitted_at__gte=since
    ).count()
    left = max(availability.daily_capacity - received, 0)
    # Full: from the close of the working day ahead, new requests count for the next one.
    reopens_at = hours.capacity_window_end(schedule, moment) if left == 0 else None
    return Capacity(left=left, reopens_at=reopens_at)


def _urgency(text: str, acknowledged: bool) -> str:
    """Return the request's urgency from its text; an unacknowledged emergency stops it."""
    found = detect(text)
    if found.level == EMERGENCY:
        if not acknowledged:
            raise RedFlagsInRequest(found.numbers, [m.text for m in found.active_matches])
        return OnlineRequest.Urgency.EMERGENCY
    return OnlineRequest.Urgency.URGENT if found.level == URGENT else OnlineRequest.Urgency.ROUTINE


def _tell_team(request: OnlineRequest, recipients: list[User], kind: str, title: Promise) -> None:
    """Tell team members that something happened on a request (the title never says what)."""
    url = reverse("consultations:team_request", args=[request.public_id])
    for member in recipients:
        notify(recipient=member, kind=kind, title=title, url=url, by_email=False)


def _handlers(request: OnlineRequest) -> list[User]:
    """Whoever holds the request: its clinician, or else the whole team."""
    return [request.assigned_to] if request.assigned_to else _team(request.practice)


def _team(practice: Practice) -> list[User]:
    return list(
        User.objects.filter(
            practice_memberships__practice=practice,
            practice_memberships__ended_at__isnull=True,
            is_active=True,
        ).distinct()
    )


@transaction.atomic
def submit_request(
    *,
    actor: User,
    patient: User,
    practice: Practice,
    route: str,
    subject: str,
    message: str,
    idempotency_key: UUID,
    self_assessment: SelfAssessment | None = None,
    after_emergency: bool = False,
    attachments: Sequence[CleanUpload] = (),
) -> OnlineRequest:
    """Send a request to a practice; a second submit with the same key returns the first.

    Attachments are already cleaned (core.uploads): type from the bytes, images re-encoded
    without their metadata.

    Raises:
        NotAllowed: when the actor may not act for the patient.
        PracticeNotAvailable: when the practice does not receive this patient's requests.
        CapacityReached: when today's capacity is used (with the reopening time).
        RedFlagsInRequest: when the text describes an emergency not yet acknowledged.
    """
    if not can_act_for(actor=actor, patient=patient):
        raise NotAllowed
    if self_assessment is not None and (
        self_assessment.patient_id != patient.pk
        or self_assessment.status != SelfAssessment.Status.COMPLETED
    ):
        raise NotAllowed  # one person's answers never travel with another's request
    if practice not in list_practices_for_request(actor=actor, patient=patient):
        raise PracticeNotAvailable
    # One submission at a time per practice: the capacity count cannot be passed twice, and a
    # double submit racing on the last slot finds the first one here.
    availability = PracticeAvailability.objects.select_for_update().get(practice=practice)
    existing = OnlineRequest.objects.filter(
        submitted_by=actor, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    # "Sent after emergency advice" is the server's finding, never a form field taken on trust.
    alarming_assessment = self_assessment is not None and self_assessment.outcome in {
        "emergency",
        "suicide",
    }
    urgency = _urgency(f"{subject}\n{message}", after_emergency)
    if alarming_assessment:
        urgency = OnlineRequest.Urgency.EMERGENCY
    after_emergency = urgency == OnlineRequest.Urgency.EMERGENCY
    capacity = capacity_of(availability=availability)
    if capacity.left == 0 and urgency == OnlineRequest.Urgency.ROUTINE:
        raise CapacityReached(capacity.reopens_at)
    now = timezone.now()
    schedule = hours.schedule_for(availability, start=timezone.localdate())
    waiting = OnlineRequest.objects.filter(practice=practice, status__in=OPEN_STATUSES).count()
    try:
        promised = hours.promised_answer_time(
            schedule,
            submitted_at=now,
            within_working_hours=availability.answer_within_working_hours,
            queue_ahead=waiting,
            daily_capacity=max(availability.daily_capacity, 1),
        )
    except hours.NoOpeningWithinHorizon:
        raise PracticeNotAvailable from None  # no opening hours ahead: no promise can be made
    try:
        with transaction.atomic():
            request = OnlineRequest.objects.create(
                practice=practice,
                patient=patient,
                submitted_by=actor,
                route=route,
                self_assessment=self_assessment,
                subject=subject.strip()[:120],
                message=message.strip(),
                urgency=urgency,
                after_emergency_advice=after_emergency,
                submitted_at=now,
                promised_by=promised,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:  # the same key raced in: answer with the first one
        return OnlineRequest.objects.get(submitted_by=actor, idempotency_key=idempotency_key)
    RequestEvent.objects.create(request=request, kind=RequestEvent.Kind.SUBMITTED, author=actor)
    records.file_entry(
        patient=patient,
        kind=RecordEntry.Kind.ONLINE_REQUEST,
        title=request.subject,
        body=request.message,
        occurred_at=request.submitted_at,
        author=actor,
        source_type="consultations.onlinerequest",
        source_id=request.public_id,
    )
    for upload in attachments[:MAX_ATTACHMENTS]:
        attachment = RequestAttachment(
            request=request,
            uploaded_by=actor,
            content_type=upload.content_type,
            extension=upload.extension,
            size=len(upload.content),
            original_name=upload.original_name,
        )
        attachment.file.save("upload", ContentFile(upload.content), save=False)
        attachment.save()
        _file_attachment(attachment, upload.content, RecordEntry.Kind.SHARED_FILE)
    discard_draft(actor=actor)
    log_event(
        actor=actor,
        action="consultations.request_submitted",
        target=request,
        patient=patient,
        details={"route": route, "urgency": urgency},
    )
    _tell_team(
        request,
        _team(practice),
        "consultations.request_submitted",
        _("Nouvelle demande en ligne au cabinet"),
    )
    return request


def _require_team(actor: User, request: OnlineRequest) -> None:
    if not is_team_member(actor=actor, practice=request.practice):
        raise NotAllowed


def _locked_open(request: OnlineRequest) -> OnlineRequest:
    locked = OnlineRequest.objects.select_for_update().select_related("practice").get(pk=request.pk)
    if locked.status == OnlineRequest.Status.CLOSED:
        raise RequestClosed
    return locked


def _tell_patient(request: OnlineRequest, title: str | Promise) -> None:
    for person in {request.patient, request.submitted_by}:
        # An ended proxy is no longer told anything about the patient.
        if (
            person.is_active
            and person.has_usable_password()
            and can_act_for(actor=person, patient=request.patient)
        ):
            notify(
                recipient=person,
                kind="consultations.request_updated",
                title=title,
                url=reverse("consultations:request", args=[request.public_id]),
            )


@transaction.atomic
def assign_request(*, actor: User, request: OnlineRequest, clinician: User) -> OnlineRequest:
    """Give the request to a clinician of the practice (triage by staff or a doctor).

    Raises:
        NotAllowed: when the actor or the clinician is not of the practice's team.
    """
    request = _locked_open(request)
    _require_team(actor, request)
    if clinician.role not in DOCTOR_ROLES or not is_team_member(
        actor=clinician, practice=request.practice
    ):
        raise NotAllowed
    request.assigned_to = clinician
    if request.status == OnlineRequest.Status.SUBMITTED:
        request.status = OnlineRequest.Status.IN_REVIEW
    request.save(update_fields=["assigned_to", "status", "updated_at"])
    RequestEvent.objects.create(request=request, kind=RequestEvent.Kind.ASSIGNED, author=actor)
    log_event(
        actor=actor,
        action="consultations.request_assigned",
        target=request,
        patient=request.patient,
        details={"clinician": str(clinician.public_id)},
    )
    if clinician != actor:
        _tell_team(
            request,
            [clinician],
            "consultations.request_assigned",
            _("Une demande en ligne vous a été confiée"),
        )
    return request


@transaction.atomic
def answer_request(
    *, actor: User, request: OnlineRequest, body: str, ask_for_more: bool = False
) -> OnlineRequest:
    """The practice writes to the patient: an answer, or a question (waiting for the patient).

    Raises:
        NotAllowed: when the actor is not of the practice's team.
        RequestClosed: when the request is closed.
    """
    request = _locked_open(request)
    _require_team(actor, request)
    kind = RequestEvent.Kind.INFO_REQUESTED if ask_for_more else RequestEvent.Kind.MESSAGE
    _file_exchange(
        request,
        RequestEvent.objects.create(request=request, kind=kind, author=actor, body=body.strip()),
    )
    records.note_care_relationship(
        patient=request.patient, professional=actor, reason="online_request"
    )
    request.status = (
        OnlineRequest.Status.AWAITING_PATIENT if ask_for_more else OnlineRequest.Status.IN_REVIEW
    )
    if request.assigned_to is None and actor.role in DOCTOR_ROLES:
        request.assigned_to = actor
    request.save(update_fields=["status", "assigned_to", "updated_at"])
    log_event(actor=actor, action=f"consultations.{kind}", target=request, patient=request.patient)
    _tell_patient(request, _("Le cabinet a répondu à votre demande"))
    return request


@transaction.atomic
def reply_as_patient(*, actor: User, request: OnlineRequest, body: str) -> OnlineRequest:
    """The patient (or their proxy) adds a message to their open request.

    Raises:
        NotAllowed: when the actor may not act for the patient.
        RequestClosed: when the request is closed.
    """
    request = _locked_open(request)
    if not can_act_for(actor=actor, patient=request.patient):
        raise NotAllowed
    _file_exchange(
        request,
        RequestEvent.objects.create(
            request=request, kind=RequestEvent.Kind.PATIENT_REPLIED, author=actor, body=body.strip()
        ),
    )
    request.status = OnlineRequest.Status.IN_REVIEW
    # A reply is screened like the first message: urgency only ever goes up.
    raised = {EMERGENCY: OnlineRequest.Urgency.EMERGENCY, URGENT: OnlineRequest.Urgency.URGENT}.get(
        detect(body).level
    )
    rank = {"routine": 0, "urgent": 1, "emergency": 2}
    if raised is not None and rank[raised] > rank[request.urgency]:
        request.urgency = raised
    request.escalated_at = None  # back with the team: warn them again if the promise nears
    request.save(update_fields=["status", "urgency", "escalated_at", "updated_at"])
    log_event(
        actor=actor, action="consultations.patient_replied", target=request, patient=request.patient
    )
    _tell_team(
        request,
        _handlers(request),
        "consultations.patient_replied",
        _("Un patient a répondu à une demande en ligne"),
    )
    return request


@transaction.atomic
def close_request(*, actor: User, request: OnlineRequest, body: str = "") -> OnlineRequest:
    """Close the request, with a last message to the patient when there is one.

    Raises:
        NotAllowed: when the actor is not of the practice's team.
        RequestClosed: when it is already closed.
    """
    request = _locked_open(request)
    _require_team(actor, request)
    closing = RequestEvent.objects.create(
        request=request, kind=RequestEvent.Kind.CLOSED, author=actor, body=body.strip()
    )
    if closing.body:
        _file_exchange(request, closing)
    request.status = OnlineRequest.Status.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at", "updated_at"])
    log_event(
        actor=actor, action="consultations.request_closed", target=request, patient=request.patient
    )
    _tell_patient(request, _("Votre demande en ligne est terminée"))
    return request


@transaction.atomic
def record_request_viewed(*, actor: User, request: OnlineRequest) -> None:
    """Reading a request is an access to health data: it is traced."""
    log_event(
        actor=actor, action="consultations.request_viewed", target=request, patient=request.patient
    )


ESCALATE_BEFORE = timedelta(hours=1)


def escalate_late_requests(*, now: datetime | None = None) -> int:
    """Warn the team once when an open request nears its promised time (or has passed it)."""
    moment = now or timezone.now()
    due = OnlineRequest.objects.filter(
        escalated_at__isnull=True,
        closed_at__isnull=True,  # the partial index's condition
        status__in=(OnlineRequest.Status.SUBMITTED, OnlineRequest.Status.IN_REVIEW),
        promised_by__lte=moment + ESCALATE_BEFORE,
    ).values_list("pk", flat=True)[:500]
    warned = 0
    for pk in due:
        with transaction.atomic():
            request = (
                # of=self: PostgreSQL cannot lock the nullable side of the assignee's outer join
                OnlineRequest.objects.select_for_update(of=("self",))
                .select_related("practice", "assigned_to")
                .filter(pk=pk, escalated_at__isnull=True)
                .first()
            )
            if request is None:
                continue
            request.escalated_at = moment
            request.save(update_fields=["escalated_at", "updated_at"])
            _tell_team(
                request,
                _handlers(request),
                "consultations.request_late",
                _("Une demande en ligne arrive à l'heure de réponse promise"),
            )
            log_event(
                actor=None,
                action="consultations.request_escalated",
                target=request,
                patient=request.patient,
            )
            warned += 1
    return warned


@transaction.atomic
def configure_availability(
    *,
    actor: User,
    practice: Practice,
    accepts_online_requests: bool,
    accepts_other_patients: bool,
    opening_hours: dict[str, list[list[str]]],
    daily_capacity: int,
    answer_within_working_hours: int,
) -> PracticeAvailability:
    """Set how the practice receives online requests (its team only).

    Raises:
        NotAllowed: when the actor is not of the practice's team.
        ValidationError: for malformed opening hours.
    """
    if not is_team_member(actor=actor, practice=practice):
        raise NotAllowed
    hours.parse_opening_hours(opening_hours)
    availability, _created = PracticeAvailability.objects.select_for_update().get_or_create(
        practice=practice
    )
    availability.accepts_online_requests = accepts_online_requests
    availability.accepts_other_patients = accepts_other_patients
    availability.opening_hours = opening_hours
    availability.daily_capacity = daily_capacity
    availability.answer_within_working_hours = answer_within_working_hours
    availability.save()
    log_event(actor=actor, action="consultations.availability_changed", target=practice)
    return availability


@transaction.atomic
def add_closure(
    *, actor: User, practice: Practice, starts_on: date, ends_on: date, reason: str
) -> PracticeClosure:
    """Record days the practice is closed (promises skip them).

    Raises:
        NotAllowed: when the actor is not of the practice's team.
    """
    if not is_team_member(actor=actor, practice=practice):
        raise NotAllowed
    closure = PracticeClosure.objects.create(
        practice=practice, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )
    log_event(actor=actor, action="consultations.closure_added", target=practice)
    return closure


@transaction.atomic
def remove_closure(*, actor: User, closure: PracticeClosure) -> None:
    """Cancel a closure.

    Raises:
        NotAllowed: when the actor is not of the practice's team.
    """
    if not is_team_member(actor=actor, practice=closure.practice):
        raise NotAllowed
    closure.delete()
    log_event(actor=actor, action="consultations.closure_removed", target=closure.practice)


DRAFT_FIELDS = ("patient", "practice", "route", "subject", "message")


@transaction.atomic
def save_draft(*, actor: User, fields: dict[str, str]) -> RequestDraft:
    """Keep what the actor typed in the request form (known fields only, bounded length)."""
    kept = {key: str(fields.get(key, ""))[:4000] for key in DRAFT_FIELDS}
    draft, created = RequestDraft.objects.update_or_create(owner=actor, defaults={"fields": kept})
    if created:  # autosave runs at every pause in typing: the start is what the trail needs
        log_event(actor=actor, action="consultations.draft_started", target=draft)
    return draft


def get_draft_fields(*, actor: User) -> dict[str, str]:
    draft = RequestDraft.objects.filter(owner=actor).first()
    return dict(draft.fields) if draft else {}


def discard_draft(*, actor: User) -> None:
    RequestDraft.objects.filter(owner=actor).delete()


@transaction.atomic
def record_attachment_opened(*, actor: User, attachment: RequestAttachment) -> None:
    """Opening a patient's photo or document is an access to health data: it is traced."""
    log_event(
        actor=actor,
        action="consultations.attachment_opened",
        target=attachment,
        patient=attachment.request.patient,
    )


ORPHAN_AFTER = timedelta(days=1)


def sweep_orphan_attachments(*, now: datetime | None = None) -> int:
    """Delete attachment files that no row refers to (their transaction rolled back).

    Files younger than a day are left alone: their transaction may still be running.
    """
    moment = now or timezone.now()
    storage = RequestAttachment._meta.get_field("file").storage
    known = set(RequestAttachment.objects.values_list("file", flat=True))
    removed = 0
    try:
        folders, _files = storage.listdir("requests")
    except FileNotFoundError:
        return 0
    for folder in folders:
        _subfolders, names = storage.listdir(f"requests/{folder}")
        for name in names:
            path = f"requests/{folder}/{name}"
            if path in known or moment - storage.get_modified_time(path) < ORPHAN_AFTER:
                continue
            storage.delete(path)
            removed += 1
    return removed


DOCUMENT_TITLES = {"prescription": _("Ordonnance"), "certificate": _("Certificat médical")}


@transaction.atomic
def issue_document(
    *, actor: User, request: OnlineRequest, kind: str, text: str
) -> RequestAttachment:
    """Write a prescription or a certificate as a PDF joined to the request.

    The document carries the prescriber's RPPS, the patient, the date and the emergency line.

    Raises:
        NotAllowed: when the actor is not a doctor of the practice's team.
        RequestClosed: when the request is closed.
    """
    from weasyprint import HTML  # loaded when needed: importing it costs a few hundred ms

    request = _locked_open(request)
    _require_team(actor, request)
    if actor.role not in DOCTOR_ROLES or kind not in DOCUMENT_TITLES:
        raise NotAllowed
    with translation.override("fr"):  # the document is French, whoever reads the interface
        title = str(DOCUMENT_TITLES[kind])
        html = render_to_string(
            "consultations/documents/document.html",
            {
                "title": title,
                "doctor": actor,
                "practice": request.practice,
                "patient": request.patient,
                "issued_on": timezone.localdate(),
                "lines": [line.strip() for line in text.splitlines() if line.strip()],
                "reference": str(request.public_id)[:8],
            },
        )
    pdf = HTML(string=html).write_pdf()
    attachment = RequestAttachment(
        request=request,
        uploaded_by=actor,
        content_type="application/pdf",
        extension=".pdf",
        size=len(pdf),
        original_name=f"{title.lower().replace(' ', '-')}.pdf",
    )
    attachment.file.save("document", ContentFile(pdf), save=False)
    attachment.save()
    _file_attachment(
        attachment,
        pdf,
        RecordEntry.Kind.PRESCRIPTION if kind == "prescription" else RecordEntry.Kind.CERTIFICATE,
        title=title,
        body=text.strip(),
    )
    records.note_care_relationship(
        patient=request.patient, professional=actor, reason="online_request"
    )
    RequestEvent.objects.create(
        request=request, kind=RequestEvent.Kind.MESSAGE, author=actor, body=title
    )
    if request.assigned_to is None:
        request.assigned_to = actor
    request.status = OnlineRequest.Status.IN_REVIEW
    request.save(update_fields=["assigned_to", "status", "updated_at"])
    log_event(
        actor=actor,
        action=f"consultations.{kind}_issued",
        target=attachment,
        patient=request.patient,
    )
    _tell_patient(request, _("Le cabinet a déposé un document dans votre demande"))
    return attachment
