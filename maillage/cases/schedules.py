"""Cases nobody answered go to further colleagues."""

from maillage.cases import tasks
from maillage.core.scheduler import periodic


@periodic("cases.widen_waiting_cases", every_seconds=30 * 60)
def widen_waiting_cases() -> object:
    return tasks.widen_waiting_cases_task.enqueue()
