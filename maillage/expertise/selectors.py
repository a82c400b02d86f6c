"""Reads of tele-expertise, scoped to the actor.

The requester, the specialist who took the request, and — while nobody has taken it — the
specialists it is addressed to (the named one, or those of the specialty) see a request;
everyone else gets 404.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.directory.models import TreatingDoctorDeclaration
from maillage.expertise.models import ExpertiseAttachment, ExpertiseRequest
from maillage.records.models import AccessGrant, CareRelationship


def _specialty_of(actor: User) -> str | None:
    professional = getattr(actor, "professional", None)
    return professional.specialty if professional is not None else None


def _offered_to(actor: User) -> Q:
    """Unassigned requests addressed to this specialist, by name or by specialty."""
    specialty = _specialty_of(actor)
    if specialty is None:
        return Q(pk__in=[])
    return Q(
        assigned_to__isnull=True,
        status=ExpertiseRequest.Status.SUBMITTED,
        specialty=specialty,
    ) & (Q(requested_specialist__isnull=True) | Q(requested_specialist=actor))


def _visible_to(actor: User) -> QuerySet[ExpertiseRequest]:
    if actor.role not in DOCTOR_ROLES:
        return ExpertiseRequest.objects.none()
    return ExpertiseRequest.objects.filter(
        Q(requester=actor) | Q(assigned_to=actor) | _offered_to(actor)
    )


def get_request_for(*, actor: User, request_id: UUID) -> ExpertiseRequest:
    return get_object_or_404(
        _visible_to(actor).select_related(
            "requester__professional",
            "patient__patient_profile",
            "assigned_to__professional",
            "requested_specialist",
        ),
        public_id=request_id,
    )


def list_received(*, actor: User) -> QuerySet[ExpertiseRequest]:
    """Open requests for this specialist: theirs and those they may take, by due date."""
    if actor.role not in DOCTOR_ROLES:
        return ExpertiseRequest.objects.none()
    open_statuses = [
        ExpertiseRequest.Status.SUBMITTED,
        ExpertiseRequest.Status.IN_PROGRESS,
        ExpertiseRequest.Status.AWAITING_INFO,
    ]
    return (
        ExpertiseRequest.objects.filter(
            Q(assigned_to=actor, status__in=open_statuses) | _offered_to(actor)
        )
        .exclude(requester=actor)
        .select_related("requester", "patient__patient_profile", "assigned_to")
        .order_by("due_at", "id")
    )


def list_sent(*, actor: User, limit: int = 100) -> QuerySet[ExpertiseRequest]:
    return (
        ExpertiseRequest.objects.filter(requester=actor)
        .select_related("patient", "assigned_to")
        .order_by("-submitted_at")[:limit]
    )


def list_answered_for(*, actor: User, limit: int = 50) -> QuerySet[ExpertiseRequest]:
    return (
        ExpertiseRequest.objects.filter(assigned_to=actor, status=ExpertiseRequest.Status.ANSWERED)
        .select_related("requester", "patient")
        .order_by("-answered_at")[:limit]
    )


def list_patients_for_expertise(*, actor: User) -> QuerySet[User]:
    """Patients a doctor may ask about: theirs as médecin traitant, in care, or by grant."""
    now = timezone.now()
    treated = TreatingDoctorDeclaration.objects.filter(doctor=actor, ended_at__isnull=True).values(
        "patient_id"
    )
    cared = CareRelationship.objects.filter(professional=actor, ends_at__gt=now).values(
        "patient_id"
    )
    granted = AccessGrant.objects.filter(professional=actor, revoked_at__isnull=True).values(
        "patient_id"
    )
    return (
        User.objects.filter(Q(pk__in=treated) | Q(pk__in=cared) | Q(pk__in=granted))
        .select_related("patient_profile")
        .order_by("last_name", "first_name")
    )


def list_specialists(*, specialty: str | None = None) -> QuerySet[User]:
    specialists = User.objects.filter(
        role__in=DOCTOR_ROLES, is_active=True, professional__verified_at__isnull=False
    ).select_related("professional")
    if specialty:
        specialists = specialists.filter(professional__specialty=specialty)
    return specialists.order_by("last_name", "first_name")


def get_attachment_for(*, actor: User, attachment_id: UUID) -> ExpertiseAttachment:
    return get_object_or_404(
        ExpertiseAttachment.objects.select_related("request__patient"),
        public_id=attachment_id,
        request__in=_visible_to(actor).values("pk"),
    )
