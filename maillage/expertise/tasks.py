from __future__ import annotations

from maillage.core.tasks import task


@task()
def send_due_reminders_task() -> None:
    from maillage.expertise.services import send_due_reminders

    send_due_reminders()
