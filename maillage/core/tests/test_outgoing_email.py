"""E-mails leave through the outbox: after commit, once, retried when the server is down."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from maillage.core.mail import (
    MAX_ATTEMPTS,
    deliver_outgoing_email,
    send_email_later,
    unsent_email_ids,
)
from maillage.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

DOWN = "maillage.core.tests.test_outgoing_email.MailServerDown"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("smtp unreachable")


def queue(**overrides: Any) -> OutgoingEmail:
    fields: dict[str, Any] = {
        "to": ["lea@example.test"],
        "subject": "Confirmez votre adresse",
        "body": "lien secret",
    }
    fields.update(overrides)
    return send_email_later(**fields)


def test_the_email_leaves_after_commit_and_its_body_is_wiped(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue(html="<p>lien secret</p>")
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    # then
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea@example.test"]
    assert mail.outbox[0].body == "lien secret"
    sent = mail.outbox[0]
    assert isinstance(sent, EmailMultiAlternatives)
    assert sent.alternatives[0][1] == "text/html"
    email.refresh_from_db()
    assert email.sent_at is not None
    assert (email.body, email.html) == ("", "")


def test_a_rolled_back_transaction_sends_nothing(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    class Aborted(Exception):
        pass

    def queue_then_fail() -> None:
        with transaction.atomic():
            queue()
            raise Aborted

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Aborted):
        queue_then_fail()

    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_delivering_twice_sends_once() -> None:
    email = queue()

    assert deliver_outgoing_email(email_id=str(email.public_id)) is True
    assert deliver_outgoing_email(email_id=str(email.public_id)) is False
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND=DOWN)
def test_an_unreachable_mail_server_keeps_the_email_for_a_retry() -> None:
    email = queue()

    assert deliver_outgoing_email(email_id=str(email.public_id)) is False

    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError"
    assert email.body == "lien secret"


def test_the_retry_job_picks_the_stuck_emails_and_they_leave() -> None:
    # given one e-mail that failed three minutes ago, and one just queued
    with time_machine.travel(timezone.now() - timedelta(minutes=3)):
        stuck = queue()
        with override_settings(EMAIL_BACKEND=DOWN):
            deliver_outgoing_email(email_id=str(stuck.public_id))
    fresh = queue(to=["autre@example.test"])
    # when
    due = unsent_email_ids()
    for email_id in due:
        deliver_outgoing_email(email_id=email_id)
    # then only the stuck one was retried, and it left
    assert due == [str(stuck.public_id)]
    assert [message.to for message in mail.outbox] == [["lea@example.test"]]
    assert not OutgoingEmail.objects.get(pk=fresh.pk).sent_at


def test_an_email_is_given_up_after_the_last_attempt() -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        email = queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS)

    assert unsent_email_ids() == []
    assert deliver_outgoing_email(email_id=str(email.public_id)) is False
    assert mail.outbox == []


class WritesWhileSending(BaseEmailBackend):
    """A mail server slow enough for another worker to write meanwhile."""

    def send_messages(self, email_messages: Any) -> int:
        def another_worker_writes() -> int:
            try:
                return OutgoingEmail.objects.update(last_error="touched meanwhile")
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=1) as pool:
            # With a lock held during the send, this write would wait for the busy timeout.
            pool.submit(another_worker_writes).result(timeout=3)
        return len(list(email_messages))


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="maillage.core.tests.test_outgoing_email.WritesWhileSending")
def test_no_database_lock_is_held_while_the_mail_server_answers() -> None:
    email = OutgoingEmail.objects.create(to=["lea@example.test"], subject="Sujet", body="Corps")

    assert deliver_outgoing_email(email_id=str(email.public_id)) is True
    email.refresh_from_db()
    assert email.sent_at is not None
