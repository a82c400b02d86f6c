"""The patient's record (J7).

One timeline of everything the platform produced for a patient, who may read it, and what the
patient hides from whom.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel
from maillage.core.uploads import private_storage


def entry_file_path(instance: RecordEntry, filename: str) -> str:
    return f"records/{instance.patient_id}/{uuid.uuid4().hex}{instance.extension}"


class RecordEntry(TimeStampedModel):
    """One item of the timeline, filed by the service that produced it (in its transaction).

    It keeps its own copy of the text and the document: the record is what was said and sent,
    whatever happens later to the request or the appointment it came from.
    """

    class Kind(models.TextChoices):
        ONLINE_REQUEST = "online_request", _("Demande en ligne")
        MESSAGE = "message", _("Échange avec le cabinet")
        TELECONSULTATION = "teleconsultation", _("Compte rendu de téléconsultation")
        PRESCRIPTION = "prescription", _("Ordonnance")
        CERTIFICATE = "certificate", _("Certificat")
        EXPERTISE = "expertise", _("Avis de téléexpertise")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        SHARED_FILE = "shared_file", _("Document échangé")
        PATIENT_DOCUMENT = "patient_document", _("Document ajouté par le patient")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="record_entries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where it came from (e.g. "teleconsultation.consultationreport" and its public id): filing
    # the same thing twice files it once.
    source_type = models.CharField(max_length=64)
    source_id = models.UUIDField()
    file = models.FileField(upload_to=entry_file_path, storage=private_storage, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    extension = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name = _("élément du dossier")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"], name="records_filed_once"
            )
        ]
        indexes = [
            models.Index(fields=["patient", "-occurred_at", "-id"], name="records_timeline_idx"),
            models.Index(fields=["patient", "kind", "-occurred_at"], name="records_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"RecordEntry {self.public_id}"


class CareRelationship(models.Model):
    """A professional caring for the patient: they may read the record while it lasts.

    Opened by a consultation, an answered request or a tele-expertise.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_relationships"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cared_patients"
    )
    reason = models.CharField(max_length=32)  # teleconsultation, online_request, expertise
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "professional", "reason"], name="records_one_relationship"
            )
        ]
        indexes = [models.Index(fields=["professional", "patient", "ends_at"])]

    def __str__(self) -> str:
        return f"CareRelationship {self.pk}"


class AccessGrant(TimeStampedModel):
    """The patient lets a professional read their record, until they take it back."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_grants"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_grants_received"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "professional"],
                condition=models.Q(revoked_at__isnull=True),
                name="records_one_active_grant",
            )
        ]
        indexes = [models.Index(fields=["professional", "patient", "revoked_at"])]

    def __str__(self) -> str:
        return f"AccessGrant {self.public_id}"


class EntryMask(models.Model):
    """The patient hides one entry from one professional (as in the DMP).

    The professional sees that something is hidden, never what.
    """

    entry = models.ForeignKey(RecordEntry, on_delete=models.CASCADE, related_name="masks")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    masked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "professional"], name="records_mask_once")
        ]
        indexes = [models.Index(fields=["professional", "entry"])]

    def __str__(self) -> str:
        return f"EntryMask {self.pk}"


def export_path(instance: RecordExport, filename: str) -> str:
    return f"exports/{instance.public_id}.zip"


class RecordExport(TimeStampedModel):
    """A "download my record" ZIP, built by a task and kept a week."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en préparation")
        READY = "ready", _("prêt")
        FAILED = "failed", _("échec")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=export_path, storage=private_storage, blank=True)
    size = models.PositiveIntegerField(default=0)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"RecordExport {self.public_id}"


class LegalHold(TimeStampedModel):
    """A claim (amicable or litigation) suspends the deletion of a record (R.1112-7 CSP)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.CharField(max_length=200)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "lifted_at"])]

    def __str__(self) -> str:
        return f"LegalHold {self.public_id}"


class RetentionRun(models.Model):
    """One pass of the retention engine: how many records were due, how many were deleted."""

    ran_at = models.DateTimeField(auto_now_add=True)
    dry_run = models.BooleanField()
    due = models.PositiveIntegerField()
    held = models.PositiveIntegerField()
    deleted_entries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"RetentionRun {self.pk}"


class PrivacyRequest(TimeStampedModel):
    """A data-protection request with its legal clock (L.1111-7 CSP; GDPR art. 12, 15-17, 21)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("accès à mon dossier")
        RECTIFICATION = "rectification", _("rectification")
        ERASURE = "erasure", _("effacement")
        OBJECTION = "objection", _("opposition")

    class Status(models.TextChoices):
        RECEIVED = "received", _("reçue")
        ANSWERED = "answered", _("traitée")
        PARTLY = "partly", _("traitée en partie")
        REFUSED = "refused", _("refusée, avec le motif")

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="privacy_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("demande"), max_length=16, choices=Kind.choices)
    details = models.TextField(_("précisions"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "due_at"], name="records_privacy_queue_idx"),
            models.Index(fields=["patient", "-received_at"]),
        ]

    def __str__(self) -> str:
        return f"PrivacyRequest {self.public_id}"
