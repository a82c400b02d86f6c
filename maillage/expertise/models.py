"""Tele-expertise (J4): a doctor asks a specialty or a named specialist about a patient."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.accounts.specialties import Specialty
from maillage.core.models import TimeStampedModel
from maillage.core.uploads import private_storage


class ExpertiseRequest(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("en attente d'un spécialiste")
        IN_PROGRESS = "in_progress", _("prise en charge")
        AWAITING_INFO = "awaiting_info", _("précision demandée")
        ANSWERED = "answered", _("avis rendu")
        CANCELLED = "cancelled", _("annulée")

    class Consent(models.TextChoices):
        GIVEN = "given", _("le patient a été informé et a donné son accord")
        REPRESENTATIVE = "representative", _("son représentant légal a donné son accord")
        IMPOSSIBLE = "impossible", _("le patient n'a pas pu être consulté")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expertise_requests"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expertises"
    )
    specialty = models.CharField(_("spécialité"), max_length=40, choices=Specialty.choices)
    # A named specialist, or None: any available specialist of the specialty may take it.
    requested_specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"))
    context = models.TextField(_("contexte clinique"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    # Informed consent before the request is sent (or why it could not be obtained).
    consent = models.CharField(max_length=16, choices=Consent.choices)
    consent_note = models.CharField(max_length=300, blank=True)
    consent_recorded_at = models.DateTimeField()
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField()  # seven days to answer
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Why no act was billed, when none was (same site, yearly limit reached).
    billing_note = models.CharField(max_length=300, blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("demande de téléexpertise")
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "idempotency_key"], name="expertise_one_request_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["specialty", "status", "due_at"], name="expertise_queue_idx"),
            models.Index(fields=["assigned_to", "status", "due_at"], name="expertise_mine_idx"),
            models.Index(fields=["requester", "-submitted_at"], name="expertise_sent_idx"),
            models.Index(fields=["patient", "-submitted_at"], name="expertise_patient_idx"),
            models.Index(
                fields=["due_at"],
                condition=models.Q(reminded_at__isnull=True, answered_at__isnull=True),
                name="expertise_reminder_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"ExpertiseRequest {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (
            self.Status.SUBMITTED,
            self.Status.IN_PROGRESS,
            self.Status.AWAITING_INFO,
        )


class ExpertiseMessage(models.Model):
    class Kind(models.TextChoices):
        INFO_REQUESTED = "info_requested", _("précision demandée")
        INFO_GIVEN = "info_given", _("précision apportée")
        ANSWER = "answer", _("avis")

    request = models.ForeignKey(ExpertiseRequest, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"ExpertiseMessage {self.pk}"


def attachment_path(instance: ExpertiseAttachment, filename: str) -> str:
    return f"expertise/{instance.request.public_id}/{uuid.uuid4().hex}{instance.extension}"


class ExpertiseAttachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        ExpertiseRequest, on_delete=models.CASCADE, related_name="attachments"
    )
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
        return f"ExpertiseAttachment {self.public_id}"
