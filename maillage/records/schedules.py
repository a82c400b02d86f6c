"""Record exports are deleted a week after they were built."""

from maillage.core.scheduler import periodic
from maillage.records import tasks


@periodic("records.prune_expired_exports", every_seconds=6 * 3600)
def prune_expired_exports() -> object:
    return tasks.prune_expired_exports_task.enqueue()


@periodic("records.retention_report", every_seconds=24 * 3600)
def retention_report() -> object:
    return tasks.retention_report_task.enqueue()
