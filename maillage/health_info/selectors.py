"""Reads of the health library. Published articles are public; the editors' lists are not."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from maillage.accounts.models import Professional, Role, User
from maillage.health_info import fulltext
from maillage.health_info.models import ArticleVersion, Source

SEARCH_LIMIT = 20


def is_editor(user: User) -> bool:
    """Return whether the user may write and review articles: editor role and an RPPS."""
    return (
        user.is_active
        and user.has_role(Role.EDITOR)
        and Professional.objects.filter(user_id=user.pk).exclude(rpps="").exists()
    )


def _published() -> QuerySet[ArticleVersion]:
    return ArticleVersion.objects.filter(status=ArticleVersion.Status.PUBLISHED).select_related(
        "article"
    )


def _cards() -> QuerySet[ArticleVersion]:
    """Published versions with what a list shows: title, summary, slug (not the sections)."""
    return _published().defer(
        "what_it_is", "self_care", "when_to_consult", "when_to_call_15", "search_vector"
    )


def list_published_articles() -> list[ArticleVersion]:
    """Return the published version of every article, by title from A to Z (accents ignored)."""
    return sorted(_cards(), key=lambda version: (fulltext.fold(version.title), version.pk))


def search_articles(query: str, limit: int = SEARCH_LIMIT) -> list[ArticleVersion]:
    """Return the published versions matching the query in French, best match first.

    Tolerant of missing accents and of plurals; the title weighs most, then the keywords, the
    summary and the sections. A query with no searchable word gives no result.
    """
    terms = fulltext.query_terms(query)
    return fulltext.ranked_versions(_cards(), terms, limit)


def get_published_article(*, slug: str) -> ArticleVersion:
    """Return the published version of the article at `slug`, ready for its page.

    Raises:
        Http404: when no article is published at this slug.
    """
    versions = (
        _published()
        .select_related("author__professional", "reviewer__professional")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("position")))
    )
    return get_object_or_404(versions, article__slug=slug)


def list_review_queue_for(*, actor: User) -> QuerySet[ArticleVersion]:
    """Return the versions waiting for a review the actor may give (not their own), oldest first.

    Raises:
        Http404: unless the actor is an editor with an RPPS.
    """
    if not is_editor(actor):
        raise Http404
    return (
        ArticleVersion.objects.filter(status=ArticleVersion.Status.IN_REVIEW)
        .exclude(author=actor)
        .select_related("article", "author")
        .order_by("submitted_at", "pk")
    )


def list_reviews_due_for(*, actor: User, on: date) -> QuerySet[ArticleVersion]:
    """Return the published versions whose next review is due on or before `on`, oldest first.

    Raises:
        Http404: unless the actor is an editor with an RPPS.
    """
    if not is_editor(actor):
        raise Http404
    return (
        _published()
        .filter(next_review_due__lte=on)
        .select_related("author")
        .order_by("next_review_due", "pk")
    )


def published_titles(*, slugs: list[str]) -> list[tuple[str, str]]:
    """(slug, title) of the published articles among `slugs`, in the order given (pinned links)."""
    titles = dict(
        _published().filter(article__slug__in=slugs).values_list("article__slug", "title")
    )
    return [(slug, titles[slug]) for slug in slugs if slug in titles]
