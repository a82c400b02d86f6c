from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.core import scheduler
from maillage.core.models import ScheduledRun
from maillage.core.scheduler import PeriodicJob, registered_jobs, run_due_jobs
from maillage.core.tasks import prune_scheduled_runs_task

NOW = datetime(2026, 3, 2, 10, 15, 7, tzinfo=UTC)


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the registry with two test jobs that record when they are enqueued."""
    registered_jobs()  # import every `schedules` module now, so they register in the real registry
    calls: list[str] = []

    def recorder(name: str) -> Callable[[], object]:
        return lambda: calls.append(name)

    registry = {
        name: PeriodicJob(name=name, every_seconds=every, enqueue=recorder(name))
        for name, every in (("test.hourly", 3600), ("test.minutely", 60))
    }
    monkeypatch.setattr(scheduler, "_REGISTRY", registry)
    return calls


def test_the_platform_maintenance_jobs_are_registered() -> None:
    names = [job.name for job in registered_jobs()]
    assert names == [
        "audit.seal_events",
        "cases.widen_waiting_cases",
        "consultations.escalate_late_requests",
        "consultations.sweep_orphan_attachments",
        "core.clear_expired_sessions",
        "core.prune_scheduled_runs",
        "core.prune_task_results",
        "core.requeue_abandoned_tasks",
        "core.retry_unsent_emails",
        "expertise.send_reminders",
        "notifications.send_digests",
        "profiles.refresh_response_times",
        "records.prune_expired_exports",
        "records.retention_report",
        "teleconsultation.send_reminders",
        "triage.send_due_check_ins",
    ]


@pytest.mark.django_db
def test_each_slot_is_claimed_once_even_when_called_twice(
    enqueued: list[str], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = run_due_jobs(NOW)
    with django_capture_on_commit_callbacks(execute=True):
        second = run_due_jobs(NOW + timedelta(seconds=20))

    assert first == ["test.hourly", "test.minutely"]
    assert second == []
    assert sorted(enqueued) == ["test.hourly", "test.minutely"]
    assert ScheduledRun.objects.count() == 2


DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications"],
    }
}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)  # the real backend of `make run` and of production
def test_with_the_database_backend_claim_and_task_row_commit_together() -> None:
    # when one tick runs and a second scheduler ticks in the same slot
    started = run_due_jobs(NOW)
    run_due_jobs(NOW + timedelta(seconds=5))
    # then each maintenance job has exactly one task row, committed with its claim
    assert started == [job.name for job in registered_jobs()]
    assert DBTaskResult.objects.count() == len(started)
    assert ScheduledRun.objects.count() == len(started)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_claim_rolled_back_with_its_transaction_leaves_no_task() -> None:

    class Aborted(Exception):
        pass

    def tick_in_a_failing_transaction() -> None:
        with transaction.atomic():
            run_due_jobs(NOW)
            raise Aborted

    with pytest.raises(Aborted):
        tick_in_a_failing_transaction()

    assert not DBTaskResult.objects.exists()
    assert not ScheduledRun.objects.exists()


@pytest.mark.django_db
def test_a_job_that_fails_to_enqueue_does_not_stop_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> object:
        raise RuntimeError("queue unavailable")

    calls: list[str] = []
    monkeypatch.setattr(
        scheduler,
        "_REGISTRY",
        {
            "test.broken": PeriodicJob(name="test.broken", every_seconds=60, enqueue=broken),
            "test.fine": PeriodicJob(
                name="test.fine", every_seconds=60, enqueue=lambda: calls.append("fine")
            ),
        },
    )
    monkeypatch.setattr(scheduler, "registered_jobs", lambda: list(scheduler._REGISTRY.values()))

    started = run_due_jobs(NOW)

    assert started == ["test.fine"]
    assert calls == ["fine"]
    # the broken job's slot is not claimed: the next tick tries again
    assert list(ScheduledRun.objects.values_list("job", flat=True)) == ["test.fine"]


@pytest.mark.django_db
def test_the_next_slot_of_a_job_is_claimed_again(
    enqueued: list[str], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_due_jobs(NOW)
        later = run_due_jobs(NOW + timedelta(seconds=60))

    assert later == ["test.minutely"]
    assert enqueued.count("test.minutely") == 2
    assert enqueued.count("test.hourly") == 1


@pytest.mark.django_db
def test_a_slot_claimed_by_another_scheduler_is_skipped(
    enqueued: list[str], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    slot = int(NOW.timestamp()) // 3600
    ScheduledRun.objects.create(job="test.hourly", slot=slot, claimed_at=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        started = run_due_jobs(NOW)

    assert started == ["test.minutely"]
    assert enqueued == ["test.minutely"]


@pytest.mark.django_db
def test_run_scheduler_once_reports_what_it_enqueued(
    enqueued: list[str], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=out)
        call_command("run_scheduler", "--once", stdout=out)

    assert out.getvalue().splitlines() == [
        "enqueued: test.hourly, test.minutely",
        "enqueued: nothing due",
    ]


@pytest.mark.django_db
def test_old_claims_are_pruned_after_a_week() -> None:
    now = timezone.now()
    ScheduledRun.objects.create(job="test.old", slot=1, claimed_at=now - timedelta(days=8))
    ScheduledRun.objects.create(job="test.recent", slot=2, claimed_at=now - timedelta(days=6))

    prune_scheduled_runs_task.call()

    assert list(ScheduledRun.objects.values_list("job", flat=True)) == ["test.recent"]


def test_a_failing_tick_is_logged_and_the_loop_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ticks: list[int] = []

    def flaky_run_due_jobs() -> list[str]:
        ticks.append(len(ticks))
        if len(ticks) == 1:
            raise RuntimeError("database went away")
        return ["test.job"]

    monkeypatch.setattr(scheduler, "run_due_jobs", flaky_run_due_jobs)

    with caplog.at_level("INFO", logger="maillage.core.scheduler"):
        scheduler.run_forever(1, should_stop=lambda: len(ticks) >= 2)

    assert ticks == [0, 1]
    assert "scheduler tick failed" in caplog.text
    assert "periodic job enqueued: test.job" in caplog.text
