"""Reads of the communities: for signed-in people; what moderation hid shows as a note only."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime

from maillage.accounts.models import User
from maillage.communities.models import Community, Member, Post, PostImage, Thread
from maillage.communities.search import matching_threads
from maillage.core.fulltext import query_terms

THREADS_PAGE = 25
POSTS_PAGE = 50
QUEUE_SIZE = 100


def member_of(user: User) -> Member | None:
    return Member.objects.filter(user=user).prefetch_related("communities").first()


def list_communities() -> QuerySet[Community]:
    return Community.objects.annotate(member_count=Count("members", distinct=True))


def get_community(*, slug: str) -> Community:
    return get_object_or_404(Community, slug=slug)


def _cursor(stamp: datetime, pk: int) -> str:
    return f"{stamp.isoformat()}~{pk}"


def _parse_cursor(raw: str) -> tuple[datetime, int] | None:
    stamp, _sep, raw_id = raw.partition("~")
    moment = parse_datetime(stamp) if stamp else None
    if moment is None or not raw_id.isdigit():
        return None
    return moment, int(raw_id)


def list_threads(
    *, community: Community, search: str = "", before: str = ""
) -> tuple[list[Thread], str | None]:
    """Threads, latest activity first, keyset-paginated; or those matching a search."""
    threads = Thread.objects.filter(community=community, hidden=False)
    terms = query_terms(search[:200])
    if terms:
        threads = matching_threads(threads, terms)
    position = _parse_cursor(before)
    if position is not None:
        moment, pk = position
        threads = threads.filter(Q(last_post_at__lt=moment) | Q(last_post_at=moment, id__lt=pk))
    page = list(
        threads.select_related("author").order_by("-last_post_at", "-id")[: THREADS_PAGE + 1]
    )
    cursor = None
    if len(page) > THREADS_PAGE:
        page = page[:THREADS_PAGE]
        cursor = _cursor(page[-1].last_post_at, page[-1].pk)
    return page, cursor


def get_thread(*, thread_id: UUID) -> Thread:
    return get_object_or_404(
        Thread.objects.select_related("community", "author"), public_id=thread_id, hidden=False
    )


def list_posts(
    *, thread: Thread, viewer: Member | None, after: str = ""
) -> tuple[list[Post], str | None]:
    """A page of the thread in order, keyset-paginated on (created_at, id).

    Page 200 of a 10,000-post thread costs what page 1 does. Held posts show to their author.
    """
    visible = Q(status__in=[Post.Status.PUBLISHED, Post.Status.HIDDEN])
    if viewer is not None:
        visible |= Q(status=Post.Status.HELD, author=viewer)
    posts = Post.objects.filter(visible, thread=thread)
    position = _parse_cursor(after)
    if position is not None:
        moment, pk = position
        posts = posts.filter(Q(created_at__gt=moment) | Q(created_at=moment, id__gt=pk))
    page = list(
        posts.select_related("author")
        .prefetch_related("images")
        .order_by("created_at", "id")[: POSTS_PAGE + 1]
    )
    cursor = None
    if len(page) > POSTS_PAGE:
        page = page[:POSTS_PAGE]
        cursor = _cursor(page[-1].created_at, page[-1].pk)
    return page, cursor


def get_post(*, post_id: UUID) -> Post:
    return get_object_or_404(
        Post.objects.select_related("thread__community", "author"),
        public_id=post_id,
        thread__hidden=False,
    )


def moderation_queue() -> list[Post]:
    """What waits for a moderator: the riskiest first, then the oldest."""
    return list(
        Post.objects.filter(needs_review=True)
        .select_related("thread__community", "author")
        .annotate(open_reports=Count("reports", filter=Q(reports__closed_at__isnull=True)))
        .order_by("-risk", "created_at", "id")[:QUEUE_SIZE]
    )


def get_image_for(*, viewer: Member | None, image_id: UUID) -> PostImage:
    """A photo of a post the viewer may read; a hidden or someone else's held post's: 404."""
    visible = Q(post__status=Post.Status.PUBLISHED)
    if viewer is not None:
        visible |= Q(post__status=Post.Status.HELD, post__author=viewer)
    return get_object_or_404(
        PostImage.objects.filter(visible, post__thread__hidden=False), public_id=image_id
    )
