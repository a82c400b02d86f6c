"""Who is asked about a new case: a few colleagues of its specialties, the least solicited first.

Sending every case to every cardiologist of the region would wear out the most responsive ones
and teach the others to ignore the notifications. A case goes to `CASE_ROUTING_FANOUT` doctors:
those online right now first (told live), then the others (told in-app and in their next e-mail
digest, maillage.notifications.services.send_digests), each group ordered by how many cases they were sent lately. A case still without an
answer after `WIDEN_AFTER` goes to the next colleagues, up to `MAX_ROUNDS` rounds.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.cases.models import Case, CaseRouting
from maillage.core.bulk import insert_rows
from maillage.notifications.selectors import online_user_ids
from maillage.notifications.services import notify_many

LOAD_WINDOW = timedelta(days=14)
WIDEN_AFTER = timedelta(hours=2)
MAX_ROUNDS = 3
# How many candidates are weighed for one round: enough to spread the load in the largest
# specialty of a region, small enough to stay one cheap query.
CANDIDATE_POOL = 2000


def _candidates(case: Case) -> list[tuple[int, int]]:
    """(doctor id, cases sent to them lately) for the colleagues not yet asked about `case`."""
    recent_load = (
        CaseRouting.objects.filter(
            doctor=OuterRef("pk"), routed_at__gte=timezone.now() - LOAD_WINDOW
        )
        .order_by()
        .values("doctor")
        .annotate(count=Count("id"))
        .values("count")
    )
    rows = (
        User.objects.filter(
            role__in=DOCTOR_ROLES,
            is_active=True,
            professional__verified_at__isnull=False,
            professional__specialty__in=case.specialties,
        )
        .exclude(pk=case.author_id)
        .exclude(pk__in=CaseRouting.objects.filter(case=case).values("doctor_id"))
        .annotate(load=Coalesce(Subquery(recent_load, output_field=IntegerField()), Value(0)))
        .order_by("load", "pk")
        .values_list("pk", "load")[:CANDIDATE_POOL]
    )
    return list(rows)


class Routed(NamedTuple):
    doctor_id: int
    channel: str


def route_case(case: Case, *, round_number: int = 1) -> list[Routed]:
    """Ask the next colleagues about `case`; call inside the transaction that locks it.

    Rows, not model instances: at a fan-out of 1,000 building them cost more than the inserts.
    """
    candidates = _candidates(case)
    if not candidates:
        return []
    online = online_user_ids(user_ids=[pk for pk, _load in candidates])
    random.shuffle(candidates)  # equal loads: nobody is always first
    candidates.sort(key=lambda row: (row[0] not in online, row[1]))
    chosen = candidates[: settings.CASE_ROUTING_FANOUT]
    now = timezone.now()
    routings = [
        Routed(pk, CaseRouting.Channel.LIVE if pk in online else CaseRouting.Channel.DIGEST)
        for pk, _load in chosen
    ]
    insert_rows(
        CaseRouting,
        ["case_id", "doctor_id", "round", "channel", "routed_at"],
        [(case.pk, pk, round_number, str(channel), now) for pk, channel in routings],
    )
    notify_many(
        recipients=User.objects.filter(pk__in=[pk for pk, _load in chosen]).only(
            "pk", "email", "phone", "language"
        ),
        kind="cases.new",
        title=_("Un nouveau cas attend l'avis de votre spécialité"),
        url=reverse("cases:detail", args=[case.public_id]),
        by_email=False,
        digest=True,  # those away get one digest (maillage.notifications), not one per case
    )
    return routings


def widen_waiting_cases() -> int:
    """Send the cases nobody has answered for a while to further colleagues; return how many."""
    now = timezone.now()
    cutoff = now - WIDEN_AFTER
    waiting = (
        Case.objects.filter(
            status=Case.Status.PUBLISHED,
            first_answer_at__isnull=True,
            published_at__gte=now - timedelta(days=7),
            published_at__lt=cutoff,
        )
        .filter(Q(answering__isnull=True) | Q(answering_since__lt=cutoff))
        .annotate(
            rounds=Coalesce(Max("routings__round"), 0), last_routed=Max("routings__routed_at")
        )
        .filter(rounds__lt=MAX_ROUNDS)
        .filter(Q(last_routed__isnull=True) | Q(last_routed__lt=cutoff))
        .values_list("pk", "rounds")
    )
    widened = 0
    for case_id, rounds in list(waiting):
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
            if case.status != Case.Status.PUBLISHED or case.first_answer_at is not None:
                continue
            if route_case(case, round_number=rounds + 1):
                widened += 1
    return widened
