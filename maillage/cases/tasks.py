from __future__ import annotations

from maillage.core.tasks import task


@task()
def widen_waiting_cases_task() -> None:
    from maillage.cases.routing import widen_waiting_cases

    widen_waiting_cases()
