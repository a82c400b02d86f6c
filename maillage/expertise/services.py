"""Tele-expertise (J4): ask, take, ask for more, answer; file the answer; bill TE2 and RQD.

Audited in their transaction; the other side is notified after commit with a title that says
that something happened, never what.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.specialties import Specialty
from maillage.audit.services import log_event
from maillage.billing.parcours import ParcoursRule, ParcoursStatus, ParcoursVerdict
from maillage.billing.selectors import count_acts_in_year
from maillage.billing.services import record_act
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.uploads import CleanUpload
from maillage.directory.models import PracticeMembership
from maillage.expertise.models import ExpertiseAttachment, ExpertiseMessage, ExpertiseRequest
from maillage.expertise.selectors import list_specialists
from maillage.notifications.services import notify
from maillage.records import services as records
from maillage.records.models import RecordEntry
from maillage.records.selectors import professional_basis

ANSWER_WITHIN = timedelta(days=7)  # vidal.fr: the requested doctor answers within 7 days
REMIND_BEFORE = timedelta(hours=24)
# At most 4 tele-expertises a year per patient, per requested doctor and per requester
# (REGULATION §2.3). Counted by calendar year in France [VERIFY: rolling 12 months?].
YEARLY_LIMIT = 4
MAX_ATTACHMENTS = 5
TELEEXPERTISE_BILLING = ParcoursVerdict(
    ParcoursStatus.REIMBURSABLE,
    ParcoursRule.TELEEXPERTISE,
    _(
        "Téléexpertise : prise en charge à 100 % par l'Assurance Maladie, en tiers payant, sans dépassement."
    ),
)


class ConsentMissing(DomainError):
    default_message = _(
        "Indiquez l'accord du patient, ou pourquoi il n'a pas pu être recueilli, avant d'envoyer."
    )


class NotForThisSpecialist(DomainError):
    default_message = _("Ce médecin n'exerce pas la spécialité demandée.")


class ExpertiseClosed(DomainError):
    default_message = _("Cette demande de téléexpertise est close.")


def _url(request: ExpertiseRequest) -> str:
    return reverse("expertise:detail", args=[request.public_id])


def _tell(people: Sequence[User], request: ExpertiseRequest, title: Promise) -> None:
    for person in people:
        notify(recipient=person, kind="expertise", title=title, url=_url(request))


def _specialty_of(user: User) -> str | None:
    professional = getattr(user, "professional", None)
    return professional.specialty if professional is not None else None


@transaction.atomic
def request_expertise(
    *,
    actor: User,
    patient: User,
    specialty: str,
    specialist: User | None,
    question: str,
    context: str,
    consent: str,
    consent_note: str,
    idempotency_key: UUID,
    attachments: Sequence[CleanUpload] = (),
) -> ExpertiseRequest:
    """Send a question about a patient to a specialty or a named specialist.

    Raises:
        NotAllowed: the actor is not a doctor who cares for this patient.
        ConsentMissing: no consent recorded, and no reason why.
        NotForThisSpecialist: the named doctor does not practise the specialty.
    """
    if (
        actor.role not in DOCTOR_ROLES
        or professional_basis(professional=actor, patient=patient) is None
    ):
        raise NotAllowed
    if consent not in ExpertiseRequest.Consent.values or (
        consent == ExpertiseRequest.Consent.IMPOSSIBLE and not consent_note.strip()
    ):
        raise ConsentMissing
    if specialty not in Specialty.values:
        raise DomainError(_("Choisissez une spécialité dans la liste."))
    if specialist is not None and (
        specialist.pk == actor.pk
        or not list_specialists(specialty=specialty).filter(pk=specialist.pk).exists()
    ):
        raise NotForThisSpecialist
    existing = ExpertiseRequest.objects.filter(
        requester=actor, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            request = ExpertiseRequest.objects.create(
                requester=actor,
                patient=patient,
                specialty=specialty,
                requested_specialist=specialist,
                question=question.strip(),
                context=context.strip(),
                consent=consent,
                consent_note=consent_note.strip()[:300],
                consent_recorded_at=now,
                submitted_at=now,
                due_at=now + ANSWER_WITHIN,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:  # a double submit raced in: answer with the first one
        return ExpertiseRequest.objects.get(requester=actor, idempotency_key=idempotency_key)
    _save_attachments(request, actor, attachments)
    log_event(
        actor=actor,
        action="expertise.requested",
        target=request,
        patient=patient,
        details={"specialty": specialty, "named": specialist is not None, "consent": consent},
    )
    recipients = (
        [specialist]
        if specialist is not None
        else list(list_specialists(specialty=specialty).exclude(pk=actor.pk))
    )
    _tell(recipients, request, _("Nouvelle demande de téléexpertise"))
    return request


def _save_attachments(
    request: ExpertiseRequest, actor: User, attachments: Sequence[CleanUpload]
) -> None:
    """Files already cleaned (type from the bytes, images re-encoded without metadata)."""
    for upload in attachments[:MAX_ATTACHMENTS]:
        attachment = ExpertiseAttachment(
            request=request,
            uploaded_by=actor,
            content_type=upload.content_type,
            extension=upload.extension,
            size=len(upload.content),
            original_name=upload.original_name[:120],
        )
        attachment.file.save("upload", ContentFile(upload.content), save=False)
        attachment.save()


def _locked(request: ExpertiseRequest) -> ExpertiseRequest:
    locked = (
        ExpertiseRequest.objects.select_for_update(of=("self",))
        .select_related("requester", "patient", "assigned_to")
        .get(pk=request.pk)
    )
    if not locked.is_open:
        raise ExpertiseClosed
    return locked


def _may_take(actor: User, request: ExpertiseRequest) -> bool:
    return (
        actor.role in DOCTOR_ROLES
        and actor.pk != request.requester_id
        and _specialty_of(actor) == request.specialty
        and request.requested_specialist_id in (None, actor.pk)
    )


def _take(actor: User, request: ExpertiseRequest) -> None:
    """The specialist takes the request: it is theirs, and they may read the record."""
    if request.assigned_to_id == actor.pk:
        return
    if request.assigned_to_id is not None or not _may_take(actor, request):
        raise NotAllowed
    request.assigned_to = actor
    if request.status == ExpertiseRequest.Status.SUBMITTED:
        request.status = ExpertiseRequest.Status.IN_PROGRESS
    request.save(update_fields=["assigned_to", "status", "updated_at"])
    records.note_care_relationship(
        patient=request.patient, professional=actor, reason="expertise", until=request.due_at
    )
    log_event(actor=actor, action="expertise.taken", target=request, patient=request.patient)


@transaction.atomic
def take_request(*, actor: User, request: ExpertiseRequest) -> ExpertiseRequest:
    request = _locked(request)
    _take(actor, request)
    _tell([request.requester], request, _("Un spécialiste a pris en charge votre téléexpertise"))
    return request


@transaction.atomic
def ask_for_more(*, actor: User, request: ExpertiseRequest, body: str) -> ExpertiseRequest:
    request = _locked(request)
    _take(actor, request)
    ExpertiseMessage.objects.create(
        request=request, kind=ExpertiseMessage.Kind.INFO_REQUESTED, author=actor, body=body.strip()
    )
    request.status = ExpertiseRequest.Status.AWAITING_INFO
    request.save(update_fields=["status", "updated_at"])
    log_event(
        actor=actor, action="expertise.info_requested", target=request, patient=request.patient
    )
    _tell([request.requester], request, _("Le spécialiste demande une précision"))
    return request


@transaction.atomic
def give_more(
    *,
    actor: User,
    request: ExpertiseRequest,
    body: str,
    attachments: Sequence[CleanUpload] = (),
) -> ExpertiseRequest:
    request = _locked(request)
    if actor.pk != request.requester_id:
        raise NotAllowed
    ExpertiseMessage.objects.create(
        request=request, kind=ExpertiseMessage.Kind.INFO_GIVEN, author=actor, body=body.strip()
    )
    _save_attachments(request, actor, attachments)
    if request.status == ExpertiseRequest.Status.AWAITING_INFO:
        request.status = ExpertiseRequest.Status.IN_PROGRESS
        request.save(update_fields=["status", "updated_at"])
    log_event(actor=actor, action="expertise.info_given", target=request, patient=request.patient)
    if request.assigned_to is not None:
        _tell([request.assigned_to], request, _("Le médecin requérant a répondu"))
    return request


@transaction.atomic
def answer_request(*, actor: User, request: ExpertiseRequest, body: str) -> ExpertiseRequest:
    """The specialist's opinion, filed in the patient's record and sent to the requester.

    The médecin traitant is told too; TE2 is billed for the specialist, RQD for the requester.
    """
    text = body.strip()
    if not text:
        raise DomainError(_("Écrivez votre avis avant de l'envoyer."))
    request = _locked(request)
    _take(actor, request)
    now = timezone.now()
    ExpertiseMessage.objects.create(
        request=request, kind=ExpertiseMessage.Kind.ANSWER, author=actor, body=text
    )
    request.status = ExpertiseRequest.Status.ANSWERED
    request.answered_at = now
    request.billing_note = _bill(actor, request, now)
    request.save(update_fields=["status", "answered_at", "billing_note", "updated_at"])
    specialty = Specialty(request.specialty).label
    records.file_entry(
        patient=request.patient,
        kind=RecordEntry.Kind.EXPERTISE,
        title=f"Avis de téléexpertise ({specialty}) — {actor.display_name}",
        body=f"Question de {request.requester.display_name} :\n{request.question}\n\nAvis :\n{text}",
        occurred_at=now,
        author=actor,
        source_type="expertise.expertiserequest",
        source_id=request.public_id,
    )
    log_event(
        actor=actor,
        action="expertise.answered",
        target=request,
        patient=request.patient,
        details={"hours": round((now - request.submitted_at).total_seconds() / 3600, 1)},
    )
    _tell([request.requester], request, _("Le spécialiste a rendu son avis"))
    treating = request.patient.treating_declarations.filter(ended_at__isnull=True).first()
    if treating is not None and treating.doctor_id not in (request.requester_id, actor.pk):
        notify(
            recipient=treating.doctor,
            kind="expertise",
            title=_("Un avis de téléexpertise concerne un de vos patients"),
            url=reverse("records:timeline", args=[request.patient.public_id]),
        )
    return request


def _same_site(first: User, second: User) -> bool:
    mine = PracticeMembership.objects.filter(user=first, ended_at__isnull=True).values(
        "practice_id"
    )
    return PracticeMembership.objects.filter(
        user=second, ended_at__isnull=True, practice_id__in=mine
    ).exists()


def _bill(specialist: User, request: ExpertiseRequest, moment: datetime) -> str:
    """TE2 to the specialist and RQD to the requester, within the legal limits.

    Returns why something was not billed ("" when both acts were).
    """
    if _same_site(specialist, request.requester):
        return str(_("Non facturable : le requérant et le requis exercent sur le même site."))
    year = timezone.localtime(moment).year
    notes: list[str] = []
    pairs = [
        ("TE2", specialist, "teleexpertise_answer"),
        ("RQD", request.requester, "teleexpertise_request"),
    ]
    for code, doctor, kind in pairs:
        done = count_acts_in_year(code=code, doctor=doctor, patient=request.patient, year=year)
        if done >= YEARLY_LIMIT:
            notes.append(
                str(
                    _(
                        "%(code)s non facturé : %(limit)s actes déjà facturés cette année pour ce patient."
                    )
                    % {"code": code, "limit": YEARLY_LIMIT}
                )
            )
            continue
        record_act(
            actor=specialist,
            doctor=doctor,
            patient=request.patient,
            code=code,
            performed_at=moment,
            source_kind=kind,
            source_id=request.public_id,
            video=False,
            parcours=TELEEXPERTISE_BILLING,
            counts_toward_cap=False,  # tele-expertise is outside the 20 % cap
        )
    return " ".join(notes)


@transaction.atomic
def cancel_request(*, actor: User, request: ExpertiseRequest) -> ExpertiseRequest:
    request = _locked(request)
    if actor.pk != request.requester_id:
        raise NotAllowed
    request.status = ExpertiseRequest.Status.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    log_event(actor=actor, action="expertise.cancelled", target=request, patient=request.patient)
    if request.assigned_to is not None:
        _tell([request.assigned_to], request, _("Une demande de téléexpertise a été annulée"))
    return request


def record_viewed(*, actor: User, request: ExpertiseRequest) -> None:
    with transaction.atomic():
        log_event(actor=actor, action="expertise.viewed", target=request, patient=request.patient)


def record_attachment_opened(*, actor: User, attachment: ExpertiseAttachment) -> None:
    with transaction.atomic():
        log_event(
            actor=actor,
            action="expertise.attachment_opened",
            target=attachment,
            patient=attachment.request.patient,
        )


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind once, a day before the seven-day limit, whoever holds an unanswered request."""
    moment = now or timezone.now()
    due = ExpertiseRequest.objects.filter(
        reminded_at__isnull=True,
        answered_at__isnull=True,
        status__in=[
            ExpertiseRequest.Status.SUBMITTED,
            ExpertiseRequest.Status.IN_PROGRESS,
            ExpertiseRequest.Status.AWAITING_INFO,
        ],
        due_at__lte=moment + REMIND_BEFORE,
    ).values_list("pk", flat=True)[:500]
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            request = (
                ExpertiseRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, reminded_at__isnull=True)
                .select_related("assigned_to", "requested_specialist")
                .first()
            )
            if request is None:
                continue
            request.reminded_at = timezone.now()
            request.save(update_fields=["reminded_at", "updated_at"])
            holder = request.assigned_to or request.requested_specialist
            people = (
                [holder]
                if holder is not None
                else list(
                    list_specialists(specialty=request.specialty).exclude(pk=request.requester_id)
                )
            )
            _tell(people, request, _("Une téléexpertise attend votre avis (échéance proche)"))
            sent += 1
    return sent
