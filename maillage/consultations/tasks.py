from __future__ import annotations

from maillage.consultations.services import escalate_late_requests
from maillage.core.tasks import task


@task()
def escalate_late_requests_task() -> None:
    escalate_late_requests()


@task()
def sweep_orphan_attachments_task() -> None:
    from maillage.consultations.services import sweep_orphan_attachments

    sweep_orphan_attachments()
