"""The django-tasks API: built into Django 6 (`django.tasks`), the backport on Django 5.2."""

# Django 6 ships this API as `django.tasks`: the upgrade is this one import.
from django_tasks import task

__all__ = [
    "clear_expired_sessions_task",
    "prune_scheduled_runs_task",
    "prune_task_results_task",
    "requeue_abandoned_tasks_task",
    "retry_unsent_emails_task",
    "send_outgoing_email_task",
    "task",
]


# Maintenance jobs, enqueued by the scheduler (maillage/core/schedules.py).


@task()
def clear_expired_sessions_task() -> None:
    from django.core.management import call_command

    call_command("clearsessions")


@task()
def prune_task_results_task() -> None:
    from django.conf import settings
    from django.core.management import call_command

    for queue in settings.TASKS["default"].get("QUEUES", ["default"]):
        call_command("prune_db_task_results", queue_name=queue, min_age_days=14, verbosity=0)


@task()
def prune_scheduled_runs_task() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from maillage.core.models import ScheduledRun

    ScheduledRun.objects.filter(claimed_at__lt=timezone.now() - timedelta(days=7)).delete()


@task()
def send_outgoing_email_task(email_id: str) -> None:
    from maillage.core.mail import deliver_outgoing_email

    deliver_outgoing_email(email_id=email_id)


@task()
def retry_unsent_emails_task() -> None:
    from maillage.core.mail import deliver_outgoing_email, unsent_email_ids

    for email_id in unsent_email_ids():
        deliver_outgoing_email(email_id=email_id)


@task()
def requeue_abandoned_tasks_task() -> int:
    from maillage.core.leases import requeue_abandoned_tasks

    return requeue_abandoned_tasks()
