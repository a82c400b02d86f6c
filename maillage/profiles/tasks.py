from __future__ import annotations

from maillage.core.tasks import task


@task()
def refresh_response_times_task() -> None:
    from maillage.profiles.services import refresh_response_times

    refresh_response_times()
