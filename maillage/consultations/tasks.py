from __future__ import annotations

from maillage.consultations.services import escalate_late_requests
from maillage.core.tasks import task


@task()
def escalate_late_requests_task() -> None:
    escalate_late_requests()
