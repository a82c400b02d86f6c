from __future__ import annotations

import pytest

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.health_info import selectors, services
from maillage.health_info.models import ArticleVersion
from maillage.health_info.schema import SourceContent
from maillage.health_info.tests.factories import article_content, draft_article, published_article

pytestmark = pytest.mark.django_db


def test_a_new_version_starts_as_a_copy_of_the_published_one(author: User, reviewer: User) -> None:
    first = published_article(author=author, reviewer=reviewer, title="Rhume")

    second = services.start_new_version(actor=reviewer, article=first.article)

    assert second.number == 2
    assert second.status == ArticleVersion.Status.DRAFT
    assert second.author == reviewer
    assert services.content_of(second) == services.content_of(first)


def test_publishing_a_new_version_supersedes_the_previous_one(author: User, reviewer: User) -> None:
    # given
    first = published_article(author=author, reviewer=reviewer, title="Rhume")
    second = services.start_new_version(actor=author, article=first.article)
    content = article_content(title="Rhume et nez bouché")
    services.update_draft(actor=author, version=second, content=content)
    services.submit_for_review(actor=author, version=second)

    # when
    services.approve_and_publish(actor=reviewer, version=second)

    # then: both versions are kept, the new one is the article's
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ArticleVersion.Status.SUPERSEDED
    assert first.title == "Rhume"
    assert second.status == ArticleVersion.Status.PUBLISHED
    assert first.article.versions.count() == 2
    first.article.refresh_from_db()
    assert first.article.current_version == second
    assert selectors.get_published_article(slug=first.article.slug).title == "Rhume et nez bouché"


def test_superseding_is_audited(author: User, reviewer: User) -> None:
    first = published_article(author=author, reviewer=reviewer)
    second = services.start_new_version(actor=author, article=first.article)
    services.submit_for_review(actor=author, version=second)

    services.approve_and_publish(actor=reviewer, version=second)

    superseded = AuditEvent.objects.get(action="health_info.version_superseded")
    assert superseded.target_id == str(first.public_id)
    published = AuditEvent.objects.filter(action="health_info.version_published").first()
    assert published is not None
    assert published.details["supersedes"] == str(first.public_id)
    started = AuditEvent.objects.get(action="health_info.version_started")
    assert started.details["based_on"] == 1


def test_only_one_new_version_at_a_time(author: User, reviewer: User) -> None:
    first = published_article(author=author, reviewer=reviewer)
    services.start_new_version(actor=author, article=first.article)

    with pytest.raises(services.VersionInProgress):
        services.start_new_version(actor=reviewer, article=first.article)


def test_an_article_never_published_has_no_version_to_start_from(author: User) -> None:
    draft = draft_article(author=author)

    with pytest.raises(services.NothingPublished):
        services.start_new_version(actor=author, article=draft.article)


def test_the_new_version_keeps_its_own_sources(author: User, reviewer: User) -> None:
    first = published_article(author=author, reviewer=reviewer)
    second = services.start_new_version(actor=author, article=first.article)
    fewer = (SourceContent(title="HAS", publisher="HAS", url="https://www.has-sante.fr/x"),)

    services.update_draft(actor=author, version=second, content=article_content(sources=fewer))

    assert second.sources.count() == 1
    assert first.sources.count() == 2
