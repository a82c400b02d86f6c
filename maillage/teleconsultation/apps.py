from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeleconsultationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.teleconsultation"
    verbose_name = _("Téléconsultation")
