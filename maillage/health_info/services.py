"""Use cases of the health library: write, review, publish, load. Audited in their transaction.

An article is written by one professional editor and published only after a second one has
reviewed it (both with an RPPS). Versions are never rewritten once submitted: publishing a new
version supersedes the previous one, which is kept.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.audit.services import log_event
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.health_info import fulltext
from maillage.health_info.models import Article, ArticleVersion, Source
from maillage.health_info.schema import (
    ArticleContent,
    ArticleFile,
    ArticleFileInvalid,
    SourceContent,
    completeness_problems,
    content_problems,
    read_article_file,
    slug_problems,
)
from maillage.health_info.selectors import is_editor

CONTENT_DIR = Path(__file__).resolve().parent / "content" / "fr"


class NotAnEditor(NotAllowed):
    default_message = _(
        "Seuls les professionnels de santé éditeurs, avec un numéro RPPS, peuvent rédiger ou "
        "relire un article."
    )


class AuthorNotAnEditor(DomainError):
    default_message = _(
        "L'auteur de cette version n'est plus éditeur avec un numéro RPPS : elle ne peut pas "
        "être publiée."
    )


class OwnReviewRefused(NotAllowed):
    default_message = _("Un article doit être relu par un autre professionnel que son auteur.")


class NotTheAuthor(NotAllowed):
    default_message = _("Seul l'auteur de cette version peut la modifier ou la soumettre.")


class WrongStep(DomainError):
    default_message = _("Cette version n'est pas à l'étape qui permet cette action.")


class SlugTaken(DomainError):
    default_message = _("Un article existe déjà à cette adresse.")


class VersionInProgress(DomainError):
    default_message = _("Une nouvelle version de cet article est déjà en cours.")


class NothingPublished(DomainError):
    default_message = _("Cet article n'a pas encore de version publiée.")


class CommentRequired(DomainError):
    default_message = _("Expliquez à l'auteur ce qu'il faut revoir.")


class InvalidArticle(DomainError):
    """The content breaks a rule; the message lists the problems."""


class LibraryInvalid(DomainError):
    """One or more content files break the format; the message names each file."""


# --- Rules on people --------------------------------------------------------------------------


def _require_editor(actor: User) -> None:
    if not is_editor(actor):
        raise NotAnEditor


def _require_author(actor: User, version: ArticleVersion) -> None:
    _require_editor(actor)
    if version.author_id != actor.pk:
        raise NotTheAuthor


def _require_reviewer(actor: User, version: ArticleVersion) -> None:
    _require_editor(actor)
    if version.author_id == actor.pk:
        raise OwnReviewRefused


# --- Helpers ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def content_of(version: ArticleVersion) -> ArticleContent:
    """Return what the author wrote in a version (sources in their order)."""
    return ArticleContent(
        title=version.title,
        summary=version.summary,
        what_it_is=version.what_it_is,
        self_care=version.self_care,
        when_to_consult=version.when_to_consult,
        when_to_call_15=version.when_to_call_15,
        keywords=tuple(version.keywords),
        sources=tuple(
            SourceContent(title=s.title, publisher=s.publisher, url=s.url, checked=s.checked)
            for s in version.sources.order_by("position")
        ),
        review_interval_months=version.review_interval_months,
        self_assessment=version.self_assessment,
    )


def _check_content(content: ArticleContent) -> None:
    problems = content_problems(content)
    if problems:
        raise InvalidArticle(
            gettext("L'article est incomplet ou invalide : %(problems)s.")
            % {"problems": "; ".join(problems)}
        )


_CONTENT_FIELDS = [
    "title",
    "summary",
    "what_it_is",
    "self_care",
    "when_to_consult",
    "when_to_call_15",
    "keywords",
    "review_interval_months",
    "self_assessment",
]


def _write_content(version: ArticleVersion, content: ArticleContent) -> None:
    """Copy the content into a new or locked version, then replace its sources."""
    clean = content.normalized()
    for name in _CONTENT_FIELDS:
        setattr(version, name, getattr(clean, name))
    version.keywords = list(clean.keywords)
    if version._state.adding:
        version.save()
    else:
        version.save(update_fields=[*_CONTENT_FIELDS, "updated_at"])
        version.sources.all().delete()
    Source.objects.bulk_create(
        Source(
            version=version,
            position=position,
            title=source.title,
            publisher=source.publisher,
            url=source.url,
            checked=source.checked,
        )
        for position, source in enumerate(clean.sources, start=1)
    )


def _locked(version: ArticleVersion) -> ArticleVersion:
    # The version's row only: publishing locks the article first, then the version.
    return (
        ArticleVersion.objects.select_for_update(of=("self",))
        .select_related("article")
        .get(pk=version.pk)
    )


def _details(version: ArticleVersion, **extra: str | int | None) -> dict[str, str | int | None]:
    return {"article": version.article.slug, "number": version.number, **extra}


# --- The workflow -----------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, actor: User, slug: str, content: ArticleContent) -> ArticleVersion:
    """Start a new article at `slug` with its first version, a draft written by the actor.

    Raises:
        NotAnEditor: unless the actor is an editor with an RPPS.
        InvalidArticle: when the slug or the content breaks a rule.
        SlugTaken: when an article already lives at this slug.
    """
    _require_editor(actor)
    problems = slug_problems(slug)
    if problems:
        raise InvalidArticle("; ".join(problems))
    _check_content(content)
    try:
        with transaction.atomic():
            article = Article.objects.create(slug=slug)
    except IntegrityError:
        raise SlugTaken from None
    version = ArticleVersion(article=article, number=1, author=actor)
    _write_content(version, content)
    log_event(
        actor=actor, action="health_info.draft_created", target=version, details=_details(version)
    )
    return version


@transaction.atomic
def update_draft(
    *, actor: User, version: ArticleVersion, content: ArticleContent
) -> ArticleVersion:
    """Replace the text and sources of a draft (its author only).

    Raises:
        NotAnEditor, NotTheAuthor: unless the actor is the draft's author, still an editor.
        WrongStep: when the version is no longer a draft.
        InvalidArticle: when the content breaks a rule.
    """
    version = _locked(version)
    _require_author(actor, version)
    if version.status != ArticleVersion.Status.DRAFT:
        raise WrongStep
    _check_content(content)
    _write_content(version, content)
    log_event(
        actor=actor, action="health_info.draft_updated", target=version, details=_details(version)
    )
    return version


@transaction.atomic
def submit_for_review(*, actor: User, version: ArticleVersion) -> ArticleVersion:
    """Send a complete draft to the other editors for review.

    Raises:
        NotAnEditor, NotTheAuthor: unless the actor is the draft's author, still an editor.
        WrongStep: when the version is not a draft.
        InvalidArticle: when a section or the sources are missing.
    """
    version = _locked(version)
    _require_author(actor, version)
    if version.status != ArticleVersion.Status.DRAFT:
        raise WrongStep
    problems = completeness_problems(content_of(version))
    if problems:
        raise InvalidArticle(
            gettext("Avant la relecture : %(problems)s.") % {"problems": "; ".join(problems)}
        )
    version.status = ArticleVersion.Status.IN_REVIEW
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at", "updated_at"])
    log_event(
        actor=actor,
        action="health_info.submitted_for_review",
        target=version,
        details=_details(version),
    )
    return version


@transaction.atomic
def send_back(*, actor: User, version: ArticleVersion, comment: str) -> ArticleVersion:
    """Return a version in review to its author as a draft, with what to change.

    Raises:
        NotAnEditor: unless the actor is an editor with an RPPS.
        OwnReviewRefused: when the actor wrote the version.
        WrongStep: when the version is not in review.
        CommentRequired: when the comment is empty.
    """
    version = _locked(version)
    _require_reviewer(actor, version)
    if version.status != ArticleVersion.Status.IN_REVIEW:
        raise WrongStep
    if not comment.strip():
        raise CommentRequired
    version.status = ArticleVersion.Status.DRAFT
    version.reviewer = actor
    version.reviewed_at = timezone.now()
    version.review_comment = comment.strip()
    version.save(
        update_fields=["status", "reviewer", "reviewed_at", "review_comment", "updated_at"]
    )
    # The comment is editorial free text: it stays on the version, not in the audit trail.
    log_event(
        actor=actor, action="health_info.sent_back", target=version, details=_details(version)
    )
    return version


@transaction.atomic
def approve_and_publish(*, actor: User, version: ArticleVersion) -> ArticleVersion:
    """Publish a version reviewed by the actor; the article's previous version is superseded.

    Raises:
        NotAnEditor: unless the actor is an editor with an RPPS.
        OwnReviewRefused: when the actor wrote the version.
        AuthorNotAnEditor: when the author has lost the editor role or their RPPS since.
        WrongStep: when the version is not in review.
    """
    # The article first: two publications of one article queue behind each other.
    article = Article.objects.select_for_update().get(pk=version.article_id)
    version = _locked(version)
    _require_reviewer(actor, version)
    if version.status != ArticleVersion.Status.IN_REVIEW:
        raise WrongStep
    if not is_editor(version.author):
        raise AuthorNotAnEditor
    now = timezone.now()
    today = timezone.localdate(now)
    previous = (
        ArticleVersion.objects.select_for_update()
        .filter(article=article, status=ArticleVersion.Status.PUBLISHED)
        .first()
    )
    if previous is not None:
        # Before the new one is published: the database allows one published version only.
        previous.status = ArticleVersion.Status.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        fulltext.unindex_version(previous)
        log_event(
            actor=actor,
            action="health_info.version_superseded",
            target=previous,
            details=_details(previous, by=str(version.public_id)),
        )
    version.status = ArticleVersion.Status.PUBLISHED
    version.reviewer = actor
    version.reviewed_at = version.published_at = now
    version.last_reviewed_on = today
    version.next_review_due = add_months(today, version.review_interval_months)
    version.save(
        update_fields=[
            "status",
            "reviewer",
            "reviewed_at",
            "published_at",
            "last_reviewed_on",
            "next_review_due",
            "updated_at",
        ]
    )
    article.current_version = version
    article.save(update_fields=["current_version", "updated_at"])
    fulltext.index_version(version)
    log_event(
        actor=actor,
        action="health_info.version_published",
        target=version,
        details=_details(version, supersedes=str(previous.public_id) if previous else None),
    )
    return version


@transaction.atomic
def start_new_version(*, actor: User, article: Article) -> ArticleVersion:
    """Open a new draft of a published article, copied from its published version.

    Raises:
        NotAnEditor: unless the actor is an editor with an RPPS.
        NothingPublished: when the article has no published version to start from.
        VersionInProgress: when a draft or a version in review already exists.
    """
    _require_editor(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    published = article.current_version
    if published is None:
        raise NothingPublished
    in_progress = (ArticleVersion.Status.DRAFT, ArticleVersion.Status.IN_REVIEW)
    if article.versions.filter(status__in=in_progress).exists():
        raise VersionInProgress
    last = article.versions.aggregate(last=Max("number"))["last"] or 0
    version = ArticleVersion(article=article, number=last + 1, author=actor)
    _write_content(version, content_of(published))
    log_event(
        actor=actor,
        action="health_info.version_started",
        target=version,
        details=_details(version, based_on=published.number),
    )
    return version


# --- Loading the library shipped with the code ------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _read_library(directory: Path) -> list[ArticleFile]:
    if not directory.is_dir():
        raise LibraryInvalid(
            gettext("Dossier introuvable : %(directory)s") % {"directory": directory}
        )
    files, problems = [], []
    for path in sorted(directory.glob("*.json")):
        try:
            files.append(read_article_file(path))
        except ArticleFileInvalid as error:
            problems.append(str(error))
    if problems:
        raise LibraryInvalid("\n".join(problems))
    return files


def _publish(*, version: ArticleVersion, author: User, reviewer: User) -> None:
    submit_for_review(actor=author, version=version)
    approve_and_publish(actor=reviewer, version=version)


@transaction.atomic
def load_library(*, author: User, reviewer: User, directory: Path = CONTENT_DIR) -> LoadReport:
    """Publish every article file of `directory` through the review workflow, idempotently.

    All files are checked before anything is written, and the whole load is one transaction.
    A new slug is drafted by `author` and published by `reviewer`; a published article whose
    file changed gets a new version, superseding the old one; an unchanged one is left alone.

    Raises:
        LibraryInvalid: when a file breaks the format (every such file is named).
        VersionInProgress: when a changed article already has a draft or a version in review.
        NotAnEditor, OwnReviewRefused: when author and reviewer are not two distinct editors.
    """
    report = LoadReport()
    for item in _read_library(directory):
        article = Article.objects.select_related("current_version").filter(slug=item.slug).first()
        if article is None:
            version = create_draft(actor=author, slug=item.slug, content=item.content)
            _publish(version=version, author=author, reviewer=reviewer)
            report.created.append(item.slug)
            continue
        current = article.current_version
        if current is not None and content_of(current) == item.content.normalized():
            report.unchanged.append(item.slug)
            continue
        try:
            version = start_new_version(actor=author, article=article)
        except (NothingPublished, VersionInProgress):
            raise VersionInProgress(
                gettext(
                    "%(file)s : l'article « %(slug)s » a déjà une version en cours de "
                    "rédaction ou de relecture ; terminez-la avant de recharger ce fichier."
                )
                % {"file": item.path.name, "slug": item.slug}
            ) from None
        update_draft(actor=author, version=version, content=item.content)
        _publish(version=version, author=author, reviewer=reviewer)
        report.updated.append(item.slug)
    return report
