"""Notify people: stored in-app, then pushed live, e-mailed and texted by a task after commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import ngettext

from maillage.accounts.models import User
from maillage.core.bulk import insert_rows
from maillage.core.mail import send_email_later
from maillage.core.realtime import group_send
from maillage.notifications.live import COUNTS_GROUP, counts_message
from maillage.notifications.models import Notification, Presence
from maillage.notifications.selectors import PRESENCE_TIMEOUT, online_user_ids
from maillage.notifications.sms import send_sms

logger = logging.getLogger(__name__)


def _notification(
    *,
    recipient: User,
    kind: str,
    title: str,
    url: str,
    by_email: bool,
    by_sms: bool,
    digest: bool,
) -> Notification:
    return Notification(
        recipient=recipient,
        kind=kind,
        title=title,
        url=url,
        by_email=by_email and bool(recipient.email),
        by_sms=by_sms and bool(recipient.phone),
        in_digest=digest and not by_email,
    )


def _in_language(title: str | Promise, language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(title)


def notify(
    *,
    recipient: User,
    kind: str,
    title: str | Promise,
    url: str = "",
    by_email: bool = True,
    by_sms: bool = False,
    digest: bool = False,
) -> Notification:
    """Store a notification and deliver it once the caller's transaction commits.

    `title` is shown in the app and repeated in the e-mail and SMS: it must say *that*
    something happened ("Votre médecin a répondu"), never *what* (no clinical content). Pass a
    lazy translation: it is written in the recipient's language, not the sender's. `digest`:
    no e-mail of its own, but one line in the next digest if still unread (`send_digests`).
    """
    from maillage.notifications.tasks import deliver_notification_task

    notification = _notification(
        recipient=recipient,
        kind=kind,
        title=_in_language(title, recipient.language),
        url=url,
        by_email=by_email,
        by_sms=by_sms,
        digest=digest,
    )
    notification.save()
    forget_unread_counts(user_ids=[recipient.pk])
    transaction.on_commit(
        lambda: deliver_notification_task.enqueue(notification_id=str(notification.public_id))
    )
    return notification


def notify_many(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str | Promise,
    url: str = "",
    by_email: bool = True,
    by_sms: bool = False,
    digest: bool = False,
) -> int:
    """`notify` for many people at once: one insert; after commit, one push and at most one task.

    Returns how many were notified.

    The counts are pushed from the caller's process right after commit (one grouped count and
    one channel-layer message, a few ms for 1,000 people): a case's online colleagues should
    not wait for a task worker's poll. The task, only if some e-mail or SMS is due, sends those
    one notification at a time as with `notify`.
    """
    from maillage.notifications.tasks import deliver_notifications_task

    titles: dict[str, str] = {}
    now = timezone.now()
    rows = []
    outgoing = []
    for recipient in recipients:
        language = recipient.language or settings.LANGUAGE_CODE
        if language not in titles:
            titles[language] = _in_language(title, language)
        # As `_notification`, row by row (no instance: see maillage.core.bulk).
        emailed = by_email and bool(recipient.email)
        texted = by_sms and bool(recipient.phone)
        public_id = uuid.uuid4()
        rows.append(
            (
                public_id,
                recipient.pk,
                kind,
                titles[language],
                url,
                now,
                emailed,
                texted,
                digest and not by_email,
            )
        )
        if emailed or texted:
            outgoing.append(str(public_id))
    if not rows:
        return 0
    insert_rows(
        Notification,
        [
            "public_id",
            "recipient_id",
            "kind",
            "title",
            "url",
            "created_at",
            "by_email",
            "by_sms",
            "in_digest",
        ],
        rows,
    )
    user_ids = {row[1] for row in rows}
    forget_unread_counts(user_ids=user_ids)

    def after_commit() -> None:
        push_unread_counts(user_ids=user_ids)
        if outgoing:
            deliver_notifications_task.enqueue(notification_ids=outgoing, push=False)

    transaction.on_commit(after_commit)
    return len(rows)


# Every signed-in page shows the unread count: kept in the cache, dropped after each change.
# A count read just before a change commits may be put back just after it: the expiry bounds
# how long such a stale count can stay.
UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"notifications.unread.{user_id}"


def count_unread(*, user_id: int) -> int:
    key = _unread_key(user_id)
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
    cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_counts(*, user_ids: Iterable[int]) -> None:
    """Drop these people's cached unread counts once the caller's transaction commits.

    Call it from every write that adds notifications or marks them read: the next page
    counts again. After commit, not before: a page reading meanwhile would cache the old count.
    """
    keys = [_unread_key(user_id) for user_id in set(user_ids)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def push_unread_count(*, user_id: int) -> None:
    push_unread_counts(user_ids=[user_id])


def push_unread_counts(*, user_ids: Collection[int]) -> None:
    """Tell each person's open pages how many notifications are unread (no content on the wire).

    One grouped count for them all, then one message to every server process, which hands
    each count to that person's sockets (maillage.notifications.live). Best effort: the pages also
    fetch the count over HTTP and a socket is told it on connection, so a channel layer that
    is down (Redis unreachable, the embedded server's loop busy) must not stop the e-mail and
    the SMS of a delivery, nor turn a committed "mark as read" into an error page.
    """
    if not user_ids:
        return
    counts = dict(
        Notification.objects.filter(recipient_id__in=list(user_ids), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("id"))
        .values_list("recipient_id", "unread")
    )
    try:
        group_send(COUNTS_GROUP, counts_message((pk, counts.get(pk, 0)) for pk in user_ids))
    except Exception:
        logger.warning("unread count not pushed", exc_info=True, extra={"users": len(user_ids)})


def deliver_notification(*, notification: Notification) -> None:
    """Push, e-mail and text one notification; each channel is sent at most once."""
    deliver_notifications(notifications=[notification])


def deliver_notifications(*, notifications: Sequence[Notification], push: bool = True) -> None:
    """Push every recipient's count at once, then e-mail and text each notification once.

    `push=False` when the caller pushed the counts already (`notify_many`, after commit).
    """
    if push:
        push_unread_counts(user_ids={notification.recipient_id for notification in notifications})
    for notification in notifications:
        if (notification.by_email and notification.emailed_at is None) or (
            notification.by_sms and notification.sms_sent_at is None
        ):
            _email_and_text(notification)


def _email_and_text(notification: Notification) -> None:
    recipient = notification.recipient
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        if notification.by_email and notification.emailed_at is None:
            # The claim and the outbox row commit together: a worker killed between them
            # would otherwise leave the e-mail claimed and never written (the task re-runs,
            # see maillage.core.leases, and must find either both or neither).
            with transaction.atomic():
                claimed = Notification.objects.filter(
                    pk=notification.pk, emailed_at__isnull=True
                ).update(emailed_at=timezone.now())
                if claimed:
                    context = {"title": notification.title, "link": link}
                    send_email_later(
                        to=[recipient.email],
                        subject=f"[Maillage] {notification.title}",
                        body=render_to_string("notifications/email.txt", context),
                    )
        if notification.by_sms and notification.sms_sent_at is None:
            claimed = Notification.objects.filter(
                pk=notification.pk, sms_sent_at__isnull=True
            ).update(sms_sent_at=timezone.now())
            if claimed:
                send_sms(to=recipient.phone, body=f"Maillage : {notification.title} {link}".strip())


@transaction.atomic
def mark_read(*, actor: User, notification: Notification) -> None:
    """Mark one of the actor's notifications as read."""
    Notification.objects.filter(pk=notification.pk, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread_counts(user_ids=[actor.pk])
    transaction.on_commit(lambda: push_unread_count(user_id=actor.pk))


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    """Mark every notification of the actor as read; return how many changed."""
    changed = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread_counts(user_ids=[actor.pk])
    transaction.on_commit(lambda: push_unread_count(user_id=actor.pk))
    return changed


def note_connected(*, user_id: int) -> None:
    """One more open page for this person (their notification socket was accepted)."""
    now = timezone.now()
    with transaction.atomic():
        presence, created = Presence.objects.select_for_update().get_or_create(
            user_id=user_id, defaults={"connections": 1, "seen_at": now}
        )
        if not created:
            # A stale count (a process died with sockets open) is reset, not added to.
            fresh = presence.seen_at >= now - PRESENCE_TIMEOUT
            presence.connections = (presence.connections if fresh else 0) + 1
            presence.seen_at = now
            presence.save(update_fields=["connections", "seen_at"])


def note_seen(*, user_id: int) -> None:
    """An open page pinged: its person is still there."""
    Presence.objects.filter(user_id=user_id).update(seen_at=timezone.now())


def note_disconnected(*, user_id: int) -> None:
    Presence.objects.filter(user_id=user_id).update(connections=Greatest(F("connections") - 1, 0))


# Unread notifications this young wait for the next digest: the person may still see them.
DIGEST_GRACE = timedelta(minutes=15)


def send_digests() -> int:
    """E-mail each person away from Maillage one digest of their unread notifications.

    One e-mail per person, however many lines; people online now see them in the app and get
    none. Titles say that something happened, never what, so the digest carries no health data.
    Returns how many e-mails left.
    """
    now = timezone.now()
    pending = Notification.objects.filter(
        in_digest=True,
        digested_at__isnull=True,
        read_at__isnull=True,
        created_at__lt=now - DIGEST_GRACE,
    )
    titles: dict[int, list[str]] = {}
    for recipient_id, title in pending.order_by("id").values_list("recipient_id", "title"):
        titles.setdefault(recipient_id, []).append(title)
    online = online_user_ids(user_ids=titles)
    sent = 0
    for recipient in User.objects.filter(pk__in=titles).only("pk", "email", "language"):
        with transaction.atomic():
            claimed = pending.filter(recipient=recipient).update(digested_at=now)
            if not claimed or recipient.pk in online or not recipient.email:
                continue
            lines = titles[recipient.pk]
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                subject = ngettext(
                    "%(count)d nouvelle notification sur Maillage",
                    "%(count)d nouvelles notifications sur Maillage",
                    len(lines),
                ) % {"count": len(lines)}
                body = render_to_string(
                    "notifications/digest.txt",
                    {
                        "lines": sorted(set(lines), key=lines.index)[:20],
                        "link": f"{settings.SITE_URL}{reverse('notifications:list')}",
                    },
                )
            send_email_later(to=[recipient.email], subject=f"[Maillage] {subject}", body=body)
            sent += 1
    return sent
