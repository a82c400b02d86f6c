"""Reads of online requests, scoped to the actor.

The patient and their proxies, or the practice's team, see a request; everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from maillage.accounts.models import Role, User
from maillage.accounts.selectors import list_represented_patients_for
from maillage.consultations.models import (
    OnlineRequest,
    PracticeAvailability,
    PracticeClosure,
    RequestAttachment,
)
from maillage.directory.models import Practice, PracticeMembership, TreatingDoctorDeclaration

AMBER_BEFORE = timedelta(hours=2)
URGENCY_RANK = Case(
    When(urgency=OnlineRequest.Urgency.EMERGENCY, then=Value(0)),
    When(urgency=OnlineRequest.Urgency.URGENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _team_practice_ids(actor: User) -> QuerySet[PracticeMembership, int]:
    memberships = PracticeMembership.objects.filter(user=actor, ended_at__isnull=True)
    return memberships.values_list("practice_id", flat=True)


def _visible_to(actor: User) -> QuerySet[OnlineRequest]:
    represented = list_represented_patients_for(actor=actor).values("pk")
    mine = Q(patient=actor) | Q(patient__in=represented)
    if actor.has_role(Role.GP, Role.SPECIALIST, Role.STAFF):
        mine |= Q(practice_id__in=_team_practice_ids(actor))
    return OnlineRequest.objects.filter(mine)


def get_request_for(*, actor: User, request_id: UUID) -> OnlineRequest:
    """Return a request of the actor (or of someone they represent), or of their practice."""
    return get_object_or_404(
        _visible_to(actor).select_related(
            "practice", "patient__patient_profile", "submitted_by", "assigned_to", "self_assessment"
        ),
        public_id=request_id,
    )


def is_team_member(*, actor: User, practice: Practice) -> bool:
    return PracticeMembership.objects.filter(
        user=actor, practice=practice, ended_at__isnull=True
    ).exists()


def list_requests_of_patients_for(*, actor: User) -> list[OnlineRequest]:
    """Return the requests of the actor and of the people they represent, newest first."""
    represented = list_represented_patients_for(actor=actor).values("pk")
    return list(
        OnlineRequest.objects.filter(Q(patient=actor) | Q(patient__in=represented))
        .select_related("practice", "patient")
        .order_by("-submitted_at")[:50]
    )


@dataclass(frozen=True)
class QueueRow:
    request: OnlineRequest
    clock: str  # "ok", "amber", "red": where the promised time stands
    # Labels looked up once a page: `get_FOO_display` rebuilds and hashes the translated
    # choices on every call, three times a row (the queue's heaviest template cost).
    urgency_label: str = ""
    route_label: str = ""
    status_label: str = ""


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def clock_of(request: OnlineRequest, now: datetime) -> str:
    if now >= request.promised_by:
        return "red"
    if now >= request.promised_by - AMBER_BEFORE:
        return "amber"
    return "ok"


QUEUE_PAGE = 50
QUEUE_COLUMNS = (
    "public_id",
    "subject",
    "urgency",
    "route",
    "status",
    "submitted_at",
    "promised_by",
    "patient__first_name",
    "patient__last_name",
    "patient__email",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__email",
    "assigned_to__role",
)


def queue_cursor(row: QueueRow) -> str:
    """Where the next page of the queue starts: after this row (rank, submission, id)."""
    rank = {"emergency": 0, "urgent": 1}.get(row.request.urgency, 2)
    return f"{rank}~{row.request.submitted_at.isoformat()}~{row.request.pk}"


def _after(raw: str) -> Q:
    rank, _sep, rest = raw.partition("~")
    stamp, _sep, pk = rest.rpartition("~")
    moment = parse_datetime(stamp) if stamp else None
    if not (rank.isdigit() and pk.isdigit() and moment is not None):
        return Q()
    return (
        Q(urgency_rank__gt=int(rank))
        | Q(urgency_rank=int(rank), submitted_at__gt=moment)
        | Q(urgency_rank=int(rank), submitted_at=moment, pk__gt=int(pk))
    )


def list_queue_for(
    *,
    actor: User,
    status: str = "",
    route: str = "",
    mine_only: bool = False,
    after: str = "",
    limit: int = QUEUE_PAGE,
) -> list[QueueRow]:
    """Return a page of the open requests of the actor's practices, most urgent then oldest.

    Keyset-paginated (`after` is a `queue_cursor`): page 20 costs what page 1 does.
    """
    queue = OnlineRequest.objects.filter(practice_id__in=_team_practice_ids(actor)).exclude(
        status=OnlineRequest.Status.CLOSED
    )
    if status:
        queue = queue.filter(status=status)
    if route:
        queue = queue.filter(route=route)
    if mine_only:
        queue = queue.filter(assigned_to=actor)
    ordered = (
        queue.select_related("patient", "assigned_to")
        # What a row shows: the message, the practice and the users' other columns (seven
        # timestamps to parse a row) stay in the database.
        .only(*QUEUE_COLUMNS)
        .annotate(urgency_rank=URGENCY_RANK)
        .filter(_after(after))
        .order_by("urgency_rank", "submitted_at", "pk")[:limit]
    )
    now = timezone.now()
    urgencies = _labels(OnlineRequest.Urgency.choices)
    routes = _labels(OnlineRequest.Route.choices)
    statuses = _labels(OnlineRequest.Status.choices)
    return [
        QueueRow(
            request=item,
            clock=clock_of(item, now),
            urgency_label=urgencies.get(item.urgency, item.urgency),
            route_label=routes.get(item.route, item.route),
            status_label=statuses.get(item.status, item.status),
        )
        for item in ordered
    ]


def list_practices_for_request(*, actor: User, patient: User) -> list[Practice]:
    """Return where the patient may write: their médecin traitant's practice first.

    Then the practices that accept other patients, in the patient's department.
    """
    treating = TreatingDoctorDeclaration.objects.filter(
        patient=patient, ended_at__isnull=True
    ).values("doctor_id")
    own = Practice.objects.filter(
        memberships__user_id__in=treating,
        memberships__ended_at__isnull=True,
        availability__accepts_online_requests=True,
    )
    department = (
        patient.patient_profile.commune.department
        if hasattr(patient, "patient_profile") and patient.patient_profile.commune
        else None
    )
    others = Practice.objects.filter(
        availability__accepts_online_requests=True, availability__accepts_other_patients=True
    )
    if department:
        others = others.filter(commune__department=department)
    ordered = list(own.select_related("commune").distinct())
    ordered += [p for p in others.select_related("commune").distinct() if p not in ordered]
    return ordered


def availability_of(practice: Practice) -> PracticeAvailability | None:
    """Return how the practice receives online requests (None: it does not)."""
    return PracticeAvailability.objects.filter(practice=practice).first()


def list_team_practices_for(*, actor: User) -> list[Practice]:
    """Return the practices where the actor works (for their settings page)."""
    return list(
        Practice.objects.filter(memberships__user=actor, memberships__ended_at__isnull=True)
        .select_related("commune")
        .order_by("name")
        .distinct()
    )


def list_closures_for(*, practice: Practice) -> list[PracticeClosure]:
    """Return the practice's closures that are not over yet."""
    return list(
        PracticeClosure.objects.filter(
            practice=practice, ends_on__gte=timezone.localdate()
        ).order_by("starts_on")
    )


def get_attachment_for(*, actor: User, attachment_id: UUID) -> RequestAttachment:
    """Return an attachment of a request the actor may see; anyone else gets 404."""
    return get_object_or_404(
        RequestAttachment.objects.filter(request__in=_visible_to(actor)).select_related(
            "request__patient"
        ),
        public_id=attachment_id,
    )


def list_team_clinicians(*, practice: Practice) -> list[User]:
    """Return the doctors working at the practice (to whom a request may be given)."""
    return [
        membership.user
        for membership in PracticeMembership.objects.filter(
            practice=practice, ended_at__isnull=True, kind=PracticeMembership.Kind.DOCTOR
        ).select_related("user")
    ]
