"""Reads for operators: the audit trail and the health of the platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Count, Min
from django.http import Http404
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.accounts.models import Role, User
from maillage.audit.models import AuditEvent

AUDIT_PAGE_SIZE = 50


def _require_operator(actor: User) -> None:
    if not actor.has_role(Role.OPERATOR):
        raise Http404


@dataclass(frozen=True)
class AuditFilters:
    actor: UUID | None = None
    patient: UUID | None = None
    action: str = ""
    target: str = ""
    since: date | None = None
    until: date | None = None


def search_audit_events_for(
    *, actor: User, filters: AuditFilters, before: int | None = None
) -> list[AuditEvent]:
    """Return a page of audit events matching `filters`, newest first (keyset on the id).

    Raises:
        Http404: for anyone but an operator.
    """
    _require_operator(actor)
    qs = AuditEvent.objects.select_related("actor", "patient")
    if filters.actor:
        qs = qs.filter(actor__public_id=filters.actor)
    if filters.patient:
        qs = qs.filter(patient__public_id=filters.patient)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.target:
        qs = qs.filter(target_id=filters.target)
    tz = timezone.get_current_timezone()
    if filters.since:
        qs = qs.filter(occurred_at__gte=datetime.combine(filters.since, time.min, tzinfo=tz))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__lt=end)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(qs.order_by("-id")[:AUDIT_PAGE_SIZE])


@dataclass(frozen=True)
class SystemStatus:
    tasks_ready: int
    oldest_ready_seconds: int | None
    tasks_running: int
    tasks_failed_24h: int
    users_by_role: dict[Role, int]
    audit_events_24h: int


def system_status_for(*, actor: User) -> SystemStatus:
    """Return queue depth and age, failures and volumes for the operator's status page.

    Raises:
        Http404: for anyone but an operator.
    """
    _require_operator(actor)
    now = timezone.now()
    day_ago = now - timedelta(hours=24)
    ready = DBTaskResult.objects.ready().aggregate(total=Count("id"), oldest=Min("enqueued_at"))
    oldest = ready["oldest"]
    return SystemStatus(
        tasks_ready=ready["total"],
        oldest_ready_seconds=int((now - oldest).total_seconds()) if oldest else None,
        tasks_running=DBTaskResult.objects.filter(status="RUNNING").count(),
        tasks_failed_24h=DBTaskResult.objects.filter(
            status="FAILED", finished_at__gte=day_ago
        ).count(),
        # Role members compare equal to their codes, and carry a translated label.
        users_by_role={
            Role(role): total
            for role, total in User.objects.values_list("role")
            .annotate(total=Count("id"))
            .values_list("role", "total")
        },
        audit_events_24h=AuditEvent.objects.filter(occurred_at__gte=day_ago).count(),
    )
