"""Re-run tasks whose worker died: leases renewed while a task runs, expired ones re-queued.

django-tasks-db claims a task by marking it RUNNING. A worker killed mid-task (OOM, a node
lost, `kill -9`) leaves it so for ever. Here each running task holds a lease row that a
thread of its worker renews; the scheduler puts RUNNING tasks without a live lease back in the
queue (a bounded number of times). A task may therefore run again after a partial run, so a
task's effects must be idempotent: claim them with a conditional update or a unique key in
the same transaction as the effect itself (see notifications.services.deliver_notification).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maillage.core.models import TaskLease

logger = logging.getLogger(__name__)

# A task that killed its worker this many times (it may be what kills it) is failed, not re-run.
MAX_RUNS = 3
WORKER_LOST = "maillage.core.leases.WorkerLost"

_lock = threading.Lock()
_running: dict[str, str] = {}  # task id -> worker id, the tasks this process runs now
_heartbeat: threading.Thread | None = None


def _lease_period() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def _renew(leases: dict[str, str]) -> None:
    now = timezone.now()
    TaskLease.objects.bulk_create(
        [
            TaskLease(task_id=task_id, worker_id=worker_id, renewed_at=now)
            for task_id, worker_id in leases.items()
        ],
        update_conflicts=True,
        unique_fields=["task_id"],
        update_fields=["worker_id", "renewed_at"],
    )


def _beat() -> None:
    interval = settings.TASK_LEASE_SECONDS / 4
    while True:
        with _lock:
            leases = dict(_running)
        if leases:
            try:
                _renew(leases)
            except Exception:  # the database is down: try again at the next beat
                logger.warning("task leases not renewed", exc_info=True)
                close_old_connections()
        # This thread's own connection: a restarted database must not leave it broken.
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        time.sleep(interval)


def _ensure_heartbeat() -> None:
    global _heartbeat  # one renewing thread per worker process
    with _lock:
        if _heartbeat is None or not _heartbeat.is_alive():
            _heartbeat = threading.Thread(target=_beat, name="task-leases", daemon=True)
            _heartbeat.start()


def _uses_database_backend(sender: Any) -> bool:
    return isinstance(sender, type) and issubclass(sender, DatabaseBackend)


def task_started(sender: Any, task_result: Any, **_: Any) -> None:
    """Receiver of django-tasks' `task_started`: take the lease. Never raises into the task."""
    if not _uses_database_backend(sender) or not task_result.worker_ids:
        return
    task_id, worker_id = str(task_result.id), str(task_result.worker_ids[-1])[:64]
    with _lock:
        _running[task_id] = worker_id
    try:
        _renew({task_id: worker_id})
    except Exception:  # the heartbeat thread will write it
        logger.warning("task lease not taken", exc_info=True)
    _ensure_heartbeat()


def task_finished(sender: Any, task_result: Any, **_: Any) -> None:
    """Receiver of `task_finished`: give the lease back. Never raises."""
    if not _uses_database_backend(sender):
        return
    task_id = str(task_result.id)
    with _lock:
        _running.pop(task_id, None)
    try:
        TaskLease.objects.filter(task_id=task_id).delete()
    except Exception:  # left behind, pruned by requeue_abandoned_tasks
        logger.warning("task lease not released", exc_info=True)


def requeue_abandoned_tasks(now: datetime | None = None) -> int:
    """Put RUNNING tasks whose worker stopped renewing their lease back in the queue.

    A task whose lease ran out `MAX_RUNS` times is marked failed instead. Returns how many
    tasks were re-queued.
    """
    moment = now or timezone.now()
    cutoff = moment - _lease_period()
    alive = TaskLease.objects.filter(renewed_at__gte=cutoff).values("task_id")
    requeued = 0
    with transaction.atomic():
        abandoned = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .exclude(pk__in=alive)
        )
        for result in abandoned:
            if len(result.worker_ids) >= MAX_RUNS:
                result.status = TaskResultStatus.FAILED
                result.finished_at = moment
                result.exception_class_path = WORKER_LOST
                result.traceback = f"worker lost {len(result.worker_ids)} times: not run again"
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error("task %s failed: its worker was lost %d times", result.pk, MAX_RUNS)
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
            logger.warning("task %s re-queued: its worker stopped renewing its lease", result.pk)
        # Leases of finished tasks whose worker could not release them.
        TaskLease.objects.filter(renewed_at__lt=cutoff).exclude(
            task_id__in=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values("pk")
        ).delete()
    return requeued
