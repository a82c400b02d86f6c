"""The case list costs the same queries whatever the number of cases, and shows cached metrics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.tests.factories import ProfessionalFactory
from maillage.cases import selectors
from maillage.cases.models import Case

pytestmark = pytest.mark.django_db

URL = reverse("cases:list")


def _publish(author: User, count: int) -> None:
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            author=author,
            status=Case.Status.PUBLISHED,
            title=f"Cas {index}",
            published_at=now - timedelta(hours=index + 2),
            first_answer_at=now - timedelta(hours=1),
        )
        for index in range(count)
    )


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_3_or_60_cases(client: Client) -> None:
    # given a doctor, the page read once (per-process caches warm)
    author = ProfessionalFactory()
    client.force_login(author)
    _publish(author, 3)
    _queries(client)
    small = _queries(client)
    # when there are twenty times more cases (more than a page of them)
    _publish(author, 57)
    big = _queries(client)
    # then the page reads as many queries
    assert small == big
    assert big <= 10, big


def test_the_metrics_are_computed_once_for_a_few_minutes() -> None:
    # given metrics read once
    author = ProfessionalFactory()
    _publish(author, 2)
    before = selectors.get_community_metrics()
    # when more cases are answered
    _publish(author, 3)
    # then the same figures are served until the cache forgets them
    assert selectors.get_community_metrics() == before
    assert before["first_answer"].count == 2
