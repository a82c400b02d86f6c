from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel


class SelfAssessment(TimeStampedModel):
    """One run of a self-assessment template, by a patient or for someone they represent.

    Answers are health data: read and written only through the selectors and services.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("en cours")
        COMPLETED = "completed", _("terminée")

    class Outcome(models.TextChoices):
        EMERGENCY = "emergency", _("urgence vitale")
        SUICIDE = "suicide", _("souffrance psychique, 3114")
        SEE_DOCTOR_TODAY = "see_doctor_today", _("consulter aujourd'hui")
        ONLINE_REQUEST = "online_request", _("écrire à son médecin")
        SELF_CARE = "self_care", _("se soigner soi-même")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    template = models.CharField(max_length=64)
    template_version = models.CharField(max_length=32)
    answers = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    check_in_at = models.DateTimeField(null=True, blank=True)
    check_in_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("auto-évaluation")
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="triage_patient_idx"),
            models.Index(
                fields=["check_in_at"],
                condition=models.Q(check_in_sent_at__isnull=True, check_in_at__isnull=False),
                name="triage_check_in_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"SelfAssessment {self.public_id}"
