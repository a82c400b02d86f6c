"""Cases nobody answered go to further colleagues; offline doctors get a digest."""

from maillage.cases import tasks
from maillage.core.scheduler import periodic


@periodic("cases.widen_waiting_cases", every_seconds=30 * 60)
def widen_waiting_cases() -> object:
    return tasks.widen_waiting_cases_task.enqueue()


@periodic("cases.send_digests", every_seconds=3 * 60 * 60)
def send_digests() -> object:
    return tasks.send_digests_task.enqueue()
