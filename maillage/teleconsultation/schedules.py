"""Patients are reminded of their appointments the day before and an hour before."""

from maillage.core.scheduler import periodic
from maillage.teleconsultation import tasks


@periodic("teleconsultation.send_reminders", every_seconds=5 * 60)
def send_reminders() -> object:
    return tasks.send_due_reminders_task.enqueue()
