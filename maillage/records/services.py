"""Writes of the record: filing what other journeys produce, care relationships, grants, masks.

`file_entry` and `note_care_relationship` are called by the services of consultations,
teleconsultation, triage… inside their own transaction, so an entry exists exactly when the
thing it records does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.selectors import can_act_for
from maillage.audit.services import log_event
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.records.models import (
    AccessGrant,
    CareRelationship,
    EntryMask,
    RecordEntry,
    RecordExport,
)

# How long a consultation or a request keeps the professional's access to the record.
CARE_RELATIONSHIP_LASTS = timedelta(days=90)


def file_entry(
    *,
    patient: User,
    kind: str,
    title: str,
    body: str = "",
    occurred_at: datetime | None = None,
    author: User | None = None,
    source_type: str,
    source_id: UUID,
    document: bytes | None = None,
    file_name: str = "",
    content_type: str = "",
    extension: str = "",
) -> RecordEntry:
    """File an item in the patient's record (idempotent on source and kind).

    Must run inside the transaction that creates the source, which also audits it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("file_entry must run in the transaction of what it records")
    existing = RecordEntry.objects.filter(
        source_type=source_type, source_id=source_id, kind=kind
    ).first()
    if existing is not None:
        return existing
    entry = RecordEntry(
        patient=patient,
        kind=kind,
        title=title[:200],
        body=body,
        occurred_at=occurred_at or timezone.now(),
        author=author,
        source_type=source_type,
        source_id=source_id,
        file_name=file_name[:120],
        content_type=content_type,
        extension=extension,
    )
    if document is not None:
        entry.file.save("document", ContentFile(document), save=False)
    entry.save()
    return entry


def note_care_relationship(
    *, patient: User, professional: User, reason: str, until: datetime | None = None
) -> CareRelationship | None:
    """Open (or extend) a doctor's access to the record for the care they give.

    Practice staff handle requests but are not caregivers: they get no access to the record.
    """
    if professional.role not in DOCTOR_ROLES:
        return None
    now = timezone.now()
    ends_at = max(until or now, now) + CARE_RELATIONSHIP_LASTS
    relationship, created = CareRelationship.objects.get_or_create(
        patient=patient,
        professional=professional,
        reason=reason,
        defaults={"starts_at": now, "ends_at": ends_at},
    )
    if not created and relationship.ends_at < ends_at:
        opened_again = relationship.ends_at <= now
        relationship.ends_at = ends_at
        if opened_again:
            relationship.starts_at = now
        relationship.save(update_fields=["ends_at", "starts_at"])
        created = opened_again
    if created:
        log_event(
            actor=None,
            action="records.care_access_opened",
            target=relationship,
            patient=patient,
            details={"professional": professional.pk, "reason": reason},
        )
    return relationship


def end_care_relationship(*, patient: User, professional: User, reason: str) -> None:
    """The care did not happen (a cancelled booking): the access it opened closes now."""
    now = timezone.now()
    for relationship in CareRelationship.objects.filter(
        patient=patient, professional=professional, reason=reason, ends_at__gt=now
    ):
        relationship.ends_at = now
        relationship.save(update_fields=["ends_at"])
        log_event(
            actor=None,
            action="records.care_access_closed",
            target=relationship,
            patient=patient,
            details={"professional": professional.pk, "reason": reason},
        )


class NotAProfessional(DomainError):
    default_message = _("Seul un médecin peut recevoir l'accès à votre dossier.")


@transaction.atomic
def grant_access(*, actor: User, patient: User, professional: User) -> AccessGrant:
    if not can_act_for(actor=actor, patient=patient):
        raise NotAllowed
    if professional.role not in DOCTOR_ROLES or not professional.is_active:
        raise NotAProfessional
    try:
        with transaction.atomic():
            grant = AccessGrant.objects.create(
                patient=patient, professional=professional, granted_by=actor
            )
    except IntegrityError:
        return AccessGrant.objects.get(
            patient=patient, professional=professional, revoked_at__isnull=True
        )
    log_event(actor=actor, action="records.access_granted", target=grant, patient=patient)
    return grant


@transaction.atomic
def revoke_access(*, actor: User, grant: AccessGrant) -> None:
    if not can_act_for(actor=actor, patient=grant.patient):
        raise NotAllowed
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at", "updated_at"])
        log_event(actor=actor, action="records.access_revoked", target=grant, patient=grant.patient)


@transaction.atomic
def mask_entry(*, actor: User, entry: RecordEntry, professional: User) -> EntryMask:
    """Hide an entry from a professional. The author of a document always keeps it."""
    if not can_act_for(actor=actor, patient=entry.patient):
        raise NotAllowed
    if entry.author_id == professional.pk:
        raise DomainError(_("Le professionnel qui a rédigé ce document le garde dans son dossier."))
    mask, created = EntryMask.objects.get_or_create(
        entry=entry, professional=professional, defaults={"masked_by": actor}
    )
    if created:
        log_event(
            actor=actor,
            action="records.entry_masked",
            target=entry,
            patient=entry.patient,
            details={"professional": professional.pk},
        )
    return mask


@transaction.atomic
def unmask_entry(*, actor: User, mask: EntryMask) -> None:
    entry = mask.entry
    if not can_act_for(actor=actor, patient=entry.patient):
        raise NotAllowed
    log_event(
        actor=actor,
        action="records.entry_unmasked",
        target=entry,
        patient=entry.patient,
        details={"professional": mask.professional_id},
    )
    mask.delete()


def record_viewed(*, actor: User, patient: User, why: str) -> None:
    """A read of the record is an access to health data: traced, with the basis of access."""
    with transaction.atomic():
        log_event(actor=actor, action="records.timeline_viewed", patient=patient, reason=why)


def entry_document_viewed(*, actor: User, entry: RecordEntry, why: str) -> None:
    with transaction.atomic():
        log_event(
            actor=actor,
            action="records.document_viewed",
            target=entry,
            patient=entry.patient,
            reason=why,
        )


def export_downloaded(*, actor: User, export: RecordExport) -> None:
    with transaction.atomic():
        log_event(
            actor=actor, action="records.export_downloaded", target=export, patient=export.patient
        )
