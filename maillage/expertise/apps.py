from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertiseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.expertise"
    verbose_name = _("Téléexpertise")
