"""Teams are warned before a promised answer time is missed."""

from maillage.consultations import tasks
from maillage.core.scheduler import periodic


@periodic("consultations.escalate_late_requests", every_seconds=10 * 60)
def escalate_late_requests() -> object:
    return tasks.escalate_late_requests_task.enqueue()


@periodic("consultations.sweep_orphan_attachments", every_seconds=24 * 3600)
def sweep_orphan_attachments() -> object:
    return tasks.sweep_orphan_attachments_task.enqueue()
