from __future__ import annotations

import pytest

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.health_info import services
from maillage.health_info.models import ArticleVersion
from maillage.health_info.tests.factories import article_content, article_in_review, editor

pytestmark = pytest.mark.django_db


def test_a_reviewer_sends_a_version_back_with_a_comment(author: User, reviewer: User) -> None:
    version = article_in_review(author=author)

    returned = services.send_back(actor=reviewer, version=version, comment="Citez la HAS.")

    assert returned.status == ArticleVersion.Status.DRAFT
    assert returned.review_comment == "Citez la HAS."
    assert returned.reviewer == reviewer


def test_the_author_corrects_and_submits_again(author: User, reviewer: User) -> None:
    version = article_in_review(author=author)
    services.send_back(actor=reviewer, version=version, comment="Plus simple, svp.")

    services.update_draft(actor=author, version=version, content=article_content(title="Simple"))
    services.submit_for_review(actor=author, version=version)
    published = services.approve_and_publish(actor=reviewer, version=version)

    assert (published.title, published.number) == ("Simple", 1)


def test_a_comment_is_required(author: User, reviewer: User) -> None:
    version = article_in_review(author=author)

    with pytest.raises(services.CommentRequired):
        services.send_back(actor=reviewer, version=version, comment="   ")


def test_the_author_cannot_review_their_own_version_either_way(author: User) -> None:
    version = article_in_review(author=author)

    with pytest.raises(services.OwnReviewRefused):
        services.send_back(actor=author, version=version, comment="Je reprends.")


def test_only_the_author_edits_a_draft(author: User, reviewer: User) -> None:
    version = article_in_review(author=author)
    services.send_back(actor=reviewer, version=version, comment="À revoir.")

    with pytest.raises(services.NotTheAuthor):
        services.update_draft(actor=editor(), version=version, content=article_content())


def test_a_version_in_review_cannot_be_edited(author: User) -> None:
    version = article_in_review(author=author)

    with pytest.raises(services.WrongStep):
        services.update_draft(actor=author, version=version, content=article_content())


def test_sending_back_is_audited_without_the_comment(author: User, reviewer: User) -> None:
    version = article_in_review(author=author, slug="rhume")

    services.send_back(actor=reviewer, version=version, comment="Texte libre du relecteur")

    event = AuditEvent.objects.get(action="health_info.sent_back")
    assert (event.actor, event.target_id) == (reviewer, str(version.public_id))
    assert "Texte libre" not in str(event.details) + event.reason
