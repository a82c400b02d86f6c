from __future__ import annotations

from maillage.core.tasks import task


@task(queue_name="default")
def build_record_export(*, export_id: str) -> None:
    from maillage.records.export import run_export

    run_export(export_id)


@task()
def prune_expired_exports_task() -> None:
    from maillage.records.export import prune_expired_exports

    prune_expired_exports()


@task()
def retention_report_task() -> None:
    """The daily dry run: counts for the operator; deleting is a deliberate `--apply`."""
    from maillage.records.retention import run

    run(apply=False)
