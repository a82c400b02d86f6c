"""Health library: articles written by one professional, reviewed by another, versions kept."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import TimeStampedModel
from maillage.health_info.indexes import PortableGinIndex


class Article(TimeStampedModel):
    """An article of the library, known by its public slug; its text lives in versions."""

    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    current_version = models.OneToOneField(
        "ArticleVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version publiée"),
    )

    class Meta:
        verbose_name = _("article de santé")
        verbose_name_plural = _("articles de santé")

    def __str__(self) -> str:
        return f"Article {self.slug}"


class ArticleVersion(TimeStampedModel):
    """One version of an article: draft → in review → published → superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        IN_REVIEW = "in_review", _("en relecture")
        PUBLISHED = "published", _("publiée")
        SUPERSEDED = "superseded", _("remplacée")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numéro"))
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"))
    what_it_is = models.TextField(_("de quoi s'agit-il ?"), blank=True)
    self_care = models.TextField(_("ce que vous pouvez faire vous-même"), blank=True)
    when_to_consult = models.TextField(_("quand consulter ?"), blank=True)
    when_to_call_15 = models.TextField(_("quand appeler le 15 ?"), blank=True)
    keywords = models.JSONField(_("mots-clés"), default=list, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("relecture tous les (mois)"), default=12
    )
    # The self-assessment template offered with the article (maillage.triage), by its slug.
    self_assessment = models.SlugField(_("auto-évaluation"), max_length=80, blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_article_versions",
        verbose_name=_("auteur"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_article_versions",
        verbose_name=_("relecteur"),
    )
    review_comment = models.TextField(_("commentaire de relecture"), blank=True)

    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("relue le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("dernière relecture"), null=True, blank=True)
    next_review_due = models.DateField(_("prochaine relecture avant"), null=True, blank=True)

    # PostgreSQL only (filled when the version is published); SQLite uses its FTS5 table.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("version d'article")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="health_info_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(status="published"),
                name="health_info_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(status__in=["draft", "in_review"]),
                name="health_info_one_version_in_progress",
            ),
            models.CheckConstraint(
                condition=~models.Q(reviewer=models.F("author")),
                name="health_info_reviewer_is_not_author",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["published", "superseded"])
                | models.Q(
                    reviewer__isnull=False,
                    published_at__isnull=False,
                    last_reviewed_on__isnull=False,
                    next_review_due__isnull=False,
                ),
                name="health_info_published_is_reviewed",
            ),
        ]
        indexes = [
            # Public list (published, A→Z) and the editors' "review due" list.
            models.Index(fields=["status", "next_review_due"], name="health_version_due_idx"),
            # Editors' review queue, oldest submission first.
            models.Index(fields=["status", "submitted_at"], name="health_version_queue_idx"),
            PortableGinIndex(
                fields=["search_vector"],
                condition=models.Q(status="published"),
                name="health_version_search_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"ArticleVersion {self.public_id}"


class Source(models.Model):
    """A public page the version was written from (shown under the article)."""

    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField(_("ordre"))
    title = models.CharField(_("titre"), max_length=300)
    publisher = models.CharField(_("éditeur"), max_length=200)
    url = models.URLField(_("adresse"), max_length=500)
    # True only when someone confirmed the page at this address says what the article cites.
    checked = models.BooleanField(_("vérifiée"), default=False)

    class Meta:
        verbose_name = _("source")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="health_info_source_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(url__startswith="https://")
                | models.Q(url__startswith="http://"),
                name="health_info_source_url_is_web",
            ),
        ]

    def __str__(self) -> str:
        return f"Source {self.pk}"
