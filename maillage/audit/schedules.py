"""The audit trail's hash chain is extended every five minutes."""

from maillage.audit import tasks
from maillage.core.scheduler import periodic


@periodic("audit.seal_events", every_seconds=5 * 60)
def seal_events() -> object:
    return tasks.seal_audit_events_task.enqueue()
