from __future__ import annotations

from maillage.core.tasks import task


@task()
def seal_audit_events_task() -> None:
    from maillage.audit.chain import seal_pending

    seal_pending()
