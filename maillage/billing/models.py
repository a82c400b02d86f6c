from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.billing.parcours import ParcoursStatus


class BilledAct(models.Model):
    """One act billed by a doctor, with the tariff and parcours verdict of that day.

    Written only through `maillage.billing.services.record_act`. The amount and the reason are
    copied, not recomputed: the table and the wording may change after the act.
    """

    class SourceKind(models.TextChoices):
        TELECONSULTATION = "teleconsultation", _("téléconsultation")
        TELEEXPERTISE_ANSWER = "teleexpertise_answer", _("avis de téléexpertise")
        TELEEXPERTISE_REQUEST = "teleexpertise_request", _("demande de téléexpertise")
        ONLINE_REQUEST = "online_request", _("demande en ligne")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code de l'acte"), max_length=8)
    amount = models.DecimalField(_("montant"), max_digits=8, decimal_places=2)
    # First day of the tariff period used: with the code, it finds the row of tariffs.json.
    tariff_from = models.DateField()
    performed_at = models.DateTimeField(_("réalisé le"))
    source_kind = models.CharField(max_length=24, choices=SourceKind.choices)
    # Public id of the consultation or expertise the act comes from.
    source_id = models.UUIDField()
    video = models.BooleanField()
    parcours_status = models.CharField(max_length=16, choices=ParcoursStatus.choices)
    parcours_rule = models.CharField(max_length=40)
    # The reason as worded when the act was recorded.
    parcours_reason = models.TextField()
    # Teleconsultations of patients whose médecin traitant is someone else count toward the
    # 20 % (40 % for psychiatrists) yearly cap (Convention 2024, art. 87.7).
    counts_toward_cap = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acte facturé")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "code"], name="billing_act_once_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["doctor", "performed_at"], name="billing_doctor_idx"),
            models.Index(
                fields=["patient", "doctor", "performed_at"], name="billing_patient_doctor_idx"
            ),
            # The territory dashboard reads every doctor's acts of twelve months.
            models.Index(fields=["performed_at"], name="billing_performed_idx"),
        ]

    def __str__(self) -> str:
        return f"BilledAct {self.public_id}"
