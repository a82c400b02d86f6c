from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from maillage.accounts import receivers  # noqa: F401  # connects the audit receivers
