from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.core"
    verbose_name = "Maillage — socle"

    def ready(self) -> None:
        from maillage.core import checks  # noqa: F401  # registers the deployment checks
