"""The response time shown on each profile is measured again every night."""

from maillage.core.scheduler import periodic
from maillage.profiles import tasks


@periodic("profiles.refresh_response_times", every_seconds=24 * 60 * 60)
def refresh_response_times() -> object:
    return tasks.refresh_response_times_task.enqueue()
