"""Case discussions among doctors (J5).

A case is shown to peers only once de-identified and reviewed by its author; the identifiable
draft is wiped at publication.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.indexes import PortableGinIndex
from maillage.core.models import TimeStampedModel
from maillage.core.uploads import private_storage


class Case(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        REVIEW = "review", _("à relire (version anonymisée)")
        PUBLISHED = "published", _("publié")
        RESOLVED = "resolved", _("résolu")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    specialties = models.JSONField(_("spécialités concernées"), default=list)
    # What the author typed: kept only until publication, then wiped (never shown to others).
    draft_title = models.CharField(max_length=200, blank=True)
    draft_question = models.TextField(blank=True)
    draft_body = models.TextField(blank=True)
    # The de-identified version, the only one peers ever see.
    title = models.CharField(_("titre"), max_length=200, blank=True)
    question = models.TextField(_("question"), blank=True)
    body = models.TextField(_("cas"), blank=True)
    # What the scrubber removed, for the author's review: [{"field", "start", "end", "kind"}].
    findings = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    first_answer_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    best_comment = models.ForeignKey(
        "cases.Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answering = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answering_since = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    idempotency_key = models.UUIDField(default=uuid.uuid4)
    # PostgreSQL's French full-text index of the published case (maillage.cases.search); left
    # empty in embedded mode, which searches an FTS5 table instead.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("cas clinique")
        constraints = [
            models.UniqueConstraint(fields=["author", "idempotency_key"], name="cases_one_per_key")
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="cases_list_idx"),
            # The list pages newest first on (published_at, id): walked, not sorted.
            models.Index(
                fields=["-published_at", "-id"],
                name="cases_published_idx",
                condition=models.Q(published_at__isnull=False),
            ),
            models.Index(fields=["author", "-created_at"], name="cases_author_idx"),
            PortableGinIndex(fields=["search_vector"], name="cases_search_idx"),
        ]

    def __str__(self) -> str:
        return f"Case {self.public_id}"

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.RESOLVED)


def image_path(instance: CaseImage, filename: str) -> str:
    return f"cases/{instance.case.public_id}/{uuid.uuid4().hex}{instance.extension}"


class CaseImage(models.Model):
    """An image of the case, stored only after EXIF and GPS were removed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, storage=private_storage)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    removed = models.JSONField(default=list)  # which metadata were removed
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"CaseImage {self.public_id}"


class Poll(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(max_length=200)
    options = models.JSONField(default=list)  # list of short labels

    def __str__(self) -> str:
        return f"Poll {self.pk}"


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="cases_one_vote")]

    def __str__(self) -> str:
        return f"PollVote {self.pk}"


class Comment(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Sanitised Markdown, de-identified like the case.
    body = models.TextField()
    helpful_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="cases_comments_idx")]

    def __str__(self) -> str:
        return f"Comment {self.public_id}"


class HelpfulVote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="helpful_votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="cases_helpful_once")
        ]

    def __str__(self) -> str:
        return f"HelpfulVote {self.pk}"


class CaseView(models.Model):
    """One row per doctor and case: unique views."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "viewer"], name="cases_view_once")]

    def __str__(self) -> str:
        return f"CaseView {self.pk}"


class CaseFollow(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="cases_follow_once")]

    def __str__(self) -> str:
        return f"CaseFollow {self.pk}"


class CaseRouting(models.Model):
    """A doctor a case was sent to: live when they were online, else in their next digest.

    The rows are also the load each doctor has been given, so routing spreads new cases over
    the colleagues who received the fewest lately.
    """

    class Channel(models.TextChoices):
        LIVE = "live", _("en direct")
        DIGEST = "digest", _("dans le récapitulatif")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routings")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    channel = models.CharField(max_length=6, choices=Channel.choices)
    routed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "doctor"], name="cases_routed_once")]
        indexes = [
            models.Index(fields=["doctor", "routed_at"], name="cases_routing_load_idx"),
        ]

    def __str__(self) -> str:
        return f"CaseRouting {self.pk}"
