"""Reads of self-assessments, scoped to the actor (patient, proxy, or who started it)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from maillage.accounts.models import User
from maillage.accounts.selectors import list_represented_patients_for
from maillage.triage.models import SelfAssessment


def _visible_to(actor: User) -> QuerySet[SelfAssessment]:
    represented = list_represented_patients_for(actor=actor).values("pk")
    return SelfAssessment.objects.filter(Q(patient=actor) | Q(patient__in=represented))


def get_assessment_for(*, actor: User, assessment_id: UUID) -> SelfAssessment:
    """Return an assessment of the actor or of someone they represent; others get 404."""
    return get_object_or_404(
        _visible_to(actor).select_related("patient", "started_by"), public_id=assessment_id
    )


def list_recent_assessments_for(*, actor: User, limit: int = 10) -> list[SelfAssessment]:
    """Return the latest assessments of the actor and of the people they represent."""
    return list(_visible_to(actor).select_related("patient").order_by("-created_at")[:limit])
