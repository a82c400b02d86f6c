from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maillage.fhir_api"
    verbose_name = _("API FHIR")
