from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityDeclaration(models.Model):
    """A doctor's count of the acts of a year billed outside Maillage's teleconsultations.

    The 20 % cap compares teleconsultations with the doctor's whole conventioned activity
    (Convention 2024, art. 87.7), most of which Maillage never sees: in-person consultations and
    visits are billed in the practice's software. The doctor copies that figure here.
    """

    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    other_acts = models.PositiveIntegerField(_("actes facturés hors téléconsultation"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("déclaration d'activité")
        constraints = [
            models.UniqueConstraint(fields=["doctor", "year"], name="dashboards_one_per_year")
        ]

    def __str__(self) -> str:
        return f"ActivityDeclaration {self.pk}"
