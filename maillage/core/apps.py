from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.core"
    verbose_name = "Maillage — socle"

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from maillage.core import checks  # noqa: F401  # registers the deployment checks
        from maillage.core.errors import note_page_error

        got_request_exception.connect(note_page_error, dispatch_uid="maillage.page_errors")

        from django_tasks_db.compat import task_finished, task_started

        from maillage.core import leases

        task_started.connect(leases.task_started, dispatch_uid="maillage.task_lease_taken")
        task_finished.connect(leases.task_finished, dispatch_uid="maillage.task_lease_released")
