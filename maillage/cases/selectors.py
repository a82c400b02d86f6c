"""Reads of case discussions: published cases for verified doctors, drafts for their author."""

from __future__ import annotations

from uuid import UUID

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from maillage.accounts.models import User
from maillage.cases.models import Case, CaseImage, CaseRouting, Comment
from maillage.cases.search import matching
from maillage.cases.services import Timing, community_metrics, is_verified_doctor
from maillage.core.fulltext import query_terms

PAGE_SIZE = 25
# The community's answer times read every published case: computed at most this often.
METRICS_CACHE_SECONDS = 5 * 60


def _visible_to(actor: User) -> QuerySet[Case]:
    if not is_verified_doctor(actor):
        return Case.objects.none()
    public = Q(status__in=[Case.Status.PUBLISHED, Case.Status.RESOLVED])
    return Case.objects.filter(public | Q(author=actor))


def get_case_for(*, actor: User, case_id: UUID) -> Case:
    return get_object_or_404(
        _visible_to(actor).select_related("author__professional", "answering"), public_id=case_id
    )


def list_cases(
    *,
    actor: User,
    specialty: str = "",
    search: str = "",
    resolved_only: bool = False,
    before: str = "",
) -> tuple[list[Case], str | None]:
    """Published cases, newest first, keyset-paginated on (published_at, id)."""
    cases = _visible_to(actor).filter(published_at__isnull=False)
    if resolved_only:
        cases = cases.filter(status=Case.Status.RESOLVED)
    if specialty:
        cases = (
            cases.filter(specialties__contains=[specialty])
            if _json_contains()
            else cases.filter(specialties__icontains=f'"{specialty}"')
        )
    terms = query_terms(search[:200])
    if terms:
        cases = matching(cases, terms)
    if before:
        stamp, _sep, raw_id = before.partition("~")
        if raw_id.isdigit():
            cases = cases.filter(
                Q(published_at__lt=stamp) | Q(published_at=stamp, id__lt=int(raw_id))
            )
    page = list(
        cases.select_related("author", "best_comment").order_by("-published_at", "-id")[
            : PAGE_SIZE + 1
        ]
    )
    cursor = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        last = page[-1]
        cursor = f"{last.published_at.isoformat() if last.published_at else ''}~{last.pk}"
    return page, cursor


def get_community_metrics() -> dict[str, Timing]:
    """Return the community's times to first answer and to resolution, a few minutes old at most."""
    metrics = cache.get_or_set("cases:community-metrics", community_metrics, METRICS_CACHE_SECONDS)
    return metrics if isinstance(metrics, dict) else community_metrics()


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def list_my_drafts(*, actor: User) -> QuerySet[Case]:
    return Case.objects.filter(author=actor, status=Case.Status.REVIEW).order_by("-created_at")


def list_comments(*, case: Case) -> QuerySet[Comment]:
    return Comment.objects.filter(case=case).select_related("author__professional")


def get_image_for(*, actor: User, image_id: UUID) -> CaseImage:
    return get_object_or_404(
        CaseImage.objects.select_related("case"),
        public_id=image_id,
        case__in=_visible_to(actor).values("pk"),
    )


def routing_summary(*, case: Case) -> dict[str, int]:
    """How many colleagues the case was sent to, and how many of them live (for its author)."""
    counts = dict(
        CaseRouting.objects.filter(case=case)
        .values("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    live = counts.get(CaseRouting.Channel.LIVE, 0)
    return {"total": live + counts.get(CaseRouting.Channel.DIGEST, 0), "live": live}
