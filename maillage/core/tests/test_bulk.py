"""insert_rows: one statement on PostgreSQL, a prepared INSERT per row elsewhere, the same rows."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.bulk import insert_rows
from maillage.notifications.models import Notification

pytestmark = pytest.mark.django_db

# Every NOT NULL column: there are no defaults here.
COLUMNS = [
    "public_id",
    "recipient_id",
    "kind",
    "title",
    "url",
    "created_at",
    "by_email",
    "by_sms",
    "in_digest",
]


def test_the_rows_are_stored_as_given_and_the_columns_left_out_are_null(
    patient: User, treating_clinician: User
) -> None:
    now = timezone.now()
    rows = [
        (
            uuid.uuid4(),
            patient.pk,
            "x.y",
            "Votre médecin a répondu",
            "/a/",
            now,
            True,
            False,
            False,
        ),
        (uuid.uuid4(), treating_clinician.pk, "x.y", "Un nouveau cas", "", now, False, False, True),
    ]

    insert_rows(Notification, COLUMNS, rows)

    stored = Notification.objects.order_by("id").values_list(*COLUMNS, "read_at", "emailed_at")
    assert list(stored) == [(*row, None, None) for row in rows]


def test_nothing_to_insert_runs_no_statement(django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        insert_rows(Notification, COLUMNS, [])


def test_a_relation_that_is_not_a_column_is_refused() -> None:
    with pytest.raises(TypeError):
        insert_rows(User, ["notifications"], [(1,)])
