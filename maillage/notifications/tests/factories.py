from __future__ import annotations

from itertools import count
from typing import Any

from maillage.accounts.models import User
from maillage.notifications.models import Notification

_sequence = count(1)


def make_notification(*, recipient: User, **fields: Any) -> Notification:
    """A stored notification, as `notify` leaves it before delivery (nothing sent)."""
    values: dict[str, Any] = {
        "kind": "test.kind",
        "title": f"Notification {next(_sequence)}",
        "by_email": False,
        **fields,
    }
    return Notification.objects.create(recipient=recipient, **values)


def make_notifications(number: int, *, recipient: User) -> list[Notification]:
    return [make_notification(recipient=recipient) for _ in range(number)]
