from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.accounts.models import User
from maillage.notifications.models import Notification
from maillage.notifications.services import count_unread, mark_all_read, mark_read
from maillage.notifications.tests.conftest import ReceiveCounts
from maillage.notifications.tests.factories import make_notification, make_notifications


def test_mark_read_marks_one_notification_and_pushes_the_new_count(
    patient: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    pushed_counts: ReceiveCounts,
) -> None:
    first, second = make_notifications(2, recipient=patient)

    with django_capture_on_commit_callbacks(execute=True):
        mark_read(actor=patient, notification=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    # only the reader's count, ids and counts only
    assert pushed_counts() == {"type": "unread.counts", "counts": [[patient.pk, 1]]}


def test_mark_read_keeps_the_first_reading_time(patient: User) -> None:
    notification = make_notification(recipient=patient)
    mark_read(actor=patient, notification=notification)
    notification.refresh_from_db()
    first_read = notification.read_at

    mark_read(actor=patient, notification=notification)

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_mark_read_never_touches_someone_elses_notification(
    patient: User, treating_clinician: User
) -> None:
    theirs = make_notification(recipient=treating_clinician)

    mark_read(actor=patient, notification=theirs)

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_the_actors_unread_notifications(
    patient: User,
    treating_clinician: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    pushed_counts: ReceiveCounts,
) -> None:
    make_notifications(3, recipient=patient)
    make_notifications(2, recipient=treating_clinician)

    with django_capture_on_commit_callbacks(execute=True):
        changed = mark_all_read(actor=patient)

    assert changed == 3
    assert count_unread(user_id=patient.pk) == 0
    assert count_unread(user_id=treating_clinician.pk) == 2
    assert pushed_counts() == {"type": "unread.counts", "counts": [[patient.pk, 0]]}
    assert mark_all_read(actor=patient) == 0
    assert Notification.objects.filter(recipient=patient, read_at__isnull=True).count() == 0


def test_marking_read_succeeds_when_the_live_push_fails(
    client: Client,
    patient: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    notification = make_notification(recipient=patient)

    def layer_down(group: str, message: object) -> None:
        raise ConnectionError("Redis unreachable")

    monkeypatch.setattr("maillage.notifications.services.group_send", layer_down)
    client.force_login(patient)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
