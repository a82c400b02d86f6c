"""Moderated patient communities (J6): pseudonymous threads, a bridge to care, a moderation queue.

Posts are screened before publication (personal data, red flags, promotion); what a moderator
does is kept as a visible note on the post and in the audit trail.
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


class Community(models.Model):
    class Kind(models.TextChoices):
        CONDITION = "condition", _("maladie")
        CARERS = "carers", _("aidants")
        LIFE = "life", _("étape de vie")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"))
    rules = models.TextField(_("règles"))
    # Pinned links to the health library (slugs of articles).
    pinned_articles = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("communauté")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.slug


class Member(models.Model):
    """Someone's face in the communities: a pseudonym, never their name; a drawn avatar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_member"
    )
    pseudonym = models.CharField(_("pseudonyme"), max_length=30, unique=True)
    avatar_hue = models.PositiveSmallIntegerField(default=200)
    communities = models.ManyToManyField(Community, related_name="members", blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    warned_count = models.PositiveSmallIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        # Not the pseudonym: a log line naming it would tie a person to a condition's community.
        return f"Member {self.pk}"


class Thread(TimeStampedModel):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("titre"), max_length=150)
    last_post_at = models.DateTimeField()
    reply_count = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["community", "-last_post_at", "-id"], name="comm_threads_idx")
        ]

    def __str__(self) -> str:
        return f"Thread {self.public_id}"


class Post(TimeStampedModel):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("publié")
        HELD = "held", _("en attente de relecture")
        HIDDEN = "hidden", _("masqué par la modération")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="posts")
    body = models.TextField(_("message"))  # Markdown, rendered with HTML off
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # The author was a verified health professional when posting: the badge.
    by_professional = models.BooleanField(default=False)
    # 0 nothing, 1 promotion or personal data kept, 2 urgent, 3 emergency or suicide risk.
    risk = models.PositiveSmallIntegerField(default=0)
    risk_reasons = models.JSONField(default=list, blank=True)
    # Reads like an individual diagnosis: readers are pointed to their own GP.
    suggests_gp = models.BooleanField(default=False)
    needs_review = models.BooleanField(default=False)
    moderation_note = models.CharField(max_length=300, blank=True)
    helpful_count = models.PositiveIntegerField(default=0)
    idempotency_key = models.UUIDField()
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="comm_post_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="comm_posts_idx"),
            models.Index(
                fields=["-risk", "created_at"],
                condition=models.Q(needs_review=True),
                name="comm_review_queue_idx",
            ),
            PortableGinIndex(fields=["search_vector"], name="comm_posts_search_idx"),
        ]

    def __str__(self) -> str:
        return f"Post {self.public_id}"


def image_path(instance: PostImage, filename: str) -> str:
    return f"communities/{instance.post.public_id}/{uuid.uuid4().hex}{instance.extension}"


class PostImage(models.Model):
    """A photo of a post, stored only after its EXIF (and GPS) were removed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, storage=private_storage)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)

    def __str__(self) -> str:
        return f"PostImage {self.public_id}"


class Helpful(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="comm_helpful_once")]

    def __str__(self) -> str:
        return f"Helpful {self.pk}"


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "member"], name="comm_follow_once")
        ]

    def __str__(self) -> str:
        return f"Follow {self.pk}"


class Report(models.Model):
    class Reason(models.TextChoices):
        DANGER = "danger", _("quelqu'un est en danger")
        MEDICAL = "medical", _("conseil médical dangereux")
        PERSONAL = "personal", _("données personnelles")
        ABUSE = "abuse", _("propos blessants ou harcèlement")
        PROMOTION = "promotion", _("publicité ou promotion")
        OTHER = "other", _("autre")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="comm_report_once")
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}"
