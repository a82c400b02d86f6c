from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.billing"
    verbose_name = _("Facturation des actes")

    def ready(self) -> None:
        from maillage.billing import checks  # noqa: F401  # registers the tariff table check
