from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel
from maillage.core.uploads import private_storage


def default_opening_hours() -> dict[str, list[list[str]]]:
    """Monday to Friday 8:30-12:00 and 14:00-18:30 (keys: 0 = Monday ... 6 = Sunday)."""
    day = [["08:30", "12:00"], ["14:00", "18:30"]]
    return {str(weekday): day for weekday in range(5)}


class PracticeAvailability(models.Model):
    """How a practice receives online requests: hours, capacity, promised answer time."""

    practice = models.OneToOneField(
        "directory.Practice", on_delete=models.CASCADE, related_name="availability"
    )
    accepts_online_requests = models.BooleanField(_("reçoit des demandes en ligne"), default=True)
    accepts_other_patients = models.BooleanField(
        _("accepte les patients dont le médecin traitant est ailleurs"), default=False
    )
    opening_hours = models.JSONField(_("heures d'ouverture"), default=default_opening_hours)
    daily_capacity = models.PositiveSmallIntegerField(_("demandes par jour ouvré"), default=20)
    answer_within_working_hours = models.PositiveSmallIntegerField(
        _("délai de réponse promis (heures ouvrées)"), default=8
    )
    # Public holidays of the practice's area ("57" for Moselle, which keeps its own).
    holiday_subdivision = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name = _("disponibilité en ligne")

    def __str__(self) -> str:
        return f"PracticeAvailability {self.pk}"


class PracticeClosure(models.Model):
    """Days a practice is closed besides public holidays (leave, training)."""

    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.CASCADE, related_name="closures"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="consultations_closure_order",
            )
        ]
        indexes = [models.Index(fields=["practice", "ends_on"])]

    def __str__(self) -> str:
        return f"PracticeClosure {self.pk}"


class OnlineRequest(TimeStampedModel):
    """A patient writes to a practice (eConsult-style); the exchange is filed in the record."""

    class Route(models.TextChoices):
        CLINICAL = "clinical", _("Un problème de santé")
        RENEWAL = "renewal", _("Renouvellement d'ordonnance")
        CERTIFICATE = "certificate", _("Certificat")
        RESULTS = "results", _("Résultats d'examen")
        OTHER = "other", _("Autre demande")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("envoyée")
        IN_REVIEW = "in_review", _("prise en charge")
        AWAITING_PATIENT = "awaiting_patient", _("en attente de votre réponse")
        CLOSED = "closed", _("terminée")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("habituelle")
        URGENT = "urgent", _("à voir aujourd'hui")
        EMERGENCY = "emergency", _("signe d'alerte signalé")

    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, related_name="online_requests"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="online_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    route = models.CharField(max_length=12, choices=Route.choices)
    self_assessment = models.ForeignKey(
        "triage.SelfAssessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("objet"), max_length=120)
    message = models.TextField(_("message"))
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    # The patient was shown an emergency outcome and chose to write anyway: flagged for staff.
    after_emergency_advice = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField()
    promised_by = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the team was warned that the promised time was near (once per request).
    escalated_at = models.DateTimeField(null=True, blank=True)
    # A double submit carries the same key: one request.
    idempotency_key = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("demande en ligne")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"], name="consultations_one_request_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["practice", "status", "submitted_at"], name="consult_queue_idx"),
            models.Index(fields=["patient", "-submitted_at"], name="consult_patient_idx"),
            models.Index(fields=["practice", "submitted_at"], name="consult_capacity_idx"),
            models.Index(
                fields=["promised_by"],
                condition=models.Q(escalated_at__isnull=True, closed_at__isnull=True),
                name="consult_escalation_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"OnlineRequest {self.public_id}"


class RequestEvent(models.Model):
    """The timeline of a request: messages both ways and every change of state."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("demande envoyée")
        ASSIGNED = "assigned", _("prise en charge")
        MESSAGE = "message", _("message")
        INFO_REQUESTED = "info_requested", _("précision demandée")
        PATIENT_REPLIED = "patient_replied", _("réponse du patient")
        CLOSED = "closed", _("demande terminée")

    request = models.ForeignKey(OnlineRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"RequestEvent {self.pk}"


class RequestDraft(models.Model):
    """What a patient is typing, saved as they type: a dropped connection loses nothing."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"RequestDraft {self.pk}"


def attachment_path(instance: RequestAttachment, filename: str) -> str:
    # A random name: nothing of the patient's file name reaches the disk or a URL.
    return f"requests/{instance.request.public_id}/{uuid.uuid4().hex}{instance.extension}"


class RequestAttachment(models.Model):
    """A photo or document sent with a request: re-encoded, metadata stripped (core.uploads)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(OnlineRequest, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"RequestAttachment {self.public_id}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
