"""Case discussions (J5): draft, de-identified, reviewed by the author, published.

Then comments, polls, helpful votes, best answer; routing to the specialties concerned.

Nothing is shown to anyone but the author before publication, and what is published is the
scrubbed text the author reviewed: the identifiable draft is wiped at that moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, User
from maillage.accounts.specialties import Specialty
from maillage.audit.services import log_event
from maillage.cases.models import (
    Case,
    CaseFollow,
    CaseImage,
    CaseView,
    Comment,
    HelpfulVote,
    Poll,
    PollVote,
)
from maillage.cases.routing import route_case
from maillage.cases.search import index_case
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.uploads import CleanUpload
from maillage.deid.dicom import declares_burnt_in_annotation, scrub_dicom
from maillage.deid.images import scrub_image
from maillage.deid.text import scrub
from maillage.notifications.services import notify

MAX_IMAGES = 6
MAX_POLL_OPTIONS = 6
ANSWERING_LASTS = timedelta(minutes=30)
MENTION = re.compile(r"@([A-ZÀ-Ý][\w'-]{1,40})")


class NeedsAnotherReview(DomainError):
    default_message = _(
        "Votre relecture a ajouté des éléments identifiants : ils ont été retirés, relisez à "
        "nouveau avant de publier."
    )


class NotVerified(DomainError):
    default_message = _("Les discussions de cas sont réservées aux médecins vérifiés.")


def is_verified_doctor(user: User) -> bool:
    professional = getattr(user, "professional", None)
    return (
        user.role in DOCTOR_ROLES
        and professional is not None
        and professional.verified_at is not None
    )


def _require_doctor(actor: User) -> None:
    if not is_verified_doctor(actor):
        raise NotVerified


def _scrub_fields(
    title: str, question: str, body: str
) -> tuple[str, str, str, list[dict[str, object]]]:
    findings: list[dict[str, object]] = []
    cleaned = []
    for field, text in (("title", title), ("question", question), ("body", body)):
        result = scrub(text)
        cleaned.append(result.text)
        findings += [
            {"field": field, "start": item.start, "end": item.end, "kind": item.kind}
            for item in result.findings
        ]
    return cleaned[0], cleaned[1], cleaned[2], findings


@transaction.atomic
def start_case(
    *,
    actor: User,
    title: str,
    question: str,
    body: str,
    specialties: Sequence[str],
    poll_question: str,
    poll_options: Sequence[str],
    images: Sequence[CleanUpload],
    idempotency_key: UUID,
    dicom_files: Sequence[bytes] = (),
) -> Case:
    """Keep the draft and its de-identified version side by side for the author's review."""
    _require_doctor(actor)
    existing = Case.objects.filter(author=actor, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if not set(specialties) <= set(Specialty.values) or not specialties:
        raise DomainError(_("Choisissez au moins une spécialité dans la liste."))
    options = [option.strip()[:80] for option in poll_options if option.strip()]
    if poll_question.strip() and not 2 <= len(options) <= MAX_POLL_OPTIONS:
        raise DomainError(_("Un sondage a de 2 à 6 réponses possibles, une par ligne."))
    scrubbed_title, scrubbed_question, scrubbed_body, findings = _scrub_fields(
        title, question, body
    )
    dicoms = [_scrubbed_dicom(data) for data in dicom_files[:MAX_IMAGES]]
    try:
        with transaction.atomic():
            case = Case.objects.create(
                author=actor,
                status=Case.Status.REVIEW,
                specialties=sorted(set(specialties)),
                draft_title=title.strip(),
                draft_question=question.strip(),
                draft_body=body.strip(),
                title=scrubbed_title.strip(),
                question=scrubbed_question.strip(),
                body=scrubbed_body.strip(),
                findings=findings,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        return Case.objects.get(author=actor, idempotency_key=idempotency_key)
    if poll_question.strip():
        Poll.objects.create(
            case=case,
            question=scrub(poll_question).text[:200],
            options=[scrub(option).text for option in options],
        )
    for upload in images[:MAX_IMAGES]:
        cleaned = scrub_image(upload.content)
        image = CaseImage(
            case=case,
            content_type=cleaned.content_type,
            extension=upload.extension,
            removed=list(cleaned.removed),
        )
        image.file.save("image", ContentFile(cleaned.content), save=False)
        image.save()
    for content, removed in dicoms:
        dicom = CaseImage(
            case=case, content_type="application/dicom", extension=".dcm", removed=removed
        )
        dicom.file.save("dicom", ContentFile(content), save=False)
        dicom.save()
    log_event(
        actor=actor,
        action="cases.drafted",
        target=case,
        details={"findings": len(findings), "images": min(len(images), MAX_IMAGES)},
    )
    return case


def _scrubbed_dicom(data: bytes) -> tuple[bytes, list[str]]:
    """A DICOM file without its identifying tags; says when text is declared in the pixels."""
    try:
        content = scrub_dicom(data)
        burnt_in = declares_burnt_in_annotation(content)
    except ValueError as error:
        raise DomainError(str(error)) from None
    removed = ["DICOM"]
    if burnt_in:
        removed.append("BurnedInAnnotation=YES")
    return content, removed


def publish_case(*, actor: User, case: Case, title: str, question: str, body: str) -> Case:
    """Publish what the author reviewed, scrubbed once more; wipe the identifiable draft.

    Raises:
        NeedsAnotherReview: the edits brought identifiers back; they are removed and saved,
            and the author reviews again.
    """
    scrubbed_title, scrubbed_question, scrubbed_body, findings = _scrub_fields(
        title, question, body
    )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.author_id != actor.pk:
            raise NotAllowed
        if case.status != Case.Status.REVIEW:
            raise DomainError(_("Ce cas est déjà publié."))
        case.title = scrubbed_title.strip()
        case.question = scrubbed_question.strip()
        case.body = scrubbed_body.strip()
        if findings:
            case.findings = findings
            case.save(update_fields=["title", "question", "body", "findings", "updated_at"])
    if findings:
        raise NeedsAnotherReview
    if not case.title or not case.question:
        raise DomainError(_("Le titre et la question sont nécessaires."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != Case.Status.REVIEW:
            raise DomainError(_("Ce cas est déjà publié."))
        case.title = scrubbed_title.strip()
        case.question = scrubbed_question.strip()
        case.body = scrubbed_body.strip()
        case.draft_title = case.draft_question = case.draft_body = ""
        case.findings = []
        case.status = Case.Status.PUBLISHED
        case.published_at = timezone.now()
        case.save()
        CaseFollow.objects.get_or_create(case=case, user=actor)
        index_case(case)
        log_event(actor=actor, action="cases.published", target=case)
        route_case(case)
    return case


def _public_case(case_id: int) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    if not case.is_public:
        raise NotAllowed
    return case


@transaction.atomic
def add_comment(*, actor: User, case: Case, body: str) -> tuple[Comment, bool]:
    """Comment, de-identified like the case. Returns the comment and whether it was scrubbed."""
    _require_doctor(actor)
    case = _public_case(case.pk)
    text = body.strip()
    if not text:
        raise DomainError(_("Le commentaire est vide."))
    result = scrub(text)
    comment = Comment.objects.create(case=case, author=actor, body=result.text)
    fields = ["comment_count", "updated_at"]
    case.comment_count = F("comment_count") + 1
    if case.first_answer_at is None and actor.pk != case.author_id:
        case.first_answer_at = comment.created_at
        fields.append("first_answer_at")
    if case.answering_id == actor.pk:
        case.answering, case.answering_since = None, None
        fields += ["answering", "answering_since"]
    case.save(update_fields=fields)
    CaseFollow.objects.get_or_create(case=case, user=actor)
    log_event(actor=actor, action="cases.commented", target=case)
    url = reverse("cases:detail", args=[case.public_id])
    followers = User.objects.filter(pk__in=CaseFollow.objects.filter(case=case).values("user_id"))
    mentioned = _mentioned(result.text)
    for person in {*followers, *mentioned} - {actor}:
        notify(
            recipient=person,
            kind="cases.comment",
            title=_("Nouvelle réponse sur un cas que vous suivez")
            if person not in mentioned
            else _("Un confrère vous cite dans une discussion de cas"),
            url=url,
            by_email=False,
        )
    return comment, bool(result.findings)


def _mentioned(text: str) -> set[User]:
    names = {match.group(1) for match in MENTION.finditer(text)}
    if not names:
        return set()
    return set(
        User.objects.filter(
            role__in=DOCTOR_ROLES,
            professional__verified_at__isnull=False,
            last_name__in=list(names)[:10],
        )
    )


@transaction.atomic
def mark_helpful(*, actor: User, comment: Comment) -> None:
    _require_doctor(actor)
    if comment.author_id == actor.pk:
        raise DomainError(_("Vous ne pouvez pas voter pour votre propre réponse."))
    _vote, created = HelpfulVote.objects.get_or_create(comment=comment, voter=actor)
    if created:
        Comment.objects.filter(pk=comment.pk).update(helpful_count=F("helpful_count") + 1)


@transaction.atomic
def vote(*, actor: User, poll: Poll, option: int) -> None:
    _require_doctor(actor)
    _public_case(poll.case_id)
    if not 0 <= option < len(poll.options):
        raise DomainError(_("Choisissez une des réponses proposées."))
    PollVote.objects.update_or_create(poll=poll, voter=actor, defaults={"option": option})


@transaction.atomic
def mark_answering(*, actor: User, case: Case) -> Case:
    """Mark "Je réponds": others see that a colleague is writing, for half an hour."""
    _require_doctor(actor)
    case = _public_case(case.pk)
    now = timezone.now()
    if (
        case.answering_id not in (None, actor.pk)
        and case.answering_since
        and (now - case.answering_since < ANSWERING_LASTS)
    ):
        return case
    case.answering, case.answering_since = actor, now
    case.save(update_fields=["answering", "answering_since", "updated_at"])
    return case


@transaction.atomic
def resolve(*, actor: User, case: Case, best_comment: Comment | None) -> Case:
    case = _public_case(case.pk)
    if case.author_id != actor.pk:
        raise NotAllowed
    if best_comment is not None and best_comment.case_id != case.pk:
        raise NotAllowed
    case.status = Case.Status.RESOLVED
    case.resolved_at = case.resolved_at or timezone.now()
    case.best_comment = best_comment
    case.save(update_fields=["status", "resolved_at", "best_comment", "updated_at"])
    index_case(case)
    log_event(actor=actor, action="cases.resolved", target=case)
    return case


@transaction.atomic
def toggle_follow(*, actor: User, case: Case) -> bool:
    _require_doctor(actor)
    follow = CaseFollow.objects.filter(case=case, user=actor).first()
    if follow is not None:
        follow.delete()
        return False
    CaseFollow.objects.create(case=case, user=actor)
    return True


@transaction.atomic
def record_view(*, actor: User, case: Case) -> None:
    """Unique views: the first visit of each doctor counts."""
    _view, created = CaseView.objects.get_or_create(case=case, viewer=actor)
    if created:
        Case.objects.filter(pk=case.pk).update(view_count=F("view_count") + 1)


@dataclass(frozen=True)
class Timing:
    count: int
    median_hours: float | None
    p90_hours: float | None


#: The share of the high percentile a `Timing` gives.
HIGH_PERCENTILE = 0.9


def percentile_rank(count: int, share: float) -> int:
    """The rank (from 0, in ascending order) of the value a percentile of `count` picks."""
    return min(count - 1, max(0, round(share * (count - 1))))


def median_ranks(count: int) -> tuple[int, int]:
    """The ranks (from 0) of the one or two middle values, averaged for an even count."""
    return (count - 1) // 2, count // 2


def timing_of_ranked(count: int, value_at: Callable[[int], float]) -> Timing:
    """A `Timing` of `count` values known by their rank in ascending order.

    It reads only the values at `median_ranks` and at `percentile_rank(count,
    HIGH_PERCENTILE)`: the dashboards rank them in SQL and fetch those alone.
    """
    if not count:
        return Timing(count=0, median_hours=None, p90_hours=None)
    low, high = median_ranks(count)
    # statistics.median's arithmetic: the middle value, or the two middle ones' mean.
    middle = value_at(low) if low == high else (value_at(low) + value_at(high)) / 2
    return Timing(
        count=count,
        median_hours=round(middle, 1),
        p90_hours=round(value_at(percentile_rank(count, HIGH_PERCENTILE)), 1),
    )


def timing(hours: list[float]) -> Timing:
    ordered = sorted(hours)
    return timing_of_ranked(len(ordered), ordered.__getitem__)


def community_metrics() -> dict[str, Timing]:
    """Time to first answer and to resolution over the published cases, in hours."""
    rows = Case.objects.filter(published_at__isnull=False).values_list(
        "published_at", "first_answer_at", "resolved_at"
    )
    first: list[float] = []
    resolved: list[float] = []
    for published, answered, closed in rows:
        if published is None:
            continue
        if answered is not None:
            first.append((answered - published).total_seconds() / 3600)
        if closed is not None:
            resolved.append((closed - published).total_seconds() / 3600)
    return {"first_answer": timing(first), "resolution": timing(resolved)}
