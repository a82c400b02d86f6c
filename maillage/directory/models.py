from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel


class Practice(TimeStampedModel):
    """A place of care: cabinet, maison de santé pluriprofessionnelle or centre de santé."""

    class Kind(models.TextChoices):
        CABINET = "cabinet", _("Cabinet médical")
        MSP = "msp", _("Maison de santé pluriprofessionnelle")
        CENTRE = "centre", _("Centre de santé")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    address = models.CharField(_("adresse"), max_length=255)
    postcode = models.CharField(_("code postal"), max_length=5)
    commune = models.ForeignKey("core.Commune", on_delete=models.PROTECT, related_name="practices")
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    finess = models.CharField(_("numéro FINESS"), max_length=9, blank=True)
    step_free_access = models.BooleanField(
        _("accessible aux personnes à mobilité réduite"), default=False
    )

    class Meta:
        verbose_name = _("lieu d'exercice")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PracticeMembership(models.Model):
    """A doctor or a staff member working at a practice."""

    class Kind(models.TextChoices):
        DOCTOR = "doctor", _("médecin")
        STAFF = "staff", _("personnel")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_memberships"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="directory_one_active_membership",
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"PracticeMembership {self.pk}"


class TreatingDoctorDeclaration(models.Model):
    """The patient's médecin traitant (declaration to the Assurance Maladie), with history."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="treating_declarations"
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="treated_declarations"
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("déclaration de médecin traitant")
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(ended_at__isnull=True),
                name="directory_one_treating_doctor",
            ),
            models.CheckConstraint(
                condition=~models.Q(patient=models.F("doctor")), name="directory_not_own_doctor"
            ),
        ]
        indexes = [models.Index(fields=["doctor", "ended_at"])]

    def __str__(self) -> str:
        return f"TreatingDoctorDeclaration {self.pk}"
