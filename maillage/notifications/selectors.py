"""Reads of notifications: always the actor's own."""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404

from maillage.accounts.models import User
from maillage.notifications.models import Notification

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
