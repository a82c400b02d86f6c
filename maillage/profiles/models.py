"""Doctors' public profiles (J8), within the Ordre des médecins' communication rules.

Every save is a new version, never edited, attributable to its author; a profile is shown only
after its doctor consented to publish that version (R.4127-20), and can be withdrawn at any
time. The directory searches denormalised columns of the published version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.accounts.specialties import Specialty
from maillage.core.models import TimeStampedModel
from maillage.core.uploads import private_storage


def photo_path(instance: ProfileVersion, filename: str) -> str:
    return f"profiles/{instance.profile.public_id}/{uuid.uuid4().hex}.jpg"


class DoctorProfile(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publié")
        WITHDRAWN = "withdrawn", _("retiré")

    doctor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_profile"
    )
    slug = models.SlugField(max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_version = models.ForeignKey(
        "profiles.ProfileVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # What the directory searches, copied from the published version and its practice.
    sort_name = models.CharField(max_length=160, blank=True)
    specialty = models.CharField(max_length=40, choices=Specialty.choices, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)
    accepts_new_patients = models.BooleanField(default=False)
    accepts_treating = models.BooleanField(default=False)
    # Median hours to answer an online request over 90 days (refreshed daily), None if too few.
    response_hours = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["specialty", "latitude", "longitude"],
                condition=models.Q(status="published"),
                name="profiles_search_idx",
            ),
            models.Index(
                fields=["latitude", "longitude"],
                condition=models.Q(status="published"),
                name="profiles_geo_idx",
            ),
            # The directory without a commune: first by name, with or without a specialty.
            models.Index(
                fields=["sort_name", "id"],
                condition=models.Q(status="published"),
                name="profiles_name_idx",
            ),
            models.Index(
                fields=["specialty", "sort_name", "id"],
                condition=models.Q(status="published"),
                name="profiles_specialty_name_idx",
            ),
            # PostgreSQL also has GiST indexes for "nearest first" (migration 0002).
        ]

    def __str__(self) -> str:
        return self.slug


class ProfileVersion(models.Model):
    """One saved state of a profile, with what the communication-rules linter found in it."""

    profile = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    presentation = models.TextField(_("présentation"), blank=True)
    languages = models.JSONField(_("langues parlées"), default=list, blank=True)
    practice = models.ForeignKey(
        "directory.Practice", on_delete=models.PROTECT, related_name="+", null=True
    )
    accepts_new_patients = models.BooleanField(_("accepte de nouveaux patients"), default=False)
    accepts_treating = models.BooleanField(_("accepte de devenir médecin traitant"), default=False)
    fees = models.CharField(_("honoraires"), max_length=300, blank=True)
    photo = models.FileField(upload_to=photo_path, storage=private_storage, blank=True)
    # [{"rule", "severity", "start", "end", "message", "field"}] at the time of saving.
    findings = models.JSONField(default=list, blank=True)
    override_justification = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="profiles_version_once")
        ]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"ProfileVersion {self.profile_id}/{self.number}"

    @property
    def errors(self) -> list[dict[str, object]]:
        return [f for f in self.findings if f.get("severity") == "error"]


class PublicationConsent(models.Model):
    """The doctor's recorded agreement to show a version of their profile (R.4127-20)."""

    version = models.ForeignKey(ProfileVersion, on_delete=models.PROTECT, related_name="consents")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField()
    given_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PublicationConsent {self.pk}"
