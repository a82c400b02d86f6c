"""Specialists are reminded a day before the seven days they have to answer."""

from maillage.core.scheduler import periodic
from maillage.expertise import tasks


@periodic("expertise.send_reminders", every_seconds=30 * 60)
def send_reminders() -> object:
    return tasks.send_due_reminders_task.enqueue()
