from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import Http404

from maillage.accounts.models import Role, User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.health_info import selectors
from maillage.health_info.tests.factories import article_in_review, published_article

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_an_editor_sees_the_versions_of_others_waiting_for_review(
    author: User, reviewer: User
) -> None:
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=False):
        older = article_in_review(author=author)
    with time_machine.travel(datetime(2027, 3, 2, 9, tzinfo=PARIS), tick=False):
        newer = article_in_review(author=author)
    article_in_review(author=reviewer)

    queue = list(selectors.list_review_queue_for(actor=reviewer))

    assert queue == [older, newer]


def test_someone_who_is_not_an_editor_gets_404_on_the_review_queue() -> None:
    with pytest.raises(Http404):
        selectors.list_review_queue_for(actor=ProfessionalFactory(role=Role.GP))


def test_an_editor_sees_the_articles_due_for_review(author: User, reviewer: User) -> None:
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=False):
        yearly = published_article(author=author, reviewer=reviewer, review_interval_months=12)
        published_article(author=author, reviewer=reviewer, review_interval_months=24)

    due = list(selectors.list_reviews_due_for(actor=reviewer, on=date(2028, 3, 1)))

    assert due == [yearly]
