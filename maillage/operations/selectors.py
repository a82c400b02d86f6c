"""Reads for operators: the audit trail and the health of the platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Count, Max, Min, Q, Sum
from django.http import Http404
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.accounts.models import Role, User
from maillage.audit.models import AuditEvent
from maillage.core.errors import page_errors_last_24h
from maillage.core.models import OutgoingEmail, ScheduledRun
from maillage.notifications.models import Presence
from maillage.notifications.selectors import PRESENCE_TIMEOUT

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
    # Workers leave no heartbeat: a worker counts as alive when it claimed a task lately.
    workers_seen: int = 0
    tasks_finished_24h: int = 0
    scheduler_last_run: datetime | None = None
    websocket_connections: int = 0
    people_online: int = 0
    emails_waiting: int = 0
    emails_failing: int = 0
    page_errors_24h: int = 0

    @property
    def task_failure_rate(self) -> float | None:
        """Share of the tasks finished in the last 24 hours that failed."""
        if not self.tasks_finished_24h:
            return None
        return self.tasks_failed_24h / self.tasks_finished_24h


WORKER_SEEN_WINDOW = timedelta(minutes=15)


def system_status_for(*, actor: User) -> SystemStatus:
    """Return queue depth and age, failures, workers, sockets and volumes for the status page.

    Raises:
        Http404: for anyone but an operator.
    """
    _require_operator(actor)
    now = timezone.now()
    day_ago = now - timedelta(hours=24)
    ready = DBTaskResult.objects.ready().aggregate(total=Count("id"), oldest=Min("enqueued_at"))
    oldest = ready["oldest"]
    finished = DBTaskResult.objects.filter(finished_at__gte=day_ago).aggregate(
        total=Count("id"), failed=Count("id", filter=Q(status="FAILED"))
    )
    # Worker ids are JSON lists on each task: a few per minute, merged here.
    workers = {
        worker
        for ids in DBTaskResult.objects.filter(started_at__gte=now - WORKER_SEEN_WINDOW)
        .values_list("worker_ids", flat=True)
        .distinct()
        for worker in (ids or [])
    }
    presence = Presence.objects.filter(seen_at__gte=now - PRESENCE_TIMEOUT).aggregate(
        sockets=Sum("connections"), people=Count("user", filter=Q(connections__gt=0))
    )
    emails = OutgoingEmail.objects.filter(sent_at__isnull=True).aggregate(
        waiting=Count("id"), failing=Count("id", filter=Q(attempts__gt=0))
    )
    return SystemStatus(
        tasks_ready=ready["total"],
        oldest_ready_seconds=int((now - oldest).total_seconds()) if oldest else None,
        tasks_running=DBTaskResult.objects.filter(status="RUNNING").count(),
        tasks_failed_24h=finished["failed"],
        # Role members compare equal to their codes, and carry a translated label.
        users_by_role={
            Role(role): total
            for role, total in User.objects.values_list("role")
            .annotate(total=Count("id"))
            .values_list("role", "total")
        },
        audit_events_24h=AuditEvent.objects.filter(occurred_at__gte=day_ago).count(),
        workers_seen=len(workers),
        tasks_finished_24h=finished["total"],
        scheduler_last_run=ScheduledRun.objects.aggregate(last=Max("claimed_at"))["last"],
        websocket_connections=presence["sockets"] or 0,
        people_online=presence["people"],
        emails_waiting=emails["waiting"],
        emails_failing=emails["failing"],
        page_errors_24h=page_errors_last_24h(now),
    )
