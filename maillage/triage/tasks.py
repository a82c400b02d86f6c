from __future__ import annotations

from maillage.core.tasks import task
from maillage.triage.services import send_due_check_ins


@task()
def send_due_check_ins_task() -> None:
    send_due_check_ins()
