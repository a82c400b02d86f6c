"""Tasks whose worker died are re-queued; a live worker's lease keeps its task; never forever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from maillage.core.leases import MAX_RUNS, WORKER_LOST, requeue_abandoned_tasks
from maillage.core.models import TaskLease

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("short_leases")]


@pytest.fixture
def short_leases() -> object:
    with override_settings(TASK_LEASE_SECONDS=60):
        yield


def running(*, started: datetime, workers: int = 1) -> DBTaskResult[..., object]:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=started,
        args_kwargs={"args": [], "kwargs": {"email_id": "x"}},
        task_path="maillage.core.tasks.send_outgoing_email_task",
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        worker_ids=[f"worker-{n}" for n in range(workers)],
    )


def test_a_task_whose_worker_stopped_renewing_is_queued_again() -> None:
    task = running(started=NOW - timedelta(minutes=5))
    TaskLease.objects.create(
        task_id=task.pk, worker_id="worker-0", renewed_at=NOW - timedelta(minutes=2)
    )

    assert requeue_abandoned_tasks(NOW) == 1

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == ["worker-0"]  # the history of attempts stays
    assert not TaskLease.objects.exists()


def test_a_task_claimed_by_a_worker_that_died_before_taking_its_lease_is_queued_again() -> None:
    task = running(started=NOW - timedelta(minutes=5))

    assert requeue_abandoned_tasks(NOW) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_long_task_whose_worker_renews_its_lease_is_left_running() -> None:
    task = running(started=NOW - timedelta(hours=1))
    TaskLease.objects.create(
        task_id=task.pk, worker_id="worker-0", renewed_at=NOW - timedelta(seconds=10)
    )

    assert requeue_abandoned_tasks(NOW) == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_just_claimed_is_left_running_even_before_its_lease() -> None:
    task = running(started=NOW - timedelta(seconds=5))

    assert requeue_abandoned_tasks(NOW) == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_that_lost_its_worker_too_often_fails_instead_of_looping() -> None:
    task = running(started=NOW - timedelta(minutes=5), workers=MAX_RUNS)

    assert requeue_abandoned_tasks(NOW) == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == WORKER_LOST


def test_leases_left_by_finished_tasks_are_pruned() -> None:
    task = running(started=NOW - timedelta(minutes=5))
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.SUCCESSFUL)
    TaskLease.objects.create(
        task_id=task.pk, worker_id="worker-0", renewed_at=NOW - timedelta(minutes=3)
    )

    requeue_abandoned_tasks(NOW)

    assert not TaskLease.objects.exists()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
