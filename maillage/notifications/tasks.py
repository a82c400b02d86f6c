from __future__ import annotations

from maillage.core.tasks import task
from maillage.notifications.models import Notification
from maillage.notifications.services import deliver_notification, send_digests


@task(queue_name="notifications")
def deliver_notification_task(notification_id: str) -> None:
    notification = (
        Notification.objects.select_related("recipient").filter(public_id=notification_id).first()
    )
    if notification is None:  # the recipient's account was deleted since: nothing to send
        return
    deliver_notification(notification=notification)


@task()
def send_digests_task() -> None:
    send_digests()
