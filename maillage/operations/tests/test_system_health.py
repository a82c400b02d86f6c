"""The status page's workers, sockets and error rates (issue 9, operator)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory
from maillage.core.models import OutgoingEmail, ScheduledRun
from maillage.notifications.models import Presence

URL = reverse("operations:status")


def _task(status: str, worker: str, started_ago: timedelta, finished: bool = True) -> None:
    now = timezone.now()
    DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="maillage.core.tasks.clear_expired_sessions_task",
        queue_name="default",
        backend_name="default",
        run_after=now,
        worker_ids=[worker],
        started_at=now - started_ago,
        finished_at=now - started_ago + timedelta(seconds=1) if finished else None,
    )


def test_workers_sockets_and_failure_rate(client: Client, operator: User) -> None:
    # given two workers busy lately and one silent for an hour, 1 failure in 4 finished tasks
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        _task("SUCCESSFUL", "w1", timedelta(minutes=2))
        _task("SUCCESSFUL", "w1", timedelta(minutes=3))
        _task("FAILED", "w2", timedelta(minutes=5))
        _task("SUCCESSFUL", "w3", timedelta(hours=1))
        # two tabs open for one person, one for another, and a stale count left by a dead process
        first, second, gone = PatientFactory(), PatientFactory(), PatientFactory()
        Presence.objects.create(user=first, connections=2, seen_at=now - timedelta(seconds=30))
        Presence.objects.create(user=second, connections=1, seen_at=now)
        Presence.objects.create(user=gone, connections=3, seen_at=now - timedelta(hours=2))
        ScheduledRun.objects.create(job="digest", slot=1, claimed_at=now - timedelta(minutes=1))
        OutgoingEmail.objects.create(to=["a@example.test"], subject="s", body="b", attempts=2)
        OutgoingEmail.objects.create(to=["b@example.test"], subject="s", body="b")
        client.force_login(operator)

        # when the operator opens the status page
        response = client.get(URL)

    # then
    status = response.context["status"]
    assert status.workers_seen == 2
    assert (status.tasks_failed_24h, status.tasks_finished_24h) == (1, 4)
    assert status.task_failure_rate == pytest.approx(0.25)
    assert (status.websocket_connections, status.people_online) == (3, 2)
    assert status.scheduler_last_run == now - timedelta(minutes=1)
    assert (status.emails_waiting, status.emails_failing) == (2, 1)
    html = response.content.decode()
    assert '<dd id="workers-seen">2</dd>' in html
    assert '<dd id="websocket-connections">3</dd>' in html


def test_an_idle_platform_has_no_failure_rate(client: Client, operator: User) -> None:
    client.force_login(operator)
    status = client.get(URL).context["status"]
    assert status.task_failure_rate is None
    assert (status.workers_seen, status.websocket_connections) == (0, 0)
