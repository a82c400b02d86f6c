from __future__ import annotations

from maillage.core.tasks import task
from maillage.notifications.models import Notification
from maillage.notifications.services import deliver_notifications, send_digests


@task(queue_name="notifications")
def deliver_notification_task(notification_id: str) -> None:
    _deliver([notification_id])


@task(queue_name="notifications")
def deliver_notifications_task(notification_ids: list[str], push: bool = True) -> None:
    """One task for a whole fan-out's e-mails and SMS (`notify_many`, which pushed the counts).

    `push` stays for the tasks queued before `notify_many` pushed the counts itself.
    """
    _deliver(notification_ids, push=push)


def _deliver(notification_ids: list[str], *, push: bool = True) -> None:
    notifications = list(
        Notification.objects.select_related("recipient")
        .filter(public_id__in=notification_ids)
        .order_by("id")
    )
    # Missing ones belong to accounts deleted since: nothing to send them.
    deliver_notifications(notifications=notifications, push=push)


@task()
def send_digests_task() -> None:
    send_digests()
