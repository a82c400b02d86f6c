"""Patient communities (J6): join under a pseudonym, post after screening, report, moderate.

Every post is screened first (maillage.communities.screening). Personal data stops it until the
author chooses to publish anyway or lets us remove it; a red flag publishes it and shows the
author the right number at once, a suicide risk or an emergency alerts the moderators live;
promotion is held for review. Moderators' actions leave a visible note and an audit event.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import DOCTOR_ROLES, Role, User
from maillage.audit.services import log_event
from maillage.communities.models import (
    Community,
    Follow,
    Helpful,
    Member,
    Post,
    PostImage,
    Report,
    Thread,
)
from maillage.communities.screening import Screening, screen, without_personal_data
from maillage.communities.search import index_post, unindex_post
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.fulltext import fold
from maillage.core.uploads import CleanUpload
from maillage.deid.images import scrub_image
from maillage.notifications.services import notify

BODY_MAX = 10_000
MAX_IMAGES = 4
# What to do with personal data found in a post: ask the author, keep it, remove it.
ASK, KEEP, REMOVE = "ask", "keep", "remove"
SUSPENSION = timedelta(days=7)
PSEUDONYM = re.compile(r"[\w\-]{3,30}")


class PersonalDataFound(DomainError):
    """The post reveals personal data: the author chooses, nothing is saved yet."""

    default_message = _(
        "Votre message contient des informations qui permettent de vous reconnaître, vous ou "
        "quelqu'un d'autre."
    )

    def __init__(self, screening: Screening, suggestion: str) -> None:
        super().__init__()
        self.screening = screening
        self.suggestion = suggestion


class NotAMember(DomainError):
    default_message = _("Rejoignez la communauté pour y écrire.")


@dataclass(frozen=True)
class Posted:
    post: Post
    screening: Screening


def is_moderator(user: User) -> bool:
    return user.has_role(Role.MODERATOR)


def _is_verified_professional(user: User) -> bool:
    professional = getattr(user, "professional", None)
    return (
        user.role in DOCTOR_ROLES
        and professional is not None
        and professional.verified_at is not None
    )


def check_pseudonym(user: User, pseudonym: str) -> str:
    """A pseudonym that says nothing of who the person is. Raises DomainError otherwise."""
    value = pseudonym.strip()
    if not PSEUDONYM.fullmatch(value):
        raise DomainError(
            _("De 3 à 30 caractères : lettres, chiffres, tirets ou soulignés, sans espace.")
        )
    folded = fold(value)
    names = [part for part in (user.first_name, user.last_name) if len(part) >= 3]
    if any(fold(name) in folded for name in names):
        raise DomainError(_("Votre pseudonyme ne doit pas contenir votre nom ni votre prénom."))
    if Member.objects.filter(pseudonym__iexact=value).exists():
        raise DomainError(_("Ce pseudonyme est déjà pris : choisissez-en un autre."))
    return value


@transaction.atomic
def join(*, actor: User, community: Community, pseudonym: str = "") -> Member:
    """Join a community, creating the actor's pseudonymous member profile the first time."""
    member = Member.objects.filter(user=actor).first()
    if member is None:
        value = check_pseudonym(actor, pseudonym)
        try:
            with transaction.atomic():
                member = Member.objects.create(
                    user=actor, pseudonym=value, avatar_hue=uuid.uuid4().int % 360
                )
        except IntegrityError as error:  # the same pseudonym taken a moment ago
            raise DomainError(_("Ce pseudonyme est déjà pris : choisissez-en un autre.")) from error
    member.communities.add(community)
    # Which community someone joins says something of their health: traced like a record read.
    log_event(actor=actor, action="communities.joined", target=community)
    return member


def _active_member(actor: User, community: Community) -> Member:
    member = Member.objects.filter(user=actor, communities=community).select_for_update().first()
    if member is None:
        raise NotAMember
    if member.banned_at is not None:
        raise NotAllowed(_("Votre accès aux communautés a été fermé par la modération."))
    if member.suspended_until is not None and member.suspended_until > timezone.now():
        raise NotAllowed(
            _("Vous pourrez de nouveau écrire à partir du %(date)s.")
            % {"date": member.suspended_until.strftime("%d/%m/%Y")}
        )
    return member


def _moderators() -> list[User]:
    return list(
        User.objects.filter(
            Q(role=Role.MODERATOR) | Q(role_assignments__role=Role.MODERATOR), is_active=True
        ).distinct()
    )


def _alert_moderators(post: Post) -> None:
    url = reverse("communities:moderation")
    for moderator in _moderators():
        notify(
            recipient=moderator,
            kind="communities.alert",
            title=_("Un message des communautés demande une attention immédiate"),
            url=url,
        )


def _create_post(
    *,
    actor: User,
    member: Member,
    thread: Thread,
    body: str,
    idempotency_key: uuid.UUID,
    personal_data: str,
    images: Sequence[CleanUpload],
) -> Posted:
    text = body.strip()
    if not text:
        raise DomainError(_("Le message est vide."))
    if len(text) > BODY_MAX:
        raise DomainError(_("Le message est trop long (10 000 caractères au plus)."))
    existing = Post.objects.filter(author=member, idempotency_key=idempotency_key).first()
    if existing is not None:  # a double submit: the first one stands
        return Posted(existing, screen(existing.body))
    screening = screen(text)
    if screening.personal and personal_data == REMOVE:
        text = without_personal_data(text, screening.personal)
        reasons = [reason for reason in screening.reasons if reason != "personal"]
        screening = replace(screening, personal=(), reasons=reasons)
    elif screening.personal and personal_data != KEEP:
        raise PersonalDataFound(screening, without_personal_data(text, screening.personal))
    held = bool(screening.promotion)
    post = Post.objects.create(
        thread=thread,
        author=member,
        body=text,
        status=Post.Status.HELD if held else Post.Status.PUBLISHED,
        by_professional=_is_verified_professional(actor),
        risk=screening.risk,
        risk_reasons=screening.reasons,
        suggests_gp=screening.diagnosis and not _is_verified_professional(actor),
        needs_review=screening.risk > 0,
        idempotency_key=idempotency_key,
    )
    for upload in images[:MAX_IMAGES]:
        cleaned = scrub_image(upload.content)
        image = PostImage(post=post, content_type=cleaned.content_type, extension=upload.extension)
        image.file.save("image", ContentFile(cleaned.content), save=False)
        image.save()
    log_event(actor=actor, action="communities.posted", target=post)
    if screening.risk >= 3:
        _alert_moderators(post)
    if not held:
        index_post(post)
    return Posted(post, screening)


@transaction.atomic
def start_thread(
    *,
    actor: User,
    community: Community,
    title: str,
    body: str,
    idempotency_key: uuid.UUID,
    personal_data: str = ASK,
    images: Sequence[CleanUpload] = (),
) -> Posted:
    member = _active_member(actor, community)
    clean_title = title.strip()
    if not 3 <= len(clean_title) <= 150:
        raise DomainError(_("Le titre doit faire entre 3 et 150 caractères."))
    existing = Post.objects.filter(author=member, idempotency_key=idempotency_key).first()
    if existing is not None:
        return Posted(existing, screen(existing.body))
    title_check = screen(clean_title)
    if title_check.personal and personal_data == REMOVE:
        clean_title = without_personal_data(clean_title, title_check.personal)
    elif title_check.personal and personal_data != KEEP:
        raise PersonalDataFound(title_check, body)
    thread = Thread.objects.create(
        community=community, author=member, title=clean_title, last_post_at=timezone.now()
    )
    posted = _create_post(
        actor=actor,
        member=member,
        thread=thread,
        body=body,
        idempotency_key=idempotency_key,
        personal_data=personal_data,
        images=images,
    )
    Follow.objects.create(thread=thread, member=member)
    return posted


@transaction.atomic
def reply(
    *,
    actor: User,
    thread: Thread,
    body: str,
    idempotency_key: uuid.UUID,
    personal_data: str = ASK,
    images: Sequence[CleanUpload] = (),
) -> Posted:
    member = _active_member(actor, thread.community)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.hidden:
        raise NotAllowed
    before = Post.objects.filter(author=member, idempotency_key=idempotency_key).exists()
    posted = _create_post(
        actor=actor,
        member=member,
        thread=thread,
        body=body,
        idempotency_key=idempotency_key,
        personal_data=personal_data,
        images=images,
    )
    if before or posted.post.status != Post.Status.PUBLISHED:
        return posted
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_post_at=posted.post.created_at
    )
    Follow.objects.get_or_create(thread=thread, member=member)
    url = reverse("communities:thread", args=[thread.public_id])
    followers = User.objects.filter(
        community_member__follows__thread=thread, is_active=True
    ).exclude(pk=actor.pk)
    for follower in followers:
        notify(
            recipient=follower,
            kind="communities.reply",
            title=_("Nouvelle réponse dans une discussion que vous suivez"),
            url=url,
            by_email=False,
            digest=True,
        )
    return posted


@transaction.atomic
def mark_helpful(*, actor: User, post: Post) -> None:
    member = _active_member(actor, post.thread.community)
    if post.author_id == member.pk:
        raise DomainError(_("Vous ne pouvez pas trouver votre propre message utile."))
    _vote, created = Helpful.objects.get_or_create(post=post, member=member)
    if created:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)


@transaction.atomic
def toggle_follow(*, actor: User, thread: Thread) -> bool:
    member = _active_member(actor, thread.community)
    deleted, _rows = Follow.objects.filter(thread=thread, member=member).delete()
    if deleted:
        return False
    Follow.objects.create(thread=thread, member=member)
    return True


@transaction.atomic
def report(*, actor: User, post: Post, reason: str, note: str = "") -> Report:
    """Report a post to the moderators; someone in danger alerts them at once."""
    member = Member.objects.filter(user=actor).first()
    if member is None:
        raise NotAMember
    if reason not in Report.Reason.values:
        raise DomainError(_("Choisissez la raison du signalement."))
    existing = Report.objects.filter(post=post, reporter=member).first()
    if existing is not None:
        return existing
    created = Report.objects.create(post=post, reporter=member, reason=reason, note=note[:300])
    risk = 3 if reason == Report.Reason.DANGER else 2 if reason == Report.Reason.MEDICAL else 1
    Post.objects.filter(pk=post.pk).update(needs_review=True)
    Post.objects.filter(pk=post.pk, risk__lt=risk).update(risk=risk)
    log_event(actor=actor, action="communities.reported", target=post, details={"reason": reason})
    if reason == Report.Reason.DANGER:
        _alert_moderators(post)
    return created


class ModerationAction:
    APPROVE = "approve"
    HIDE = "hide"
    RESTORE = "restore"
    EDIT = "edit"
    DISMISS = "dismiss"
    CHOICES = (APPROVE, HIDE, RESTORE, EDIT, DISMISS)


@transaction.atomic
def moderate(*, actor: User, post: Post, action: str, note: str = "", body: str = "") -> Post:
    """Approve, hide, restore or edit a post (with a note shown under it), or dismiss reports."""
    if not is_moderator(actor):
        raise NotAllowed
    if action not in ModerationAction.CHOICES:
        raise DomainError(_("Action de modération inconnue."))
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    note = note.strip()[:300]
    if action in (ModerationAction.HIDE, ModerationAction.EDIT) and not note:
        raise DomainError(_("Expliquez votre décision en une phrase : elle sera visible."))
    if action == ModerationAction.HIDE:
        post.status = Post.Status.HIDDEN
        unindex_post(post)
    elif action in (ModerationAction.RESTORE, ModerationAction.APPROVE):
        post.status = Post.Status.PUBLISHED
        index_post(post)
    elif action == ModerationAction.EDIT:
        if not body.strip():
            raise DomainError(_("Le message est vide."))
        post.body = body.strip()[:BODY_MAX]
        index_post(post)
    if action != ModerationAction.DISMISS and note:
        post.moderation_note = note
    post.needs_review = False
    post.save()
    Report.objects.filter(post=post, closed_at__isnull=True).update(closed_at=timezone.now())
    log_event(actor=actor, action=f"communities.moderation_{action}", target=post)
    if action in (ModerationAction.HIDE, ModerationAction.EDIT, ModerationAction.APPROVE):
        notify(
            recipient=post.author.user,
            kind="communities.moderated",
            title=_("La modération est intervenue sur l'un de vos messages"),
            url=reverse("communities:thread", args=[post.thread.public_id]),
            by_email=False,
        )
    return post


class Sanction:
    WARN = "warn"
    SUSPEND = "suspend"
    BAN = "ban"
    CHOICES = (WARN, SUSPEND, BAN)


@transaction.atomic
def sanction(*, actor: User, member: Member, action: str, note: str) -> Member:
    """Warn, suspend for seven days or ban a member; they are told, the act is audited."""
    if not is_moderator(actor):
        raise NotAllowed
    if action not in Sanction.CHOICES:
        raise DomainError(_("Sanction inconnue."))
    if not note.strip():
        raise DomainError(_("Expliquez votre décision en une phrase : le membre la recevra."))
    member = Member.objects.select_for_update().get(pk=member.pk)
    if action == Sanction.WARN:
        member.warned_count += 1
        title = _("Avertissement de la modération des communautés")
    elif action == Sanction.SUSPEND:
        member.suspended_until = timezone.now() + SUSPENSION
        title = _("Vous ne pouvez plus écrire dans les communautés pendant sept jours")
    else:
        member.banned_at = timezone.now()
        title = _("Votre accès aux communautés a été fermé")
    member.save()
    log_event(actor=actor, action=f"communities.sanction_{action}", target=member)
    notify(
        recipient=member.user,
        kind="communities.sanction",
        title=title,
        url=reverse("communities:rules"),
    )
    return member
