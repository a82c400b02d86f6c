"""Reads of notifications: always the actor's own."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.accounts.models import User
from maillage.notifications.models import Notification, Presence

PAGE_SIZE = 30


def list_notifications_for(*, actor: User, before: int | None = None) -> list[Notification]:
    """Return a page of the actor's notifications, newest first (keyset on the id)."""
    qs = Notification.objects.filter(recipient=actor)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(qs.order_by("-id")[:PAGE_SIZE])


def get_notification_for(*, actor: User, notification_id: UUID) -> Notification:
    """Return one of the actor's notifications; someone else's gets 404."""
    return get_object_or_404(Notification, recipient=actor, public_id=notification_id)


# A page pings every minute; three missed pings and its socket is presumed dead.
PRESENCE_TIMEOUT = timedelta(minutes=3)


def online_user_ids(*, user_ids: Iterable[int]) -> set[int]:
    """Which of these people have a Maillage page open right now."""
    return set(
        Presence.objects.filter(
            user_id__in=list(user_ids),
            connections__gt=0,
            seen_at__gte=timezone.now() - PRESENCE_TIMEOUT,
        ).values_list("user_id", flat=True)
    )
