from __future__ import annotations

import pytest

from maillage.accounts.models import User
from maillage.audit.models import AuditEvent
from maillage.health_info import services
from maillage.health_info.models import ArticleVersion
from maillage.health_info.tests.factories import draft_article

pytestmark = pytest.mark.django_db


def test_the_author_sends_a_complete_draft_for_review(author: User) -> None:
    draft = draft_article(author=author)

    version = services.submit_for_review(actor=author, version=draft)

    assert version.status == ArticleVersion.Status.IN_REVIEW
    assert version.submitted_at is not None


def test_another_editor_cannot_submit_someone_elses_draft(author: User, reviewer: User) -> None:
    draft = draft_article(author=author)

    with pytest.raises(services.NotTheAuthor):
        services.submit_for_review(actor=reviewer, version=draft)

    draft.refresh_from_db()
    assert draft.status == ArticleVersion.Status.DRAFT


def test_a_draft_with_an_empty_section_is_not_sent(author: User) -> None:
    draft = draft_article(author=author, when_to_call_15="  ")

    with pytest.raises(services.InvalidArticle, match="Quand appeler le 15"):
        services.submit_for_review(actor=author, version=draft)


def test_a_draft_without_sources_is_not_sent(author: User) -> None:
    draft = draft_article(author=author, sources=())

    with pytest.raises(services.InvalidArticle, match="source"):
        services.submit_for_review(actor=author, version=draft)


def test_a_version_is_submitted_once(author: User) -> None:
    draft = draft_article(author=author)
    services.submit_for_review(actor=author, version=draft)

    with pytest.raises(services.WrongStep):
        services.submit_for_review(actor=author, version=draft)


def test_submitting_writes_an_audit_entry(author: User) -> None:
    draft = draft_article(author=author, slug="rhume")

    services.submit_for_review(actor=author, version=draft)

    event = AuditEvent.objects.get(action="health_info.submitted_for_review")
    assert (event.actor, event.target_id) == (author, str(draft.public_id))
    assert event.details == {"article": "rhume", "number": 1}
