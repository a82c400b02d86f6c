"""Reads of the record, scoped to the actor.

Who may read a patient's record: the patient, their proxies, their médecin traitant, a
professional with an active care relationship or an explicit grant. Everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.selectors import can_act_for
from maillage.audit.models import AuditEvent
from maillage.directory.models import TreatingDoctorDeclaration
from maillage.records.models import (
    AccessGrant,
    CareRelationship,
    EntryMask,
    PrivacyRequest,
    RecordEntry,
    RecordExport,
)

PAGE_SIZE = 30


@dataclass(frozen=True)
class RecordAccess:
    patient: User
    basis: str  # patient, proxy, treating_doctor, care, grant
    professional: bool

    @property
    def why(self) -> str:
        return self.basis


def access_to_record(*, actor: User, patient_id: UUID) -> RecordAccess:
    """The actor's basis for reading the patient's record; 404 when there is none."""
    patient = User.objects.select_related("patient_profile").filter(public_id=patient_id).first()
    if patient is None or not hasattr(patient, "patient_profile"):
        raise Http404
    if actor.pk == patient.pk:
        return RecordAccess(patient, "patient", False)
    if can_act_for(actor=actor, patient=patient):
        return RecordAccess(patient, "proxy", False)
    if actor.role in DOCTOR_ROLES:
        basis = professional_basis(professional=actor, patient=patient)
        if basis is not None:
            return RecordAccess(patient, basis, True)
    raise Http404


def professional_basis(*, professional: User, patient: User) -> str | None:
    now = timezone.now()
    if TreatingDoctorDeclaration.objects.filter(
        patient=patient, doctor=professional, ended_at__isnull=True
    ).exists():
        return "treating_doctor"
    if CareRelationship.objects.filter(
        patient=patient, professional=professional, ends_at__gt=now
    ).exists():
        return "care"
    if AccessGrant.objects.filter(
        patient=patient, professional=professional, revoked_at__isnull=True
    ).exists():
        return "grant"
    return None


@dataclass(frozen=True)
class Timeline:
    entries: list[RecordEntry]
    hidden_count: int
    next_cursor: str | None


def _cursor_filter(cursor: str | None) -> Q:
    """Keyset pagination on (occurred_at, id), newest first: fast however long the record."""
    if not cursor:
        return Q()
    try:
        stamp, _sep, raw_id = cursor.partition("~")
        moment = datetime.fromisoformat(stamp)
        last_id = int(raw_id)
    except ValueError:
        return Q()
    return Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=last_id)


def entries_visible_to(
    *, actor: User, patient_ids: Iterable[int], as_professional: bool
) -> QuerySet[RecordEntry]:
    """The entries of these records the actor may see: a professional's masks are applied.

    The one masking rule of the platform: the pages and the FHIR API both read through it.
    """
    entries = RecordEntry.objects.filter(patient_id__in=list(patient_ids))
    if as_professional:
        entries = entries.exclude(
            pk__in=EntryMask.objects.filter(professional=actor).values("entry_id")
        )
    return entries


def list_timeline(
    *,
    access: RecordAccess,
    actor: User,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
    search: str = "",
    cursor: str | None = None,
) -> Timeline:
    """The patient's entries the actor may see, newest first, filtered and paginated."""
    entries = entries_visible_to(
        actor=actor, patient_ids=[access.patient.pk], as_professional=access.professional
    )
    hidden_count = 0
    if access.professional:
        hidden_count = EntryMask.objects.filter(
            professional=actor, entry__patient=access.patient
        ).count()
    if kind in RecordEntry.Kind.values:
        entries = entries.filter(kind=kind)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(occurred_at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        entries = entries.filter(
            occurred_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        )
    if search.strip():
        words = search.strip()[:100]
        entries = entries.filter(Q(title__icontains=words) | Q(body__icontains=words))
    page = list(
        entries.filter(_cursor_filter(cursor))
        .select_related("author")
        .order_by("-occurred_at", "-id")[: PAGE_SIZE + 1]
    )
    next_cursor = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        last = page[-1]
        next_cursor = f"{last.occurred_at.isoformat()}~{last.pk}"
    return Timeline(page, hidden_count, next_cursor)


def get_entry_for(*, actor: User, entry_id: UUID) -> tuple[RecordEntry, RecordAccess]:
    entry = RecordEntry.objects.select_related("patient").filter(public_id=entry_id).first()
    if entry is None:
        raise Http404
    access = access_to_record(actor=actor, patient_id=entry.patient.public_id)
    if access.professional and EntryMask.objects.filter(entry=entry, professional=actor).exists():
        raise Http404
    return entry, access


def list_professionals_with_access(*, patient: User) -> list[tuple[User, str]]:
    """Who can read the record today, and why (for the patient's privacy page)."""
    now = timezone.now()
    people: dict[int, tuple[User, str]] = {}
    for declaration in TreatingDoctorDeclaration.objects.filter(
        patient=patient, ended_at__isnull=True
    ).select_related("doctor"):
        people[declaration.doctor_id] = (declaration.doctor, "treating_doctor")
    for relation in CareRelationship.objects.filter(
        patient=patient, ends_at__gt=now
    ).select_related("professional"):
        people.setdefault(relation.professional_id, (relation.professional, "care"))
    for grant in AccessGrant.objects.filter(
        patient=patient, revoked_at__isnull=True
    ).select_related("professional"):
        people.setdefault(grant.professional_id, (grant.professional, "grant"))
    return sorted(people.values(), key=lambda item: item[0].last_name)


def list_masks(*, patient: User) -> QuerySet[EntryMask]:
    return EntryMask.objects.filter(entry__patient=patient).select_related("entry", "professional")


def list_grants(*, patient: User) -> QuerySet[AccessGrant]:
    return AccessGrant.objects.filter(patient=patient, revoked_at__isnull=True).select_related(
        "professional"
    )


BASIS_LABELS = {
    "patient": _("vous-même"),
    "proxy": _("votre mandataire"),
    "treating_doctor": _("médecin traitant"),
    "care": _("prise en charge en cours"),
    "grant": _("accès que vous avez donné"),
}


def list_accesses(
    *, patient: User, cursor: int | None = None
) -> tuple[list[AuditEvent], int | None]:
    """Every event of the audit trail about the patient, newest first ("who saw my record")."""
    events = AuditEvent.objects.filter(patient=patient).select_related("actor")
    if cursor:
        events = events.filter(id__lt=cursor)
    page = list(events.order_by("-id")[: PAGE_SIZE + 1])
    next_cursor = page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None
    return page[:PAGE_SIZE], next_cursor


def list_exports(*, actor: User, patient: User) -> QuerySet[RecordExport]:
    return RecordExport.objects.filter(patient=patient, requested_by=actor).order_by("-created_at")[
        :10
    ]


def get_export_for(*, actor: User, export_id: UUID) -> RecordExport:
    """Only the person who asked for an export downloads it, while it is ready."""
    export = (
        RecordExport.objects.select_related("patient")
        .filter(
            public_id=export_id,
            requested_by=actor,
            status=RecordExport.Status.READY,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if export is None or not can_act_for(actor=actor, patient=export.patient):
        raise Http404
    return export


def list_privacy_requests(*, patient: User) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(patient=patient).order_by("-received_at")


def list_open_privacy_requests() -> QuerySet[PrivacyRequest]:
    """The operator's queue: unanswered requests, the nearest legal deadline first."""
    return (
        PrivacyRequest.objects.filter(answered_at__isnull=True)
        .select_related("patient", "requested_by")
        .order_by("due_at", "id")
    )


def get_privacy_request(*, request_id: UUID) -> PrivacyRequest:
    return get_object_or_404(
        PrivacyRequest.objects.select_related("patient", "requested_by"), public_id=request_id
    )
