"""The unread count on every signed-in page comes from the cache, dropped after each change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts.models import User
from maillage.notifications.services import (
    count_unread,
    mark_all_read,
    mark_read,
    notify,
    notify_many,
)
from maillage.notifications.tests.factories import make_notifications

pytestmark = pytest.mark.django_db


def _counted(user: User) -> tuple[int, int]:
    """The count, and how many queries reading it took."""
    with CaptureQueriesContext(connection) as queries:
        unread = count_unread(user_id=user.pk)
    return unread, len(queries.captured_queries)


def test_the_count_is_read_from_the_database_once_then_from_the_cache(patient: User) -> None:
    make_notifications(2, recipient=patient)

    assert _counted(patient) == (2, 1)
    assert _counted(patient) == (2, 0)


def test_a_new_notification_is_counted_once_committed(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    assert _counted(patient) == (0, 1)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=patient, kind="test.kind", title="Nouveau", by_email=False)

    assert _counted(patient) == (1, 1)


def test_notify_many_drops_every_recipients_count(
    patient: User,
    treating_clinician: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    assert count_unread(user_id=patient.pk) == 0
    assert count_unread(user_id=treating_clinician.pk) == 0

    with django_capture_on_commit_callbacks(execute=True):
        notify_many(recipients=[patient, treating_clinician], kind="test.kind", title="Nouveau cas")

    assert count_unread(user_id=patient.pk) == 1
    assert count_unread(user_id=treating_clinician.pk) == 1


def test_marking_read_drops_the_count(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first, _second, _third = make_notifications(3, recipient=patient)
    assert count_unread(user_id=patient.pk) == 3

    with django_capture_on_commit_callbacks(execute=True):
        mark_read(actor=patient, notification=first)
    assert count_unread(user_id=patient.pk) == 2

    with django_capture_on_commit_callbacks(execute=True):
        mark_all_read(actor=patient)
    assert count_unread(user_id=patient.pk) == 0


def test_a_rolled_back_notification_leaves_the_cached_count_alone(
    patient: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    assert count_unread(user_id=patient.pk) == 0

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=patient, kind="test.kind", title="Nouveau", by_email=False)

    # Nothing committed, nothing dropped: the cache still answers without a query.
    assert callbacks
    assert _counted(patient) == (0, 0)


def test_the_page_shows_a_new_notification_on_the_next_request(
    client: Client,
    patient: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(patient)
    url = reverse("accounts:account")
    assert client.get(url).context["unread_notifications"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=patient, kind="test.kind", title="Nouveau", by_email=False)

    assert client.get(url).context["unread_notifications"] == 1
