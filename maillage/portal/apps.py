from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.portal"
    verbose_name = _("Portail")

    def ready(self) -> None:
        from maillage.portal import receivers

        receivers.connect()
