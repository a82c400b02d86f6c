"""Recurring maintenance of the platform itself."""

from django.conf import settings

from maillage.core import tasks
from maillage.core.scheduler import periodic

HOUR = 3600
DAY = 24 * HOUR


@periodic("core.clear_expired_sessions", every_seconds=HOUR)
def clear_expired_sessions() -> object:
    return tasks.clear_expired_sessions_task.enqueue()


@periodic("core.prune_task_results", every_seconds=DAY)
def prune_task_results() -> object:
    return tasks.prune_task_results_task.enqueue()


@periodic("core.prune_scheduled_runs", every_seconds=DAY)
def prune_scheduled_runs() -> object:
    return tasks.prune_scheduled_runs_task.enqueue()


@periodic("core.retry_unsent_emails", every_seconds=300)
def retry_unsent_emails() -> object:
    return tasks.retry_unsent_emails_task.enqueue()


# Twice per lease: a task whose worker died runs again within about one and a half leases.
@periodic("core.requeue_abandoned_tasks", every_seconds=max(settings.TASK_LEASE_SECONDS // 2, 1))
def requeue_abandoned_tasks() -> object:
    return tasks.requeue_abandoned_tasks_task.enqueue()
