"""Data-protection requests and their legal clocks; the operator answers them.

Access: 8 days, 2 months when the information is more than 5 years old (L.1111-7 and R.1111-1
CSP). Rectification, erasure, objection: one month (GDPR art. 12(3)). Erasure of the medical
record is refused with its legal reason (GDPR art. 17(3)(b) and (c); R.1112-7 CSP); the account
itself can be closed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Role, User
from maillage.accounts.selectors import can_act_for
from maillage.audit.services import log_event
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.notifications.services import notify
from maillage.records.models import PrivacyRequest, RecordEntry

ACCESS_DELAY = timedelta(days=8)
OLD_INFORMATION_DELAY = timedelta(days=61)  # "deux mois"
OLD_INFORMATION = timedelta(days=5 * 365)
GDPR_DELAY = timedelta(days=30)  # "un mois"
RECORD_ERASURE_REFUSAL = _(
    "Le dossier médical ne peut pas être effacé : il doit être conservé 20 ans après le dernier "
    "soin (article R.1112-7 du code de la santé publique ; RGPD, article 17, paragraphe 3, b et "
    "c). Les autres données (compte, messages hors dossier) peuvent l'être."
)


def due_date(*, kind: str, patient: User, received_at: datetime) -> datetime:
    if kind != PrivacyRequest.Kind.ACCESS:
        return received_at + GDPR_DELAY
    oldest = (
        RecordEntry.objects.filter(patient=patient)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if oldest is not None and received_at - oldest > OLD_INFORMATION:
        return received_at + OLD_INFORMATION_DELAY
    return received_at + ACCESS_DELAY


@transaction.atomic
def file_request(*, actor: User, patient: User, kind: str, details: str) -> PrivacyRequest:
    if not can_act_for(actor=actor, patient=patient):
        raise NotAllowed
    if kind not in PrivacyRequest.Kind.values:
        raise DomainError(_("Choisissez le type de demande dans la liste."))
    now = timezone.now()
    request = PrivacyRequest.objects.create(
        patient=patient,
        requested_by=actor,
        kind=kind,
        details=details.strip()[:4000],
        received_at=now,
        due_at=due_date(kind=kind, patient=patient, received_at=now),
    )
    log_event(
        actor=actor,
        action="records.privacy_requested",
        target=request,
        patient=patient,
        details={"kind": kind},
    )
    url = reverse("operations:privacy_queue")
    for operator in User.objects.filter(role=Role.OPERATOR, is_active=True):
        notify(
            recipient=operator,
            kind="records.privacy",
            title=_("Nouvelle demande relative aux données personnelles"),
            url=url,
            by_email=True,
        )
    return request


@transaction.atomic
def answer_request(
    *, actor: User, request: PrivacyRequest, status: str, answer: str, close_account: bool = False
) -> PrivacyRequest:
    if not actor.has_role(Role.OPERATOR):
        raise NotAllowed
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    if request.answered_at is not None:
        raise DomainError(_("Cette demande a déjà reçu une réponse."))
    if status not in (
        PrivacyRequest.Status.ANSWERED,
        PrivacyRequest.Status.PARTLY,
        PrivacyRequest.Status.REFUSED,
    ):
        raise DomainError(_("Choisissez l'issue de la demande."))
    text = answer.strip()
    if request.kind == PrivacyRequest.Kind.ERASURE and status != PrivacyRequest.Status.ANSWERED:
        text = f"{text}\n\n{RECORD_ERASURE_REFUSAL}".strip()
    if not text:
        raise DomainError(_("Écrivez la réponse envoyée à la personne."))
    request.status = status
    request.answer = text
    request.answered_at = timezone.now()
    request.answered_by = actor
    request.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
    if close_account and request.kind == PrivacyRequest.Kind.ERASURE:
        # The account closes; the record stays (legal retention), without a login.
        User.objects.filter(pk=request.patient_id).update(is_active=False)
        log_event(actor=actor, action="records.account_closed", patient=request.patient)
    log_event(
        actor=actor,
        action="records.privacy_answered",
        target=request,
        patient=request.patient,
        details={"status": status},
    )
    notify(
        recipient=request.requested_by,
        kind="records.privacy",
        title=_("Votre demande relative à vos données a reçu une réponse"),
        url=reverse("records:rights", args=[request.patient.public_id]),
    )
    return request
