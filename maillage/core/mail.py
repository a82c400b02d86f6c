"""E-mail through an outbox.

Written in the caller's transaction, sent by a task after commit, retried by the scheduler when
the mail server was unreachable.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from maillage.core.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=2)
LEASE = timedelta(minutes=2)  # longer than EMAIL_TIMEOUT: a live attempt is never doubled


def send_email_later(*, to: list[str], subject: str, body: str, html: str = "") -> OutgoingEmail:
    """Queue an e-mail; it leaves once the caller's transaction commits."""
    from maillage.core.tasks import send_outgoing_email_task

    email = OutgoingEmail.objects.create(to=to, subject=subject[:255], body=body, html=html)
    transaction.on_commit(lambda: send_outgoing_email_task.enqueue(email_id=str(email.public_id)))
    return email


def _claimable(now: datetime) -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    )


def deliver_outgoing_email(*, email_id: str) -> bool:
    """Send one queued e-mail at most once; return whether it left now.

    The claim is a single conditional UPDATE, and the mail server is contacted outside any
    transaction: a slow server must never hold a database lock (SQLite has only one).
    """
    now = timezone.now()
    if (
        not _claimable(now)
        .filter(public_id=email_id)
        .update(claimed_at=now, attempts=F("attempts") + 1)
    ):
        return False
    email = OutgoingEmail.objects.get(public_id=email_id)
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=email.to)
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as error:  # the mail server's outage must not lose the e-mail
        OutgoingEmail.objects.filter(pk=email.pk).update(
            claimed_at=None, last_error=type(error).__name__[:100]
        )
        logger.warning("e-mail not sent, will retry: %s", type(error).__name__)
        return False
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), claimed_at=None, body="", html="", last_error=""
    )
    return True


def unsent_email_ids(now: datetime | None = None) -> list[str]:
    """Return the queued e-mails that should have left by now and may be tried again."""
    moment = now or timezone.now()
    return [
        str(public_id)
        for public_id in _claimable(moment)
        .filter(created_at__lt=moment - RETRY_AFTER)
        .values_list("public_id", flat=True)[:500]
    ]
