from django.apps import AppConfig


class DeidConfig(AppConfig):
    name = "maillage.deid"
    verbose_name = "Maillage — désidentification"
