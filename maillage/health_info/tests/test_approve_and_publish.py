from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from maillage.accounts.models import Role, RoleAssignment, User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.health_info import services
from maillage.health_info.models import ArticleVersion
from maillage.health_info.tests.factories import (
    article_in_review,
    draft_article,
    editor_without_rpps,
    published_article,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_a_second_editor_publishes_the_version(author: User, reviewer: User) -> None:
    version = article_in_review(author=author)

    published = services.approve_and_publish(actor=reviewer, version=version)

    assert published.status == ArticleVersion.Status.PUBLISHED
    assert published.reviewer == reviewer
    assert published.published_at is not None
    assert published.reviewed_at == published.published_at
    published.article.refresh_from_db()
    assert published.article.current_version == published


def test_the_review_dates_follow_the_review_interval(author: User, reviewer: User) -> None:
    version = article_in_review(author=author, review_interval_months=12)

    # 23:30 in Paris on 31 January is already the day of the review, whatever UTC says.
    with time_machine.travel(datetime(2028, 1, 31, 23, 30, tzinfo=PARIS), tick=False):
        published = services.approve_and_publish(actor=reviewer, version=version)

    assert published.last_reviewed_on == date(2028, 1, 31)
    assert published.next_review_due == date(2029, 1, 31)


def test_a_review_due_at_a_month_end_falls_on_the_last_day() -> None:
    assert services.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert services.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert services.add_months(date(2027, 1, 15), 24) == date(2029, 1, 15)


def test_the_author_cannot_review_their_own_version(author: User) -> None:
    version = article_in_review(author=author)

    with pytest.raises(services.OwnReviewRefused):
        services.approve_and_publish(actor=author, version=version)

    version.refresh_from_db()
    assert version.status == ArticleVersion.Status.IN_REVIEW


def test_a_doctor_who_is_not_an_editor_cannot_publish(author: User) -> None:
    version = article_in_review(author=author)

    with pytest.raises(services.NotAnEditor):
        services.approve_and_publish(actor=ProfessionalFactory(role=Role.GP), version=version)


def test_an_editor_without_rpps_cannot_publish(author: User) -> None:
    version = article_in_review(author=author)

    with pytest.raises(services.NotAnEditor):
        services.approve_and_publish(actor=editor_without_rpps(), version=version)


def test_an_author_who_lost_the_editor_role_is_not_published(reviewer: User) -> None:
    # given: a GP editor (additional role) whose role was withdrawn after submitting
    writer = ProfessionalFactory(role=Role.GP)
    assignment = RoleAssignment.objects.create(user=writer, role=Role.EDITOR)
    version = article_in_review(author=writer)
    assignment.delete()

    # when / then
    with pytest.raises(services.AuthorNotAnEditor):
        services.approve_and_publish(actor=reviewer, version=version)


def test_a_draft_cannot_be_published_before_review(author: User, reviewer: User) -> None:
    version = draft_article(author=author)

    with pytest.raises(services.WrongStep):
        services.approve_and_publish(actor=reviewer, version=version)


def test_the_database_refuses_a_reviewer_who_is_the_author(author: User) -> None:
    version = draft_article(author=author)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.filter(pk=version.pk).update(reviewer=author)


def test_the_database_keeps_one_published_version_per_article(author: User, reviewer: User) -> None:
    first = published_article(author=author, reviewer=reviewer)
    second = services.start_new_version(actor=author, article=first.article)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.filter(pk=second.pk).update(
            status=ArticleVersion.Status.PUBLISHED,
            reviewer=reviewer,
            published_at=first.published_at,
            last_reviewed_on=first.last_reviewed_on,
            next_review_due=first.next_review_due,
        )


def test_the_database_refuses_a_published_version_without_review(author: User) -> None:
    version = article_in_review(author=author)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleVersion.objects.filter(pk=version.pk).update(status=ArticleVersion.Status.PUBLISHED)


def test_publishing_writes_an_audit_entry(author: User, reviewer: User) -> None:
    version = article_in_review(author=author, slug="rhume")

    services.approve_and_publish(actor=reviewer, version=version)

    event = AuditEvent.objects.get(action="health_info.version_published")
    assert (event.actor, event.target_id) == (reviewer, str(version.public_id))
    assert event.details == {"article": "rhume", "number": 1, "supersedes": None}
    assert not AuditEvent.objects.filter(action="health_info.version_superseded").exists()
