"""Self-care check-ins are sent on their day (each is sent once; the job can run often)."""

from maillage.core.scheduler import periodic
from maillage.triage import tasks


@periodic("triage.send_due_check_ins", every_seconds=15 * 60)
def send_due_check_ins() -> object:
    return tasks.send_due_check_ins_task.enqueue()
