"""People away from Maillage get one e-mail digest of what they have not read."""

from maillage.core.scheduler import periodic
from maillage.notifications import tasks


@periodic("notifications.send_digests", every_seconds=3 * 60 * 60)
def send_digests() -> object:
    return tasks.send_digests_task.enqueue()
