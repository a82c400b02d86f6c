from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthInfoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.health_info"
    verbose_name = _("Information santé")
